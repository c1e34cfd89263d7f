/* ps: the container's processes, as its cgroup lists them. */
#include <errno.h>

#include "cradle/cleanup.h"
#include "container_private.h"

int cradle_container_pids(const char *root, const char *id, pid_t **pids, size_t *n_pids,
                          cradle_error **err)
{
    _cleanup_close_ int root_fd = -1, dir_fd = -1;
    _cleanup_state_ struct cradle_state *s = NULL;
    if (cradle_state_load(root, id, false, &root_fd, &dir_fd, &s, err) < 0)
        return -1;
    /* Rootless on a cgroup v1 host: no cgroup, but a pid namespace of its own. */
    if (!cradle_container_has_cgroup(s)) {
        if (!s->own_pidns)
            return cradle_error_set(err, EOPNOTSUPP,
                                    "container %s has neither a cgroup nor a pid namespace of its "
                                    "own to find its processes in",
                                    id);
        if (cradle_container_status(dir_fd, s) == CRADLE_STATUS_STOPPED)
            return 0;
        return cradle_pidns_pids(s->pid, pids, n_pids, err);
    }
    struct cradle_cgroup *cg = cradle_container_cgroup(s, err);
    if (cg == NULL)
        return -1;
    int ret = cradle_cgroup_pids(cg, pids, n_pids, err);
    cradle_cgroup_free(cg);
    return ret;
}
