/* update: new limits for a container's cgroup. As runc, only the update's own fields are
 * written (a stored swap limit is not written again with a new memory limit, which would
 * refuse `update --memory -1` on cgroup2); the device rules, which every apply sets whole,
 * are the stored ones unless the update replaces them. The stored copy gets the merge. */
#include <errno.h>

#include "cradle/cleanup.h"
#include "container_private.h"

static void resources_freep(struct cradle_resources *res)
{
    cradle_resources_free(res);
}

int cradle_container_update(const char *root, const char *id,
                            const struct cradle_resources *changes, cradle_error **err)
{
    _cleanup_close_ int root_fd = -1, dir_fd = -1;
    _cleanup_state_ struct cradle_state *s = NULL;
    if (cradle_state_load(root, id, true, &root_fd, &dir_fd, &s, err) < 0)
        return -1;
    enum cradle_status status = cradle_container_status(dir_fd, s);
    if (status == CRADLE_STATUS_STOPPED || status == CRADLE_STATUS_CREATING)
        return cradle_error_set(err, ESRCH, "container not running");
    __attribute__((cleanup(resources_freep))) struct cradle_resources merged = {0};
    if (cradle_resources_recorded(s, &merged, err) < 0 ||
        cradle_resources_merge(&merged, changes, err) < 0)
        return -1;
    struct cradle_cgroup *cg = cradle_container_cgroup(s, err);
    if (cg == NULL)
        return -1;
    struct cradle_resources written = *changes;
    written.has_devices = merged.has_devices;
    written.devices = merged.devices;
    written.n_devices = merged.n_devices;
    int ret = cradle_cgroup_apply(cg, &written, true, err);
    cradle_cgroup_free(cg);
    if (ret < 0 || cradle_resources_record(s, &merged, err) < 0)
        return -1;
    return cradle_state_write(dir_fd, s, err);
}
