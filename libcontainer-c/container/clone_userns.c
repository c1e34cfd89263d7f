/* The init of a container that joins a user namespace by path and makes other namespaces:
 * those must be made from inside the joined user namespace, or it would own none of them
 * (the container's root could not set its hostname, bring up lo or mount). As runc's
 * nsexec stage-1, a short-lived intermediate joins the namespaces and clones the init,
 * with CLONE_PARENT so that the init stays the runtime's child (waitpid, the pidfd and its
 * parent-death signal unchanged). Without a user namespace joined by path nothing of this
 * runs: the runtime clones the init itself (namespaces.c). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "container_private.h"

/* What the intermediate tells the runtime, in one write (below PIPE_BUF). */
struct intermediate_report {
    pid_t pid; /* the init's, in the runtime's pid namespace; -1 on failure */
    int errnum;
    char text[512];
};

static int joined_userns_index(const struct cradle_init_ctx *ctx)
{
    for (int i = 0; i < ctx->n_ns_fds; i++)
        if (ctx->ns_types[i] == CLONE_NEWUSER)
            return i;
    return -1;
}

bool cradle_init_joins_userns(const struct cradle_init_ctx *ctx)
{
    return joined_userns_index(ctx) >= 0;
}

/* In the intermediate: the pid and time namespaces for children first (as the runtime
 * joins them on the fast path, with its privilege over them), then the user namespace,
 * which the init is then born in and must not join again. */
static int enter_for_init(struct cradle_init_ctx *ctx, const struct cradle_children_ns *children,
                          cradle_error **err)
{
    for (int i = 0; i < children->n; i++)
        if (setns(children->join_fds[i], children->types[i]) < 0)
            return cradle_error_sys(err, "linux.namespaces: join %s", children->paths[i]);
    int u = joined_userns_index(ctx);
    const struct cradle_spec_namespace *ns = cradle_spec_find_namespace(ctx->spec, CLONE_NEWUSER);
    if (setns(ctx->ns_fds[u], CLONE_NEWUSER) < 0)
        return cradle_error_sys(err, "join namespace %s", ns ? ns->path : "?");
    close(ctx->ns_fds[u]);
    ctx->n_ns_fds--;
    ctx->ns_fds[u] = ctx->ns_fds[ctx->n_ns_fds];
    ctx->ns_types[u] = ctx->ns_types[ctx->n_ns_fds];
    return 0;
}

/* Never returns in the intermediate; returns 0 in the init. */
static pid_t run_intermediate(struct cradle_init_ctx *ctx,
                              const struct cradle_children_ns *children, int cgroup_fd,
                              int report_fd)
{
    _cleanup_error_ cradle_error *err = NULL;
    struct intermediate_report report = {.pid = -1};
    int pidfd = -1;
    /* Gone with the runtime; the init, its sibling, checks for itself (init.c). */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) == 0 && getppid() == ctx->parent_pid &&
        enter_for_init(ctx, children, &err) == 0)
        report.pid = cradle_clone_init(ctx->clone_flags | CLONE_PARENT, cgroup_fd, &pidfd, &err);
    if (report.pid == 0)
        return 0;
    if (report.pid < 0) {
        _cleanup_free_ char *text = cradle_error_text(err);
        report.errnum = err ? err->errnum : ESRCH;
        snprintf(report.text, sizeof(report.text), "%s",
                 text ? text : "the runtime died while creating the container");
    }
    _exit(write(report_fd, &report, sizeof(report)) == (ssize_t)sizeof(report) ? 0 : 1);
}

pid_t cradle_clone_init_in_userns(struct cradle_init_ctx *ctx,
                                  const struct cradle_children_ns *children, int cgroup_fd,
                                  int *pidfd, cradle_error **err)
{
    /* The runtime turns non-dumpable so that the intermediate is born so (as clone.c does for
     * the init): the intermediate holds the runtime's descriptors. */
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
        return cradle_error_sys(err, "prctl(PR_SET_DUMPABLE)");
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) < 0)
        return cradle_error_sys(err, "create the intermediate's pipe");
    _cleanup_close_ int report_fd = pipe_fds[0];
    pid_t intermediate = fork();
    if (intermediate == 0) {
        close(report_fd);
        /* The init closes the write end with every inherited descriptor (init.c). */
        return run_intermediate(ctx, children, cgroup_fd, pipe_fds[1]);
    }
    close(pipe_fds[1]);
    if (intermediate < 0)
        return cradle_error_sys(err, "fork the intermediate process");
    struct intermediate_report report;
    ssize_t n;
    while ((n = read(report_fd, &report, sizeof(report))) < 0 && errno == EINTR)
        ;
    int e = errno;
    while (waitpid(intermediate, NULL, 0) < 0 && errno == EINTR)
        ;
    if (n != (ssize_t)sizeof(report))
        return n < 0 ? (errno = e, cradle_error_sys(err, "read the intermediate's report"))
                     : cradle_error_set(err, EPROTO, "the intermediate process died");
    if (report.pid < 0) {
        report.text[sizeof(report.text) - 1] = '\0';
        return cradle_error_set(err, report.errnum, "%s", report.text);
    }
    /* Our child (CLONE_PARENT), not reaped: its pid cannot name another process. */
    *pidfd = pidfd_open(report.pid, 0);
    if (*pidfd < 0) {
        cradle_error_sys(err, "pidfd_open of the container init %d", (int)report.pid);
        kill(report.pid, SIGKILL);
        waitpid(report.pid, NULL, 0);
        return -1;
    }
    return report.pid;
}
