/* The processes of a container that has no cgroup (rootless on a cgroup v1 host), found by
 * their pid namespace: every host process whose /proc/PID/ns/pid is the init's. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "cradle/cleanup.h"
#include "container_private.h"

static bool pid_in_ns(long pid, const struct stat *ns)
{
    char path[64];
    struct stat st;
    snprintf(path, sizeof(path), "/proc/%ld/ns/pid", pid);
    return stat(path, &st) == 0 && st.st_dev == ns->st_dev && st.st_ino == ns->st_ino;
}

int cradle_pidns_pids(pid_t init, pid_t **pids, size_t *n_pids, cradle_error **err)
{
    *pids = NULL;
    *n_pids = 0;
    char path[64];
    struct stat ns;
    snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)init);
    if (stat(path, &ns) < 0)
        return errno == ENOENT ? 0 : cradle_error_sys(err, "pid namespace of %d", (int)init);
    _cleanup_closedir_ DIR *proc = opendir("/proc");
    if (proc == NULL)
        return cradle_error_sys(err, "open /proc");
    _cleanup_free_ pid_t *found = NULL;
    size_t n = 0, cap = 0;
    for (struct dirent *e; (e = readdir(proc)) != NULL;) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (*end != '\0' || pid <= 0 || !pid_in_ns(pid, &ns))
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            pid_t *grown = realloc(found, cap * sizeof(*grown));
            if (grown == NULL)
                return cradle_error_set(err, ENOMEM, "pids of the container");
            found = grown;
        }
        found[n++] = (pid_t)pid;
    }
    *pids = TAKE_PTR(found);
    *n_pids = n;
    return 0;
}
