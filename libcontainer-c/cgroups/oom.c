/* The container's OOM kills: the count (v1 memory.oom_control "oom_kill", cgroup2
 * memory.events "oom_kill") and an fd that wakes up when it may have changed. */
#include "cgroup_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "v1/cgroup_v1.h"

static int memory_v1_dir(const struct cradle_cgroup *cg, const char **dir, cradle_error **err)
{
    *dir = cgroup_v1_dir_of(cg, "memory");
    if (*dir == NULL && cg->unified_dir == NULL)
        return cradle_error_set(err, EOPNOTSUPP, "no memory cgroup controller on this host");
    return 0;
}

static int v1_oom_kills(const char *dir, uint64_t *count, cradle_error **err)
{
    _cleanup_free_ char *path = cgroup_path_join(dir, "memory.oom_control");
    _cleanup_free_ char *text = NULL;
    if (path == NULL)
        return cradle_error_set(err, ENOMEM, "memory.oom_control");
    if (cgroup_read_text(path, &text, err) < 0)
        return -1;
    /* Kernels before 4.13 have no oom_kill line: no count to give (0). */
    if (cgroup_value_by_key(text, "oom_kill", count) < 0)
        return cradle_error_set(err, EINVAL, "unable to parse %s", path);
    return 0;
}

int cradle_cgroup_oom_kills(const struct cradle_cgroup *cg, uint64_t *count, cradle_error **err)
{
    const char *dir = NULL;
    if (memory_v1_dir(cg, &dir, err) < 0)
        return -1;
    if (dir)
        return v1_oom_kills(dir, count, err);
    return cgroup_v2_oom_kills(cg->unified_dir, count, err);
}

/* v1: an eventfd registered through cgroup.event_control on memory.oom_control. The
 * kernel keeps the registration once made, so only the eventfd stays open; it is also
 * signalled when the cgroup is removed. */
static int v1_oom_fd(const char *dir, cradle_error **err)
{
    _cleanup_free_ char *control = cgroup_path_join(dir, "memory.oom_control");
    _cleanup_free_ char *event_control = cgroup_path_join(dir, "cgroup.event_control");
    if (control == NULL || event_control == NULL)
        return cradle_error_set(err, ENOMEM, "oom notification");
    _cleanup_close_ int efd = eventfd(0, EFD_CLOEXEC);
    if (efd < 0)
        return cradle_error_sys(err, "eventfd");
    _cleanup_close_ int cfd = open(control, O_RDONLY | O_CLOEXEC);
    if (cfd < 0)
        return cradle_error_sys(err, "opening %s", control);
    char line[32];
    snprintf(line, sizeof(line), "%d %d", efd, cfd);
    if (cgroup_write_text(event_control, line, err) < 0)
        return -1;
    return TAKE_FD(efd);
}

/* cgroup2: inotify on memory.events, which the kernel modifies on every memory event;
 * the reader compares the oom_kill count. */
static int v2_oom_fd(const char *dir, cradle_error **err)
{
    _cleanup_free_ char *events = cgroup_path_join(dir, "memory.events");
    if (events == NULL)
        return cradle_error_set(err, ENOMEM, "oom notification");
    _cleanup_close_ int fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (fd < 0)
        return cradle_error_sys(err, "inotify_init1");
    if (inotify_add_watch(fd, events, IN_MODIFY) < 0)
        return cradle_error_sys(err, "watching %s", events);
    return TAKE_FD(fd);
}

int cradle_cgroup_oom_fd(const struct cradle_cgroup *cg, cradle_error **err)
{
    const char *dir = NULL;
    if (memory_v1_dir(cg, &dir, err) < 0)
        return -1;
    return dir ? v1_oom_fd(dir, err) : v2_oom_fd(cg->unified_dir, err);
}
