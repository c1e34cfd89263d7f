/* linux.resources.memory on cgroup2: memory.swap.max, memory.max, memory.low (runc's
 * setMemory). swappiness, disableOOMKiller and useHierarchy have no cgroup2 file and are
 * ignored, as runc ignores them there. */
#include "v2_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"

static int64_t value_or_zero(struct cradle_opt_i64 v)
{
    return v.set ? v.value : 0;
}

/* checkBeforeUpdate: refuse a limit below what the container already uses. Best effort
 * like runc's CheckMemoryUsage: an unreadable memory.current lets the update through. */
static int check_usage(const struct v2_files *f, int64_t limit, cradle_error **err)
{
    _cleanup_free_ char *text = NULL;
    _cleanup_error_ cradle_error *ignored = NULL;
    uint64_t usage;
    if (limit <= 0 || f->read(f, "memory.current", &text, &ignored) < 0 ||
        cgroup_parse_uint(text, &usage) < 0)
        return 0;
    if (usage >= (uint64_t)limit)
        return cradle_error_set(err, EINVAL,
                                "linux.resources.memory.limit: rejecting memory limit %" PRId64
                                " below usage %" PRIu64,
                                limit, usage);
    return 0;
}

int v2_apply_memory(const struct v2_files *f, const struct cradle_resources_memory *mem,
                    bool updating, cradle_error **err)
{
    int64_t limit = value_or_zero(mem->limit), swap = value_or_zero(mem->swap);
    int64_t reservation = value_or_zero(mem->reservation);
    if (limit == 0 && swap == 0 && reservation == 0)
        return 0;
    if (updating && mem->check_before_update && check_usage(f, limit, err) < 0)
        return -1;

    int64_t swap_max;
    if (v2_swap_max(swap, limit, &swap_max, err) < 0)
        return cradle_error_wrap(err, "linux.resources.memory.swap");
    char value[32];
    v2_limit_str(swap_max, value, sizeof(value));
    /* limit == swap: no swap at all; an empty write would also mean 0, but is never made. */
    if (swap_max == 0 && swap > 0)
        strcpy(value, "0");
    if (value[0] && f->write(f, "memory.swap.max", value, err) < 0) {
        /* Without swap accounting there is no memory.swap.max; "no swap" or "unlimited
         * swap" then hold anyway (runc ignores these two cases too). */
        bool harmless =
            (*err)->errnum == ENOENT && (strcmp(value, "max") == 0 || strcmp(value, "0") == 0);
        if (!harmless)
            return cradle_error_wrap(err, "linux.resources.memory.swap");
        cradle_error_free(err);
    }

    v2_limit_str(limit, value, sizeof(value));
    if (value[0] && v2_write_field(f, "linux.resources.memory.limit", "memory.max", value, err) < 0)
        return -1;
    v2_limit_str(reservation, value, sizeof(value));
    if (value[0] &&
        v2_write_field(f, "linux.resources.memory.reservation", "memory.low", value, err) < 0)
        return -1;
    return 0;
}
