/* The child of exec: a clone of the runtime born in the container's pid namespace and
 * cgroup, which joins the init's other namespaces and becomes the process through the
 * same setup as the container's init (process_setup.c), as runc's setns init. */
#include "cradle/process.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/terminal.h"
#include "init_stages.h"

/* First thing: as the init, non-dumpable until execve, so that no container process can
 * open /proc/<it>/{fd,exe,mem} while it holds the runtime's descriptors and image; killed
 * with exec until the process runs; every descriptor but stdio, the preserved ones and the
 * keep-list closed. */
static int leave_the_runtime_behind(const struct cradle_exec_ctx *ctx, cradle_error **err)
{
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
        return cradle_error_sys(err, "prctl(PR_SET_DUMPABLE)");
    /* A parent already gone is seen as EOF on the sync socket. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
        return cradle_error_sys(err, "prctl(PR_SET_PDEATHSIG)");
    cradle_init_forward_logs(&ctx->init);
    return cradle_init_close_inherited_fds(&ctx->init, err);
}

/* Moving a thread through "tasks" ("0": itself, the whole single-threaded process) takes
 * no RCU grace period, unlike the parent writing its pid to cgroup.procs (~10 ms here). */
static int join_cgroups_v1(const struct cradle_exec_ctx *ctx, cradle_error **err)
{
    for (size_t i = 0; i < ctx->n_cgroup_v1_fds; i++) {
        int fd = openat(ctx->cgroup_v1_fds[i], "tasks", O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, "0", 1) != 1) {
            cradle_error_sys(err, "error adding pid %d to cgroups", (int)getpid());
            if (fd >= 0)
                close(fd);
            return -1;
        }
        close(fd);
        close(ctx->cgroup_v1_fds[i]);
    }
    return 0;
}

/* execCPUAffinity.final, once the process is in the container's cgroup (runc 1.2's
 * setFinalCPUAffinity), which joining a v1 cpuset may have changed. */
static int set_final_affinity(const struct cradle_exec_ctx *ctx, cradle_error **err)
{
    const struct cradle_spec_exec_affinity *aff = &ctx->proc->exec_affinity;
    return aff->has_final ? cradle_set_cpu_affinity(0, &aff->final, "final", err) : 0;
}

/* One setns() on the init's pidfd: the kernel joins the user namespace first and the
 * mount namespace last, all or nothing. */
static int join_the_container(const struct cradle_exec_ctx *ctx, cradle_error **err)
{
    if (ctx->ns_flags && setns(ctx->init_pidfd, (int)ctx->ns_flags) < 0)
        return cradle_error_sys(err, "joining the namespaces of the container's init");
    close(ctx->init_pidfd);
    if (ctx->root_fd >= 0) {
        if (fchdir(ctx->root_fd) < 0 || chroot(".") < 0)
            return cradle_error_sys(err, "entering the container's root");
        close(ctx->root_fd);
    }
    if (cradle_init_become_root(&ctx->init, err) < 0 ||
        cradle_init_session_keyring(&ctx->init, err) < 0)
        return -1;
    /* A session of its own, as runc's: the terminal (if any) becomes its controlling one. */
    if (setsid() < 0)
        return cradle_error_sys(err, "setsid");
    if (ctx->proc->terminal &&
        cradle_terminal_setup_child(ctx->init.sync_fd, ctx->proc, false, err) < 0)
        return -1;
    return 0;
}

static int run_exec_child(const struct cradle_exec_ctx *ctx, cradle_error **err)
{
    _cleanup_sync_msg_ struct cradle_sync_msg msg = CRADLE_SYNC_MSG_INIT;
    /* The final affinity after SYNC_GO, from where the parent reads a failure. */
    if (leave_the_runtime_behind(ctx, err) < 0 || join_cgroups_v1(ctx, err) < 0 ||
        cradle_sync_expect(ctx->init.sync_fd, SYNC_GO, &msg, err) < 0 ||
        set_final_affinity(ctx, err) < 0 || join_the_container(ctx, err) < 0)
        return -1;
    struct cradle_process_setup ps = {.proc = ctx->proc,
                                      .seccomp = ctx->seccomp,
                                      .preserve_fds = ctx->init.preserve_fds,
                                      .sync_fd = ctx->init.sync_fd};
    ps.lnx = &ctx->init.spec->linux_;
    int ret = cradle_process_setup(&ps, err);
    /* The process outlives an exec that detaches. */
    if (ret == 0 && prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0) < 0)
        ret = cradle_error_sys(err, "prctl(PR_SET_PDEATHSIG)");
    if (ret == 0 && cradle_process_lock_down(&ps, err) == 0)
        cradle_process_exec(&ps, err);
    free(ps.exec_path);
    return -1;
}

void cradle_exec_child_run(const struct cradle_exec_ctx *ctx)
{
    _cleanup_error_ cradle_error *err = NULL;
    run_exec_child(ctx, &err);
    _cleanup_free_ char *text = cradle_error_text(err);
    cradle_sync_send(ctx->init.sync_fd, SYNC_ERROR, err ? err->errnum : 0,
                     text ? text : "exec failed", NULL);
    _exit(127);
}
