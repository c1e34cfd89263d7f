/* restore: the container is recreated from the bundle as create does (state entry,
 * cgroup), then criu restores its processes, namespaces and mounts from the images onto
 * the bundle's rootfs; the restored init becomes a child of this process. Any failure
 * unwinds what was made. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/criu.h"
#include "cradle/exit_monitor.h"
#include "cradle/fileutil.h"
#include "cradle/pathsafe.h"
#include "cradle/rootfs.h"
#include "cradle/terminal.h"
#include "container_private.h"

#define CRIU_ROOT_DIR "criu-root" /* the rootfs bind criu restores onto, as runc's */
#define CRIU_PID_FILE "criu.pid"
#define MAX_INHERITED 8

struct restore_job {
    const struct cradle_restore_opts *opts;
    struct cradle_criu_opts criu; /* paths made absolute */
    char *image_path;
    char *work_path;
    char *pid_file;
    char *state_dir; /* absolute ROOT/ID */
    struct cradle_setup s;
    int image_fd;
    struct criu_args args;
    int inherited_fds[MAX_INHERITED]; /* namespaces and the pty slave, for criu */
    size_t n_inherited_fds;
    int pty_master; /* process.terminal: the new pty, handed over once restored */
    int console_fd; /* the master kept for the foreground relay (no --console-socket) */
    struct criu_notify notify;
};

/* Relative paths are the caller's: they are fixed before anything else. */
static int absolute_paths(struct restore_job *job, cradle_error **err)
{
    const struct cradle_restore_opts *o = job->opts;
    job->image_path = cradle_absolute_path(o->criu.image_path ? o->criu.image_path : "checkpoint");
    job->work_path = o->criu.work_path ? cradle_absolute_path(o->criu.work_path) : NULL;
    job->pid_file = o->pid_file ? cradle_absolute_path(o->pid_file) : NULL;
    if (job->image_path == NULL || (o->criu.work_path && job->work_path == NULL) ||
        (o->pid_file && job->pid_file == NULL))
        return cradle_error_set(err, ENOMEM, "restore paths");
    job->criu = o->criu;
    job->criu.image_path = job->image_path;
    job->criu.work_path = job->work_path;
    return 0;
}

static int load_bundle(struct restore_job *job, cradle_error **err)
{
    const struct cradle_restore_opts *o = job->opts;
    struct cradle_create_opts as_create = {
        .root = o->root,
        .id = o->id,
        .bundle = o->bundle,
        .console_socket = o->console_socket,
        .detach = o->record_exit,
        .no_pivot = o->no_pivot,
        .proc_policy_file = o->proc_policy_file,
        .systemd_cgroup = o->systemd_cgroup,
    };
    return cradle_setup_load(&job->s, &as_create, err);
}

/* A new pty on the host's /dev/ptmx for the restored processes, in place of the one left
 * with the engine at checkpoint (criu_add_restore_tty): the slave is passed to criu, the
 * master goes to --console-socket once the restore succeeded. */
static int add_terminal(struct restore_job *job, cradle_error **err)
{
    if (job->n_inherited_fds == MAX_INHERITED)
        return cradle_error_set(err, EMFILE, "too many descriptors for criu");
    char path[64];
    int slave;
    if (cradle_terminal_open_pty(&job->s.spec->process, &job->pty_master, &slave, path,
                                 sizeof(path), err) < 0)
        return cradle_error_wrap(err, "process.terminal");
    job->inherited_fds[job->n_inherited_fds++] = slave;
    return criu_add_restore_tty(&job->args, job->image_fd, slave, path, err);
}

/* The state entry and cgroup as create makes them, plus the directory criu restores the
 * rootfs onto. */
static int claim_resources(struct restore_job *job, cradle_error **err)
{
    const struct cradle_restore_opts *o = job->opts;
    if (cradle_setup_claim(&job->s, o->root, err) < 0)
        return -1;
    _cleanup_free_ char *root = realpath(o->root, NULL);
    if (root == NULL || asprintf(&job->state_dir, "%s/%s", root, o->id) < 0)
        return cradle_error_sys(err, "state directory %s/%s", o->root, o->id);
    if (mkdirat(job->s.dir_fd, CRIU_ROOT_DIR, 0755) < 0)
        return cradle_error_sys(err, "creating %s/%s", job->state_dir, CRIU_ROOT_DIR);
    return 0;
}

static int build_args(struct restore_job *job, int image_fd, cradle_error **err)
{
    struct criu_args *a = &job->args;
    if (criu_args_add(a, CRIU_BINARY, err) < 0 || criu_args_add(a, "restore", err) < 0 ||
        criu_args_add(a, "--root", err) < 0 ||
        criu_args_addf(a, err, "%s/%s", job->state_dir, CRIU_ROOT_DIR) < 0 ||
        criu_args_add(a, "--pidfile", err) < 0 ||
        criu_args_addf(a, err, "%s/%s", job->state_dir, CRIU_PID_FILE) < 0 ||
        /* The restored init is our child and criu exits once it runs, as runc's
         * RstSibling; devices are matched by number, not path (EvasiveDevices). */
        criu_args_add(a, "--restore-detached", err) < 0 ||
        criu_args_add(a, "--restore-sibling", err) < 0 ||
        criu_args_add(a, "--evasive-devices", err) < 0 ||
        criu_add_common_options(a, &job->criu, CRIU_RESTORE_LOG, err) < 0 ||
        criu_add_restore_mounts(a, job->s.spec, job->s.bundle, job->s.rootfs, job->s.cgroup, err) <
            0 ||
        criu_add_restore_namespaces(a, job->s.spec, job->inherited_fds, MAX_INHERITED,
                                    &job->n_inherited_fds, err) < 0 ||
        (job->s.spec->process.terminal && add_terminal(job, err) < 0))
        return -1;
    return criu_add_inherited_stdio(a, image_fd, err);
}

static int read_restored_pid(struct restore_job *job, cradle_error **err)
{
    _cleanup_free_ char *text = NULL;
    if (cradle_read_file_at(job->s.dir_fd, CRIU_PID_FILE, &text, NULL) < 0)
        return cradle_error_sys(err, "reading the pid criu restored (%s/%s)", job->state_dir,
                                CRIU_PID_FILE);
    char *end;
    long pid = strtol(text, &end, 10);
    if (pid <= 0 || pid > INT_MAX || (*end != '\0' && *end != '\n'))
        return cradle_error_set(err, EINVAL, "%s/%s: not a pid: %s", job->state_dir, CRIU_PID_FILE,
                                text);
    job->s.pid = (pid_t)pid;
    job->s.pidfd = (int)syscall(SYS_pidfd_open, job->s.pid, 0);
    if (job->s.pidfd < 0)
        return cradle_error_sys(err, "pidfd_open of the restored init %d", job->s.pid);
    unlinkat(job->s.dir_fd, CRIU_PID_FILE, 0);
    unlinkat(job->s.dir_fd, CRIU_ROOT_DIR, AT_REMOVEDIR);
    return 0;
}

/* true when dest lies below the destination of one of the spec's tmpfs mounts, whose
 * contents criu restores itself. */
static bool under_tmpfs(const struct cradle_spec *spec, const char *dest)
{
    for (size_t i = 0; i < spec->n_mounts; i++) {
        const struct cradle_spec_mount *m = &spec->mounts[i];
        size_t len = strlen(m->destination);
        if (m->type && strcmp(m->type, "tmpfs") == 0 && strncmp(dest, m->destination, len) == 0 &&
            dest[len] == '/')
            return true;
    }
    return false;
}

/* As runc: the mount points the container had are made in the rootfs, which may be a new
 * one (an engine's restore into a new container): a file for a bind of a file, else a
 * directory. criu mounts on them; cgroup mounts live inside /sys/fs/cgroup's own mount. */
static int prepare_mountpoints(struct restore_job *job, cradle_error **err)
{
    _cleanup_close_ int root_fd = open(job->s.rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root_fd < 0)
        return cradle_error_sys(err, "opening rootfs %s", job->s.rootfs);
    for (size_t i = 0; i < job->s.spec->n_mounts; i++) {
        const struct cradle_spec_mount *m = &job->s.spec->mounts[i];
        if ((m->type && (strcmp(m->type, "cgroup") == 0 || strcmp(m->type, "cgroup2") == 0)) ||
            under_tmpfs(job->s.spec, m->destination))
            continue;
        struct stat st;
        bool file = false;
        if (m->is_bind && m->source) {
            _cleanup_free_ char *source = m->source[0] == '/' ? strdup(m->source) : NULL;
            if (m->source[0] != '/' && asprintf(&source, "%s/%s", job->s.bundle, m->source) < 0)
                source = NULL;
            if (source == NULL)
                return cradle_error_set(err, ENOMEM, "mounts[%zu].source", i);
            if (stat(source, &st) < 0)
                return cradle_error_sys(err, "mounts[%zu].source %s", i, source);
            file = !S_ISDIR(st.st_mode);
        }
        _cleanup_close_ int fd = cradle_mkdir_p_in_root(root_fd, m->destination, 0755, file, err);
        if (fd < 0)
            return cradle_error_wrap(err, "mounts[%zu]: mount point", i);
    }
    return 0;
}

static int open_images(struct restore_job *job, cradle_error **err)
{
    job->image_fd = open(job->image_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (job->image_fd < 0)
        return cradle_error_sys(err, "--image-path %s", job->image_path);
    return 0;
}

/* As runc at criu's setup-namespaces notification: the restored init exists in its new
 * namespaces (not yet running its old code); the hooks get the state with its pid. The pid
 * is not kept: if the restore fails, criu kills what it made. */
static int run_runtime_hooks(pid_t pid, void *data, cradle_error **err)
{
    struct restore_job *job = data;
    job->s.pid = pid;
    int ret = cradle_setup_describe(&job->s, err);
    job->s.pid = 0;
    if (ret < 0)
        return -1;
    return cradle_setup_run_runtime_hooks(&job->s, NULL, err);
}

static int prepare_hooks(struct restore_job *job, cradle_error **err)
{
    const struct cradle_spec_hooks *h = &job->s.spec->hooks;
    if (h->prestart.n_hooks == 0 && h->create_runtime.n_hooks == 0)
        return 0;
    job->notify.setup_namespaces = run_runtime_hooks;
    job->notify.data = job;
    return criu_notify_prepare(&job->notify, job->s.dir_fd, job->state_dir, &job->args, err);
}

/* As runc's criuApplyCgroups: the systemd scope starts with criu's pid (the restored tree
 * is forked from criu, so it lands there too) and gets the container's resources. */
static int place_in_scope(pid_t criu, void *data, cradle_error **err)
{
    struct restore_job *job = data;
    job->s.pid = criu;
    int ret = cradle_setup_attach(&job->s, err);
    job->s.pid = 0;
    return ret;
}

static int run_criu(struct restore_job *job, cradle_error **err)
{
    if (prepare_mountpoints(job, err) < 0 || build_args(job, job->image_fd, err) < 0 ||
        prepare_hooks(job, err) < 0)
        return -1;
    _cleanup_free_ char *log = NULL;
    _cleanup_free_ char *criu_root = NULL;
    if (asprintf(&log, "%s/%s", job->work_path ? job->work_path : job->image_path,
                 CRIU_RESTORE_LOG) < 0 ||
        asprintf(&criu_root, "%s/%s", job->state_dir, CRIU_ROOT_DIR) < 0)
        return cradle_error_set(err, ENOMEM, "criu paths");
    struct criu_exec x = {
        .args = &job->args,
        .cgroup = job->s.cgroup,
        .root_source = job->s.rootfs,
        .root_target = criu_root,
        .keep_fds = job->inherited_fds,
        .n_keep_fds = job->n_inherited_fds,
        .place = job->s.cgroup->systemd_unit ? place_in_scope : NULL,
        .place_data = job,
        .notify = job->notify.setup_namespaces ? &job->notify : NULL,
        .action = "restore",
        .log_path = log,
    };
    int ret = criu_run(&x, err);
    if (ret < 0 && job->notify.failure) {
        /* The hook's own error says more than criu's "action scripts failed". */
        cradle_error_free(err);
        *err = job->notify.failure;
        job->notify.failure = NULL;
    }
    if (ret < 0 || read_restored_pid(job, err) < 0)
        return -1;
    if (job->pty_master < 0)
        return 0;
    int master = job->pty_master;
    job->pty_master = -1;
    return cradle_terminal_hand_over(master, job->opts->console_socket, &job->console_fd, err);
}

static int record_state(struct restore_job *job, cradle_error **err)
{
    if (cradle_setup_describe(&job->s, err) < 0)
        return -1;
    return cradle_setup_publish(&job->s, job->pid_file, job->opts->record_exit, err);
}

static int restore_steps(struct restore_job *job, cradle_error **err)
{
    if (absolute_paths(job, err) < 0 || open_images(job, err) < 0 || load_bundle(job, err) < 0 ||
        cradle_setup_check_policy(&job->s, job->opts->proc_policy_file, err) < 0 ||
        claim_resources(job, err) < 0 || run_criu(job, err) < 0)
        return -1;
    return record_state(job, err);
}

int cradle_container_restore(const struct cradle_restore_opts *opts, struct cradle_created *out,
                             cradle_error **err)
{
    struct restore_job job = {
        .opts = opts,
        .image_fd = -1,
        .pty_master = -1,
        .console_fd = -1,
        .notify = CRIU_NOTIFY_INIT,
    };
    cradle_setup_init(&job.s, opts->id);
    int ret = restore_steps(&job, err);
    if (ret < 0)
        cradle_setup_unwind(&job.s);
    else if (out) {
        out->pid = job.s.pid;
        out->pidfd = TAKE_FD(job.s.pidfd);
        out->console_fd = TAKE_FD(job.console_fd);
    }
    for (size_t i = 0; i < job.n_inherited_fds; i++)
        close(job.inherited_fds[i]);
    if (job.pty_master >= 0)
        close(job.pty_master);
    if (job.console_fd >= 0)
        close(job.console_fd);
    if (job.image_fd >= 0)
        close(job.image_fd);
    criu_notify_release(&job.notify);
    criu_args_free(&job.args);
    free(job.image_path);
    free(job.work_path);
    free(job.pid_file);
    free(job.state_dir);
    cradle_setup_release(&job.s);
    return ret;
}
