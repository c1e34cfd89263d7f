/* cgroup v1 cpuset: a new directory's cpuset.cpus and cpuset.mems are empty, and a
 * process cannot join until both are set; copy them from the parent. */
#include "cgroup_internal.h"

#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"

static bool is_blank(const char *s)
{
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return false;
    return true;
}

static int inherit_file(const char *dir, const char *parent, const char *name, cradle_error **err)
{
    _cleanup_free_ char *path = cgroup_path_join(dir, name);
    _cleanup_free_ char *parent_path = cgroup_path_join(parent, name);
    if (path == NULL || parent_path == NULL)
        return cradle_error_set(err, ENOMEM, "cgroup %s: %s", dir, name);

    _cleanup_free_ char *current = NULL;
    if (cgroup_read_text(path, &current, err) < 0)
        return -1;
    if (!is_blank(current))
        return 0;

    _cleanup_free_ char *value = NULL;
    if (cgroup_read_text(parent_path, &value, err) < 0)
        return -1;
    if (is_blank(value))
        return cradle_error_set(err, EINVAL, "%s is empty: nothing to give %s", parent_path, path);
    return cgroup_write_text(path, value, err);
}

int cgroup_cpuset_inherit(const char *dir, cradle_error **err)
{
    _cleanup_free_ char *copy = strdup(dir);
    if (copy == NULL)
        return cradle_error_set(err, ENOMEM, "cgroup %s: cpuset", dir);
    const char *parent = dirname(copy);
    if (inherit_file(dir, parent, "cpuset.cpus", err) < 0)
        return -1;
    return inherit_file(dir, parent, "cpuset.mems", err);
}
