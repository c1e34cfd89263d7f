#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cradle/cgroups.h"
#include "cradle/cleanup.h"
#include "cradle/criu.h"

/* What a failed child reports on its error pipe before exiting. */
struct child_failure {
    int errnum;
    char text[512];
};

static __attribute__((noreturn)) void child_fail(int pipe_fd, cradle_error *e)
{
    struct child_failure f = {.errnum = e ? e->errnum : 0};
    _cleanup_free_ char *text = e ? cradle_error_text(e) : NULL;
    snprintf(f.text, sizeof(f.text), "%s", text ? text : "criu set-up failed");
    if (write(pipe_fd, &f, sizeof(f)) < 0)
        _exit(126);
    _exit(127);
}

/* --cgroup-root for each hierarchy of this (criu's) process, now in the container's
 * cgroup: "CONTROLLERS:PATH" for v1, the default root for the cgroup2 line. */
static int add_cgroup_root(const char *controllers, const char *path, void *data,
                           cradle_error **err)
{
    struct criu_args *a = data;
    if (criu_args_add(a, "--cgroup-root", err) < 0 ||
        (*controllers ? criu_args_addf(a, err, "%s:%s", controllers, path)
                      : criu_args_add(a, path, err)) < 0)
        return -1;
    return 0;
}

static int add_cgroup_roots(struct criu_args *a, cradle_error **err)
{
    return cradle_cgroup_foreach_self(add_cgroup_root, a, err) < 0 ? -1 : 0;
}

static int bind_root(const char *source, const char *target, cradle_error **err)
{
    if (unshare(CLONE_NEWNS) < 0)
        return cradle_error_sys(err, "unshare the mount namespace for criu");
    /* Nothing criu's namespace does may propagate back to the host. */
    if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
        return cradle_error_sys(err, "making / a slave mount for criu");
    if (mount(source, target, NULL, MS_BIND | MS_REC, NULL) < 0)
        return cradle_error_sys(err, "bind-mounting rootfs %s on %s", source, target);
    return 0;
}

static int keep_open(const int *fds, size_t n, cradle_error **err)
{
    for (size_t i = 0; i < n; i++) {
        int flags = fcntl(fds[i], F_GETFD);
        if (flags < 0 || fcntl(fds[i], F_SETFD, flags & ~FD_CLOEXEC) < 0)
            return cradle_error_sys(err, "passing fd %d to criu", fds[i]);
    }
    return 0;
}

static int silence(cradle_error **err)
{
    _cleanup_close_ int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0 || dup2(fd, STDERR_FILENO) < 0)
        return cradle_error_sys(err, "redirecting criu's output to /dev/null");
    return 0;
}

/* Waits until the parent has placed this process (it closes its end of the pipe). */
static int wait_placed(int go_fd, cradle_error **err)
{
    char c;
    ssize_t got;
    do {
        got = read(go_fd, &c, 1);
    } while (got < 0 && errno == EINTR);
    if (got != 1)
        return cradle_error_set(err, ECANCELED, "criu was not placed in the container's cgroup");
    return 0;
}

static __attribute__((noreturn)) void child(const struct criu_exec *x, int pipe_fd, int go_fd)
{
    cradle_error *e = NULL;
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (x->place && wait_placed(go_fd, &e) < 0)
        child_fail(pipe_fd, e);
    if (x->cgroup && ((!x->place && cradle_cgroup_enter(x->cgroup, getpid(), &e) < 0) ||
                      add_cgroup_roots(x->args, &e) < 0))
        child_fail(pipe_fd, e);
    if (x->root_source && bind_root(x->root_source, x->root_target, &e) < 0)
        child_fail(pipe_fd, e);
    if (keep_open(x->keep_fds, x->n_keep_fds, &e) < 0 || (x->quiet && silence(&e) < 0))
        child_fail(pipe_fd, e);
    execvp(x->args->v[0], x->args->v);
    cradle_error_sys(&e, "executing %s", x->args->v[0]);
    child_fail(pipe_fd, e);
}

static int report(const struct criu_exec *x, int status, cradle_error **err)
{
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    _cleanup_free_ char *last = x->log_path ? criu_log_last_error(x->log_path) : NULL;
    char how[32];
    if (WIFEXITED(status))
        snprintf(how, sizeof(how), "exit status %d", WEXITSTATUS(status));
    else
        snprintf(how, sizeof(how), "signal %d", WTERMSIG(status));
    if (x->log_path == NULL)
        return cradle_error_set(err, EIO, "criu %s failed (%s)", x->action, how);
    return cradle_error_set(err, EIO, "criu %s failed (%s)%s%s; log file: %s", x->action, how,
                            last ? ": " : "", last ? last : "", x->log_path);
}

/* criu runs (it has exec'd): the action script's requests are answered until it exits. */
static int serve_notify(struct criu_notify *n, pid_t pid, cradle_error **err)
{
    _cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pidfd < 0)
        return cradle_error_sys(err, "pidfd_open of criu");
    return criu_notify_serve(n, pidfd, err);
}

int criu_run(const struct criu_exec *x, cradle_error **err)
{
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) < 0)
        return cradle_error_sys(err, "pipe for criu");
    _cleanup_close_ int read_end = pipe_fds[0];
    _cleanup_close_ int write_end = pipe_fds[1];
    int go[2] = {-1, -1};
    if (x->place && pipe2(go, O_CLOEXEC) < 0)
        return cradle_error_sys(err, "pipe for criu");
    _cleanup_close_ int go_read = go[0];
    _cleanup_close_ int go_write = go[1];
    pid_t pid = fork();
    if (pid < 0)
        return cradle_error_sys(err, "fork for criu");
    if (pid == 0)
        child(x, write_end, go_read);
    close(TAKE_FD(write_end));
    if (x->place && (x->place(pid, x->place_data, err) < 0 || write(go_write, "g", 1) != 1)) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return -1;
    }
    struct child_failure failure;
    ssize_t got = read(read_end, &failure, sizeof(failure));
    if (got == 0 && x->notify && serve_notify(x->notify, pid, err) < 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return -1;
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return cradle_error_sys(err, "waiting for criu");
    if (got == (ssize_t)sizeof(failure)) {
        failure.text[sizeof(failure.text) - 1] = '\0';
        return cradle_error_set(err, failure.errnum, "criu %s: %s", x->action, failure.text);
    }
    return report(x, status, err);
}

int criu_check_feature(const char *feature, cradle_error **err)
{
    struct criu_args args = {0};
    int ret = -1;
    if (criu_args_add(&args, CRIU_BINARY, err) == 0 && criu_args_add(&args, "check", err) == 0 &&
        criu_args_add(&args, "--feature", err) == 0 && criu_args_add(&args, feature, err) == 0) {
        struct criu_exec x = {.args = &args, .action = "check", .quiet = true};
        ret = criu_run(&x, err);
    }
    criu_args_free(&args);
    return ret;
}
