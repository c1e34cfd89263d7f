/* linux.resources.rdma on the v1 rdma controller: one rdma.max line per device. */
#include "cgroup_v1.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cradle/cleanup.h"

bool cgroup_v1_wants_rdma(const struct cradle_resources *res)
{
    return res->n_rdma > 0;
}

int cgroup_v1_apply_rdma(const char *dir, const struct cradle_resources *res, cradle_error **err)
{
    for (size_t i = 0; i < res->n_rdma; i++) {
        const struct cradle_rdma_limit *r = &res->rdma[i];
        char handles[40] = "", objects[40] = "";
        if (r->hca_handles.set)
            snprintf(handles, sizeof(handles), " hca_handle=%" PRIu64, r->hca_handles.value);
        if (r->hca_objects.set)
            snprintf(objects, sizeof(objects), " hca_object=%" PRIu64, r->hca_objects.value);
        _cleanup_free_ char *line = NULL, *field = NULL;
        if (asprintf(&line, "%s%s%s", r->device, handles, objects) < 0)
            line = NULL;
        if (asprintf(&field, "linux.resources.rdma.%s", r->device) < 0)
            field = NULL;
        if (line == NULL || field == NULL)
            return cradle_error_set(err, ENOMEM, "linux.resources.rdma");
        if (cgroup_v1_write(dir, "rdma.max", line, field, err) < 0)
            return -1;
    }
    return 0;
}
