#include "cradle/signals.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
    const char *name;
    int number;
} signal_names[] = {
    {"HUP", SIGHUP},       {"INT", SIGINT},   {"QUIT", SIGQUIT},     {"ILL", SIGILL},
    {"TRAP", SIGTRAP},     {"ABRT", SIGABRT}, {"IOT", SIGIOT},       {"BUS", SIGBUS},
    {"FPE", SIGFPE},       {"KILL", SIGKILL}, {"USR1", SIGUSR1},     {"SEGV", SIGSEGV},
    {"USR2", SIGUSR2},     {"PIPE", SIGPIPE}, {"ALRM", SIGALRM},     {"TERM", SIGTERM},
    {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD}, {"CONT", SIGCONT},     {"STOP", SIGSTOP},
    {"TSTP", SIGTSTP},     {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},     {"URG", SIGURG},
    {"XCPU", SIGXCPU},     {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF},
    {"WINCH", SIGWINCH},   {"IO", SIGIO},     {"POLL", SIGPOLL},     {"PWR", SIGPWR},
    {"SYS", SIGSYS},
};

static int parse_number(const char *text)
{
    if (*text == '\0')
        return -1;
    char *end;
    long n = strtol(text, &end, 10);
    if (*end != '\0' || n <= 0 || n > SIGRTMAX)
        return -1;
    return (int)n;
}

static int parse_realtime(const char *name)
{
    if (strncasecmp(name, "RTMIN", 5) == 0) {
        if (name[5] == '\0')
            return SIGRTMIN;
        int off = name[5] == '+' ? parse_number(name + 6) : -1;
        return off > 0 && SIGRTMIN + off <= SIGRTMAX ? SIGRTMIN + off : -1;
    }
    if (strncasecmp(name, "RTMAX", 5) == 0) {
        if (name[5] == '\0')
            return SIGRTMAX;
        int off = name[5] == '-' ? parse_number(name + 6) : -1;
        return off > 0 && SIGRTMAX - off >= SIGRTMIN ? SIGRTMAX - off : -1;
    }
    return -1;
}

int cradle_signal_parse(const char *text)
{
    if (text == NULL)
        return -1;
    if (text[0] >= '0' && text[0] <= '9')
        return parse_number(text);
    const char *name = strncasecmp(text, "SIG", 3) == 0 ? text + 3 : text;
    for (size_t i = 0; i < sizeof(signal_names) / sizeof(signal_names[0]); i++)
        if (strcasecmp(name, signal_names[i].name) == 0)
            return signal_names[i].number;
    return parse_realtime(name);
}
