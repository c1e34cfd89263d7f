/* The container's init: runs in the child of clone3(), in the new namespaces, and ends
 * in execve() of the user process. Stage order follows runc's standard init. */
#include "cradle/process.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/fds.h"
#include "cradle/hooks.h"
#include "cradle/log.h"
#include "cradle/net.h"
#include "cradle/pathsafe.h"
#include "cradle/rootfs.h"
#include "cradle/seccomp.h"
#include "cradle/security.h"
#include "cradle/terminal.h"
#include "init_stages.h"

/* The parent runs its hooks, then hands over the state JSON for the child's own hooks:
 * createContainer sees "creating", startContainer "created". */
static int wait_for_parent_hooks(const struct cradle_init_ctx *ctx, char **creating_json,
                                 char **created_json, cradle_error **err)
{
    _cleanup_sync_msg_ struct cradle_sync_msg msg = CRADLE_SYNC_MSG_INIT;
    if (cradle_sync_send(ctx->sync_fd, SYNC_HOOKS, 0, NULL, err) < 0 ||
        cradle_sync_expect(ctx->sync_fd, SYNC_HOOKS_DONE, &msg, err) < 0)
        return -1;
    *creating_json = TAKE_PTR(msg.text);
    if (cradle_sync_expect(ctx->sync_fd, SYNC_START_STATE, &msg, err) < 0)
        return -1;
    *created_json = TAKE_PTR(msg.text);
    if (*creating_json == NULL || *created_json == NULL)
        return cradle_error_set(err, EPROTO, "no state for hooks");
    return 0;
}

static int setup_before_pivot(const struct cradle_init_ctx *ctx,
                              const struct cradle_rootfs_ctx *rctx, char **start_state_json,
                              cradle_error **err)
{
    const struct cradle_spec *spec = ctx->spec;
    if (cradle_init_join_namespaces(ctx, err) < 0 || cradle_init_time_namespace(ctx, err) < 0 ||
        cradle_init_become_root(ctx, err) < 0 || cradle_init_set_names(ctx, err) < 0 ||
        cradle_init_session_keyring(ctx, err) < 0)
        return -1;
    if ((ctx->clone_flags & CLONE_NEWNET) && cradle_net_loopback_up(err) < 0)
        return cradle_error_wrap(err, "bring up lo");
    if (cradle_rootfs_prepare(rctx, err) < 0)
        return -1;
    _cleanup_free_ char *creating_json = NULL;
    if (wait_for_parent_hooks(ctx, &creating_json, start_state_json, err) < 0)
        return -1;
    /* runc runs them in the container's root, the rootfs as mounted by now. */
    if (chdir(ctx->rootfs) < 0)
        return cradle_error_sys(err, "chdir to the rootfs %s", ctx->rootfs);
    return cradle_hooks_run(&spec->hooks.create_container, "createContainer", creating_json, err);
}

static int setup_after_pivot(const struct cradle_init_ctx *ctx,
                             const struct cradle_rootfs_ctx *rctx, struct cradle_process_setup *ps,
                             cradle_error **err)
{
    /* Before finalize, which may make /dev read-only. */
    if (ctx->spec->process.terminal &&
        cradle_terminal_setup_child(ctx->sync_fd, &ctx->spec->process, true, err) < 0)
        return -1;
    if (cradle_init_apply_sysctls(ctx->spec, err) < 0 || cradle_rootfs_finalize(rctx, err) < 0)
        return -1;
    return cradle_process_setup(ps, err);
}

/* Blocks until "start" opens the fifo for reading and returns the write end. The fd is
 * reopened through procfs (proc_fd: see cradle_rootfs_open_proc) because the fifo's path
 * is not visible after pivot_root. */
static int wait_for_start(const struct cradle_init_ctx *ctx, int proc_fd, cradle_error **err)
{
    int fd = cradle_reopen_fd(proc_fd, ctx->fifo_fd, O_WRONLY, err);
    if (fd < 0)
        return cradle_error_wrap(err, "open exec fifo");
    return fd;
}

/* The byte tells "start" the startContainer hooks are done; the close-on-exec write end
 * then closes at execve, which is when "start" runs the poststart hooks. */
static int confirm_start(int fifo, cradle_error **err)
{
    if (write(fifo, "0", 1) != 1)
        return cradle_error_sys(err, "write exec fifo");
    return 0;
}

/* As runc: stdio left on the host's /dev/null is reopened on the container's, so that no
 * descriptor refers to a mount outside the container (criu cannot dump one that does). */
static int reopen_dev_null(cradle_error **err)
{
    struct stat null_st, st;
    _cleanup_close_ int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &null_st) < 0)
        return cradle_error_sys(err, "opening the container's /dev/null");
    for (int i = 0; i < 3; i++)
        if (fstat(i, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == null_st.st_rdev &&
            dup3(fd, i, 0) < 0)
            return cradle_error_sys(err, "reopening /dev/null as fd %d", i);
    return 0;
}

/* The runtime's log handler writes to its --log descriptor, which the child closes: the
 * child's lines go to the parent over the sync socket instead, until that is closed. */
static void forward_log_line(enum cradle_log_level level, const char *msg, void *data)
{
    cradle_sync_send(*(const int *)data, SYNC_LOG, (int)level, msg, NULL);
}

void cradle_init_forward_logs(const struct cradle_init_ctx *ctx)
{
    enum cradle_log_level min = CRADLE_LOG_DEBUG;
    while (min < CRADLE_LOG_ERROR && !cradle_log_enabled(min))
        min++;
    if (cradle_log_enabled(min))
        cradle_log_set_handler(forward_log_line, (void *)&ctx->sync_fd, min);
}

/* First thing after clone: this process is a copy of the runtime, with its descriptors
 * (state root, state dir, cgroup dir, log) and its image. Non-dumpable until execve, as
 * runc's init, so that no container process can open /proc/<init>/{fd,exe,mem}; and every
 * descriptor but the keep-list closed (issue 6 item 1). */
static int leave_the_runtime_behind(const struct cradle_init_ctx *ctx, cradle_error **err)
{
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
        return cradle_error_sys(err, "prctl(PR_SET_DUMPABLE)");
    cradle_init_forward_logs(ctx);
    if (cradle_init_close_inherited_fds(ctx, err) < 0)
        return -1;
    cradle_debug("container init: kept stdio, %d preserved fds and %zu of the runtime's",
                 ctx->preserve_fds, ctx->n_keep_fds);
    return 0;
}

/* A create killed half-way must not leave its init behind (issue 6 item 7): SIGKILL when
 * the parent dies, and now if it already has. In another pid namespace than the parent's
 * (new, or joined by path) getppid() is 0 while the parent lives, and may stay 0 after:
 * there the sync socket tells, since the child keeps only its own end of it and reads EOF
 * once the parent is gone. A pid namespace joined by path may also be the parent's own. */
static void die_with_parent(const struct cradle_init_ctx *ctx)
{
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
        _exit(127);
    pid_t parent = getppid(); /* only now: a death after this point kills us */
    if (parent != ctx->parent_pid && parent != 0)
        _exit(127);
}

/* Once the parent has recorded the container, the init must outlive it: create exits
 * while its container waits for start (runc's init, likewise, is not tied to it). */
static int outlive_the_parent(const struct cradle_init_ctx *ctx, cradle_error **err)
{
    _cleanup_sync_msg_ struct cradle_sync_msg msg = CRADLE_SYNC_MSG_INIT;
    if (cradle_sync_expect(ctx->sync_fd, SYNC_PUBLISHED, &msg, err) < 0)
        return -1;
    if (prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0) < 0)
        return cradle_error_sys(err, "prctl(PR_SET_PDEATHSIG)");
    return 0;
}

/* The process is set up: report ready, wait for start, then become the user process. */
static int run_process(const struct cradle_init_ctx *ctx, const struct cradle_process_setup *ps,
                       int proc_fd, const char *state_json, cradle_error **err)
{
    /* A notifying filter's listener fd goes to the parent over the sync socket, which is
     * closed below: that filter is loaded now, as runc's init loads one before it closes
     * its pipe. */
    const struct cradle_spec_linux *lnx = &ctx->spec->linux_;
    bool listener = lnx->has_seccomp && cradle_seccomp_notifies(&lnx->seccomp);
    if ((listener && cradle_process_lock_down(ps, err) < 0) ||
        cradle_sync_send(ctx->sync_fd, SYNC_READY, 0, NULL, err) < 0 ||
        outlive_the_parent(ctx, err) < 0)
        return -1;
    cradle_log_set_handler(NULL, NULL, CRADLE_LOG_ERROR);
    close(ctx->sync_fd);
    _cleanup_close_ int fifo = wait_for_start(ctx, proc_fd, err);
    /* The startContainer hooks run under the filter, as runc's do. */
    if (fifo < 0 || (!listener && cradle_process_lock_down(ps, err) < 0) ||
        cradle_hooks_run(&ctx->spec->hooks.start_container, "startContainer", state_json, err) <
            0 ||
        confirm_start(fifo, err) < 0)
        return -1;
    return cradle_process_exec(ps, err);
}

static int run_init(const struct cradle_init_ctx *ctx, cradle_error **err)
{
    const struct cradle_spec_process *proc = &ctx->spec->process;
    struct cradle_rootfs_ctx rctx = {
        .spec = ctx->spec,
        .rootfs = ctx->rootfs,
        .policy = ctx->policy,
        .pp_ctx = ctx->pp_ctx,
        .no_pivot = ctx->no_pivot,
        .userns = cradle_spec_find_namespace(ctx->spec, CLONE_NEWUSER) != NULL, /* or joined */
        .bind_sources = ctx->bind_sources,
        .runtime_mount_ns = cradle_spec_find_namespace(ctx->spec, CLONE_NEWNS) == NULL,
    };
    _cleanup_free_ char *state_json = NULL;
    _cleanup_seccomp_filter_ struct cradle_seccomp_filter *seccomp = NULL;

    die_with_parent(ctx);
    if (leave_the_runtime_behind(ctx, err) < 0 || cradle_init_wait_for_go(ctx, err) < 0)
        return -1;
    /* As runc's init: lead a session of its own; criu refuses to dump a tree whose
     * session leader is outside the container (unless --shell-job). */
    if (setsid() < 0)
        return cradle_error_sys(err, "setsid");
    /* Built now so that a filter libseccomp refuses fails `create`, not `start`. */
    if (ctx->spec->linux_.has_seccomp &&
        cradle_seccomp_build(&ctx->spec->linux_.seccomp, &seccomp, err) < 0)
        return -1;
    if (ctx->join_cgroup_v1 && cradle_cgroup_enter_v1(ctx->cgroup, 0, err) < 0)
        return -1;
    if (ctx->unshare_cgroupns && unshare(CLONE_NEWCGROUP) < 0)
        return cradle_error_sys(err, "unshare the cgroup namespace");
    /* As runc's init: the environment is process.env from here on, so that hooks without
     * an env of their own (createContainer, startContainer) get it, and HOME can be added. */
    char **env = NULL;
    if (cradle_env_resolve(proc->env, &env, err) < 0)
        return -1;
    environ = env;
    if (setup_before_pivot(ctx, &rctx, &state_json, err) < 0)
        return -1;
    _cleanup_close_ int proc_fd = -1;
    if (cradle_rootfs_open_proc(&rctx, &proc_fd, err) < 0 || cradle_rootfs_pivot(&rctx, err) < 0 ||
        reopen_dev_null(err) < 0)
        return -1;
    struct cradle_process_setup ps = {.proc = proc,
                                      .seccomp = seccomp,
                                      .preserve_fds = ctx->preserve_fds,
                                      .sync_fd = ctx->sync_fd};
    ps.lnx = &ctx->spec->linux_;
    int ret = setup_after_pivot(ctx, &rctx, &ps, err) < 0
                  ? -1
                  : run_process(ctx, &ps, proc_fd, state_json, err);
    free(ps.exec_path);
    return ret;
}

void cradle_init_run(const struct cradle_init_ctx *ctx)
{
    _cleanup_error_ cradle_error *err = NULL;
    run_init(ctx, &err);
    _cleanup_free_ char *text = cradle_error_text(err);
    /* The sync socket is closed once the parent has gone; then stderr is all we have. */
    if (cradle_sync_send(ctx->sync_fd, SYNC_ERROR, err ? err->errnum : 0,
                         text ? text : "container init failed", NULL) < 0)
        dprintf(STDERR_FILENO, "cradle: %s\n", text ? text : "container init failed");
    _exit(127);
}
