/* Building, classifying and freeing struct cradle_cgroup. */
#include "cgroup_internal.h"

#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"

static void free_dir_controllers(struct cradle_cgroup *cg)
{
    for (size_t i = 0; cg->dir_controllers && i < cg->n_dirs; i++)
        free(cg->dir_controllers[i]);
    free(cg->dir_controllers);
    cg->dir_controllers = NULL;
}

int cgroup_classify_dirs(struct cradle_cgroup *cg, const struct cgroup_hierarchies *h)
{
    cg->unified_dir = NULL;
    cg->devices_dir = NULL;
    free_dir_controllers(cg);
    cg->dir_controllers = calloc(cg->n_dirs + 1, sizeof(char *));
    if (cg->dir_controllers == NULL)
        return -1;
    for (size_t i = 0; i < cg->n_dirs; i++) {
        const struct cgroup_hierarchy *hier = cgroup_hierarchy_of(h, cg->dirs[i]);
        if (hier && hier->unified && cg->unified_dir == NULL)
            cg->unified_dir = cg->dirs[i];
        if (hier == NULL || hier->unified)
            continue;
        if ((cg->dir_controllers[i] = strdup(hier->controllers)) == NULL)
            return -1;
        if (cgroup_has_controller(hier->controllers, "devices"))
            cg->devices_dir = cg->dirs[i];
    }
    return 0;
}

const char *cgroup_v1_dir_of(const struct cradle_cgroup *cg, const char *controller)
{
    for (size_t i = 0; cg->dir_controllers && i < cg->n_dirs; i++)
        if (cg->dir_controllers[i] && cgroup_has_controller(cg->dir_controllers[i], controller))
            return cg->dirs[i];
    return NULL;
}

bool cgroup_has_v1_controllers(const struct cradle_cgroup *cg)
{
    for (size_t i = 0; cg->dir_controllers && i < cg->n_dirs; i++)
        if (cg->dir_controllers[i] && strncmp(cg->dir_controllers[i], "name=", 5) != 0)
            return true;
    return false;
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
    int r = cgroup_classify_dirs(cg, &h);
    cgroup_hierarchies_free(&h);
    if (r < 0) {
        cradle_cgroup_free(cg);
        return NULL;
    }
    return cg;
}

void cradle_cgroup_free(struct cradle_cgroup *cg)
{
    if (cg == NULL)
        return;
    free_dir_controllers(cg);
    free(cg->path);
    free(cg->systemd_unit);
    cleanup_strvp(&cg->dirs);
    cleanup_strvp(&cg->created);
    free(cg);
}
