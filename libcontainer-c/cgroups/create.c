/* cradle_cgroup_create: resolve cgroupsPath in every hierarchy, plan the directories,
 * let the caller record the plan, then make them. */
#include "cgroup_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cradle/cleanup.h"
#include "cradle/log.h"

/* NULL or "" means "/<id>", or for the rootless manager "<id>" relative to the caller's
 * cgroup as runc's (on cgroup2 below its parent: a delegated subtree); anything else is normalized.
 * The result never names a hierarchy's root or the caller's own cgroup, which cradle must not take
 * over: validation (spec/validate.c) refused such a cgroupsPath, and the id is checked here. */
static int resolve_cgroups_path(const char *cgroups_path, const char *id, bool rootless, char **out,
                                cradle_error **err)
{
    char *rel = NULL;
    if (cgroups_path == NULL || *cgroups_path == '\0') {
        if (id == NULL || *id == '\0' || strchr(id, '/') || strcmp(id, ".") == 0 ||
            strcmp(id, "..") == 0)
            return cradle_error_set(err, EINVAL, "container id \"%s\" cannot name a cgroup",
                                    id ? id : "");
        if (asprintf(&rel, "%s%s", rootless ? "" : "/", id) < 0)
            rel = NULL;
    } else {
        rel = cgroup_path_normalize(cgroups_path);
    }
    if (rel == NULL)
        return cradle_error_set(err, ENOMEM, "cgroup path for container %s", id);
    *out = rel;
    return 0;
}

static int remember_created(struct cradle_cgroup *cg, const char *dir)
{
    char **grown = realloc(cg->created, (cg->n_created + 2) * sizeof(char *));
    if (grown == NULL)
        return -1;
    cg->created = grown;
    cg->created[cg->n_created] = strdup(dir);
    if (cg->created[cg->n_created] == NULL)
        return -1;
    cg->created[++cg->n_created] = NULL;
    return 0;
}

/* The levels of dir below mountpoint (never the mountpoint itself) that do not exist yet,
 * top-down: cradle will make them, so cradle will remove them. */
static int plan_levels(struct cradle_cgroup *cg, const char *mountpoint, const char *dir,
                       cradle_error **err)
{
    _cleanup_free_ char *level = strdup(dir);
    if (level == NULL)
        return cradle_error_set(err, ENOMEM, "creating cgroup %s", dir);
    struct stat st;
    for (char *slash = level + strlen(mountpoint); slash;) {
        slash = strchr(slash + 1, '/');
        if (slash)
            *slash = '\0';
        if (stat(level, &st) < 0) {
            if (errno != ENOENT)
                return cradle_error_sys(err, "creating cgroup %s", level);
            if (remember_created(cg, level) < 0)
                return cradle_error_set(err, ENOMEM, "creating cgroup %s", level);
        }
        if (slash)
            *slash = '/';
    }
    return 0;
}

static int plan_in_hierarchy(struct cradle_cgroup *cg, const struct cgroup_hierarchy *h,
                             const char *proc_cgroup, bool skip_unusable, cradle_error **err)
{
    _cleanup_free_ char *own = NULL;
    if (proc_cgroup && cgroup_own_path(proc_cgroup, h, &own, err) < 0)
        return -1;
    char *dir = NULL;
    if (cgroup_container_dir(h, cg->path, own, &dir, err) < 0)
        return -1;
    if (skip_unusable && !cgroup_rootless_usable(h->mountpoint, dir)) {
        cradle_debug("rootless: no permission for cgroup %s, not using it", dir);
        free(dir);
        return 0;
    }
    cg->dirs[cg->n_dirs++] = dir;
    return plan_levels(cg, h->mountpoint, dir, err);
}

/* skip_unusable: runc's rootless cgroup manager, which leaves out (ErrRootless) the
 * hierarchies it has no permission for when no cgroupsPath was asked for. */
static int plan_everywhere(struct cradle_cgroup *cg, const struct cgroup_hierarchies *h,
                           bool skip_unusable, cradle_error **err)
{
    _cleanup_free_ char *proc_cgroup = NULL;
    if (cg->path[0] != '/' && cgroup_read_text("/proc/self/cgroup", &proc_cgroup, err) < 0)
        return -1;

    cg->dirs = calloc(h->n + 1, sizeof(char *));
    cg->created = calloc(1, sizeof(char *));
    if (cg->dirs == NULL || cg->created == NULL)
        return cradle_error_set(err, ENOMEM, "creating cgroup %s", cg->path);
    for (size_t i = 0; i < h->n; i++)
        if (plan_in_hierarchy(cg, &h->items[i], proc_cgroup, skip_unusable, err) < 0)
            return -1;
    if (cgroup_classify_dirs(cg, h) < 0)
        return cradle_error_set(err, ENOMEM, "creating cgroup %s", cg->path);
    return 0;
}

static void forget_created(struct cradle_cgroup *cg, size_t i)
{
    free(cg->created[i]);
    memmove(&cg->created[i], &cg->created[i + 1], (cg->n_created - i) * sizeof(char *));
    cg->n_created--;
}

/* Makes the planned levels, parents first. New v1 cpuset directories start with empty
 * cpus/mems: they are filled before any process can join. */
static int make_planned(struct cradle_cgroup *cg, const struct cgroup_hierarchies *h,
                        cradle_error **err)
{
    for (size_t i = 0; i < cg->n_created; i++) {
        const char *level = cg->created[i];
        if (mkdir(level, 0755) < 0) {
            if (errno != EEXIST)
                return cradle_error_sys(err, "creating cgroup %s", level);
            /* Made by someone else since it was planned: not cradle's to remove. */
            forget_created(cg, i--);
            continue;
        }
        const struct cgroup_hierarchy *hier = cgroup_hierarchy_of(h, level);
        if (hier && !hier->unified && cgroup_has_controller(hier->controllers, "cpuset") &&
            cgroup_cpuset_inherit(level, err) < 0)
            return -1;
    }
    return 0;
}

int cradle_cgroup_create(const char *cgroups_path, const char *id, enum cradle_cgroup_driver driver,
                         cradle_cgroup_record_fn record, void *data, struct cradle_cgroup **out,
                         cradle_error **err)
{
    if (driver == CRADLE_CGROUP_DRIVER_SYSTEMD)
        return cgroup_systemd_create(cgroups_path, id, record, data, out, err);
    struct cgroup_hierarchies h = {0};
    if (cgroup_read_hierarchies(&h, err) < 0)
        return -1;
    if (h.n == 0) {
        cgroup_hierarchies_free(&h);
        return cradle_error_set(err, ENOENT, "no cgroup hierarchy is mounted on this host");
    }

    struct cradle_cgroup *cg = calloc(1, sizeof(*cg));
    bool rootless_default = cgroup_rootless() && (cgroups_path == NULL || *cgroups_path == '\0');
    int r = cg ? resolve_cgroups_path(cgroups_path, id, rootless_default, &cg->path, err)
               : cradle_error_set(err, ENOMEM, "creating cgroup for container %s", id);
    if (r == 0)
        r = plan_everywhere(cg, &h, rootless_default, err);
    if (r == 0)
        r = record(cg, data, err);
    if (r == 0)
        r = make_planned(cg, &h, err);
    const struct cgroup_hierarchy *unified =
        cg && cg->unified_dir ? cgroup_hierarchy_of(&h, cg->unified_dir) : NULL;
    if (r == 0 && unified)
        cgroup_enable_controllers(unified->mountpoint, cg->unified_dir);
    cgroup_hierarchies_free(&h);
    if (r < 0) {
        if (cg)
            cradle_cgroup_destroy(cg, NULL);
        cradle_cgroup_free(cg);
        return -1;
    }
    *out = cg;
    return 0;
}
