/* The CRIU flags checkpoint and restore share (runc's names). */
#ifndef CRADLE_RUNTIME_CRIU_FLAGS_H
#define CRADLE_RUNTIME_CRIU_FLAGS_H

#include <getopt.h>
#include <stdbool.h>

#include "cradle/criu.h"
#include "cradle/error.h"

enum {
    CRIU_OPT_IMAGE_PATH = 512,
    CRIU_OPT_WORK_PATH,
    CRIU_OPT_TCP_ESTABLISHED,
    CRIU_OPT_EXT_UNIX_SK,
    CRIU_OPT_SHELL_JOB,
    CRIU_OPT_FILE_LOCKS,
    CRIU_OPT_MANAGE_CGROUPS_MODE,
    CRIU_OPT_LAZY_PAGES,
    CRIU_OPT_EMPTY_NS,
    CRIU_OPT_AUTO_DEDUP,
    CRIU_OPT_LAST,
};

/* Entries for a getopt_long table; end a table with these and {0, 0, 0, 0}. */
#define CRIU_COMMON_LONG_OPTS                                                                      \
    {"image-path", required_argument, NULL, CRIU_OPT_IMAGE_PATH},                                  \
        {"work-path", required_argument, NULL, CRIU_OPT_WORK_PATH},                                \
        {"tcp-established", no_argument, NULL, CRIU_OPT_TCP_ESTABLISHED},                          \
        {"ext-unix-sk", no_argument, NULL, CRIU_OPT_EXT_UNIX_SK},                                  \
        {"shell-job", no_argument, NULL, CRIU_OPT_SHELL_JOB},                                      \
        {"file-locks", no_argument, NULL, CRIU_OPT_FILE_LOCKS},                                    \
        {"manage-cgroups-mode", required_argument, NULL, CRIU_OPT_MANAGE_CGROUPS_MODE},            \
        {"lazy-pages", no_argument, NULL, CRIU_OPT_LAZY_PAGES},                                    \
        {"empty-ns", required_argument, NULL, CRIU_OPT_EMPTY_NS},                                  \
    {                                                                                              \
        "auto-dedup", no_argument, NULL, CRIU_OPT_AUTO_DEDUP                                       \
    }

/* Handles option c (from getopt_long) when it is a common one: returns 1 when handled, 0
 * when it is not a common option, -1 with *err on a bad value. */
int criu_flag(int c, const char *arg, struct cradle_criu_opts *o, cradle_error **err);

#endif
