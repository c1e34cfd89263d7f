/* linux.resources.cpu (all but cpus/mems) on the v1 cpu controller (runc's fs/cpu.go). */
#include "cgroup_v1.h"

#include <errno.h>
#include <inttypes.h>

#include "cradle/cleanup.h"
#include "cradle/log.h"

bool cgroup_v1_wants_cpu(const struct cradle_resources *res)
{
    const struct cradle_resources_cpu *c = &res->cpu;
    return (c->shares.set && c->shares.value != 0) || (c->quota.set && c->quota.value != 0) ||
           (c->period.set && c->period.value != 0) || c->burst.set ||
           (c->realtime_runtime.set && c->realtime_runtime.value != 0) ||
           (c->realtime_period.set && c->realtime_period.value != 0) || c->idle.set;
}

/* The kernel clamps cpu.shares to [2, 262144] without an error: read it back. */
static int write_shares(const char *dir, uint64_t shares, cradle_error **err)
{
    const char *field = "linux.resources.cpu.shares";
    uint64_t got = 0;
    if (cgroup_v1_write_u64(dir, "cpu.shares", shares, field, err) < 0 ||
        cgroup_v1_read_u64(dir, "cpu.shares", &got, err) < 0)
        return -1;
    if (shares > got)
        return cradle_error_set(err, EINVAL, "%s: the maximum allowed cpu-shares is %" PRIu64,
                                field, got);
    if (shares < got)
        return cradle_error_set(err, EINVAL, "%s: the minimum allowed cpu-shares is %" PRIu64,
                                field, got);
    return 0;
}

/* Writes value; an EINVAL is left pending (*pending) when a quota follows, for the file to
 * be written again after it (runc's order): a smaller period, or a larger burst, can be
 * refused while the old quota does not fit them. */
static int write_before_quota(const char *dir, const char *file, uint64_t value, const char *field,
                              bool quota_follows, bool *pending, cradle_error **err)
{
    _cleanup_error_ cradle_error *write_err = NULL;
    *pending = false;
    if (cgroup_v1_write_u64(dir, file, value, field, &write_err) == 0)
        return 0;
    if (write_err->errnum == EINVAL && quota_follows) {
        *pending = true;
        return 0;
    }
    *err = TAKE_PTR(write_err);
    return -1;
}

/* cpu.cfs_burst_us (5.14) and cpu.idle (5.15) exist only on newer kernels: without them
 * the value is ignored, as runc ignores a missing burst file. */
static bool present_or_warn(const char *dir, const char *file, const char *field)
{
    if (cgroup_v1_has_file(dir, file))
        return true;
    cradle_warn("%s: this kernel has no %s in the v1 cpu controller: ignored", field, file);
    return false;
}

static int write_bandwidth(const char *dir, const struct cradle_resources_cpu *c,
                           cradle_error **err)
{
    const char *period_field = "linux.resources.cpu.period";
    const char *burst_field = "linux.resources.cpu.burst";
    bool quota = c->quota.set && c->quota.value != 0;
    bool period_pending = false, burst_pending = false;
    if (c->period.set && c->period.value != 0 &&
        write_before_quota(dir, "cpu.cfs_period_us", c->period.value, period_field, quota,
                           &period_pending, err) < 0)
        return -1;
    if (c->burst.set && present_or_warn(dir, "cpu.cfs_burst_us", burst_field) &&
        write_before_quota(dir, "cpu.cfs_burst_us", c->burst.value, burst_field, quota,
                           &burst_pending, err) < 0)
        return -1;
    if (!quota)
        return 0;
    if (cgroup_v1_write_i64(dir, "cpu.cfs_quota_us", c->quota.value, "linux.resources.cpu.quota",
                            err) < 0)
        return -1;
    if (period_pending &&
        cgroup_v1_write_u64(dir, "cpu.cfs_period_us", c->period.value, period_field, err) < 0)
        return -1;
    if (burst_pending &&
        cgroup_v1_write_u64(dir, "cpu.cfs_burst_us", c->burst.value, burst_field, err) < 0)
        return -1;
    return 0;
}

int cgroup_v1_apply_cpu(const char *dir, const struct cradle_resources *res, cradle_error **err)
{
    const struct cradle_resources_cpu *c = &res->cpu;
    if (c->shares.set && c->shares.value != 0 && write_shares(dir, c->shares.value, err) < 0)
        return -1;
    if (write_bandwidth(dir, c, err) < 0)
        return -1;
    if (c->idle.set && present_or_warn(dir, "cpu.idle", "linux.resources.cpu.idle") &&
        cgroup_v1_write_i64(dir, "cpu.idle", c->idle.value, "linux.resources.cpu.idle", err) < 0)
        return -1;
    /* runc's order: the realtime period before the runtime it bounds. */
    if (c->realtime_period.set && c->realtime_period.value != 0 &&
        cgroup_v1_write_u64(dir, "cpu.rt_period_us", c->realtime_period.value,
                            "linux.resources.cpu.realtimePeriod", err) < 0)
        return -1;
    if (c->realtime_runtime.set && c->realtime_runtime.value != 0 &&
        cgroup_v1_write_i64(dir, "cpu.rt_runtime_us", c->realtime_runtime.value,
                            "linux.resources.cpu.realtimeRuntime", err) < 0)
        return -1;
    return 0;
}
