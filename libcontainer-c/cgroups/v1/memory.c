/* linux.resources.memory on the v1 memory controller (runc's fs/memory.go). */
#include "cgroup_v1.h"

#include <errno.h>
#include <inttypes.h>

#include "cradle/cleanup.h"

#define LIMIT_FILE "memory.limit_in_bytes"
#define SWAP_FILE  "memory.memsw.limit_in_bytes"

bool cgroup_v1_wants_memory(const struct cradle_resources *res)
{
    const struct cradle_resources_memory *m = &res->memory;
    return (m->limit.set && m->limit.value != 0) ||
           (m->reservation.set && m->reservation.value != 0) ||
           (m->swap.set && m->swap.value != 0) || m->swappiness.set || m->disable_oom_killer ||
           m->use_hierarchy.set;
}

bool cgroup_v1_swap_goes_first(uint64_t current_limit, int64_t swap)
{
    return swap == -1 || (swap > 0 && current_limit < (uint64_t)swap);
}

/* The kernel refuses (EBUSY) a limit below the current usage: say so as runc does. */
static int write_limit(const char *dir, int64_t limit, cradle_error **err)
{
    if (limit == 0)
        return 0;
    _cleanup_error_ cradle_error *write_err = NULL;
    if (cgroup_v1_write_i64(dir, LIMIT_FILE, limit, "linux.resources.memory.limit", &write_err) ==
        0)
        return 0;
    uint64_t usage = 0, peak = 0;
    if (write_err->errnum != EBUSY ||
        cgroup_v1_read_u64(dir, "memory.usage_in_bytes", &usage, NULL) < 0 ||
        cgroup_v1_read_u64(dir, "memory.max_usage_in_bytes", &peak, NULL) < 0) {
        *err = TAKE_PTR(write_err);
        return -1;
    }
    return cradle_error_set(err, EBUSY,
                            "linux.resources.memory.limit: unable to set memory limit to %" PRId64
                            " (current usage: %" PRIu64 ", peak usage: %" PRIu64 ")",
                            limit, usage, peak);
}

static int write_swap(const char *dir, int64_t swap, cradle_error **err)
{
    if (swap == 0)
        return 0;
    return cgroup_v1_write_i64(dir, SWAP_FILE, swap, "linux.resources.memory.swap", err);
}

static int set_memory_and_swap(const char *dir, const struct cradle_resources_memory *m,
                               cradle_error **err)
{
    int64_t limit = m->limit.set ? m->limit.value : 0;
    int64_t swap = m->swap.set ? m->swap.value : 0;
    /* An unlimited memory without a swap value makes memory+swap unlimited too. */
    if (limit == -1 && swap == 0 && cgroup_v1_has_file(dir, SWAP_FILE))
        swap = -1;

    if (limit != 0 && swap != 0) {
        uint64_t current = 0;
        if (cgroup_v1_read_u64(dir, LIMIT_FILE, &current, err) < 0)
            return cradle_error_wrap(err, "linux.resources.memory.limit");
        if (cgroup_v1_swap_goes_first(current, swap))
            return write_swap(dir, swap, err) < 0 ? -1 : write_limit(dir, limit, err);
    }
    if (write_limit(dir, limit, err) < 0)
        return -1;
    return write_swap(dir, swap, err);
}

/* checkBeforeUpdate: refuse a limit the container already uses more than. */
static int check_usage(const char *dir, const struct cradle_resources_memory *m, cradle_error **err)
{
    uint64_t usage = 0;
    if (m->limit.set && m->limit.value > 0) {
        if (cgroup_v1_read_u64(dir, "memory.usage_in_bytes", &usage, err) < 0)
            return cradle_error_wrap(err, "linux.resources.memory.checkBeforeUpdate");
        if (usage >= (uint64_t)m->limit.value)
            return cradle_error_set(err, EBUSY,
                                    "linux.resources.memory.limit: rejecting memory limit %" PRId64
                                    " below usage %" PRIu64,
                                    m->limit.value, usage);
    }
    if (m->swap.set && m->swap.value > 0 &&
        cgroup_v1_has_file(dir, "memory.memsw.usage_in_bytes")) {
        if (cgroup_v1_read_u64(dir, "memory.memsw.usage_in_bytes", &usage, err) < 0)
            return cradle_error_wrap(err, "linux.resources.memory.checkBeforeUpdate");
        if (usage >= (uint64_t)m->swap.value)
            return cradle_error_set(err, EBUSY,
                                    "linux.resources.memory.swap: rejecting memory+swap limit "
                                    "%" PRId64 " below usage %" PRIu64,
                                    m->swap.value, usage);
    }
    return 0;
}

int cgroup_v1_apply_memory(const char *dir, const struct cradle_resources *res, bool updating,
                           cradle_error **err)
{
    const struct cradle_resources_memory *m = &res->memory;
    if (updating && m->check_before_update && check_usage(dir, m, err) < 0)
        return -1;
    if (set_memory_and_swap(dir, m, err) < 0)
        return -1;
    if (m->reservation.set && m->reservation.value != 0 &&
        cgroup_v1_write_i64(dir, "memory.soft_limit_in_bytes", m->reservation.value,
                            "linux.resources.memory.reservation", err) < 0)
        return -1;
    if (m->disable_oom_killer &&
        cgroup_v1_write(dir, "memory.oom_control", "1", "linux.resources.memory.disableOOMKiller",
                        err) < 0)
        return -1;
    if (m->swappiness.set && cgroup_v1_write_u64(dir, "memory.swappiness", m->swappiness.value,
                                                 "linux.resources.memory.swappiness", err) < 0)
        return -1;
    if (m->use_hierarchy.set &&
        cgroup_v1_write(dir, "memory.use_hierarchy", m->use_hierarchy.value ? "1" : "0",
                        "linux.resources.memory.useHierarchy", err) < 0)
        return -1;
    return 0;
}
