/* linux.resources.cpu (without cpus/mems) on cgroup2: cpu.idle, cpu.weight from shares,
 * cpu.max.burst and cpu.max, in runc's order. realtimeRuntime/realtimePeriod have no cgroup2
 * file: runc 1.1 ignores them there (measured in the guest), and so does this. */
#include "v2_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

int v2_apply_cpu(const struct v2_files *f, const struct cradle_resources_cpu *cpu,
                 cradle_error **err)
{
    char value[64];
    if (cpu->idle.set) {
        snprintf(value, sizeof(value), "%" PRId64, cpu->idle.value);
        if (v2_write_field(f, "linux.resources.cpu.idle", "cpu.idle", value, err) < 0)
            return -1;
    }
    uint64_t weight = cpu->shares.set ? v2_cpu_weight_from_shares(cpu->shares.value) : 0;
    if (weight != 0) {
        snprintf(value, sizeof(value), "%" PRIu64, weight);
        if (v2_write_field(f, "linux.resources.cpu.shares", "cpu.weight", value, err) < 0)
            return -1;
    }

    int64_t quota = cpu->quota.set ? cpu->quota.value : 0;
    uint64_t period = cpu->period.set ? cpu->period.value : 0;
    bool burst_pending = false;
    char burst[32];
    if (cpu->burst.set) {
        snprintf(burst, sizeof(burst), "%" PRIu64, cpu->burst.value);
        if (f->write(f, "cpu.max.burst", burst, err) < 0) {
            /* A burst above the current quota is refused (EINVAL) until the new quota is
             * in place: retry after cpu.max, as runc does. */
            if ((*err)->errnum != EINVAL || quota == 0)
                return cradle_error_wrap(err, "linux.resources.cpu.burst");
            cradle_error_free(err);
            burst_pending = true;
        }
    }
    if (quota != 0 || period != 0) {
        v2_cpu_max_str(quota, period, value, sizeof(value));
        const char *field = quota != 0 ? "linux.resources.cpu.quota" : "linux.resources.cpu.period";
        if (v2_write_field(f, field, "cpu.max", value, err) < 0)
            return -1;
        if (burst_pending &&
            v2_write_field(f, "linux.resources.cpu.burst", "cpu.max.burst", burst, err) < 0)
            return -1;
    }
    return 0;
}
