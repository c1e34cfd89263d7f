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

/* A period smaller than the current one can be refused (EINVAL) while the old quota
 * over the new period exceeds the parent's: then it is written again after the quota. */
static int write_quota_and_period(const char *dir, const struct cradle_resources_cpu *c,
                                  cradle_error **err)
{
    const char *period_field = "linux.resources.cpu.period";
    bool period_pending = false;
    if (c->period.set && c->period.value != 0) {
        _cleanup_error_ cradle_error *period_err = NULL;
        if (cgroup_v1_write_u64(dir, "cpu.cfs_period_us", c->period.value, period_field,
                                &period_err) < 0) {
            if (period_err->errnum != EINVAL) {
                *err = TAKE_PTR(period_err);
                return -1;
            }
            period_pending = true;
        }
    }
    if (c->quota.set && c->quota.value != 0) {
        if (cgroup_v1_write_i64(dir, "cpu.cfs_quota_us", c->quota.value,
                                "linux.resources.cpu.quota", err) < 0)
            return -1;
        if (period_pending &&
            cgroup_v1_write_u64(dir, "cpu.cfs_period_us", c->period.value, period_field, err) < 0)
            return -1;
    } else if (period_pending) {
        return cgroup_v1_write_u64(dir, "cpu.cfs_period_us", c->period.value, period_field, err);
    }
    return 0;
}

/* cpu.cfs_burst_us (5.14) and cpu.idle (5.15) exist only on newer kernels. */
static int write_if_present(const char *dir, const char *file, int64_t value, const char *field,
                            cradle_error **err)
{
    if (!cgroup_v1_has_file(dir, file)) {
        cradle_warn("%s: this kernel has no %s in the v1 cpu controller: ignored", field, file);
        return 0;
    }
    return cgroup_v1_write_i64(dir, file, value, field, err);
}

int cgroup_v1_apply_cpu(const char *dir, const struct cradle_resources *res, cradle_error **err)
{
    const struct cradle_resources_cpu *c = &res->cpu;
    if (c->shares.set && c->shares.value != 0 && write_shares(dir, c->shares.value, err) < 0)
        return -1;
    if (write_quota_and_period(dir, c, err) < 0)
        return -1;
    if (c->burst.set && write_if_present(dir, "cpu.cfs_burst_us", (int64_t)c->burst.value,
                                         "linux.resources.cpu.burst", err) < 0)
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
    if (c->idle.set &&
        write_if_present(dir, "cpu.idle", c->idle.value, "linux.resources.cpu.idle", err) < 0)
        return -1;
    return 0;
}
