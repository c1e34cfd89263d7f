/* ps: the container's processes, as its cgroup lists them. */
#include "cradle/cleanup.h"
#include "container_private.h"

int cradle_container_pids(const char *root, const char *id, pid_t **pids, size_t *n_pids,
                          cradle_error **err)
{
    _cleanup_close_ int root_fd = -1, dir_fd = -1;
    _cleanup_state_ struct cradle_state *s = NULL;
    if (cradle_state_load(root, id, false, &root_fd, &dir_fd, &s, err) < 0)
        return -1;
    struct cradle_cgroup *cg = cradle_container_cgroup(s, err);
    if (cg == NULL)
        return -1;
    int ret = cradle_cgroup_pids(cg, pids, n_pids, err);
    cradle_cgroup_free(cg);
    return ret;
}
