#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "container_private.h"

static int kill_cgroup(const struct cradle_state *s, int sig, cradle_error **err)
{
    struct cradle_cgroup *cg =
        cradle_cgroup_from_dirs(s->cgroup_path, s->cgroup_dirs, s->cgroup_created, NULL);
    if (cg == NULL)
        return cradle_error_set(err, ENOMEM, "cgroup of %s", s->id);
    pid_t *pids = NULL;
    size_t n = 0;
    int ret = cradle_cgroup_pids(cg, &pids, &n, err);
    for (size_t i = 0; ret == 0 && i < n; i++)
        if (kill(pids[i], sig) < 0 && errno != ESRCH)
            ret = cradle_error_sys(err, "kill pid %d of %s", pids[i], s->id);
    free(pids);
    cradle_cgroup_free(cg);
    return ret;
}

int cradle_container_kill(const char *root, const char *id, int sig, bool all, cradle_error **err)
{
    _cleanup_close_ int root_fd = -1, dir_fd = -1;
    _cleanup_state_ struct cradle_state *s = NULL;
    if (cradle_state_load(root, id, false, &root_fd, &dir_fd, &s, err) < 0)
        return -1;
    if (all)
        return kill_cgroup(s, sig, err);
    enum cradle_status status = cradle_state_status(dir_fd, s);
    /* While creating, the init is still the runtime's, not the container's process. */
    if (status == CRADLE_STATUS_STOPPED || status == CRADLE_STATUS_CREATING)
        return cradle_error_set(err, ESRCH, "container %s is not running", id);
    if (kill(s->pid, sig) < 0)
        return cradle_error_sys(err, "kill container %s", id);
    return 0;
}
