#include "cradle/error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int set_va(cradle_error **err, int errnum, bool from_sys, const char *fmt, va_list ap)
{
    if (err == NULL || *err != NULL)
        return -1;
    cradle_error *e = calloc(1, sizeof(*e));
    if (e == NULL)
        return -1;
    e->errnum = errnum;
    e->from_sys = from_sys;
    if (vasprintf(&e->msg, fmt, ap) < 0)
        e->msg = NULL;
    *err = e;
    return -1;
}

int cradle_error_set(cradle_error **err, int errnum, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_va(err, errnum, false, fmt, ap);
    va_end(ap);
    return -1;
}

int cradle_error_sys(cradle_error **err, const char *fmt, ...)
{
    int saved = errno;
    va_list ap;
    va_start(ap, fmt);
    set_va(err, saved, true, fmt, ap);
    va_end(ap);
    errno = saved;
    return -1;
}

int cradle_error_wrap(cradle_error **err, const char *fmt, ...)
{
    if (err == NULL || *err == NULL)
        return -1;
    char *prefix = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&prefix, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    char *joined = NULL;
    if (asprintf(&joined, "%s: %s", prefix, (*err)->msg ? (*err)->msg : "") >= 0) {
        free((*err)->msg);
        (*err)->msg = joined;
    }
    free(prefix);
    return -1;
}

char *cradle_error_text(const cradle_error *err)
{
    char *out = NULL;
    const char *msg = err && err->msg ? err->msg : "unknown error";
    int r;
    if (err && err->from_sys && err->errnum)
        r = asprintf(&out, "%s: %s", msg, strerror(err->errnum));
    else
        r = asprintf(&out, "%s", msg);
    return r < 0 ? NULL : out;
}

void cradle_error_free(cradle_error **err)
{
    if (err == NULL || *err == NULL)
        return;
    free((*err)->msg);
    free(*err);
    *err = NULL;
}
