/* Building, classifying and freeing struct cradle_cgroup. */
#include "cgroup_internal.h"

#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"

void cgroup_classify_dirs(struct cradle_cgroup *cg, const struct cgroup_hierarchies *h)
{
    cg->unified_dir = NULL;
    cg->devices_dir = NULL;
    for (size_t i = 0; i < cg->n_dirs; i++) {
        const struct cgroup_hierarchy *hier = cgroup_hierarchy_of(h, cg->dirs[i]);
        if (hier && hier->unified && cg->unified_dir == NULL)
            cg->unified_dir = cg->dirs[i];
        if (hier && !hier->unified && cgroup_has_controller(hier->controllers, "devices"))
            cg->devices_dir = cg->dirs[i];
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
                                              char *const *created, const char *systemd_unit)
{
    struct cradle_cgroup *cg = calloc(1, sizeof(*cg));
    if (cg == NULL)
        return NULL;
    cg->path = strdup(path ? path : "");
    cg->dirs = strv_copy(dirs, &cg->n_dirs);
    cg->created = strv_copy(created, &cg->n_created);
    cg->systemd_unit = systemd_unit ? strdup(systemd_unit) : NULL;
    if (cg->path == NULL || cg->dirs == NULL || cg->created == NULL ||
        (systemd_unit && cg->systemd_unit == NULL)) {
        cradle_cgroup_free(cg);
        return NULL;
    }
    /* Without mountinfo the dirs cannot be classified: no unified or devices dir. */
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
    free(cg->systemd_unit);
    cleanup_strvp(&cg->dirs);
    cleanup_strvp(&cg->created);
    free(cg);
}
