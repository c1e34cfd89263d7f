/* linux.resources.rdma on the v1 rdma controller: one rdma.max line per device. */
#include "cgroup_v1.h"

#include <errno.h>
#include <stdio.h>

#include "../cgroup_internal.h"
#include "cradle/cleanup.h"

bool cgroup_v1_wants_rdma(const struct cradle_resources *res)
{
    return res->n_rdma > 0;
}

int cgroup_v1_apply_rdma(const char *dir, const struct cradle_resources *res, cradle_error **err)
{
    for (size_t i = 0; i < res->n_rdma; i++) {
        _cleanup_free_ char *line = cgroup_rdma_line(&res->rdma[i]);
        char field[96];
        if (line == NULL)
            return cradle_error_set(err, ENOMEM, "linux.resources.rdma");
        snprintf(field, sizeof(field), "linux.resources.rdma.%s", res->rdma[i].device);
        if (cgroup_v1_write(dir, "rdma.max", line, field, err) < 0)
            return -1;
    }
    return 0;
}
