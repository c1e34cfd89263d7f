/* runc's v1-to-v2 value conversions and the texts written to cgroup2 files (the numbers
 * and "KEY VALUE" files read back are parsed by cgroups/values.c, shared with v1). */
#include "v2_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The formulas and their unsigned arithmetic are runc's: a value below the v1 range wraps
 * to a huge weight that the kernel then refuses (ERANGE), as it does with runc. */
uint64_t v2_cpu_weight_from_shares(uint64_t shares)
{
    if (shares == 0)
        return 0;
    return 1 + ((shares - 2) * 9999) / 262142;
}

uint64_t v2_io_weight_from_blkio(uint64_t weight)
{
    if (weight == 0)
        return 0;
    return 1 + ((weight - 10) * 9999) / 990;
}

int v2_swap_max(int64_t swap, int64_t limit, int64_t *out, cradle_error **err)
{
    /* Unlimited memory without a swap value: both unlimited, as on v1. */
    if (limit == -1 && swap == 0) {
        *out = -1;
        return 0;
    }
    if (swap == -1 || swap == 0) {
        *out = swap;
        return 0;
    }
    if (limit == 0 || limit == -1)
        return cradle_error_set(err, EINVAL, "unable to set swap limit without memory limit");
    if (limit < 0)
        return cradle_error_set(err, EINVAL, "invalid memory value: %" PRId64, limit);
    if (swap < limit)
        return cradle_error_set(err, EINVAL, "memory+swap limit should be >= memory limit");
    *out = swap - limit;
    return 0;
}

void v2_limit_str(int64_t value, char *buf, size_t size)
{
    if (value == 0)
        snprintf(buf, size, "%s", "");
    else if (value == -1)
        snprintf(buf, size, "%s", "max");
    else
        snprintf(buf, size, "%" PRId64, value);
}

void v2_cpu_max_str(int64_t quota, uint64_t period, char *buf, size_t size)
{
    /* The kernel's documented default period. */
    if (period == 0)
        period = 100000;
    if (quota > 0)
        snprintf(buf, size, "%" PRId64 " %" PRIu64, quota, period);
    else
        snprintf(buf, size, "max %" PRIu64, period);
}
