/* The caller's own cgroup per hierarchy, from /proc/self/cgroup text
 * ("hierarchy-id:controllers:path" lines; cgroup2 is "0::path"). */
#include "cgroup_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"

static bool all_listed_in(const char *list, const char *other)
{
    _cleanup_free_ char *copy = strdup(list);
    if (copy == NULL)
        return false;
    char *save = NULL;
    for (char *name = strtok_r(copy, ",", &save); name; name = strtok_r(NULL, ",", &save))
        if (!cgroup_has_controller(other, name))
            return false;
    return true;
}

/* The kernel lists controllers in the same order in both files, but compare as sets. */
static bool same_controllers(const char *a, const char *b)
{
    return all_listed_in(a, b) && all_listed_in(b, a);
}

static bool line_matches(const char *id, const char *controllers, const struct cgroup_hierarchy *h)
{
    if (h->unified)
        return strcmp(id, "0") == 0 && *controllers == '\0';
    return *controllers != '\0' && same_controllers(controllers, h->controllers);
}

int cgroup_own_path(const char *proc_cgroup, const struct cgroup_hierarchy *h, char **out,
                    cradle_error **err)
{
    _cleanup_free_ char *copy = strdup(proc_cgroup);
    if (copy == NULL)
        return cradle_error_set(err, ENOMEM, "parsing /proc/self/cgroup");
    char *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *controllers = strchr(line, ':');
        char *path = controllers ? strchr(controllers + 1, ':') : NULL;
        if (path == NULL)
            return cradle_error_set(err, EINVAL, "/proc/self/cgroup: malformed line \"%s\"", line);
        *controllers++ = '\0';
        *path++ = '\0';
        if (!line_matches(line, controllers, h))
            continue;
        *out = strdup(path);
        if (*out == NULL)
            return cradle_error_set(err, ENOMEM, "parsing /proc/self/cgroup");
        return 0;
    }
    return cradle_error_set(err, ENOENT,
                            "/proc/self/cgroup has no entry for the %s hierarchy at %s",
                            h->unified ? "cgroup2" : h->controllers, h->mountpoint);
}
