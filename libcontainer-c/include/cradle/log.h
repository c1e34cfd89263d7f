/* The library never prints: warnings and debug lines go to a handler the CLI installs,
 * so that every line follows --log and --log-format. Without a handler they are dropped. */
#ifndef CRADLE_LOG_H
#define CRADLE_LOG_H

enum cradle_log_level {
    CRADLE_LOG_DEBUG,
    CRADLE_LOG_INFO,
    CRADLE_LOG_WARNING,
    CRADLE_LOG_ERROR,
};

typedef void (*cradle_log_handler)(enum cradle_log_level level, const char *msg, void *data);

/* Installs the handler; lines below min_level are not formatted at all. */
void cradle_log_set_handler(cradle_log_handler handler, void *data,
                            enum cradle_log_level min_level);

/* True when a line at this level would reach the handler (to skip costly formatting). */
int cradle_log_enabled(enum cradle_log_level level);

void cradle_log(enum cradle_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define cradle_warn(...)  cradle_log(CRADLE_LOG_WARNING, __VA_ARGS__)
#define cradle_debug(...) cradle_log(CRADLE_LOG_DEBUG, __VA_ARGS__)

/* The runc name of a level: "debug", "info", "warning", "error". */
const char *cradle_log_level_name(enum cradle_log_level level);

#endif
