/* Discovering the mounted cgroup hierarchies from /proc/self/mountinfo. */
#include "cgroup_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"
#include "cradle/pathsafe.h"
#include "cradle/mountinfo.h"

/* cgroup v1 super options that are not controllers. */
static const char *const v1_non_controller_options[] = {
    "rw", "ro", "noprefix", "xattr", "clone_children", "cpuset_v2_mode", "favordynmods", NULL,
};

void cgroup_hierarchies_free(struct cgroup_hierarchies *h)
{
    for (size_t i = 0; i < h->n; i++) {
        free(h->items[i].mountpoint);
        free(h->items[i].root);
        free(h->items[i].controllers);
        free(h->items[i].device);
    }
    free(h->items);
    h->items = NULL;
    h->n = 0;
}

bool cgroup_has_controller(const char *controllers, const char *name)
{
    size_t len = strlen(name);
    for (const char *p = controllers; p && *p;) {
        const char *end = strchrnul(p, ',');
        if ((size_t)(end - p) == len && strncmp(p, name, len) == 0)
            return true;
        p = *end ? end + 1 : end;
    }
    return false;
}

static bool is_v1_controller_option(const char *opt)
{
    if (strncmp(opt, "name=", 5) == 0)
        return true;
    if (strchr(opt, '=') != NULL)
        return false; /* release_agent=... and the like */
    for (const char *const *p = v1_non_controller_options; *p; p++)
        if (strcmp(opt, *p) == 0)
            return false;
    return true;
}

/* "rw,cpu,cpuacct,clone_children" -> "cpu,cpuacct". */
static char *v1_controllers(const char *super_options)
{
    _cleanup_free_ char *copy = strdup(super_options);
    _cleanup_free_ char *result = calloc(1, strlen(super_options) + 1);
    if (copy == NULL || result == NULL)
        return NULL;
    char *save = NULL;
    for (char *opt = strtok_r(copy, ",", &save); opt; opt = strtok_r(NULL, ",", &save)) {
        if (!is_v1_controller_option(opt))
            continue;
        if (*result)
            strcat(result, ",");
        strcat(result, opt);
    }
    return TAKE_PTR(result);
}

static bool device_seen(const struct cgroup_hierarchies *h, const char *device)
{
    for (size_t i = 0; i < h->n; i++)
        if (strcmp(h->items[i].device, device) == 0)
            return true;
    return false;
}

static int add_hierarchy(struct cgroup_hierarchies *h, const struct cradle_mountinfo *mi,
                         cradle_error **err)
{
    if (device_seen(h, mi->device))
        return 0;
    struct cgroup_hierarchy *items = realloc(h->items, (h->n + 1) * sizeof(*items));
    if (items == NULL)
        return cradle_error_set(err, ENOMEM, "recording cgroup mount %s", mi->mountpoint);
    h->items = items;

    bool unified = strcmp(mi->fstype, "cgroup2") == 0;
    struct cgroup_hierarchy entry = {
        .mountpoint = strdup(mi->mountpoint),
        .root = strdup(mi->root),
        .controllers = unified ? NULL : v1_controllers(mi->super_options),
        .device = strdup(mi->device),
        .unified = unified,
    };
    if (!entry.mountpoint || !entry.root || !entry.device || (!unified && !entry.controllers)) {
        free(entry.mountpoint);
        free(entry.root);
        free(entry.controllers);
        free(entry.device);
        return cradle_error_set(err, ENOMEM, "recording cgroup mount %s", mi->mountpoint);
    }
    h->items[h->n++] = entry;
    return 0;
}

static int parse_line(char *line, struct cgroup_hierarchies *h, cradle_error **err)
{
    struct cradle_mountinfo mi = {0};
    if (!cradle_mountinfo_parse_line(line, &mi)) {
        if (mi.mountpoint == NULL)
            return cradle_error_set(err, EINVAL, "mountinfo line has fewer than 6 fields");
        return cradle_error_set(err, EINVAL, "mountinfo line for %s lacks the filesystem fields",
                                mi.mountpoint);
    }
    if (strcmp(mi.fstype, "cgroup") != 0 && strcmp(mi.fstype, "cgroup2") != 0)
        return 0;
    return add_hierarchy(h, &mi, err);
}

int cgroup_parse_mountinfo(const char *text, struct cgroup_hierarchies *out, cradle_error **err)
{
    _cleanup_free_ char *copy = strdup(text);
    if (copy == NULL)
        return cradle_error_set(err, ENOMEM, "parsing mountinfo");
    struct cgroup_hierarchies h = {0};
    char *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (parse_line(line, &h, err) < 0) {
            cgroup_hierarchies_free(&h);
            return -1;
        }
    }
    *out = h;
    return 0;
}

int cgroup_read_hierarchies(struct cgroup_hierarchies *out, cradle_error **err)
{
    _cleanup_free_ char *text = NULL;
    if (cgroup_read_text("/proc/self/mountinfo", &text, err) < 0)
        return -1;
    if (cgroup_parse_mountinfo(text, out, err) < 0)
        return cradle_error_wrap(err, "/proc/self/mountinfo");
    return 0;
}

const struct cgroup_hierarchy *cgroup_hierarchy_of(const struct cgroup_hierarchies *h,
                                                   const char *dir)
{
    const struct cgroup_hierarchy *best = NULL;
    for (size_t i = 0; i < h->n; i++) {
        if (!cradle_path_below(dir, h->items[i].mountpoint))
            continue;
        if (best == NULL || strlen(h->items[i].mountpoint) > strlen(best->mountpoint))
            best = &h->items[i];
    }
    return best;
}
