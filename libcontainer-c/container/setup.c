/* The steps create and restore share: from a bundle to a claimed id with a cgroup. */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/exit_monitor.h"
#include "cradle/hooks.h"
#include "cradle/log.h"
#include "cradle/rootfs.h"
#include "container_private.h"

void cradle_setup_init(struct cradle_setup *s, const char *id)
{
    *s = (struct cradle_setup){.id = id, .root_fd = -1, .dir_fd = -1, .pidfd = -1};
}

int cradle_setup_load(struct cradle_setup *s, const struct cradle_create_opts *opts,
                      cradle_error **err)
{
    const char *bundle = opts->bundle ? opts->bundle : ".";
    if (cradle_state_check_id(s->id, err) < 0)
        return -1;
    s->bundle = realpath(bundle, NULL);
    if (s->bundle == NULL)
        return cradle_error_sys(err, "bundle %s", bundle);
    if (chdir(s->bundle) < 0)
        return cradle_error_sys(err, "chdir to bundle %s", s->bundle);
    s->cgroup_driver =
        opts->systemd_cgroup ? CRADLE_CGROUP_DRIVER_SYSTEMD : CRADLE_CGROUP_DRIVER_FS;
    if (cradle_spec_read_config(s->bundle, &s->config_text, err) < 0 ||
        cradle_spec_parse(s->config_text, &s->spec, err) < 0 ||
        cradle_bundle_rootfs(s->bundle, s->spec, &s->rootfs, err) < 0)
        return -1;
    return cradle_validate_for_create(s->spec, opts, err);
}

int cradle_setup_check_policy(struct cradle_setup *s, const char *policy_file, cradle_error **err)
{
    char why[512];
    if (pp_policy_load(&s->policy, policy_file, why, sizeof(why)) < 0)
        return cradle_error_set(err, errno, "proc-policy: %s", why);
    if (cradle_policy_context(s->spec, &s->pp_ctx, err) < 0)
        return -1;
    struct cradle_rootfs_ctx rctx = {
        .spec = s->spec,
        .rootfs = s->rootfs,
        .policy = &s->policy,
        .pp_ctx = &s->pp_ctx,
    };
    for (size_t i = 0; i < s->spec->n_mounts; i++)
        if (cradle_rootfs_check_policy(&rctx, &s->spec->mounts[i], err) < 0)
            return cradle_error_wrap(err, "mounts[%zu]", i);
    return 0;
}

/* What is known before the init exists; recorded with the cgroup plan, so that a create
 * killed at any later point leaves a state.json that list shows and delete cleans (issue 6
 * item 7). Before that there is only the directory, which reads as a stopped container. */
static int describe_claim(struct cradle_setup *s, cradle_error **err)
{
    struct cradle_state *st = &s->state;
    st->id = (char *)s->id;
    st->bundle = s->bundle;
    st->rootfs = s->rootfs;
    st->created = cradle_now_rfc3339();
    st->owner_uid = geteuid();
    st->exit_status = -1;
    st->annotations = s->spec->annotations;
    st->n_annotations = s->spec->n_annotations;
    const struct cradle_spec_namespace *pidns = cradle_spec_find_namespace(s->spec, CLONE_NEWPID);
    st->own_pidns = pidns != NULL && pidns->path == NULL;
    st->poststart = s->spec->hooks.poststart;
    st->poststop = s->spec->hooks.poststop;
    st->creating = true;
    st->creator_pid = getpid();
    if (st->created == NULL)
        return cradle_error_set(err, ENOMEM, "state");
    if (cradle_pid_start_time(st->creator_pid, &st->creator_start_time, err) < 0)
        return -1;
    return cradle_state_mark_creating(s->dir_fd, err);
}

/* The cgroup directories are recorded before they are made. */
static int record_cgroup(const struct cradle_cgroup *cg, void *data, cradle_error **err)
{
    struct cradle_setup *s = data;
    s->state.cgroup_path = cg->path;
    s->state.cgroup_dirs = cg->dirs;
    s->state.cgroup_created = cg->created;
    s->state.systemd_unit = cg->systemd_unit;
    return cradle_state_write(s->dir_fd, &s->state, err);
}

/* The container's resources, once its cgroup exists: at claim for cgroupfs; for systemd,
 * once the init started the scope (cradle_setup_attach). The record goes into state.json
 * with cradle_setup_describe. */
static int apply_resources(struct cradle_setup *s, cradle_error **err)
{
    const struct cradle_resources *res = &s->spec->linux_.resources;
    /* Also without linux.resources: the default device rules apply, as runc's do. The copy
     * kept is what update merges its changes onto. */
    if (cradle_cgroup_apply(s->cgroup, res, false, err) < 0)
        return -1;
    return cradle_resources_record(&s->state, res, err);
}

/* Whether some hierarchy's directory was there before this create (only such a one can
 * hold processes yet). */
static bool uses_existing_dir(const struct cradle_cgroup *cg)
{
    for (size_t i = 0; i < cg->n_dirs; i++) {
        bool made = false;
        for (size_t j = 0; j < cg->n_created && !made; j++)
            made = strcmp(cg->dirs[i], cg->created[j]) == 0;
        if (!made)
            return true;
    }
    return false;
}

/* As runc: a cgroup that already holds processes is used, with a warning; delete then
 * kills them too unless the container has a pid namespace of its own (delete.c). The
 * usual create makes its directories and pays nothing here. */
static void warn_if_not_empty(const struct cradle_cgroup *cg)
{
    _cleanup_free_ pid_t *pids = NULL;
    size_t n = 0;
    if (uses_existing_dir(cg) && cradle_cgroup_pids(cg, &pids, &n, NULL) == 0 && n > 0)
        cradle_warn("container's cgroup is not empty: %zu process(es) found", n);
}

int cradle_setup_claim(struct cradle_setup *s, const char *root, cradle_error **err)
{
    const struct cradle_spec_linux *lnx = &s->spec->linux_;
    s->root_fd = cradle_state_open_root(root, err);
    if (s->root_fd < 0)
        return -1;
    s->dir_fd = cradle_state_claim(s->root_fd, s->id, err);
    if (s->dir_fd < 0)
        return -1;
    s->claimed = true;
    if (describe_claim(s, err) < 0 || cradle_state_save_config(s->dir_fd, s->config_text, err) < 0)
        return -1;
    if (cradle_cgroup_create(lnx->cgroups_path, s->id, s->cgroup_driver, record_cgroup, s,
                             &s->cgroup, err) < 0) {
        s->state.cgroup_path = s->state.systemd_unit = NULL;
        s->state.cgroup_dirs = s->state.cgroup_created = NULL;
        return -1;
    }
    if (s->cgroup->systemd_unit == NULL && apply_resources(s, err) < 0)
        return -1;
    if (cradle_cgroup_check_not_frozen(s->cgroup, err) < 0)
        return -1;
    warn_if_not_empty(s->cgroup);
    return 0;
}

int cradle_setup_bind_rootfs(struct cradle_setup *s, cradle_error **err)
{
    if (cradle_spec_find_namespace(s->spec, CLONE_NEWNS) != NULL)
        return 0;
    if (cradle_rootfs_bind_in_runtime_ns(s->rootfs, &s->state.rootfs_mount_id, err) < 0)
        return -1;
    return cradle_state_write(s->dir_fd, &s->state, err);
}

int cradle_setup_attach(struct cradle_setup *s, cradle_error **err)
{
    if (s->cgroup->systemd_unit == NULL)
        return 0;
    if (cradle_cgroup_attach(s->cgroup, s->pid, err) < 0)
        return -1;
    return apply_resources(s, err);
}

int cradle_setup_run_runtime_hooks(const struct cradle_setup *s, char **state_json,
                                   cradle_error **err)
{
    _cleanup_free_ char *json =
        cradle_state_to_oci_json(&s->state, CRADLE_STATUS_CREATING, false, false);
    if (json == NULL)
        return cradle_error_set(err, ENOMEM, "state JSON");
    if (cradle_hooks_run(&s->spec->hooks.prestart, "prestart", json, err) < 0 ||
        cradle_hooks_run(&s->spec->hooks.create_runtime, "createRuntime", json, err) < 0)
        return -1;
    if (state_json)
        *state_json = TAKE_PTR(json);
    return 0;
}

int cradle_setup_describe(struct cradle_setup *s, cradle_error **err)
{
    struct cradle_state *st = &s->state;
    st->pid = s->pid;
    st->cgroup_path = s->cgroup->path;
    st->cgroup_dirs = s->cgroup->dirs;
    st->cgroup_created = s->cgroup->created;
    st->systemd_unit = s->cgroup->systemd_unit;
    if (cradle_pid_start_time(s->pid, &st->pid_start_time, err) < 0)
        return -1;
    return cradle_state_write(s->dir_fd, st, err);
}

int cradle_setup_publish(struct cradle_setup *s, const char *pid_file, bool record_exit,
                         cradle_error **err)
{
    if (cradle_state_mark_created(s->dir_fd, err) < 0)
        return -1;
    /* Created: commands on the id no longer wait for this process. */
    flock(s->dir_fd, LOCK_UN);
    if (pid_file && cradle_write_pid_file(pid_file, s->pid, err) < 0)
        return -1;
    if (record_exit && cradle_exit_monitor_start(s->dir_fd, s->pid, err) < 0)
        return -1;
    return 0;
}

/* The id's directory may have been removed (delete of a container that had no state yet)
 * and claimed again by another create: only the one this create made is removed. */
static bool still_claimed(const struct cradle_setup *s)
{
    struct stat mine, named;
    return fstat(s->dir_fd, &mine) == 0 &&
           fstatat(s->root_fd, s->id, &named, AT_SYMLINK_NOFOLLOW) == 0 &&
           mine.st_dev == named.st_dev && mine.st_ino == named.st_ino;
}

void cradle_setup_unwind(struct cradle_setup *s)
{
    if (s->pid > 0)
        cradle_kill_and_wait(s->pid, s->pidfd, 5000);
    cradle_rootfs_release_runtime_ns(s->rootfs, s->state.rootfs_mount_id);
    if (s->cgroup)
        cradle_cgroup_destroy(s->cgroup, NULL);
    if (s->claimed && still_claimed(s))
        cradle_state_remove(s->root_fd, s->id, NULL);
}

void cradle_setup_release(struct cradle_setup *s)
{
    if (s->root_fd >= 0)
        close(s->root_fd);
    if (s->dir_fd >= 0)
        close(s->dir_fd);
    if (s->pidfd >= 0)
        close(s->pidfd);
    free(s->state.created);
    json_object_put(s->state.resources);
    cradle_cgroup_free(s->cgroup);
    cradle_policy_context_free(&s->pp_ctx);
    pp_policy_free(&s->policy);
    if (s->spec)
        cradle_spec_free(s->spec);
    free(s->config_text);
    free(s->bundle);
    free(s->rootfs);
}
