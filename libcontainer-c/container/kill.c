#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "container_private.h"

static int kill_cgroup(const struct cradle_state *s, int sig, cradle_error **err)
{
    struct cradle_cgroup *cg = cradle_container_cgroup(s, err);
    if (cg == NULL)
        return -1;
    int ret = cradle_cgroup_kill_all(cg, sig, err);
    cradle_cgroup_free(cg);
    return ret;
}

/* As runc: a SIGKILLed paused container is thawed, or its processes (frozen by the v1
 * freezer) would not die until it is resumed. */
static void thaw_after_sigkill(const struct cradle_state *s)
{
    struct cradle_cgroup *cg = cradle_container_cgroup(s, NULL);
    if (cg)
        cradle_cgroup_freeze(cg, false, NULL);
    cradle_cgroup_free(cg);
}

int cradle_container_kill(const char *root, const char *id, int sig, bool all, cradle_error **err)
{
    _cleanup_close_ int root_fd = -1, dir_fd = -1;
    _cleanup_state_ struct cradle_state *s = NULL;
    if (cradle_state_load(root, id, false, &root_fd, &dir_fd, &s, err) < 0)
        return -1;
    /* A rootless container may have no cgroup to find its processes in (rootless.md): in
     * a pid namespace of its own they all die with its init on SIGKILL; anything else
     * cannot reach them all. */
    bool no_cgroup = !cradle_container_has_cgroup(s);
    if (all && no_cgroup && !(s->own_pidns && sig == SIGKILL))
        return cradle_error_set(err, EOPNOTSUPP,
                                "kill --all: container %s has no cgroup to find its processes "
                                "in (rootless); signal its init without --all",
                                id);
    if (all && !no_cgroup)
        return kill_cgroup(s, sig, err);
    enum cradle_status status = cradle_container_status(dir_fd, s);
    /* While creating, the init is still the runtime's, not the container's process. */
    if (status == CRADLE_STATUS_STOPPED || status == CRADLE_STATUS_CREATING)
        return cradle_error_set(err, ESRCH, "container %s is not running", id);
    if (kill(s->pid, sig) < 0)
        return cradle_error_sys(err, "kill container %s", id);
    if (status == CRADLE_STATUS_PAUSED && sig == SIGKILL)
        thaw_after_sigkill(s);
    return 0;
}
