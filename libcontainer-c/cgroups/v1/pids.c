/* linux.resources.pids on the v1 pids controller: a limit <= 0 is "max", as in runc. */
#include "cgroup_v1.h"

bool cgroup_v1_wants_pids(const struct cradle_resources *res)
{
    return res->pids.limit.set;
}

int cgroup_v1_apply_pids(const char *dir, const struct cradle_resources *res, cradle_error **err)
{
    if (!res->pids.limit.set)
        return 0;
    if (res->pids.limit.value <= 0)
        return cgroup_v1_write(dir, "pids.max", "max", "linux.resources.pids.limit", err);
    return cgroup_v1_write_i64(dir, "pids.max", res->pids.limit.value, "linux.resources.pids.limit",
                               err);
}
