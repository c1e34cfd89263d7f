/* What a recursive bind mount (rbind) brings along besides its source: the procfs mounts
 * below the source (a host's /proc under "/", a procfs some process mounted under a
 * shared directory) land in the container with it. The proc policy judges each one as a
 * bind of that procfs to where it lands (docs/proc-policy.5.md). */
#ifndef CRADLE_CARRIED_PROCFS_H
#define CRADLE_CARRIED_PROCFS_H

#include <stdbool.h>
#include <stddef.h>

#include "cradle/error.h"
#include "cradle/spec.h"

struct cradle_carried_procfs {
    char *destination; /* where it lands in the container: "/host/proc" */
    char *source;      /* which procfs file or directory it is, as under /proc: "/proc" */
    bool readonly;     /* its own flag, or the bind's recursive "rro" */
};

struct cradle_carried_procfs_list {
    struct cradle_carried_procfs *items;
    size_t n;
};

/* The procfs mounts spec mount M carries to DESTINATION (normalised, inside the rootfs)
 * when FD is its opened source, or the mount it made (the tree actually attached). Only
 * a recursive bind of a directory carries anything: for every other mount the list is
 * empty at no cost. Reads the mountinfo of the calling process's mount namespace, where
 * FD must be. 0, or -1 with *err (also when the mounts below the source cannot be told). */
int cradle_carried_procfs(const struct cradle_spec_mount *m, int fd, const char *destination,
                          struct cradle_carried_procfs_list *out, cradle_error **err);

void cradle_carried_procfs_list_free(struct cradle_carried_procfs_list *list);

#endif
