/* The single-file groups on cgroup2: pids.max, cpuset.cpus/mems, hugetlb.SIZE.max and
 * rdma.max, as runc's setPids, setCpuset, setHugeTlb and RdmaSet write them. */
#include "v2_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cradle/cleanup.h"

int v2_apply_pids(const struct v2_files *f, const struct cradle_resources_pids *pids,
                  cradle_error **err)
{
    /* 0 writes nothing (runc's "unset"); any other value <= 0 lifts the limit. */
    if (!pids->limit.set || pids->limit.value == 0)
        return 0;
    char value[32];
    v2_limit_str(pids->limit.value < 0 ? -1 : pids->limit.value, value, sizeof(value));
    return v2_write_field(f, "linux.resources.pids.limit", "pids.max", value, err);
}

int v2_apply_cpuset(const struct v2_files *f, const struct cradle_resources_cpu *cpu,
                    cradle_error **err)
{
    if (cpu->cpus && cpu->cpus[0] &&
        v2_write_field(f, "linux.resources.cpu.cpus", "cpuset.cpus", cpu->cpus, err) < 0)
        return -1;
    if (cpu->mems && cpu->mems[0] &&
        v2_write_field(f, "linux.resources.cpu.mems", "cpuset.mems", cpu->mems, err) < 0)
        return -1;
    return 0;
}

int v2_apply_hugetlb(const struct v2_files *f, const struct cradle_resources *res,
                     cradle_error **err)
{
    for (size_t i = 0; i < res->n_hugepages; i++) {
        const struct cradle_hugepage_limit *h = &res->hugepages[i];
        char file[64], value[32], field[96];
        snprintf(file, sizeof(file), "hugetlb.%s.max", h->page_size);
        snprintf(value, sizeof(value), "%" PRIu64, h->limit);
        snprintf(field, sizeof(field), "linux.resources.hugepageLimits[%zu] (%s)", i, h->page_size);
        if (v2_write_field(f, field, file, value, err) < 0)
            return -1;
    }
    return 0;
}

int v2_apply_rdma(const struct v2_files *f, const struct cradle_resources *res, cradle_error **err)
{
    for (size_t i = 0; i < res->n_rdma; i++) {
        _cleanup_free_ char *line = cgroup_rdma_line(&res->rdma[i]);
        char field[96];
        if (line == NULL)
            return cradle_error_set(err, ENOMEM, "linux.resources.rdma");
        snprintf(field, sizeof(field), "linux.resources.rdma.%s", res->rdma[i].device);
        if (v2_write_field(f, field, "rdma.max", line, err) < 0)
            return -1;
    }
    return 0;
}
