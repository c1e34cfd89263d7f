/* cradle_cgroup_create: resolve cgroupsPath in every hierarchy and make the directories. */
#include "cgroup_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cradle/cleanup.h"

/* NULL or "" means "/<id>"; anything else is normalized. The result never names a
 * hierarchy's root or the caller's own cgroup, which cradle must not take over: validation
 * (spec/validate.c) refused such a cgroupsPath, and the id is checked here. */
static int resolve_cgroups_path(const char *cgroups_path, const char *id, char **out,
                                cradle_error **err)
{
    char *rel = NULL;
    if (cgroups_path == NULL || *cgroups_path == '\0') {
        if (id == NULL || *id == '\0' || strchr(id, '/') || strcmp(id, ".") == 0 ||
            strcmp(id, "..") == 0)
            return cradle_error_set(err, EINVAL, "container id \"%s\" cannot name a cgroup",
                                    id ? id : "");
        if (asprintf(&rel, "/%s", id) < 0)
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

/* mkdir -p of dir below mountpoint (never the mountpoint itself), recording new levels. */
static int make_levels(struct cradle_cgroup *cg, const char *mountpoint, const char *dir,
                       cradle_error **err)
{
    _cleanup_free_ char *level = strdup(dir);
    if (level == NULL)
        return cradle_error_set(err, ENOMEM, "creating cgroup %s", dir);
    size_t start = strlen(mountpoint);
    for (char *slash = level + start; slash;) {
        slash = strchr(slash + 1, '/');
        if (slash)
            *slash = '\0';
        if (mkdir(level, 0755) == 0) {
            if (remember_created(cg, level) < 0)
                return cradle_error_set(err, ENOMEM, "creating cgroup %s", level);
        } else if (errno != EEXIST) {
            return cradle_error_sys(err, "creating cgroup %s", level);
        }
        if (slash)
            *slash = '/';
    }
    return 0;
}

/* New v1 cpuset directories start with empty cpus/mems; fill them top-down before any
 * process can join. */
static int inherit_cpusets(const struct cradle_cgroup *cg, size_t first_new, const char *mountpoint,
                           cradle_error **err)
{
    for (size_t i = first_new; i < cg->n_created; i++)
        if (cgroup_path_is_under(cg->created[i], mountpoint) &&
            cgroup_cpuset_inherit(cg->created[i], err) < 0)
            return -1;
    return 0;
}

static int create_in_hierarchy(struct cradle_cgroup *cg, const struct cgroup_hierarchy *h,
                               const char *proc_cgroup, cradle_error **err)
{
    _cleanup_free_ char *own = NULL;
    if (proc_cgroup && cgroup_own_path(proc_cgroup, h, &own, err) < 0)
        return -1;
    char *dir = NULL;
    if (cgroup_container_dir(h, cg->path, own, &dir, err) < 0)
        return -1;
    cg->dirs[cg->n_dirs++] = dir;

    size_t first_new = cg->n_created;
    if (make_levels(cg, h->mountpoint, dir, err) < 0)
        return -1;
    if (!h->unified && cgroup_has_controller(h->controllers, "cpuset"))
        return inherit_cpusets(cg, first_new, h->mountpoint, err);
    return 0;
}

static int create_everywhere(struct cradle_cgroup *cg, const struct cgroup_hierarchies *h,
                             cradle_error **err)
{
    _cleanup_free_ char *proc_cgroup = NULL;
    if (cg->path[0] != '/' && cgroup_read_text("/proc/self/cgroup", &proc_cgroup, err) < 0)
        return -1;

    cg->dirs = calloc(h->n + 1, sizeof(char *));
    cg->created = calloc(1, sizeof(char *));
    if (cg->dirs == NULL || cg->created == NULL)
        return cradle_error_set(err, ENOMEM, "creating cgroup %s", cg->path);
    for (size_t i = 0; i < h->n; i++)
        if (create_in_hierarchy(cg, &h->items[i], proc_cgroup, err) < 0)
            return -1;
    cgroup_classify_dirs(cg, h);
    return 0;
}

int cradle_cgroup_create(const char *cgroups_path, const char *id, struct cradle_cgroup **out,
                         cradle_error **err)
{
    struct cgroup_hierarchies h = {0};
    if (cgroup_read_hierarchies(&h, err) < 0)
        return -1;
    if (h.n == 0) {
        cgroup_hierarchies_free(&h);
        return cradle_error_set(err, ENOENT, "no cgroup hierarchy is mounted on this host");
    }

    struct cradle_cgroup *cg = calloc(1, sizeof(*cg));
    int r = cg ? resolve_cgroups_path(cgroups_path, id, &cg->path, err)
               : cradle_error_set(err, ENOMEM, "creating cgroup for container %s", id);
    if (r == 0)
        r = create_everywhere(cg, &h, err);
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
