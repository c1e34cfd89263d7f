/* Walking a cgroup and the sub-cgroups its processes made below it. */
#include "cgroup_internal.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>

#include "cradle/cleanup.h"

int cgroup_walk_tree(const char *dir, cgroup_tree_fn fn, void *data, cradle_error **err)
{
    _cleanup_closedir_ DIR *d = opendir(dir);
    /* A directory removed meanwhile (its processes exited) has nothing left to visit. */
    if (d == NULL)
        return errno == ENOENT || errno == ENODEV ? 0
                                                  : cradle_error_sys(err, "opening cgroup %s", dir);
    struct dirent *e;
    while ((errno = 0, e = readdir(d)) != NULL) {
        /* In cgroupfs every sub-directory is a child cgroup; files are d_type DT_REG. */
        if (e->d_type != DT_DIR || strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        _cleanup_free_ char *child = cgroup_path_join(dir, e->d_name);
        if (child == NULL)
            return cradle_error_set(err, ENOMEM, "walking cgroup %s", dir);
        if (cgroup_walk_tree(child, fn, data, err) < 0)
            return -1;
    }
    if (errno != 0)
        return cradle_error_sys(err, "reading cgroup %s", dir);
    return fn(dir, data, err);
}
