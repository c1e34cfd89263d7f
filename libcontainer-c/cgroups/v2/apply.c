/* cgroup_v2_apply: each group of linux.resources that cgroups/apply.c hands to the cgroup2
 * hierarchy, in runc's fs2 order (pids, memory, io, cpu, cpuset, hugetlb, rdma) with the
 * unified entries last. Devices are applied apart (cgroup_devices_apply). */
#include "v2_internal.h"

int v2_apply_files(const struct v2_files *f, const struct cradle_resources *res, unsigned mask,
                   bool updating, cradle_error **err)
{
    /* net_cls and net_prio have no cgroup2 counterpart: runc's fs2 ignores them. */
    if ((mask & CGROUP_GROUP_PIDS) && v2_apply_pids(f, &res->pids, err) < 0)
        return -1;
    if ((mask & CGROUP_GROUP_MEMORY) && v2_apply_memory(f, &res->memory, updating, err) < 0)
        return -1;
    if ((mask & CGROUP_GROUP_IO) && v2_apply_io(f, &res->blkio, err) < 0)
        return -1;
    if ((mask & CGROUP_GROUP_CPU) && v2_apply_cpu(f, &res->cpu, err) < 0)
        return -1;
    if ((mask & CGROUP_GROUP_CPUSET) && v2_apply_cpuset(f, &res->cpu, err) < 0)
        return -1;
    if ((mask & CGROUP_GROUP_HUGETLB) && v2_apply_hugetlb(f, res, err) < 0)
        return -1;
    if ((mask & CGROUP_GROUP_RDMA) && v2_apply_rdma(f, res, err) < 0)
        return -1;
    if ((mask & CGROUP_GROUP_UNIFIED) && v2_apply_unified(f, res, err) < 0)
        return -1;
    return 0;
}

int cgroup_v2_apply(const char *dir, const struct cradle_resources *res, unsigned mask,
                    bool updating, cradle_error **err)
{
    /* The group functions look at the error they get back (ENOENT, EINVAL fallbacks), so
     * they always get one, whatever the caller passed. */
    cradle_error *local = NULL;
    struct v2_files f = v2_files_of(dir);
    if (v2_apply_files(&f, res, mask, updating, &local) == 0)
        return 0;
    if (err && *err == NULL)
        *err = local;
    else
        cradle_error_free(&local);
    return -1;
}
