/* The procfs mounts a recursive bind (rbind) carries along: every procfs mounted below
 * its source comes into the container with it, and the proc policy judges each one as a
 * bind of that procfs to where it lands. */
#ifndef CRADLE_ROOTFS_CARRIED_PROCFS_H
#define CRADLE_ROOTFS_CARRIED_PROCFS_H

#include <stdbool.h>
#include <stddef.h>

#include "cradle/carried_procfs.h"

/* One mount of a mount namespace, as far as the carried mounts need it. */
struct rootfs_mount_node {
    int id;
    int parent;
    const char *mountpoint; /* in the reader's view, as mountinfo shows it (decoded) */
    const char *root;       /* the mount's root inside its filesystem */
    bool procfs;
    bool readonly;
};

/* The procfs mounts a recursive bind of SOURCE_PATH, a directory inside mount TOP
 * (SOURCE_PATH in the same view as the nodes' mount points), carries to DESTINATION:
 * the kernel copies every child of TOP mounted at or below SOURCE_PATH and everything
 * mounted on those, whatever their own mount points. Pure: no system call. 0, or -1 with
 * *err when a carried procfs cannot be placed or on ENOMEM. */
int rootfs_carried_procfs_in(const struct rootfs_mount_node *nodes, size_t n, int top,
                             const char *source_path, const char *destination,
                             struct cradle_carried_procfs_list *out, cradle_error **err);

#endif
