/* cgroup_v2_oom_kills: the "oom_kill" count of memory.events (0 when absent), as runc's
 * OOMKillCount. */
#include "v2_internal.h"

#include <errno.h>
#include <stdlib.h>

#include "cradle/cleanup.h"

int cgroup_v2_oom_kills(const char *dir, uint64_t *count, cradle_error **err)
{
    _cleanup_free_ char *path = cgroup_path_join(dir, "memory.events");
    _cleanup_free_ char *text = NULL;
    if (path == NULL)
        return cradle_error_set(err, ENOMEM, "cgroup %s: memory.events", dir);
    if (cgroup_read_text(path, &text, err) < 0)
        return -1;
    if (cgroup_value_by_key(text, "oom_kill", count) < 0)
        return cradle_error_set(err, EINVAL, "unable to parse %s", path);
    return 0;
}
