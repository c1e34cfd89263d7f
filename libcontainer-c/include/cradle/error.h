/* One error type for the whole library: an errno plus a message with context.
 * Functions return 0 on success and -1 on failure after filling *err; callers add
 * context with cradle_error_wrap() and the CLI prints the error once at the top. */
#ifndef CRADLE_ERROR_H
#define CRADLE_ERROR_H

#include <stdbool.h>

typedef struct cradle_error {
    int errnum;    /* errno value classifying the failure (0 if none) */
    bool from_sys; /* a system call failed: the text ends with strerror(errnum) */
    char *msg;     /* full message, context first, without the strerror() suffix */
} cradle_error;

/* Sets *err (if err is not NULL and *err is empty) and returns -1. errnum classifies
 * the failure for callers; the message is shown as written. */
int cradle_error_set(cradle_error **err, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A failed system call: errnum = errno, and the text ends with strerror(errno). */
int cradle_error_sys(cradle_error **err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prefixes "context: " to an existing error; returns -1. */
int cradle_error_wrap(cradle_error **err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* "msg: strerror(errnum)" for system call failures, else "msg"; caller frees. */
char *cradle_error_text(const cradle_error *err);

void cradle_error_free(cradle_error **err);

static inline void cradle_error_cleanup(cradle_error **err)
{
    cradle_error_free(err);
}

#endif
