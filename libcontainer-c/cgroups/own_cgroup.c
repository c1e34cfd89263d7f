/* The caller's own cgroup per hierarchy, from /proc/self/cgroup text
 * ("hierarchy-id:controllers:path" lines; cgroup2 is "0::path"). */
#include "cgroup_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>

#include "cradle/cleanup.h"
#include "cradle/fileutil.h"

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

int cradle_cgroup_foreach_line(const char *text, cradle_cgroup_line_fn fn, void *data,
                               cradle_error **err)
{
    _cleanup_free_ char *copy = strdup(text);
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
        int r = fn(controllers, path, data, err);
        if (r != 0)
            return r;
    }
    return 0;
}

int cradle_cgroup_foreach_self(cradle_cgroup_line_fn fn, void *data, cradle_error **err)
{
    _cleanup_free_ char *text = NULL;
    if (cradle_read_file_at(AT_FDCWD, "/proc/self/cgroup", &text, NULL) < 0)
        return cradle_error_sys(err, "reading /proc/self/cgroup");
    return cradle_cgroup_foreach_line(text, fn, data, err);
}

struct own_path_search {
    const struct cgroup_hierarchy *h;
    char *found;
};

static int match_own_path(const char *controllers, const char *path, void *data, cradle_error **err)
{
    struct own_path_search *search = data;
    const struct cgroup_hierarchy *h = search->h;
    /* The cgroup2 line is "0::PATH"; v1 lines name their controllers. */
    bool match = h->unified ? *controllers == '\0'
                            : *controllers != '\0' && same_controllers(controllers, h->controllers);
    if (!match)
        return 0;
    search->found = strdup(path);
    return search->found ? 1 : cradle_error_set(err, ENOMEM, "parsing /proc/self/cgroup");
}

int cgroup_own_path(const char *proc_cgroup, const struct cgroup_hierarchy *h, char **out,
                    cradle_error **err)
{
    struct own_path_search search = {.h = h};
    int r = cradle_cgroup_foreach_line(proc_cgroup, match_own_path, &search, err);
    if (r < 0)
        return -1;
    if (r == 0)
        return cradle_error_set(err, ENOENT,
                                "/proc/self/cgroup has no entry for the %s hierarchy at %s",
                                h->unified ? "cgroup2" : h->controllers, h->mountpoint);
    *out = search.found;
    return 0;
}
