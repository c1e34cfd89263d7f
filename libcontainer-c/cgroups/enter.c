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

/* Moving a whole process takes the global cgroup_threadgroup_rwsem for writing, which
 * costs an RCU grace period (about 10-15 ms). A thread moving itself through the v1
 * "tasks" file ("0") does not take it, so the single-threaded init joins that way. */
int cradle_cgroup_enter_v1(const struct cradle_cgroup *cg, pid_t pid, cradle_error **err)
{
    char value[32];
    snprintf(value, sizeof(value), "%d", (int)pid);
    for (size_t i = 0; i < cg->n_dirs; i++) {
        if (cg->dirs[i] == cg->unified_dir)
            continue;
        _cleanup_free_ char *file = cgroup_path_join(cg->dirs[i], pid ? "cgroup.procs" : "tasks");
        if (file == NULL)
            return cradle_error_set(err, ENOMEM, "moving pid %d into %s", (int)pid, cg->dirs[i]);
        if (cgroup_write_text(file, value, err) < 0)
            return cradle_error_wrap(err, "moving pid %d into cgroup %s", (int)pid, cg->path);
    }
    return 0;
}

/* CLONE_INTO_CGROUP places the child in its cgroup2 directory at birth (taking the
 * threadgroup lock only for reading); v1 hierarchies are joined separately. */
int cradle_cgroup_unified_fd(const struct cradle_cgroup *cg)
{
    if (cg->unified_dir == NULL)
        return -1;
    return open(cg->unified_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}
