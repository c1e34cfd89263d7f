/* cradle_cgroup_kill_all: a signal to every process of the container, sub-cgroups included. */
#include "cgroup_internal.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>

#include "cradle/cleanup.h"
#include "cradle/log.h"

/* cgroup2's cgroup.kill (Linux 5.14) SIGKILLs the whole subtree at once, forks included;
 * false when there is none to write. */
static bool killed_by_cgroup_kill(const struct cradle_cgroup *cg)
{
    if (cg->unified_dir == NULL)
        return false;
    _cleanup_free_ char *path = cgroup_path_join(cg->unified_dir, "cgroup.kill");
    return path && cgroup_write_text(path, "1", NULL) == 0;
}

/* Frozen while they are listed and signalled, the processes cannot fork children that the
 * list would miss (as runc does). */
static int signal_each(const struct cradle_cgroup *cg, int sig, bool paused, cradle_error **err)
{
    _cleanup_error_ cradle_error *freeze_err = NULL;
    bool froze = !paused && cradle_cgroup_freeze(cg, true, &freeze_err) == 0;
    if (!paused && !froze) {
        _cleanup_free_ char *text = cradle_error_text(freeze_err);
        cradle_warn("%s", text ? text : "freezing the container's cgroup failed");
    }
    _cleanup_free_ pid_t *pids = NULL;
    size_t n = 0;
    int ret = cradle_cgroup_pids(cg, &pids, &n, err);
    for (size_t i = 0; ret == 0 && i < n; i++)
        if (kill(pids[i], sig) < 0 && errno != ESRCH)
            ret = cradle_error_sys(err, "kill pid %d of cgroup %s", pids[i], cg->path);
    if (froze)
        cradle_cgroup_freeze(cg, false, NULL);
    return ret;
}

int cradle_cgroup_kill_all(const struct cradle_cgroup *cg, int sig, cradle_error **err)
{
    /* A freezer that cannot be read does not stop the signal: it then counts as thawed. */
    bool paused = false;
    cradle_cgroup_is_frozen(cg, &paused, NULL);
    int ret = 0;
    if (sig != SIGKILL || !killed_by_cgroup_kill(cg))
        ret = signal_each(cg, sig, paused, err);
    /* A task frozen by the v1 freezer dies only once thawed: as runc's kill, SIGKILL
     * resumes a paused container. */
    if (paused && sig == SIGKILL)
        cradle_cgroup_freeze(cg, false, NULL);
    return ret;
}
