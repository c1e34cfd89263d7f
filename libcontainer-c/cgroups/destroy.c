/* cradle_cgroup_destroy: remove what cradle created and what the container made below it,
 * deepest first. */
#include "cgroup_internal.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define RMDIR_BUSY_TIMEOUT_NS (1000L * 1000 * 1000)
#define RMDIR_BUSY_SLEEP_NS   (10L * 1000 * 1000)

static long elapsed_ns(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - start->tv_sec) * 1000L * 1000 * 1000 + (now.tv_nsec - start->tv_nsec);
}

/* A cgroup stays busy for a moment after its last process exited (the kernel still
 * holds it until the task is reaped), so EBUSY is retried for up to about a second. */
static int remove_dir(const char *dir, cradle_error **err)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        if (rmdir(dir) == 0 || errno == ENOENT)
            return 0;
        if (errno != EBUSY || elapsed_ns(&start) >= RMDIR_BUSY_TIMEOUT_NS)
            return cradle_error_sys(err, "removing cgroup %s", dir);
        struct timespec pause = {.tv_sec = 0, .tv_nsec = RMDIR_BUSY_SLEEP_NS};
        nanosleep(&pause, NULL);
    }
}

static int remove_visited(const char *dir, void *data, cradle_error **err)
{
    (void)data;
    return remove_dir(dir, err);
}

/* The container's own directory goes with the sub-cgroups its processes made in it (a
 * cgroup with children cannot be removed: EBUSY); the usual one has none and goes at once,
 * without reading the directory. */
static int remove_container_dir(const char *dir, cradle_error **err)
{
    if (rmdir(dir) == 0 || errno == ENOENT)
        return 0;
    if (errno != EBUSY)
        return cradle_error_sys(err, "removing cgroup %s", dir);
    return cgroup_walk_tree(dir, remove_visited, NULL, err);
}

static bool is_container_dir(const struct cradle_cgroup *cg, const char *dir)
{
    for (size_t i = 0; i < cg->n_dirs; i++)
        if (strcmp(cg->dirs[i], dir) == 0)
            return true;
    return false;
}

int cradle_cgroup_destroy(const struct cradle_cgroup *cg, cradle_error **err)
{
    int result = 0;
    /* systemd removes the scope's cgroup (delegated sub-cgroups included) when it stops;
     * what it does not manage is removed below. */
    if (cg->systemd_unit && cgroup_systemd_stop(cg, err) < 0)
        result = -1;
    /* Keep going after a failure so one busy hierarchy does not strand the others. Levels
     * above the container's own directories are only removed empty. */
    for (size_t i = cg->n_created; i > 0; i--) {
        const char *dir = cg->created[i - 1];
        int r = is_container_dir(cg, dir) ? remove_container_dir(dir, err) : remove_dir(dir, err);
        if (r < 0)
            result = -1;
    }
    return result;
}
