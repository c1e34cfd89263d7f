/* Error messages of policy files: one line, "SOURCE:LINE: what is wrong". */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "proc_policy_internal.h"

int pp_fail_at(char *why, size_t why_size, const char *source, unsigned line, const char *fmt, ...)
{
    int used = snprintf(why, why_size, "%s:%u: ", source, line);
    if (used >= 0 && (size_t)used < why_size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why + used, why_size - (size_t)used, fmt, ap);
        va_end(ap);
    }
    errno = EINVAL;
    return -1;
}
