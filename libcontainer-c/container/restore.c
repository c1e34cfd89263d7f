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
    char *bundle;
    char *rootfs;
    char *state_dir; /* absolute ROOT/ID */
    struct cradle_spec *spec;
    struct pp_policy policy;
    struct pp_context pp_ctx;
    int root_fd;
    int dir_fd;
    int image_fd;
    bool claimed;
    struct cradle_cgroup *cgroup;
    struct criu_args args;
    int ns_fds[MAX_INHERITED];
    size_t n_ns_fds;
    pid_t pid;
    int pidfd;
    struct cradle_state state;
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
    const char *bundle = o->bundle ? o->bundle : ".";
    job->bundle = realpath(bundle, NULL);
    if (job->bundle == NULL)
        return cradle_error_sys(err, "bundle %s", bundle);
    if (cradle_spec_load(job->bundle, &job->spec, err) < 0 ||
        cradle_bundle_rootfs(job->bundle, job->spec, &job->rootfs, err) < 0)
        return -1;
    struct cradle_create_opts as_create = {
        .root = o->root,
        .id = o->id,
        .bundle = job->bundle,
        .console_socket = o->console_socket,
        .no_pivot = o->no_pivot,
        .proc_policy_file = o->proc_policy_file,
    };
    if (cradle_validate_for_create(job->spec, &as_create, err) < 0)
        return -1;
    /* runc runs these when criu reports setup-namespaces (its RPC notifications); the
     * command-line criu offers that only through an action script: not done yet. */
    if (job->spec->hooks.prestart.n_hooks || job->spec->hooks.create_runtime.n_hooks)
        return cradle_error_set(err, ENOTSUP,
                                "not supported yet: hooks.prestart and hooks.createRuntime on "
                                "restore");
    return 0;
}

/* The same judgement create makes: the restored mounts are the bundle's. */
static int check_policy(struct restore_job *job, cradle_error **err)
{
    char why[512];
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

static int claim_resources(struct restore_job *job, cradle_error **err)
{
    const struct cradle_restore_opts *o = job->opts;
    job->root_fd = cradle_state_open_root(o->root, err);
    if (job->root_fd < 0)
        return -1;
    job->dir_fd = cradle_state_claim(job->root_fd, o->id, err);
    if (job->dir_fd < 0)
        return -1;
    job->claimed = true;
    _cleanup_free_ char *root = realpath(o->root, NULL);
    if (root == NULL || asprintf(&job->state_dir, "%s/%s", root, o->id) < 0)
        return cradle_error_sys(err, "state directory %s/%s", o->root, o->id);
    if (mkdirat(job->dir_fd, CRIU_ROOT_DIR, 0755) < 0)
        return cradle_error_sys(err, "creating %s/%s", job->state_dir, CRIU_ROOT_DIR);
    if (cradle_cgroup_create(job->spec->linux_.cgroups_path, o->id, &job->cgroup, err) < 0)
        return -1;
    if (job->spec->linux_.has_device_rules &&
        cradle_cgroup_apply_devices(job->cgroup, job->spec->linux_.device_rules,
                                    job->spec->linux_.n_device_rules, err) < 0)
        return -1;
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
        criu_add_restore_mounts(a, job->spec, job->bundle, job->rootfs, job->cgroup, err) < 0 ||
        criu_add_restore_namespaces(a, job->spec, job->ns_fds, MAX_INHERITED, &job->n_ns_fds, err) <
            0)
        return -1;
    return criu_add_inherited_stdio(a, image_fd, err);
}

static int read_restored_pid(struct restore_job *job, cradle_error **err)
{
    _cleanup_free_ char *text = NULL;
    if (cradle_read_file_at(job->dir_fd, CRIU_PID_FILE, &text, NULL) < 0)
        return cradle_error_sys(err, "reading the pid criu restored (%s/%s)", job->state_dir,
                                CRIU_PID_FILE);
    char *end;
    long pid = strtol(text, &end, 10);
    if (pid <= 0 || pid > INT_MAX || (*end != '\0' && *end != '\n'))
        return cradle_error_set(err, EINVAL, "%s/%s: not a pid: %s", job->state_dir, CRIU_PID_FILE,
                                text);
    job->pid = (pid_t)pid;
    job->pidfd = (int)syscall(SYS_pidfd_open, job->pid, 0);
    if (job->pidfd < 0)
        return cradle_error_sys(err, "pidfd_open of the restored init %d", job->pid);
    unlinkat(job->dir_fd, CRIU_PID_FILE, 0);
    unlinkat(job->dir_fd, CRIU_ROOT_DIR, AT_REMOVEDIR);
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
    _cleanup_close_ int root_fd = open(job->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root_fd < 0)
        return cradle_error_sys(err, "opening rootfs %s", job->rootfs);
    for (size_t i = 0; i < job->spec->n_mounts; i++) {
        const struct cradle_spec_mount *m = &job->spec->mounts[i];
        if ((m->type && (strcmp(m->type, "cgroup") == 0 || strcmp(m->type, "cgroup2") == 0)) ||
            under_tmpfs(job->spec, m->destination))
            continue;
        struct stat st;
        bool file = false;
        if (m->is_bind && m->source) {
            _cleanup_free_ char *source = m->source[0] == '/' ? strdup(m->source) : NULL;
            if (m->source[0] != '/' && asprintf(&source, "%s/%s", job->bundle, m->source) < 0)
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

static int run_criu(struct restore_job *job, cradle_error **err)
{
    if (prepare_mountpoints(job, err) < 0 || build_args(job, job->image_fd, err) < 0)
        return -1;
    _cleanup_free_ char *log = NULL;
    _cleanup_free_ char *criu_root = NULL;
    if (asprintf(&log, "%s/%s", job->work_path ? job->work_path : job->image_path,
                 CRIU_RESTORE_LOG) < 0 ||
        asprintf(&criu_root, "%s/%s", job->state_dir, CRIU_ROOT_DIR) < 0)
        return cradle_error_set(err, ENOMEM, "criu paths");
    struct criu_exec x = {
        .args = &job->args,
        .cgroup = job->cgroup,
        .root_source = job->rootfs,
        .root_target = criu_root,
        .keep_fds = job->ns_fds,
        .n_keep_fds = job->n_ns_fds,
        .action = "restore",
        .log_path = log,
    };
    if (criu_run(&x, err) < 0)
        return -1;
    return read_restored_pid(job, err);
}

static int record_state(struct restore_job *job, cradle_error **err)
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
    if (cradle_pid_start_time(job->pid, &s->pid_start_time, err) < 0 ||
        cradle_state_write(job->dir_fd, s, err) < 0)
        return -1;
    if (job->pid_file && cradle_write_pid_file(job->pid_file, job->pid, err) < 0)
        return -1;
    if (job->opts->record_exit && cradle_exit_monitor_start(job->dir_fd, job->pid, err) < 0)
        return -1;
    return 0;
}

static void unwind(struct restore_job *job)
{
    if (job->pid > 0)
        cradle_kill_and_wait(job->pid, job->pidfd, 5000);
    if (job->cgroup)
        cradle_cgroup_destroy(job->cgroup, NULL);
    if (job->claimed)
        cradle_state_remove(job->root_fd, job->opts->id, NULL);
}

static void release(struct restore_job *job)
{
    for (size_t i = 0; i < job->n_ns_fds; i++)
        close(job->ns_fds[i]);
    if (job->root_fd >= 0)
        close(job->root_fd);
    if (job->dir_fd >= 0)
        close(job->dir_fd);
    if (job->image_fd >= 0)
        close(job->image_fd);
    if (job->pidfd >= 0)
        close(job->pidfd);
    criu_args_free(&job->args);
    free(job->state.created);
    cradle_cgroup_free(job->cgroup);
    cradle_policy_context_free(&job->pp_ctx);
    pp_policy_free(&job->policy);
    if (job->spec)
        cradle_spec_free(job->spec);
    free(job->image_path);
    free(job->work_path);
    free(job->pid_file);
    free(job->bundle);
    free(job->rootfs);
    free(job->state_dir);
}

int cradle_container_restore(const struct cradle_restore_opts *opts, struct cradle_created *out,
                             cradle_error **err)
{
    struct restore_job job = {
        .opts = opts, .root_fd = -1, .dir_fd = -1, .image_fd = -1, .pidfd = -1};
    int ret = -1;
    if (cradle_state_check_id(opts->id, err) < 0 || absolute_paths(&job, err) < 0 ||
        open_images(&job, err) < 0 || load_bundle(&job, err) < 0 || check_policy(&job, err) < 0 ||
        claim_resources(&job, err) < 0 || run_criu(&job, err) < 0 || record_state(&job, err) < 0)
        unwind(&job);
    else
        ret = 0;
    if (ret == 0 && out) {
        out->pid = job.pid;
        out->pidfd = TAKE_FD(job.pidfd);
    }
    release(&job);
    return ret;
}
