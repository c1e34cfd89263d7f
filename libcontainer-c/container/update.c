/* update: new limits for a container's cgroup, merged onto the ones it has. */
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
    int ret = cradle_cgroup_apply(cg, &merged, true, err);
    cradle_cgroup_free(cg);
    if (ret < 0 || cradle_resources_record(s, &merged, err) < 0)
        return -1;
    return cradle_state_write(dir_fd, s, err);
}
