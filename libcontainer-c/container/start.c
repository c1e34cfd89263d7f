#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/hooks.h"
#include "container_private.h"

/* Opening the fifo for reading releases the init blocked in its open for writing; it
 * writes a byte once its startContainer hooks have run, and its close-on-exec write end
 * closes when it execs the user process: then "start" returns (and poststart runs).
 * A pidfd guards against waiting forever on an init that died meanwhile. */
static int release_init(int dir_fd, const struct cradle_state *s, cradle_error **err)
{
    _cleanup_close_ int fifo = openat(dir_fd, CRADLE_EXEC_FIFO, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fifo < 0)
        return cradle_error_sys(err, "open exec fifo of %s", s->id);
    _cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, s->pid, 0);
    struct pollfd fds[2] = {{.fd = fifo, .events = POLLIN}, {.fd = pidfd, .events = POLLIN}};
    for (;;) {
        int n = poll(fds, pidfd >= 0 ? 2 : 1, -1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return cradle_error_sys(err, "wait for the init of %s", s->id);
        char byte;
        if (fds[0].revents & POLLIN) {
            if (read(fifo, &byte, 1) == 1)
                break;
        }
        if (fds[1].revents & POLLIN)
            return cradle_error_set(err, ESRCH, "container %s exited before it was started", s->id);
        if (fds[0].revents & POLLHUP) {
            /* No writer yet: the init has not reached its open. Wait a moment. */
            poll(NULL, 0, 1);
        }
    }
    if (unlinkat(dir_fd, CRADLE_EXEC_FIFO, 0) < 0)
        return cradle_error_sys(err, "remove exec fifo of %s", s->id);
    fds[0].events = POLLIN;
    char rest;
    while (poll(fds, 1, -1) >= 0 || errno == EINTR)
        if ((fds[0].revents & (POLLIN | POLLHUP)) && read(fifo, &rest, 1) == 0)
            break;
    return 0;
}

int cradle_container_start(const char *root, const char *id, cradle_error **err)
{
    _cleanup_close_ int root_fd = -1, dir_fd = -1;
    _cleanup_state_ struct cradle_state *s = NULL;
    if (cradle_state_load(root, id, true, &root_fd, &dir_fd, &s, err) < 0)
        return -1;
    enum cradle_status status = cradle_container_status(dir_fd, s);
    switch (status) {
    case CRADLE_STATUS_CREATED:
        break;
    case CRADLE_STATUS_STOPPED:
        return cradle_error_set(err, EINVAL, "cannot start a container that has stopped");
    case CRADLE_STATUS_RUNNING:
        return cradle_error_set(err, EINVAL, "cannot start an already running container");
    default:
        return cradle_error_set(err, EINVAL, "cannot start a container in the %s state",
                                cradle_status_name(status));
    }
    if (release_init(dir_fd, s, err) < 0)
        return -1;
    _cleanup_free_ char *json = cradle_state_to_oci_json(s, CRADLE_STATUS_RUNNING, false, false);
    if (cradle_hooks_run(&s->poststart, "poststart", json, err) < 0) {
        /* As runc: a failed poststart hook takes the container down. */
        kill(s->pid, SIGKILL);
        return -1;
    }
    return 0;
}
