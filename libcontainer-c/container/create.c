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
#include "cradle/hooks.h"
#include "cradle/rootfs.h"
#include "container_private.h"

struct create_job {
    const struct cradle_create_opts *opts;
    struct cradle_spec *spec;
    char *bundle;
    char *rootfs;
    char *pid_file; /* absolute: create works from the bundle directory */
    struct pp_policy policy;
    struct pp_context pp_ctx;
    int root_fd;
    int dir_fd;
    bool claimed;
    struct cradle_cgroup *cgroup;
    int sync_fds[2];
    bool parent_joins_v1; /* the init cannot join its v1 cgroups itself (user namespace) */
    pid_t pid;
    int pidfd;
    struct cradle_state state;
};

static int resolve_paths(struct create_job *job, cradle_error **err)
{
    job->bundle = realpath(job->opts->bundle ? job->opts->bundle : ".", NULL);
    if (job->bundle == NULL)
        return cradle_error_sys(err, "bundle %s", job->opts->bundle ? job->opts->bundle : ".");
    if (job->opts->pid_file && job->opts->pid_file[0] != '/') {
        _cleanup_free_ char *cwd = getcwd(NULL, 0);
        if (cwd == NULL || asprintf(&job->pid_file, "%s/%s", cwd, job->opts->pid_file) < 0)
            return cradle_error_sys(err, "pid file %s", job->opts->pid_file);
    } else if (job->opts->pid_file && (job->pid_file = strdup(job->opts->pid_file)) == NULL) {
        return cradle_error_set(err, ENOMEM, "pid file");
    }
    /* As runc: relative paths in config.json (bind sources, hooks) are relative to the
     * bundle. */
    if (chdir(job->bundle) < 0)
        return cradle_error_sys(err, "chdir to bundle %s", job->bundle);
    if (cradle_spec_load(job->bundle, &job->spec, err) < 0)
        return -1;
    return cradle_bundle_rootfs(job->bundle, job->spec, &job->rootfs, err);
}

static int check_policy(struct create_job *job, cradle_error **err)
{
    char why[512];
    /* Fail closed: a policy that does not load refuses every container. */
    if (pp_policy_load(&job->policy, job->opts->proc_policy_file, why, sizeof(why)) < 0)
        return cradle_error_set(err, errno, "proc-policy: %s", why);
    if (cradle_policy_context(job->spec, &job->pp_ctx, err) < 0)
        return -1;
    struct cradle_rootfs_ctx rctx = {
        .spec = job->spec,
        .rootfs = job->rootfs,
        .policy = &job->policy,
        .pp_ctx = &job->pp_ctx,
    };
    for (size_t i = 0; i < job->spec->n_mounts; i++)
        if (cradle_rootfs_check_policy(&rctx, &job->spec->mounts[i], err) < 0)
            return cradle_error_wrap(err, "mounts[%zu]", i);
    return 0;
}

static int make_exec_fifo(struct create_job *job, cradle_error **err)
{
    /* 0622: the init may already run as the container's non-root user when it opens it. */
    if (mkfifoat(job->dir_fd, CRADLE_EXEC_FIFO, 0622) < 0 ||
        fchmodat(job->dir_fd, CRADLE_EXEC_FIFO, 0622, 0) < 0)
        return cradle_error_sys(err, "create exec fifo");
    return 0;
}

static int claim_resources(struct create_job *job, cradle_error **err)
{
    const struct cradle_create_opts *opts = job->opts;
    job->root_fd = cradle_state_open_root(opts->root, err);
    if (job->root_fd < 0)
        return -1;
    job->dir_fd = cradle_state_claim(job->root_fd, opts->id, err);
    if (job->dir_fd < 0)
        return -1;
    job->claimed = true;
    if (cradle_cgroup_create(job->spec->linux_.cgroups_path, opts->id, &job->cgroup, err) < 0)
        return -1;
    if (job->spec->linux_.has_device_rules &&
        cradle_cgroup_apply_devices(job->cgroup, job->spec->linux_.device_rules,
                                    job->spec->linux_.n_device_rules, err) < 0)
        return -1;
    return make_exec_fifo(job, err);
}

static int fill_state(struct create_job *job, cradle_error **err)
{
    struct cradle_state *s = &job->state;
    s->id = (char *)job->opts->id;
    s->pid = job->pid;
    s->bundle = job->bundle;
    s->rootfs = job->rootfs;
    s->created = cradle_now_rfc3339();
    s->owner_uid = geteuid();
    s->exit_status = -1;
    s->annotations = job->spec->annotations;
    s->n_annotations = job->spec->n_annotations;
    s->cgroup_path = job->cgroup->path;
    s->cgroup_dirs = job->cgroup->dirs;
    s->cgroup_created = job->cgroup->created;
    s->own_pidns = cradle_spec_find_namespace(job->spec, CLONE_NEWPID) != NULL;
    s->poststart = job->spec->hooks.poststart;
    s->poststop = job->spec->hooks.poststop;
    if (s->created == NULL)
        return cradle_error_set(err, ENOMEM, "state");
    return cradle_pid_start_time(job->pid, &s->pid_start_time, err);
}

/* prestart (deprecated, same point) and createRuntime hooks run in the runtime's
 * namespaces while the init waits with its rootfs mounted but not yet pivoted. */
static int run_runtime_hooks(struct create_job *job, cradle_error **err)
{
    struct cradle_sync_msg msg;
    if (cradle_sync_expect(job->sync_fds[0], SYNC_HOOKS, &msg, err) < 0)
        return -1;
    _cleanup_free_ char *json =
        cradle_state_to_oci_json(&job->state, CRADLE_STATUS_CREATING, false, false);
    if (json == NULL)
        return cradle_error_set(err, ENOMEM, "state JSON");
    if (cradle_hooks_run(&job->spec->hooks.prestart, "prestart", json, err) < 0 ||
        cradle_hooks_run(&job->spec->hooks.create_runtime, "createRuntime", json, err) < 0)
        return -1;
    _cleanup_free_ char *created_json =
        cradle_state_to_oci_json(&job->state, CRADLE_STATUS_CREATED, false, false);
    if (created_json == NULL)
        return cradle_error_set(err, ENOMEM, "state JSON");
    if (cradle_sync_send(job->sync_fds[0], SYNC_HOOKS_DONE, 0, json, err) < 0)
        return -1;
    return cradle_sync_send(job->sync_fds[0], SYNC_START_STATE, 0, created_json, err);
}

static int spawn_init(struct create_job *job, cradle_error **err)
{
    struct cradle_init_ctx ctx = {
        .spec = job->spec,
        .id = job->opts->id,
        .rootfs = job->rootfs,
        .policy = &job->policy,
        .pp_ctx = &job->pp_ctx,
        .no_pivot = job->opts->no_pivot,
        .no_new_keyring = job->opts->no_new_keyring,
        .preserve_fds = job->opts->preserve_fds,
        .clone_flags = cradle_namespace_clone_flags(job->spec),
    };
    if (cradle_namespaces_prepare(job->spec, &ctx, err) < 0)
        return -1;
    _cleanup_close_ int fifo_fd = openat(job->dir_fd, CRADLE_EXEC_FIFO, O_PATH | O_CLOEXEC);
    if (fifo_fd < 0)
        return cradle_error_sys(err, "open exec fifo");
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, job->sync_fds) < 0)
        return cradle_error_sys(err, "create sync socket");
    ctx.sync_fd = job->sync_fds[1];
    ctx.fifo_fd = fifo_fd;
    /* cgroup2 is joined at birth (CLONE_INTO_CGROUP); v1 hierarchies are joined by the init
     * itself, or by the parent when a user namespace keeps the init from writing them. */
    _cleanup_close_ int cgroup_fd = cradle_cgroup_unified_fd(job->cgroup);
    bool has_v1 = job->cgroup->n_dirs > (cgroup_fd >= 0 ? 1u : 0u);
    bool in_userns = cradle_spec_find_namespace(job->spec, CLONE_NEWUSER) != NULL;
    ctx.cgroup = job->cgroup;
    ctx.join_cgroup_v1 = has_v1 && !in_userns;
    job->parent_joins_v1 = has_v1 && in_userns;
    /* A cgroup namespace is rooted where its creator is: with v1 hierarchies to join, the
     * init unshares it only once it is in all of them. */
    if (has_v1 && (ctx.clone_flags & CLONE_NEWCGROUP)) {
        ctx.clone_flags &= ~(unsigned long)CLONE_NEWCGROUP;
        ctx.unshare_cgroupns = true;
    }
    job->pid = cradle_clone_init(ctx.clone_flags, cgroup_fd, &job->pidfd, err);
    if (job->pid == 0)
        cradle_init_run(&ctx);
    for (int i = 0; i < ctx.n_ns_fds; i++)
        close(ctx.ns_fds[i]);
    close(TAKE_FD(job->sync_fds[1]));
    return job->pid < 0 ? -1 : 0;
}

static int bring_up(struct create_job *job, cradle_error **err)
{
    const struct cradle_spec *spec = job->spec;
    if ((cradle_namespace_clone_flags(spec) & CLONE_NEWUSER) &&
        cradle_write_id_maps(job->pid, spec, err) < 0)
        return -1;
    if (spec->process.has_oom_score_adj) {
        char path[64], value[16];
        snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", job->pid);
        int len = snprintf(value, sizeof(value), "%d", spec->process.oom_score_adj);
        if (cradle_write_file_at(AT_FDCWD, path, value, (size_t)len) < 0)
            return cradle_error_sys(err, "process.oomScoreAdj: write %d",
                                    spec->process.oom_score_adj);
    }
    if (fill_state(job, err) < 0)
        return -1;
    if (job->parent_joins_v1 && cradle_cgroup_enter_v1(job->cgroup, job->pid, err) < 0)
        return -1;
    if (cradle_sync_send(job->sync_fds[0], SYNC_GO, 0, NULL, err) < 0 ||
        run_runtime_hooks(job, err) < 0)
        return -1;
    struct cradle_sync_msg msg;
    if (cradle_sync_expect(job->sync_fds[0], SYNC_READY, &msg, err) < 0)
        return -1;
    if (cradle_state_write(job->dir_fd, &job->state, err) < 0)
        return -1;
    if (job->pid_file && cradle_write_pid_file(job->pid_file, job->pid, err) < 0)
        return -1;
    if (job->opts->record_exit && cradle_exit_monitor_start(job->dir_fd, job->pid, err) < 0)
        return -1;
    return 0;
}

static void unwind(struct create_job *job)
{
    if (job->pid > 0)
        cradle_kill_and_wait(job->pid, job->pidfd, 5000);
    if (job->cgroup)
        cradle_cgroup_destroy(job->cgroup, NULL);
    if (job->claimed)
        cradle_state_remove(job->root_fd, job->opts->id, NULL);
}

static void release(struct create_job *job)
{
    for (int i = 0; i < 2; i++)
        if (job->sync_fds[i] >= 0)
            close(job->sync_fds[i]);
    if (job->root_fd >= 0)
        close(job->root_fd);
    if (job->dir_fd >= 0)
        close(job->dir_fd);
    free(job->state.created);
    cradle_cgroup_free(job->cgroup);
    cradle_policy_context_free(&job->pp_ctx);
    pp_policy_free(&job->policy);
    if (job->spec)
        cradle_spec_free(job->spec);
    free(job->bundle);
    free(job->rootfs);
    free(job->pid_file);
}

int cradle_container_create(const struct cradle_create_opts *opts, struct cradle_created *out,
                            cradle_error **err)
{
    struct create_job job = {
        .opts = opts, .root_fd = -1, .dir_fd = -1, .sync_fds = {-1, -1}, .pidfd = -1};
    int ret = -1;
    if (cradle_state_check_id(opts->id, err) < 0 || resolve_paths(&job, err) < 0 ||
        cradle_validate_for_create(job.spec, opts, err) < 0 || check_policy(&job, err) < 0 ||
        claim_resources(&job, err) < 0 || spawn_init(&job, err) < 0 || bring_up(&job, err) < 0)
        unwind(&job);
    else
        ret = 0;
    if (ret == 0 && out) {
        out->pid = job.pid;
        out->pidfd = TAKE_FD(job.pidfd);
    }
    if (job.pidfd >= 0)
        close(job.pidfd);
    release(&job);
    return ret;
}
