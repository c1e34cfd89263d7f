#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"
#include "cradle/criu.h"
#include "cradle/mountinfo.h"

struct hierarchy_list {
    struct criu_hierarchy *items;
    size_t n;
};

static int collect_v1(const struct cradle_mountinfo *mi, void *data)
{
    struct hierarchy_list *list = data;
    if (strcmp(mi->fstype, "cgroup") != 0)
        return 0;
    struct criu_hierarchy *grown = realloc(list->items, (list->n + 1) * sizeof(*grown));
    if (grown == NULL)
        return -1;
    list->items = grown;
    struct criu_hierarchy *h = &list->items[list->n++];
    h->mountpoint = strdup(mi->mountpoint);
    h->options = strdup(mi->super_options);
    return h->mountpoint && h->options ? 0 : -1;
}

int criu_host_hierarchies(struct criu_hierarchy **out, size_t *n, cradle_error **err)
{
    struct hierarchy_list list = {0};
    if (cradle_mountinfo_foreach("/proc/self/mountinfo", collect_v1, &list, err) != 0) {
        criu_hierarchies_free(list.items, list.n);
        /* collect_v1 fails only for want of memory, without an error of its own. */
        return err && *err ? -1 : cradle_error_set(err, ENOMEM, "listing cgroup mounts");
    }
    *out = list.items;
    *n = list.n;
    return 0;
}

void criu_hierarchies_free(struct criu_hierarchy *h, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(h[i].mountpoint);
        free(h[i].options);
    }
    free(h);
}

const char *criu_cgroup_dir_in(const struct cradle_cgroup *cg, const struct criu_hierarchy *h)
{
    size_t len = strlen(h->mountpoint);
    for (size_t i = 0; cg && i < cg->n_dirs; i++)
        if (strncmp(cg->dirs[i], h->mountpoint, len) == 0 &&
            (cg->dirs[i][len] == '/' || cg->dirs[i][len] == '\0'))
            return cg->dirs[i];
    return NULL;
}
