/* cgroup2 controllers for the container's directory. A cgroup2 directory has a controller
 * only when its parent enabled it in cgroup.subtree_control, so, as runc does, every level
 * from the hierarchy's root down to the container's parent enables the controllers it has
 * and has not enabled yet. A controller the kernel refuses at some level (one that holds
 * processes) is left out: applying a resource that needs it then fails naming the field. */
#include "cgroup_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"

static bool has_word(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; (p = strstr(p, word)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\n' || p[n] == '\0'))
            return true;
    return false;
}

/* Enables at level the controllers it has; false when it has none (then no level below
 * can have any). */
static bool enable_at(const char *level)
{
    char path[4096];
    _cleanup_free_ char *available = NULL, *enabled = NULL;
    snprintf(path, sizeof(path), "%s/cgroup.controllers", level);
    if (cgroup_read_text(path, &available, NULL) < 0 || available[strspn(available, " \n")] == 0)
        return false;
    snprintf(path, sizeof(path), "%s/cgroup.subtree_control", level);
    if (cgroup_read_text(path, &enabled, NULL) < 0)
        return false;
    char *save = NULL;
    for (char *c = strtok_r(available, " \n", &save); c; c = strtok_r(NULL, " \n", &save)) {
        char change[64];
        if (has_word(enabled, c) ||
            snprintf(change, sizeof(change), "+%s", c) >= (int)sizeof(change))
            continue;
        cgroup_write_text(path, change, NULL);
    }
    return true;
}

void cgroup_enable_controllers(const char *mountpoint, const char *dir)
{
    _cleanup_free_ char *level = strdup(dir);
    if (level == NULL)
        return;
    /* Each level above dir, top-down: cut level at the next slash below mountpoint. */
    for (char *slash = level + strlen(mountpoint); (slash = strchr(slash, '/')) != NULL;) {
        *slash = '\0';
        bool more = enable_at(level);
        *slash = '/';
        if (!more)
            return;
        slash++;
    }
}
