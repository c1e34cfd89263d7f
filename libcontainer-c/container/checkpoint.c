/* checkpoint: criu dump (or pre-dump) of a running container's process tree, with
 * runc's options; then the container is destroyed unless it is left running. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/fileutil.h"
#include "cradle/criu.h"
#include "container_private.h"

struct checkpoint_job {
    const struct cradle_checkpoint_opts *opts;
    struct cradle_criu_opts criu; /* with absolute paths */
    bool owns_paths;
    struct cradle_state *state;
    struct cradle_spec *spec;
    struct criu_args args;
};

/* mkdir -p, mode 0700 for what it creates. */
static int mkdir_parents(const char *path, cradle_error **err)
{
    _cleanup_free_ char *copy = strdup(path);
    if (copy == NULL)
        return cradle_error_set(err, ENOMEM, "%s", path);
    for (char *p = copy + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(copy, 0700) < 0 && errno != EEXIST)
            return cradle_error_sys(err, "creating %s", copy);
        if (saved == '\0')
            return 0;
        *p = saved;
    }
}

/* As runc: the image directory is created when missing; --parent-path is relative to it
 * and must be a directory. */
static int prepare_paths(struct checkpoint_job *job, cradle_error **err)
{
    const struct cradle_checkpoint_opts *o = job->opts;
    job->criu = o->criu;
    char *image = cradle_absolute_path(o->criu.image_path ? o->criu.image_path : "checkpoint");
    char *work = o->criu.work_path ? cradle_absolute_path(o->criu.work_path) : NULL;
    job->criu.image_path = image;
    job->criu.work_path = work;
    job->owns_paths = true;
    if (image == NULL || (o->criu.work_path && work == NULL))
        return cradle_error_set(err, ENOMEM, "image path");
    if (mkdir_parents(image, err) < 0)
        return cradle_error_wrap(err, "--image-path");
    if (work && mkdir_parents(work, err) < 0)
        return cradle_error_wrap(err, "--work-path");
    if (o->parent_path == NULL)
        return 0;
    if (o->parent_path[0] == '/')
        return cradle_error_set(err, EINVAL, "--parent-path must be relative");
    _cleanup_free_ char *parent = NULL;
    struct stat st;
    if (asprintf(&parent, "%s/%s", image, o->parent_path) < 0)
        return cradle_error_set(err, ENOMEM, "--parent-path");
    if (stat(parent, &st) < 0)
        return cradle_error_sys(err, "invalid --parent-path %s", parent);
    if (!S_ISDIR(st.st_mode))
        return cradle_error_set(err, ENOTDIR, "invalid --parent-path %s: not a directory", parent);
    return 0;
}

/* runc hands criu the v1 freezer so the whole cgroup is frozen, not only the tree. */
static int add_freezer(struct checkpoint_job *job, const struct cradle_cgroup *cg,
                       cradle_error **err)
{
    struct criu_hierarchy *h = NULL;
    size_t n = 0;
    if (criu_host_hierarchies(&h, &n, err) < 0)
        return -1;
    int ret = 0;
    for (size_t i = 0; i < n; i++) {
        const char *dir = criu_cgroup_dir_in(cg, &h[i]);
        if (dir && strstr(h[i].options, "freezer")) {
            ret = criu_args_add(&job->args, "--freeze-cgroup", err) < 0
                      ? -1
                      : criu_args_add(&job->args, dir, err);
            break;
        }
    }
    criu_hierarchies_free(h, n);
    return ret;
}

/* runc's setPageServer: HOST:PORT (or [V6]:PORT), with its messages. With lazy pages criu
 * itself serves the pages at that address; otherwise it sends them to a page server there. */
static int add_page_server(struct criu_args *a, const struct cradle_checkpoint_opts *o,
                           cradle_error **err)
{
    const char *colon = strrchr(o->page_server, ':');
    if (colon == NULL || colon == o->page_server || colon[1] == '\0')
        return cradle_error_set(err, EINVAL,
                                "Use --page-server ADDRESS:PORT to specify page server");
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end != '\0' || port < 0 || port > 65535)
        return cradle_error_set(err, EINVAL, "Invalid port number");
    const char *host = o->page_server;
    size_t host_len = (size_t)(colon - host);
    if (host[0] == '[' && host_len > 2 && host[host_len - 1] == ']') {
        host++;
        host_len -= 2;
    }
    if ((!o->criu.lazy_pages && criu_args_add(a, "--page-server", err) < 0) ||
        criu_args_add(a, "--address", err) < 0 ||
        criu_args_addf(a, err, "%.*s", (int)host_len, host) < 0 ||
        criu_args_add(a, "--port", err) < 0 || criu_args_addf(a, err, "%ld", port) < 0)
        return -1;
    return 0;
}

/* runc checks the descriptor the caller handed over: open and writable. criu inherits it
 * under the same number. */
static int add_status_fd(struct criu_args *a, int fd, cradle_error **err)
{
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0)
        return cradle_error_sys(err, "invalid --status-fd argument %d", fd);
    if ((flags & O_ACCMODE) == O_RDONLY)
        return cradle_error_set(err, EBADF, "invalid --status-fd argument %d: not writable", fd);
    if (criu_args_add(a, "--status-fd", err) < 0 || criu_args_addf(a, err, "%d", fd) < 0)
        return -1;
    return 0;
}

static int build_args(struct checkpoint_job *job, int image_fd, cradle_error **err)
{
    const struct cradle_checkpoint_opts *o = job->opts;
    struct criu_args *a = &job->args;
    pid_t pid = job->state->pid;
    if (criu_args_add(a, CRIU_BINARY, err) < 0 ||
        criu_args_add(a, o->pre_dump ? "pre-dump" : "dump", err) < 0 ||
        criu_args_addf(a, err, "--tree=%d", pid) < 0 || criu_args_add(a, "--root", err) < 0 ||
        criu_args_add(a, job->state->rootfs, err) < 0 ||
        criu_add_common_options(a, &job->criu, CRIU_DUMP_LOG, err) < 0)
        return -1;
    if (o->leave_running && criu_args_add(a, "--leave-running", err) < 0)
        return -1;
    if (o->pre_dump && criu_args_add(a, "--track-mem", err) < 0)
        return -1;
    if (o->page_server && add_page_server(a, o, err) < 0)
        return -1;
    /* As runc, the status descriptor matters only for lazy pages. */
    if (o->criu.lazy_pages && o->status_fd >= 0 && add_status_fd(a, o->status_fd, err) < 0)
        return -1;
    if (o->parent_path && (criu_args_add(a, "--prev-images-dir", err) < 0 ||
                           criu_args_add(a, o->parent_path, err) < 0 ||
                           (!o->pre_dump && criu_args_add(a, "--track-mem", err) < 0)))
        return -1;
    struct cradle_cgroup *cg =
        cradle_cgroup_from_dirs(job->state->cgroup_path, job->state->cgroup_dirs,
                                job->state->cgroup_created, job->state->systemd_unit);
    int ret = add_freezer(job, cg, err);
    cradle_cgroup_free(cg);
    if (ret < 0 || criu_add_dump_namespaces(a, job->spec, err) < 0)
        return -1;
    /* As runc: the mount map and the stdio record are for the final dump only. */
    if (o->pre_dump)
        return 0;
    if (criu_add_dump_mounts(a, job->spec, job->state->rootfs, pid, err) < 0 ||
        (job->spec->process.terminal && criu_add_dump_tty(a, pid, image_fd, err) < 0))
        return -1;
    return criu_write_descriptors(image_fd, pid, err);
}

static int dump(struct checkpoint_job *job, cradle_error **err)
{
    const struct cradle_checkpoint_opts *o = job->opts;
    _cleanup_close_ int root_fd = -1, dir_fd = -1;
    if (cradle_state_load(o->root, o->id, true, &root_fd, &dir_fd, &job->state, err) < 0)
        return -1;
    enum cradle_status status = cradle_state_status(dir_fd, job->state);
    if (status != CRADLE_STATUS_RUNNING && status != CRADLE_STATUS_PAUSED)
        return cradle_error_set(err, EINVAL, "container %s cannot be checkpointed in %s state",
                                o->id, cradle_status_name(status));
    if (cradle_spec_load(job->state->bundle, &job->spec, err) < 0)
        return cradle_error_wrap(err, "bundle of %s", o->id);
    if (prepare_paths(job, err) < 0)
        return -1;
    /* Incremental dumps need the kernel's soft-dirty bits, as runc checks too. */
    if ((o->pre_dump || o->parent_path) && criu_check_feature("mem_dirty_track", err) < 0) {
        cradle_error_free(err);
        return cradle_error_set(err, ENOTSUP,
                                "%s needs memory dirty tracking, which criu and this kernel do "
                                "not offer (criu check --feature mem_dirty_track)",
                                o->pre_dump ? "--pre-dump" : "--parent-path");
    }
    if (o->criu.lazy_pages && criu_check_feature("uffd-noncoop", err) < 0) {
        cradle_error_free(err);
        return cradle_error_set(err, ENOTSUP,
                                "--lazy-pages needs userfaultfd, which criu and this kernel do not "
                                "offer (criu check --feature uffd-noncoop)");
    }
    _cleanup_close_ int image_fd = open(job->criu.image_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (image_fd < 0)
        return cradle_error_sys(err, "--image-path %s", job->criu.image_path);
    if (build_args(job, image_fd, err) < 0)
        return -1;
    _cleanup_free_ char *log = NULL;
    const char *work = job->criu.work_path ? job->criu.work_path : job->criu.image_path;
    if (asprintf(&log, "%s/%s", work, CRIU_DUMP_LOG) < 0)
        return cradle_error_set(err, ENOMEM, "criu log path");
    struct criu_exec x = {
        .args = &job->args,
        .action = o->pre_dump ? "pre-dump" : "dump",
        .log_path = log,
    };
    return criu_run(&x, err);
}

int cradle_container_checkpoint(const struct cradle_checkpoint_opts *opts, cradle_error **err)
{
    struct checkpoint_job job = {.opts = opts};
    int ret = cradle_state_check_id(opts->id, err) < 0 ? -1 : dump(&job, err);
    criu_args_free(&job.args);
    if (job.owns_paths) {
        free((char *)job.criu.image_path);
        free((char *)job.criu.work_path);
    }
    if (job.spec)
        cradle_spec_free(job.spec);
    if (job.state)
        cradle_state_free(job.state);
    if (ret < 0 || opts->leave_running || opts->pre_dump)
        return ret;
    /* criu has killed the tree; what is left goes as with "delete --force" (cgroup,
     * poststop hooks, state), the lock taken above being released by now. */
    return cradle_container_delete(opts->root, opts->id, true, err);
}
