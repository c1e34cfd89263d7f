/* pause and resume: the freezer of the container's cgroup. */
#include <errno.h>

#include "cradle/cleanup.h"
#include "container_private.h"

static int set_paused(const char *root, const char *id, bool paused, cradle_error **err)
{
    _cleanup_close_ int root_fd = -1, dir_fd = -1;
    _cleanup_state_ struct cradle_state *s = NULL;
    if (cradle_state_load(root, id, true, &root_fd, &dir_fd, &s, err) < 0)
        return -1;
    enum cradle_status status = cradle_container_status(dir_fd, s);
    if (paused && status != CRADLE_STATUS_RUNNING && status != CRADLE_STATUS_CREATED)
        return cradle_error_set(err, ESRCH, "container not running");
    if (!paused && status != CRADLE_STATUS_PAUSED)
        return cradle_error_set(err, EINVAL, "container not paused");
    struct cradle_cgroup *cg = cradle_container_cgroup(s, err);
    if (cg == NULL)
        return -1;
    int ret = cradle_cgroup_freeze(cg, paused, err);
    cradle_cgroup_free(cg);
    return ret;
}

int cradle_container_pause(const char *root, const char *id, cradle_error **err)
{
    return set_paused(root, id, true, err);
}

int cradle_container_resume(const char *root, const char *id, cradle_error **err)
{
    return set_paused(root, id, false, err);
}
