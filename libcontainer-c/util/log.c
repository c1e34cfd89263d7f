#include "cradle/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static cradle_log_handler log_handler;
static void *log_data;
static enum cradle_log_level log_min = CRADLE_LOG_WARNING;

void cradle_log_set_handler(cradle_log_handler handler, void *data, enum cradle_log_level min_level)
{
    log_handler = handler;
    log_data = data;
    log_min = min_level;
}

int cradle_log_enabled(enum cradle_log_level level)
{
    return log_handler != NULL && level >= log_min;
}

void cradle_log(enum cradle_log_level level, const char *fmt, ...)
{
    if (!cradle_log_enabled(level))
        return;
    va_list ap;
    va_start(ap, fmt);
    char *msg = NULL;
    int len = vasprintf(&msg, fmt, ap);
    va_end(ap);
    if (len < 0)
        return;
    log_handler(level, msg, log_data);
    free(msg);
}

const char *cradle_log_level_name(enum cradle_log_level level)
{
    switch (level) {
    case CRADLE_LOG_DEBUG:
        return "debug";
    case CRADLE_LOG_INFO:
        return "info";
    case CRADLE_LOG_WARNING:
        return "warning";
    case CRADLE_LOG_ERROR:
        break;
    }
    return "error";
}
