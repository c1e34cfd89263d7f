/* The processes in the container's cgroup. */
#include "cgroup_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"

int cgroup_parse_pids(const char *text, pid_t **pids, size_t *n_pids, cradle_error **err)
{
    size_t lines = 0;
    for (const char *p = text; *p; p++)
        lines += *p == '\n';
    _cleanup_free_ pid_t *result = calloc(lines + 1, sizeof(pid_t));
    if (result == NULL)
        return cradle_error_set(err, ENOMEM, "parsing cgroup.procs");

    size_t n = 0;
    for (const char *p = text; *p;) {
        const char *end = strchrnul(p, '\n');
        if (end > p) {
            char *stop = NULL;
            errno = 0;
            long pid = strtol(p, &stop, 10);
            if (errno != 0 || stop != end || pid <= 0)
                return cradle_error_set(err, EINVAL, "bad pid \"%.*s\" in cgroup.procs",
                                        (int)(end - p), p);
            result[n++] = (pid_t)pid;
        }
        p = *end ? end + 1 : end;
    }
    *pids = TAKE_PTR(result);
    *n_pids = n;
    return 0;
}

int cradle_cgroup_pids(const struct cradle_cgroup *cg, pid_t **pids, size_t *n_pids,
                       cradle_error **err)
{
    if (cg->procs_dir == NULL)
        return cradle_error_set(err, ENOENT, "cgroup %s has no directory", cg->path);
    _cleanup_free_ char *file = cgroup_path_join(cg->procs_dir, "cgroup.procs");
    if (file == NULL)
        return cradle_error_set(err, ENOMEM, "listing pids of cgroup %s", cg->path);
    _cleanup_free_ char *text = NULL;
    if (cgroup_read_text(file, &text, err) < 0)
        return -1;
    if (cgroup_parse_pids(text, pids, n_pids, err) < 0)
        return cradle_error_wrap(err, "%s", file);
    return 0;
}
