/* linux.resources.network on the v1 net_cls and net_prio controllers. */
#include "cgroup_v1.h"

#include <inttypes.h>
#include <stdio.h>

bool cgroup_v1_wants_net_cls(const struct cradle_resources *res)
{
    return res->network.class_id.set && res->network.class_id.value != 0;
}

bool cgroup_v1_wants_net_prio(const struct cradle_resources *res)
{
    return res->network.n_priorities > 0;
}

int cgroup_v1_apply_net_cls(const char *dir, const struct cradle_resources *res, cradle_error **err)
{
    if (!cgroup_v1_wants_net_cls(res))
        return 0;
    return cgroup_v1_write_u64(dir, "net_cls.classid", res->network.class_id.value,
                               "linux.resources.network.classID", err);
}

int cgroup_v1_apply_net_prio(const char *dir, const struct cradle_resources *res,
                             cradle_error **err)
{
    for (size_t i = 0; i < res->network.n_priorities; i++) {
        const struct cradle_net_priority *p = &res->network.priorities[i];
        char line[128], field[64];
        snprintf(line, sizeof(line), "%s %" PRIu32, p->name, p->priority);
        snprintf(field, sizeof(field), "linux.resources.network.priorities[%zu]", i);
        if (cgroup_v1_write(dir, "net_prio.ifpriomap", line, field, err) < 0)
            return -1;
    }
    return 0;
}
