#ifndef CRADLE_SIGNALS_H
#define CRADLE_SIGNALS_H

/* Parses a signal as "kill" accepts it: "TERM", "SIGTERM", "sigterm", "15", "RTMIN+3".
 * Returns the number, or -1 when it is not a signal. */
int cradle_signal_parse(const char *text);

#endif
