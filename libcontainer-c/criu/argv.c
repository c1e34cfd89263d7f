#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/criu.h"

static int append_owned(struct criu_args *a, char *arg, cradle_error **err)
{
    if (arg == NULL)
        return cradle_error_set(err, ENOMEM, "criu arguments");
    if (a->n + 2 > a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 32;
        char **v = realloc(a->v, cap * sizeof(*v));
        if (v == NULL) {
            free(arg);
            return cradle_error_set(err, ENOMEM, "criu arguments");
        }
        a->v = v;
        a->cap = cap;
    }
    a->v[a->n++] = arg;
    a->v[a->n] = NULL;
    return 0;
}

int criu_args_add(struct criu_args *a, const char *arg, cradle_error **err)
{
    return append_owned(a, strdup(arg), err);
}

int criu_args_addf(struct criu_args *a, cradle_error **err, const char *fmt, ...)
{
    char *arg = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&arg, fmt, ap) < 0)
        arg = NULL;
    va_end(ap);
    return append_owned(a, arg, err);
}

void criu_args_free(struct criu_args *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->v[i]);
    free(a->v);
    *a = (struct criu_args){0};
}
