/* linux.resources.cpu.cpus and .mems on the v1 cpuset controller. */
#include "cgroup_v1.h"

bool cgroup_v1_wants_cpuset(const struct cradle_resources *res)
{
    return (res->cpu.cpus && *res->cpu.cpus) || (res->cpu.mems && *res->cpu.mems);
}

int cgroup_v1_apply_cpuset(const char *dir, const struct cradle_resources *res, cradle_error **err)
{
    if (res->cpu.cpus && *res->cpu.cpus &&
        cgroup_v1_write(dir, "cpuset.cpus", res->cpu.cpus, "linux.resources.cpu.cpus", err) < 0)
        return -1;
    if (res->cpu.mems && *res->cpu.mems &&
        cgroup_v1_write(dir, "cpuset.mems", res->cpu.mems, "linux.resources.cpu.mems", err) < 0)
        return -1;
    return 0;
}
