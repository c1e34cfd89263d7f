#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/log.h"
#include "cradle/hooks.h"
#include "cradle/rootfs.h"
#include "container_private.h"

/* In a new pid namespace of its own, a container's processes die with its init. Without
 * one (the host's, or another's joined by path) they outlive it and are killed through
 * the cgroup, sub-cgroups included, as runc does; only then, since the cgroup may hold
 * processes that were there before the container (create warns about them). */
static void kill_everything(const struct cradle_state *s, struct cradle_cgroup *cg)
{
    _cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, s->pid, 0);
    if (cradle_pid_matches(s->pid, s->pid_start_time)) {
        /* A paused container's init (frozen by the v1 freezer) dies only once thawed. */
        if (pidfd >= 0)
            syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
        if (cg)
            cradle_cgroup_freeze(cg, false, NULL);
        cradle_kill_and_wait(s->pid, pidfd, 5000);
    }
    for (int round = 0; cg && !s->own_pidns && round < 50; round++) {
        _cleanup_free_ pid_t *pids = NULL;
        size_t n = 0;
        if (cradle_cgroup_pids(cg, &pids, &n, NULL) < 0 || n == 0)
            return;
        cradle_cgroup_kill_all(cg, SIGKILL, NULL);
        poll(NULL, 0, 10);
    }
}

static int destroy(int root_fd, const struct cradle_state *s, cradle_error **err)
{
    struct cradle_cgroup *cg = cradle_container_cgroup(s, NULL);
    kill_everything(s, cg);
    cradle_rootfs_release_runtime_ns(s->rootfs, s->rootfs_mount_id);
    _cleanup_error_ cradle_error *cg_err = NULL;
    int ret = cg ? cradle_cgroup_destroy(cg, &cg_err) : 0;
    cradle_cgroup_free(cg);
    if (ret < 0 && !(s->own_pidns && cg_err->errnum == EBUSY)) {
        if (err && *err == NULL)
            *err = TAKE_PTR(cg_err);
        return -1;
    }
    /* With its own pid namespace the container is gone with its init: what still holds
     * the cgroup was there besides it, and is not delete's to kill. */
    if (ret < 0) {
        _cleanup_free_ char *text = cradle_error_text(cg_err);
        cradle_warn("%s: processes that are not the container's are left in it", text);
    }
    _cleanup_free_ char *json = cradle_state_to_oci_json(s, CRADLE_STATUS_STOPPED, false, false);
    _cleanup_error_ cradle_error *hook_err = NULL;
    /* As runc: poststop failures are reported but do not stop the clean-up. A container
     * whose create died half-way never existed for its hooks. */
    if (!s->creating && cradle_hooks_run(&s->poststop, "poststop", json, &hook_err) < 0) {
        _cleanup_free_ char *text = cradle_error_text(hook_err);
        cradle_warn("%s", text ? text : "poststop hook failed");
    }
    return cradle_state_remove(root_fd, s->id, err);
}

int cradle_container_delete(const char *root, const char *id, bool force, cradle_error **err)
{
    _cleanup_close_ int root_fd = -1, dir_fd = -1;
    _cleanup_state_ struct cradle_state *s = NULL;
    /* The lock waits for a create in progress: a create killed half-way reads as stopped,
     * with whatever it had recorded (cgroup, init) to clean. */
    if (cradle_state_load(root, id, true, &root_fd, &dir_fd, &s, err) < 0) {
        /* As runc: forcing the deletion of a container that is already gone succeeds
         * (engines delete after a checkpoint has removed the container). */
        if (dir_fd < 0 && (*err)->errnum == ENOENT && force) {
            cradle_error_free(err);
            return 0;
        }
        return -1;
    }
    enum cradle_status status = cradle_container_status(dir_fd, s);
    if (!force && status != CRADLE_STATUS_STOPPED && status != CRADLE_STATUS_CREATED)
        return cradle_error_set(err, EBUSY, "cannot delete container %s that is not stopped: %s",
                                id, cradle_status_name(status));
    return destroy(root_fd, s, err);
}
