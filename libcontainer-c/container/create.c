/* create: everything the parent does, in order; any failure unwinds what was made. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/exit_monitor.h"
#include "cradle/fileutil.h"
#include "cradle/net.h"
#include "cradle/rootfs.h"
#include "cradle/terminal.h"
#include "container_private.h"
#include "seccomp_agent.h"

struct create_job {
    const struct cradle_create_opts *opts;
    struct cradle_setup s;
    char *pid_file; /* absolute: create works from the bundle directory */
    int sync_fds[2];
    struct cradle_children_ns children; /* pid and time namespaces joined by path */
    bool parent_joins_v1; /* the init cannot join its v1 cgroups itself (user namespace) */
    int console_fd;       /* the init's pty master, kept for run's foreground relay */
};

static int make_exec_fifo(struct create_job *job, cradle_error **err)
{
    /* 0622: the init may already run as the container's non-root user when it opens it. */
    if (mkfifoat(job->s.dir_fd, CRADLE_EXEC_FIFO, 0622) < 0 ||
        fchmodat(job->s.dir_fd, CRADLE_EXEC_FIFO, 0622, 0) < 0)
        return cradle_error_sys(err, "create exec fifo");
    return 0;
}

/* prestart (deprecated, same point) and createRuntime hooks run in the runtime's
 * namespaces while the init waits with its rootfs mounted but not yet pivoted. */
static int run_runtime_hooks(struct create_job *job, cradle_error **err)
{
    _cleanup_sync_msg_ struct cradle_sync_msg msg = CRADLE_SYNC_MSG_INIT;
    if (cradle_sync_expect(job->sync_fds[0], SYNC_HOOKS, &msg, err) < 0)
        return -1;
    _cleanup_free_ char *json = NULL;
    if (cradle_setup_run_runtime_hooks(&job->s, &json, err) < 0)
        return -1;
    _cleanup_free_ char *created_json =
        cradle_state_to_oci_json(&job->s.state, CRADLE_STATUS_CREATED, false, false);
    if (created_json == NULL)
        return cradle_error_set(err, ENOMEM, "state JSON");
    if (cradle_sync_send(job->sync_fds[0], SYNC_HOOKS_DONE, 0, json, err) < 0)
        return -1;
    return cradle_sync_send(job->sync_fds[0], SYNC_START_STATE, 0, created_json, err);
}

/* Everything the child needs from the parent goes on its keep-list: it closes every other
 * descriptor first thing (cradle_init_keep_fd moves them clear of the preserved fds). */
static int keep_init_fds(struct create_job *job, struct cradle_init_ctx *ctx, int *fifo_fd,
                         cradle_error **err)
{
    if (cradle_init_keep_fd(ctx, &job->sync_fds[1], err) < 0 ||
        cradle_init_keep_fd(ctx, fifo_fd, err) < 0)
        return -1;
    for (int i = 0; i < ctx->n_ns_fds; i++)
        if (cradle_init_keep_fd(ctx, &ctx->ns_fds[i], err) < 0)
            return -1;
    for (size_t i = 0; ctx->bind_sources && i < job->s.spec->n_mounts; i++)
        if (cradle_init_keep_fd(ctx, &ctx->bind_sources[i], err) < 0)
            return -1;
    ctx->sync_fd = job->sync_fds[1];
    ctx->fifo_fd = *fifo_fd;
    return 0;
}

static int clone_init(struct create_job *job, struct cradle_init_ctx *ctx, cradle_error **err)
{
    if (cradle_namespaces_prepare(job->s.spec, ctx, &job->children, err) < 0)
        return -1;
    /* Inside its user namespace the init could not open every source runc mounts, and
     * id-mapped binds are made by the parent. */
    if (cradle_rootfs_open_bind_sources(job->s.spec, &ctx->bind_sources, err) < 0)
        return -1;
    _cleanup_close_ int fifo_fd = openat(job->s.dir_fd, CRADLE_EXEC_FIFO, O_PATH | O_CLOEXEC);
    if (fifo_fd < 0)
        return cradle_error_sys(err, "open exec fifo");
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, job->sync_fds) < 0)
        return cradle_error_sys(err, "create sync socket");
    if (keep_init_fds(job, ctx, &fifo_fd, err) < 0)
        return -1;
    /* cgroup2 is joined at birth (CLONE_INTO_CGROUP); v1 hierarchies are joined by the init
     * itself, or by the parent when a user namespace keeps the init from writing them. A
     * systemd scope does not exist before its init: the parent starts it with the init's pid
     * (cradle_setup_attach), which places it everywhere. */
    bool systemd = job->s.cgroup->systemd_unit != NULL;
    _cleanup_close_ int cgroup_fd = systemd ? -1 : cradle_cgroup_unified_fd(job->s.cgroup);
    bool has_v1 = !systemd && job->s.cgroup->n_dirs > (cgroup_fd >= 0 ? 1u : 0u);
    bool in_userns = cradle_spec_find_namespace(job->s.spec, CLONE_NEWUSER) != NULL;
    ctx->cgroup = job->s.cgroup;
    ctx->join_cgroup_v1 = has_v1 && !in_userns;
    /* A user namespace joined by path has its maps already. */
    ctx->rootless_maps = (ctx->clone_flags & CLONE_NEWUSER) && geteuid() != 0;
    job->parent_joins_v1 = has_v1 && in_userns;
    /* A cgroup namespace is rooted where its creator is: with v1 hierarchies to join, the
     * init unshares it only once it is in all of them. */
    if ((has_v1 || systemd) && (ctx->clone_flags & CLONE_NEWCGROUP)) {
        ctx->clone_flags &= ~(unsigned long)CLONE_NEWCGROUP;
        ctx->unshare_cgroupns = true;
    }
    /* Born in a new time namespace, the init could no longer set its offsets: it makes the
     * namespace itself, before any process is in it (init_timens.c). */
    if (ctx->clone_flags & CLONE_NEWTIME) {
        ctx->clone_flags &= ~(unsigned long)CLONE_NEWTIME;
        ctx->unshare_timens = true;
    }
    if (cradle_init_joins_userns(ctx))
        job->s.pid =
            cradle_clone_init_in_userns(ctx, &job->children, cgroup_fd, &job->s.pidfd, err);
    else
        job->s.pid = cradle_clone_init_joined(&job->children, ctx->clone_flags, cgroup_fd,
                                              &job->s.pidfd, err);
    if (job->s.pid == 0)
        cradle_init_run(ctx);
    close(TAKE_FD(job->sync_fds[1]));
    return job->s.pid < 0 ? -1 : 0;
}

static int spawn_init(struct create_job *job, cradle_error **err)
{
    struct cradle_init_ctx ctx = {
        .spec = job->s.spec,
        .id = job->opts->id,
        .rootfs = job->s.rootfs,
        .policy = &job->s.policy,
        .pp_ctx = &job->s.pp_ctx,
        .no_pivot = job->opts->no_pivot,
        .no_new_keyring = job->opts->no_new_keyring,
        .preserve_fds = job->opts->listen_fds + job->opts->preserve_fds,
        .clone_flags = cradle_namespace_clone_flags(job->s.spec),
        .parent_pid = getpid(),
    };
    int ret = clone_init(job, &ctx, err);
    cradle_children_ns_close(&job->children);
    for (int i = 0; i < ctx.n_ns_fds; i++)
        close(ctx.ns_fds[i]);
    cradle_rootfs_close_bind_sources(ctx.bind_sources, job->s.spec->n_mounts);
    cradle_init_ctx_release(&ctx);
    return ret;
}

/* The init dies with this process until the container is on record; told so, it clears
 * its parent-death signal and closes its end. create must not return (and exit) before
 * that close, or the init would be killed. An init that died meanwhile (or that a delete
 * waiting for the record killed) is simply a stopped container. */
static int hand_over_init(struct create_job *job, cradle_error **err)
{
    _cleanup_sync_msg_ struct cradle_sync_msg msg = CRADLE_SYNC_MSG_INIT;
    _cleanup_error_ cradle_error *closed = NULL;
    if (cradle_sync_send(job->sync_fds[0], SYNC_PUBLISHED, 0, NULL, &closed) < 0 ||
        cradle_sync_recv(job->sync_fds[0], &msg, &closed) < 0)
        return 0;
    if (msg.type == SYNC_ERROR)
        return cradle_error_set(err, msg.errnum, "%s", msg.text ? msg.text : "failed");
    return cradle_error_set(err, EPROTO, "unexpected sync message %u", msg.type);
}

/* With process.terminal the init sends its pty master once pivoted: it goes on to
 * --console-socket, or stays with the caller (run in the foreground relays it). */
static int take_console(struct create_job *job, cradle_error **err)
{
    if (!job->s.spec->process.terminal)
        return 0;
    return cradle_terminal_take(job->sync_fds[0], job->opts->console_socket, &job->console_fd, err);
}

static int bring_up(struct create_job *job, cradle_error **err)
{
    const struct cradle_spec *spec = job->s.spec;
    /* Attached first: a systemd unit of the same name that already runs is joined, not
     * this container's, and describe records that. */
    if (cradle_setup_attach(&job->s, err) < 0 || cradle_setup_describe(&job->s, err) < 0)
        return -1;
    if ((cradle_namespace_clone_flags(spec) & CLONE_NEWUSER) &&
        cradle_userns_write_maps(job->s.pid, job->sync_fds[0], spec, err) < 0)
        return -1;
    if (spec->process.has_oom_score_adj) {
        char path[64], value[16];
        snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", job->s.pid);
        int len = snprintf(value, sizeof(value), "%d", spec->process.oom_score_adj);
        if (cradle_write_file_at(AT_FDCWD, path, value, (size_t)len) < 0)
            return cradle_error_sys(err, "process.oomScoreAdj: write %d",
                                    spec->process.oom_score_adj);
    }
    if (job->parent_joins_v1 && cradle_cgroup_enter_v1(job->s.cgroup, job->s.pid, err) < 0)
        return -1;
    /* As runc: once the init's network namespace exists, before the init goes on. */
    if (cradle_net_move_devices(spec, job->s.pid, err) < 0)
        return -1;
    if (cradle_sync_send(job->sync_fds[0], SYNC_GO, 0, NULL, err) < 0 ||
        run_runtime_hooks(job, err) < 0 || take_console(job, err) < 0)
        return -1;
    _cleanup_sync_msg_ struct cradle_sync_msg msg = CRADLE_SYNC_MSG_INIT;
    if (cradle_seccomp_agent_take(job->sync_fds[0], spec, job->s.pid, &job->s.state,
                                  CRADLE_STATUS_CREATING, err) < 0 ||
        cradle_sync_expect(job->sync_fds[0], SYNC_READY, &msg, err) < 0 ||
        cradle_setup_publish(&job->s, job->pid_file, job->opts->record_exit, err) < 0)
        return -1;
    return hand_over_init(job, err);
}

static int create_steps(struct create_job *job, cradle_error **err)
{
    const struct cradle_create_opts *opts = job->opts;
    if (opts->pid_file && (job->pid_file = cradle_absolute_path(opts->pid_file)) == NULL)
        return cradle_error_sys(err, "pid file %s", opts->pid_file);
    /* Recorded for exec, which joins the container's session keyring unless there is none. */
    job->s.state.no_new_keyring = opts->no_new_keyring;
    if (cradle_setup_load(&job->s, opts, err) < 0 ||
        (opts->listen_fds > 0 && cradle_add_listen_env(job->s.spec, opts->listen_fds, err) < 0) ||
        cradle_setup_check_policy(&job->s, opts->proc_policy_file, err) < 0 ||
        cradle_setup_claim(&job->s, opts->root, err) < 0 || make_exec_fifo(job, err) < 0 ||
        cradle_setup_bind_rootfs(&job->s, err) < 0 || spawn_init(job, err) < 0)
        return -1;
    return bring_up(job, err);
}

int cradle_container_create(const struct cradle_create_opts *opts, struct cradle_created *out,
                            cradle_error **err)
{
    struct create_job job = {.opts = opts, .sync_fds = {-1, -1}, .console_fd = -1};
    cradle_setup_init(&job.s, opts->id);
    int ret = create_steps(&job, err);
    if (ret < 0)
        cradle_setup_unwind(&job.s);
    else if (out) {
        out->pid = job.s.pid;
        out->pidfd = TAKE_FD(job.s.pidfd);
        out->console_fd = TAKE_FD(job.console_fd);
    }
    if (job.console_fd >= 0)
        close(job.console_fd);
    for (int i = 0; i < 2; i++)
        if (job.sync_fds[i] >= 0)
            close(job.sync_fds[i]);
    free(job.pid_file);
    cradle_setup_release(&job.s);
    return ret;
}
