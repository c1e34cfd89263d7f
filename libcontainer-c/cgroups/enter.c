/* Placing a process in the container's cgroup. */
#include "cgroup_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>

#include "cradle/cleanup.h"

int cradle_cgroup_enter(const struct cradle_cgroup *cg, pid_t pid, cradle_error **err)
{
    char value[32];
    snprintf(value, sizeof(value), "%d", (int)pid);
    for (size_t i = 0; i < cg->n_dirs; i++) {
        _cleanup_free_ char *procs = cgroup_path_join(cg->dirs[i], "cgroup.procs");
        if (procs == NULL)
            return cradle_error_set(err, ENOMEM, "moving pid %d into %s", (int)pid, cg->dirs[i]);
        if (cgroup_write_text(procs, value, err) < 0)
            return cradle_error_wrap(err, "moving pid %d into cgroup %s", (int)pid, cg->path);
    }
    return 0;
}

/* CLONE_INTO_CGROUP places the child in one cgroup2 directory only, so it is enough
 * just when cgroup2 is the host's only hierarchy; with v1 hierarchies mounted as well the
 * child must be entered into each of them. */
int cradle_cgroup_unified_fd(const struct cradle_cgroup *cg)
{
    if (cg->unified_dir == NULL || cg->n_dirs != 1)
        return -1;
    return open(cg->unified_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}
