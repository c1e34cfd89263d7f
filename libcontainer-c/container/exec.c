/* exec: a new process in an existing container. The parent reads the state and the config
 * copy (never the bundle), holds the init by a pidfd checked against its start time, and
 * clones the child straight into the container's pid (and time) namespace and cgroup; the
 * child joins every other namespace of the init with one setns() on that pidfd and becomes
 * the process through the same setup as the init (process/exec_child.c). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/fileutil.h"
#include "cradle/log.h"
#include "cradle/seccomp.h"
#include "cradle/terminal.h"
#include "container_private.h"
#include "exec_internal.h"
#include "seccomp_agent.h"

struct exec_job {
    const struct cradle_exec_opts *opts;
    struct cradle_state *state;
    struct cradle_spec *spec;
    bool has_oom_score_adj; /* the container's, which runc gives its exec'd processes too */
    int oom_score_adj;
    struct cradle_seccomp_filter *seccomp;
    struct cradle_cgroup *cgroup;
    int *cgroup_fds; /* per cgroup->dirs, the directory the process joins */
    int init_pidfd;
    unsigned long ns_flags;
    int root_fd;
    int sync_fds[2];
    pid_t pid;
    int pidfd;
    int console_fd;
};

/* As runc: only a created or running container (or a paused one when asked) takes one. */
static int check_status(struct exec_job *job, int dir_fd, cradle_error **err)
{
    enum cradle_status status = cradle_container_status(dir_fd, job->state);
    if (status == CRADLE_STATUS_STOPPED || status == CRADLE_STATUS_CREATING)
        return cradle_error_set(err, ESRCH, "cannot exec in a stopped container");
    if (status == CRADLE_STATUS_PAUSED && !job->opts->ignore_paused)
        return cradle_error_set(err, EBUSY,
                                "cannot exec in a paused container (use --ignore-paused to "
                                "override)");
    if (job->opts->process_file == NULL && (job->opts->args == NULL || job->opts->args[0] == NULL))
        return cradle_error_set(err, EINVAL, "process args cannot be empty");
    return 0;
}

/* The state and the config copy are read under the container's lock, released before the
 * process starts: a process frozen in a paused container must not keep resume waiting. */
static int load(struct exec_job *job, cradle_error **err)
{
    const struct cradle_exec_opts *opts = job->opts;
    _cleanup_close_ int root_fd = -1, dir_fd = -1;
    _cleanup_error_ cradle_error *missing = NULL;
    if (cradle_state_load(opts->root, opts->id, true, &root_fd, &dir_fd, &job->state, &missing) <
        0) {
        /* runc's words, which engines match. */
        if (missing->errnum == ENOENT)
            return cradle_error_set(err, ENOENT, "container does not exist");
        *err = TAKE_PTR(missing);
        return -1;
    }
    if (check_status(job, dir_fd, err) < 0 || cradle_state_load_config(dir_fd, &job->spec, err) < 0)
        return -1;
    job->has_oom_score_adj = job->spec->process.has_oom_score_adj;
    job->oom_score_adj = job->spec->process.oom_score_adj;
    if (cradle_exec_build_process(opts, job->spec, err) < 0 ||
        cradle_terminal_check_opts(job->spec->process.terminal, opts->console_socket, opts->detach,
                                   err) < 0)
        return -1;
    /* The container's filter, built here so that the child only loads it. */
    if (job->spec->linux_.has_seccomp &&
        cradle_seccomp_build(&job->spec->linux_.seccomp, &job->seccomp, err) < 0)
        return -1;
    job->init_pidfd = (int)syscall(SYS_pidfd_open, job->state->pid, 0);
    if (job->init_pidfd < 0 || !cradle_pid_matches(job->state->pid, job->state->pid_start_time))
        return cradle_error_set(err, ESRCH, "cannot exec in a stopped container");
    return 0;
}

/* The init still lives: whatever was opened by its pid since the pidfd was checked is its. */
static int check_init_alive(const struct exec_job *job, cradle_error **err)
{
    if (syscall(SYS_pidfd_send_signal, job->init_pidfd, 0, NULL, 0) < 0)
        return cradle_error_set(err, ESRCH, "cannot exec in a stopped container");
    return 0;
}

static const struct {
    int type;
    const char *name;
} namespace_files[] = {
    {CLONE_NEWUSER, "user"},     {CLONE_NEWNS, "mnt"},    {CLONE_NEWPID, "pid"},
    {CLONE_NEWNET, "net"},       {CLONE_NEWIPC, "ipc"},   {CLONE_NEWUTS, "uts"},
    {CLONE_NEWCGROUP, "cgroup"}, {CLONE_NEWTIME, "time"},
};

/* The init's namespaces that are not the runtime's own: those the container has, whether
 * it made them or joined them by path. */
static int find_namespaces(struct exec_job *job, cradle_error **err)
{
    char path[64];
    for (size_t i = 0; i < sizeof(namespace_files) / sizeof(namespace_files[0]); i++) {
        struct stat own, its;
        snprintf(path, sizeof(path), "/proc/self/ns/%s", namespace_files[i].name);
        if (stat(path, &own) < 0)
            continue; /* a kernel without this namespace type */
        snprintf(path, sizeof(path), "/proc/%d/ns/%s", job->state->pid, namespace_files[i].name);
        if (stat(path, &its) < 0)
            return cradle_error_sys(err, "namespaces of the container's init: stat %s", path);
        if (own.st_ino != its.st_ino || own.st_dev != its.st_dev)
            job->ns_flags |= (unsigned long)namespace_files[i].type;
    }
    /* Without a mount namespace of its own, the init's root is where the process goes. */
    if (!(job->ns_flags & CLONE_NEWNS)) {
        snprintf(path, sizeof(path), "/proc/%d/root", job->state->pid);
        job->root_fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (job->root_fd < 0)
            return cradle_error_sys(err, "open the container's root %s", path);
    }
    return check_init_alive(job, err);
}

static int open_cgroup(struct exec_job *job, cradle_error **err)
{
    struct cradle_exec_subcgroup *subs = NULL;
    size_t n_subs = 0;
    if (cradle_exec_parse_subcgroups(job->opts->cgroups, &subs, &n_subs, err) < 0)
        return -1;
    int ret = -1;
    job->cgroup = cradle_container_cgroup(job->state, err);
    if (job->cgroup && (job->cgroup_fds = calloc(job->cgroup->n_dirs + 1, sizeof(int))) == NULL)
        cradle_error_set(err, ENOMEM, "cgroup of container %s", job->opts->id);
    else if (job->cgroup)
        ret = cradle_exec_open_cgroup_dirs(job->cgroup, subs, n_subs, job->cgroup_fds, err);
    cradle_exec_subcgroups_free(subs, n_subs);
    return ret;
}

/* The fd of the cgroup2 directory the child is cloned into, or -1. */
static int unified_fd(const struct exec_job *job)
{
    for (size_t i = 0; i < job->cgroup->n_dirs; i++)
        if (job->cgroup->dirs[i] == job->cgroup->unified_dir)
            return job->cgroup_fds[i];
    return -1;
}

/* v1 hierarchies cannot be joined at birth: the child moves itself into them
 * (cradle_exec_ctx.cgroup_v1_fds), before it joins a user namespace that would keep it from
 * writing them. */
static int keep_cgroup_v1_fds(struct exec_job *job, struct cradle_exec_ctx *ctx, cradle_error **err)
{
    ctx->cgroup_v1_fds = calloc(job->cgroup->n_dirs + 1, sizeof(int));
    if (ctx->cgroup_v1_fds == NULL)
        return cradle_error_set(err, ENOMEM, "cgroup of container %s", job->opts->id);
    for (size_t i = 0; i < job->cgroup->n_dirs; i++) {
        if (job->cgroup->dirs[i] == job->cgroup->unified_dir)
            continue;
        if (cradle_init_keep_fd(&ctx->init, &job->cgroup_fds[i], err) < 0)
            return -1;
        ctx->cgroup_v1_fds[ctx->n_cgroup_v1_fds++] = job->cgroup_fds[i];
    }
    return 0;
}

/* clone3 of the child, born with execCPUAffinity.initial when there is one: the runtime
 * takes that affinity for the clone and goes back to its own (runc 1.2's
 * startWithCPUAffinity); the child sets the final one once in the cgroup. */
static pid_t clone_child(struct exec_job *job, const struct cradle_children_ns *children,
                         cradle_error **err)
{
    const struct cradle_spec_exec_affinity *aff = &job->spec->process.exec_affinity;
    struct cradle_cpu_mask own;
    if (aff->has_initial && cradle_take_initial_cpu_affinity(&aff->initial, &own, err) < 0)
        return -1;
    pid_t pid = cradle_clone_init_joined(children, 0, unified_fd(job), &job->pidfd, err);
    if (pid != 0 && aff->has_initial) {
        _cleanup_error_ cradle_error *restore = NULL;
        if (cradle_set_cpu_affinity(0, &own, "the runtime's", &restore) < 0)
            cradle_debug("exec: %s", restore->msg);
    }
    return pid;
}

/* The pid and time namespaces apply to children: the parent enters the init's just for the
 * clone3 (cradle_clone_init_joined), through the pidfd. */
static int hold_children_ns(const struct exec_job *job, struct cradle_children_ns *c,
                            cradle_error **err)
{
    static const struct {
        int type;
        const char *own;
    } kinds[] = {{CLONE_NEWPID, "/proc/self/ns/pid_for_children"},
                 {CLONE_NEWTIME, "/proc/self/ns/time_for_children"}};
    c->n = 0;
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (!(job->ns_flags & (unsigned long)kinds[i].type))
            continue;
        int own = open(kinds[i].own, O_RDONLY | O_CLOEXEC);
        int join = fcntl(job->init_pidfd, F_DUPFD_CLOEXEC, 3);
        if (own < 0 || join < 0) {
            int saved = errno;
            if (own >= 0)
                close(own);
            errno = saved;
            return cradle_error_sys(err, "namespaces of the container's init");
        }
        c->types[c->n] = kinds[i].type;
        c->own_fds[c->n] = own;
        c->join_fds[c->n] = join;
        c->paths[c->n++] = "the container's init";
    }
    return 0;
}

static int spawn(struct exec_job *job, cradle_error **err)
{
    const struct cradle_exec_opts *opts = job->opts;
    struct cradle_exec_ctx ctx = {
        .init =
            {
                .spec = job->spec,
                .id = opts->id,
                .preserve_fds = opts->preserve_fds,
                .no_new_keyring = job->state->no_new_keyring,
                .clone_flags = job->ns_flags & CLONE_NEWUSER,
            },
        .proc = &job->spec->process,
        .seccomp = job->seccomp,
        .ns_flags = job->ns_flags & ~(unsigned long)(CLONE_NEWPID | CLONE_NEWTIME),
    };
    struct cradle_children_ns children = {0};
    int ret = -1;
    unsigned long joined;
    if (cradle_exec_rootless_join(job->init_pidfd, job->ns_flags, &joined, err) < 0)
        goto out;
    job->ns_flags &= ~(joined & (unsigned long)(CLONE_NEWPID | CLONE_NEWTIME));
    ctx.ns_flags &= ~joined;
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, job->sync_fds) < 0) {
        cradle_error_sys(err, "create sync socket");
        goto out;
    }
    ctx.init_pidfd = job->init_pidfd;
    ctx.root_fd = job->root_fd;
    if (cradle_init_keep_fd(&ctx.init, &job->sync_fds[1], err) < 0 ||
        cradle_init_keep_fd(&ctx.init, &ctx.init_pidfd, err) < 0 ||
        cradle_init_keep_fd(&ctx.init, &ctx.root_fd, err) < 0 ||
        keep_cgroup_v1_fds(job, &ctx, err) < 0 || hold_children_ns(job, &children, err) < 0)
        goto out;
    job->init_pidfd = ctx.init_pidfd;
    job->root_fd = ctx.root_fd;
    ctx.init.sync_fd = job->sync_fds[1];
    job->pid = clone_child(job, &children, err);
    if (job->pid == 0)
        cradle_exec_child_run(&ctx);
    ret = job->pid < 0 ? -1 : 0;
out:
    cradle_children_ns_close(&children);
    cradle_init_ctx_release(&ctx.init);
    free(ctx.cgroup_v1_fds);
    if (job->sync_fds[1] >= 0)
        close(TAKE_FD(job->sync_fds[1]));
    return ret;
}

/* The child reports failures as SYNC_ERROR; its end of the socket is close-on-exec, so
 * EOF without one means execve succeeded. */
static int wait_for_execve(struct exec_job *job, cradle_error **err)
{
    _cleanup_sync_msg_ struct cradle_sync_msg msg = CRADLE_SYNC_MSG_INIT;
    _cleanup_error_ cradle_error *eof = NULL;
    if (cradle_sync_recv(job->sync_fds[0], &msg, &eof) < 0)
        return eof->errnum == EPIPE ? 0 : cradle_error_set(err, eof->errnum, "%s", eof->msg);
    if (msg.type == SYNC_ERROR)
        return cradle_error_set(err, msg.errnum, "unable to start container process: %s",
                                msg.text ? msg.text : "failed");
    return cradle_error_set(err, EPROTO, "unexpected sync message %u", msg.type);
}

static int set_oom_score_adj(const struct exec_job *job, cradle_error **err)
{
    if (!job->has_oom_score_adj)
        return 0;
    char path[64], value[16];
    snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", (int)job->pid);
    int len = snprintf(value, sizeof(value), "%d", job->oom_score_adj);
    if (cradle_write_file_at(AT_FDCWD, path, value, (size_t)len) < 0)
        return cradle_error_sys(err, "process.oomScoreAdj: write %d", job->oom_score_adj);
    return 0;
}

/* The terminal's master: to the console socket, or kept for the caller to relay. */
static int take_console(struct exec_job *job, cradle_error **err)
{
    if (!job->spec->process.terminal)
        return 0;
    return cradle_terminal_take(job->sync_fds[0], job->opts->console_socket, &job->console_fd, err);
}

static int start(struct exec_job *job, cradle_error **err)
{
    if (set_oom_score_adj(job, err) < 0 ||
        cradle_sync_send(job->sync_fds[0], SYNC_GO, 0, NULL, err) < 0 || take_console(job, err) < 0)
        return -1;
    /* runc's prefix, for the child's failures before the hand-over as for the agent's. */
    if (cradle_seccomp_agent_take(job->sync_fds[0], job->spec, job->pid, job->state,
                                  CRADLE_STATUS_RUNNING, err) < 0)
        return cradle_error_wrap(err, "unable to start container process");
    if (wait_for_execve(job, err) < 0)
        return -1;
    cradle_debug("exec: process %d runs in container %s (namespaces joined: %#lx)", (int)job->pid,
                 job->opts->id, job->ns_flags);
    if (job->opts->pid_file)
        return cradle_write_pid_file(job->opts->pid_file, job->pid, err);
    return 0;
}

static void release(struct exec_job *job)
{
    for (size_t i = 0; job->cgroup && job->cgroup_fds && i < job->cgroup->n_dirs; i++)
        if (job->cgroup_fds[i] >= 0)
            close(job->cgroup_fds[i]);
    free(job->cgroup_fds);
    cradle_cgroup_free(job->cgroup);
    cradle_seccomp_filter_free(job->seccomp);
    cradle_spec_free(job->spec);
    if (job->state)
        cradle_state_free(job->state);
    int fds[] = {job->init_pidfd, job->root_fd, job->sync_fds[0], job->sync_fds[1],
                 job->console_fd};
    for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
        if (fds[i] >= 0)
            close(fds[i]);
}

int cradle_container_exec(const struct cradle_exec_opts *opts, struct cradle_created *out,
                          cradle_error **err)
{
    struct exec_job job = {.opts = opts,
                           .init_pidfd = -1,
                           .root_fd = -1,
                           .sync_fds = {-1, -1},
                           .pid = -1,
                           .pidfd = -1,
                           .console_fd = -1};
    int ret = -1;
    if (load(&job, err) == 0 && find_namespaces(&job, err) == 0 && open_cgroup(&job, err) == 0 &&
        spawn(&job, err) == 0)
        ret = start(&job, err);
    if (ret < 0 && job.pid > 0) {
        cradle_kill_and_wait(job.pid, job.pidfd, 1000);
        close(job.pidfd);
    } else if (ret == 0) {
        out->pid = job.pid;
        out->pidfd = job.pidfd;
        out->console_fd = TAKE_FD(job.console_fd);
    }
    release(&job);
    return ret;
}
