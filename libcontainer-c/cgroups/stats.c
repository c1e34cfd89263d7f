/* cradle_cgroup_stats: runc's stats event "data" object. Each part comes from the v1
 * hierarchy that has its controller; cgroup_v2_stats then adds what only cgroup2 has
 * (all of it on a pure cgroup2 host). */
#include "cgroup_internal.h"

#include <json-c/json.h>

#include "cradle/cleanup.h"
#include "v1/cgroup_v1.h"

static int v1_stats(const struct cradle_cgroup *cg, struct json_object *data, cradle_error **err)
{
    const char *cpu = cgroup_v1_dir_of(cg, "cpu");
    const char *cpuacct = cgroup_v1_dir_of(cg, "cpuacct");
    const char *cpuset = cgroup_v1_dir_of(cg, "cpuset");
    const char *memory = cgroup_v1_dir_of(cg, "memory");
    const char *pids = cgroup_v1_dir_of(cg, "pids");
    const char *blkio = cgroup_v1_dir_of(cg, "blkio");
    const char *hugetlb = cgroup_v1_dir_of(cg, "hugetlb");
    if ((cpu || cpuacct) && cgroup_v1_stats_cpu(cpu, cpuacct, data, err) < 0)
        return -1;
    if (cpuset && cgroup_v1_stats_cpuset(cpuset, data, err) < 0)
        return -1;
    if (memory && cgroup_v1_stats_memory(memory, data, err) < 0)
        return -1;
    if (pids && cgroup_v1_stats_pids(pids, data, err) < 0)
        return -1;
    if (blkio && cgroup_v1_stats_blkio(blkio, data, err) < 0)
        return -1;
    if (hugetlb && cgroup_v1_stats_hugetlb(hugetlb, data, err) < 0)
        return -1;
    return 0;
}

int cradle_cgroup_stats(const struct cradle_cgroup *cg, struct json_object **out,
                        cradle_error **err)
{
    _cleanup_json_ struct json_object *data = json_object_new_object();
    if (v1_stats(cg, data, err) < 0)
        return cradle_error_wrap(err, "cgroup stats");
    if (cg->unified_dir && cgroup_v2_stats(cg->unified_dir, data, err) < 0)
        return cradle_error_wrap(err, "cgroup stats");
    /* Parts runc always has, whatever the host. */
    if (!json_object_object_get_ex(data, "cpuset", NULL) &&
        cgroup_v1_stats_cpuset(NULL, data, err) < 0)
        return -1;
    json_object_object_add(data, "intel_rdt", json_object_new_object());
    json_object_object_add(data, "network_interfaces", NULL);
    *out = TAKE_PTR(data);
    return 0;
}
