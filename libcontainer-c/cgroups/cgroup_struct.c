/* Building, classifying and freeing struct cradle_cgroup. */
#include "cgroup_internal.h"

#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"

enum procs_preference { PREFER_PIDS, PREFER_FREEZER, PREFER_UNIFIED, PREFER_ANY };

static enum procs_preference procs_preference_of(const struct cgroup_hierarchy *h)
{
    if (h == NULL)
        return PREFER_ANY;
    if (h->unified)
        return PREFER_UNIFIED;
    if (cgroup_has_controller(h->controllers, "pids"))
        return PREFER_PIDS;
    if (cgroup_has_controller(h->controllers, "freezer"))
        return PREFER_FREEZER;
    return PREFER_ANY;
}

void cgroup_classify_dirs(struct cradle_cgroup *cg, const struct cgroup_hierarchies *h)
{
    enum procs_preference best = PREFER_ANY;
    cg->unified_dir = NULL;
    cg->devices_dir = NULL;
    cg->procs_dir = cg->n_dirs > 0 ? cg->dirs[0] : NULL;
    for (size_t i = 0; i < cg->n_dirs; i++) {
        const struct cgroup_hierarchy *hier = cgroup_hierarchy_of(h, cg->dirs[i]);
        if (hier && hier->unified && cg->unified_dir == NULL)
            cg->unified_dir = cg->dirs[i];
        if (hier && !hier->unified && cgroup_has_controller(hier->controllers, "devices"))
            cg->devices_dir = cg->dirs[i];
        enum procs_preference pref = procs_preference_of(hier);
        if (pref < best) {
            best = pref;
            cg->procs_dir = cg->dirs[i];
        }
    }
}

static char **strv_copy(char *const *v, size_t *n)
{
    size_t count = 0;
    while (v && v[count])
        count++;
    _cleanup_strv_ char **copy = calloc(count + 1, sizeof(char *));
    if (copy == NULL)
        return NULL;
    for (size_t i = 0; i < count; i++)
        if ((copy[i] = strdup(v[i])) == NULL)
            return NULL;
    *n = count;
    return TAKE_PTR(copy);
}

struct cradle_cgroup *cradle_cgroup_from_dirs(const char *path, char *const *dirs,
                                              char *const *created)
{
    struct cradle_cgroup *cg = calloc(1, sizeof(*cg));
    if (cg == NULL)
        return NULL;
    cg->path = strdup(path ? path : "");
    cg->dirs = strv_copy(dirs, &cg->n_dirs);
    cg->created = strv_copy(created, &cg->n_created);
    if (cg->path == NULL || cg->dirs == NULL || cg->created == NULL) {
        cradle_cgroup_free(cg);
        return NULL;
    }
    /* Without mountinfo the dirs cannot be classified; procs_dir falls back to dirs[0]. */
    struct cgroup_hierarchies h = {0};
    cgroup_read_hierarchies(&h, NULL);
    cgroup_classify_dirs(cg, &h);
    cgroup_hierarchies_free(&h);
    return cg;
}

void cradle_cgroup_free(struct cradle_cgroup *cg)
{
    if (cg == NULL)
        return;
    free(cg->path);
    cleanup_strvp(&cg->dirs);
    cleanup_strvp(&cg->created);
    free(cg);
}
