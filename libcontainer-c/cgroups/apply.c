/* cradle_cgroup_apply: each group of linux.resources goes to the v1 hierarchy that has its
 * controller, else to cgroup2 where the container's cgroup2 directory has the controller
 * (hybrid hosts), else fails naming the field. Which groups go where is settled before
 * anything is written, so a missing controller writes nothing. */
#include "cgroup_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"
#include "cradle/log.h"
#include "v1/cgroup_v1.h"

struct resource_part {
    enum cgroup_group group;
    const char *v1_controller;
    const char *v2_controller; /* NULL: no cgroup2 equivalent */
    const char *field;
    bool (*wants)(const struct cradle_resources *res);
    /* NULL for memory, the one that needs `updating` (see apply_v1_part). */
    int (*apply_v1)(const char *dir, const struct cradle_resources *res, cradle_error **err);
};

/* In runc's order of subsystems. */
static const struct resource_part parts[] = {
    {CGROUP_GROUP_CPUSET, "cpuset", "cpuset", "linux.resources.cpu.cpus/mems",
     cgroup_v1_wants_cpuset, cgroup_v1_apply_cpuset},
    {CGROUP_GROUP_MEMORY, "memory", "memory", "linux.resources.memory", cgroup_v1_wants_memory,
     NULL},
    {CGROUP_GROUP_CPU, "cpu", "cpu", "linux.resources.cpu", cgroup_v1_wants_cpu,
     cgroup_v1_apply_cpu},
    {CGROUP_GROUP_PIDS, "pids", "pids", "linux.resources.pids", cgroup_v1_wants_pids,
     cgroup_v1_apply_pids},
    {CGROUP_GROUP_IO, "blkio", "io", "linux.resources.blockIO", cgroup_v1_wants_blkio,
     cgroup_v1_apply_blkio},
    {CGROUP_GROUP_HUGETLB, "hugetlb", "hugetlb", "linux.resources.hugepageLimits",
     cgroup_v1_wants_hugetlb, cgroup_v1_apply_hugetlb},
    {CGROUP_GROUP_NET, "net_cls", NULL, "linux.resources.network.classID", cgroup_v1_wants_net_cls,
     cgroup_v1_apply_net_cls},
    {CGROUP_GROUP_NET, "net_prio", NULL, "linux.resources.network.priorities",
     cgroup_v1_wants_net_prio, cgroup_v1_apply_net_prio},
    {CGROUP_GROUP_RDMA, "rdma", "rdma", "linux.resources.rdma", cgroup_v1_wants_rdma,
     cgroup_v1_apply_rdma},
};
#define N_PARTS (sizeof(parts) / sizeof(parts[0]))

/* cgroup.controllers of the container's cgroup2 directory lists what it can use
 * (space-separated), "" when there is no cgroup2 directory. */
static int read_v2_controllers(const struct cradle_cgroup *cg, char **out, cradle_error **err)
{
    if (cg->unified_dir == NULL)
        return (*out = strdup("")) ? 0 : cradle_error_set(err, ENOMEM, "cgroup2 controllers");
    _cleanup_free_ char *path = cgroup_path_join(cg->unified_dir, "cgroup.controllers");
    if (path == NULL)
        return cradle_error_set(err, ENOMEM, "cgroup2 controllers");
    if (cgroup_read_text(path, out, err) < 0)
        return -1;
    for (char *p = *out; *p; p++)
        if (*p == ' ' || *p == '\n')
            *p = ',';
    return 0;
}

/* Decides for each part the v1 directory (dirs[i]) or cgroup2 (v2_mask). */
static int route_parts(const struct cradle_cgroup *cg, const struct cradle_resources *res,
                       const char **dirs, unsigned *v2_mask, cradle_error **err)
{
    _cleanup_free_ char *v2_controllers = NULL;
    for (size_t i = 0; i < N_PARTS; i++) {
        dirs[i] = NULL;
        if (!parts[i].wants(res))
            continue;
        dirs[i] = cgroup_v1_dir_of(cg, parts[i].v1_controller);
        if (dirs[i] != NULL)
            continue;
        if (v2_controllers == NULL && read_v2_controllers(cg, &v2_controllers, err) < 0)
            return -1;
        bool on_v2 = parts[i].v2_controller != NULL &&
                     cgroup_has_controller(v2_controllers, parts[i].v2_controller);
        if (!on_v2 && cgroup_rootless())
            return cgroup_rootless_no_cgroup(cg, parts[i].field, parts[i].v1_controller, err);
        if (!on_v2)
            return cradle_error_set(err, EOPNOTSUPP, "%s: no %s cgroup controller on this host",
                                    parts[i].field, parts[i].v1_controller);
        *v2_mask |= parts[i].group;
    }
    if (res->n_unified > 0) {
        /* runc's check: raw cgroup2 files only on a pure cgroup2 host. */
        if (cgroup_has_v1_controllers(cg) || cg->unified_dir == NULL)
            return cradle_error_set(err, EINVAL,
                                    "linux.resources.unified: invalid configuration: cannot use "
                                    "unified on cgroup v1");
        *v2_mask |= CGROUP_GROUP_UNIFIED;
    }
    return 0;
}

static int apply_v1_part(const struct resource_part *part, const char *dir,
                         const struct cradle_resources *res, bool updating, cradle_error **err)
{
    if (part->apply_v1 == NULL)
        return cgroup_v1_apply_memory(dir, res, updating, err);
    return part->apply_v1(dir, res, err);
}

int cradle_cgroup_apply(const struct cradle_cgroup *cg, const struct cradle_resources *res,
                        bool updating, cradle_error **err)
{
    if (res->memory.kernel_set)
        cradle_warn("Kernel memory settings are ignored and will be removed");

    const char *dirs[N_PARTS];
    unsigned v2_mask = 0;
    if (route_parts(cg, res, dirs, &v2_mask, err) < 0)
        return -1;

    /* A systemd unit's properties first, as runc's Set: systemd rewrites the files it owns
     * from them (on daemon-reload, for one), so they must say the same as the files. */
    if (cg->systemd_unit && cgroup_systemd_apply(cg, res, err) < 0)
        return -1;

    for (size_t i = 0; i < N_PARTS; i++)
        if (dirs[i] != NULL && apply_v1_part(&parts[i], dirs[i], res, updating, err) < 0)
            return -1;
    if (v2_mask != 0 && cgroup_v2_apply(cg->unified_dir, res, v2_mask, updating, err) < 0)
        return -1;
    /* As runc's rootless manager: device rules cannot work without privileges in the
     * host's user namespace (a v1 devices cgroup to write, an eBPF program to attach), so
     * they are not tried; the container keeps only the device nodes it was given. */
    if (cgroup_rootless())
        return 0;
    return cgroup_devices_apply(cg, res, updating, err);
}
