/* The processes in the container's cgroup and its sub-cgroups, in all of its hierarchies. */
#include "cgroup_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"
#include "cradle/fileutil.h"

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

/* Appends the pids of text not already in *pids. */
static int merge_pids(const char *text, pid_t **pids, size_t *n_pids, cradle_error **err)
{
    _cleanup_free_ pid_t *more = NULL;
    size_t n_more = 0;
    if (cgroup_parse_pids(text, &more, &n_more, err) < 0)
        return -1;
    pid_t *grown = realloc(*pids, (*n_pids + n_more + 1) * sizeof(pid_t));
    if (grown == NULL)
        return cradle_error_set(err, ENOMEM, "listing pids");
    *pids = grown;
    for (size_t i = 0; i < n_more; i++) {
        bool seen = false;
        for (size_t j = 0; j < *n_pids && !seen; j++)
            seen = grown[j] == more[i];
        if (!seen)
            grown[(*n_pids)++] = more[i];
    }
    return 0;
}

struct pid_list {
    pid_t *pids;
    size_t n;
};

/* A directory that does not exist (a create killed half-way, a sub-cgroup removed
 * meanwhile) has no pids. */
static int add_dir_pids(const char *dir, void *data, cradle_error **err)
{
    struct pid_list *list = data;
    _cleanup_free_ char *file = cgroup_path_join(dir, "cgroup.procs");
    _cleanup_free_ char *text = NULL;
    if (file == NULL)
        return cradle_error_set(err, ENOMEM, "listing pids of cgroup %s", dir);
    if (cradle_read_file_at(AT_FDCWD, file, &text, NULL) < 0) {
        if (errno == ENOENT || errno == ENODEV)
            return 0;
        return cradle_error_sys(err, "reading %s", file);
    }
    if (merge_pids(text, &list->pids, &list->n, err) < 0)
        return cradle_error_wrap(err, "%s", file);
    return 0;
}

int cradle_cgroup_pids(const struct cradle_cgroup *cg, pid_t **pids, size_t *n_pids,
                       cradle_error **err)
{
    struct pid_list list = {.pids = calloc(1, sizeof(pid_t))};
    if (list.pids == NULL)
        return cradle_error_set(err, ENOMEM, "listing pids of cgroup %s", cg->path);
    for (size_t i = 0; i < cg->n_dirs; i++)
        if (cgroup_walk_tree(cg->dirs[i], add_dir_pids, &list, err) < 0) {
            free(list.pids);
            return -1;
        }
    *pids = list.pids;
    *n_pids = list.n;
    return 0;
}
