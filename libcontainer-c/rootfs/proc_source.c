/* Which procfs file or directory an opened bind source is, told from the fd itself: its
 * mount (statx's mount id), that mount's root inside its procfs (mountinfo), and the
 * fd's path below the mount point, checked to still name the same inode. The answer is
 * written as the file shows in a procfs mounted at /proc, whichever procfs instance it
 * belongs to and wherever that is mounted: "/proc/sys/kernel/ns_last_pid". */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/mountinfo.h"
#include "cradle/pathsafe.h"
#include "rootfs_internal.h"

struct mount_of_fd {
    int id;
    char *root;       /* inside the filesystem */
    char *mountpoint; /* in this process's view */
};

static int find_mount(const struct cradle_mountinfo *mi, void *data)
{
    struct mount_of_fd *m = data;
    if (mi->id != m->id)
        return 0;
    m->root = strdup(mi->root);
    m->mountpoint = strdup(mi->mountpoint);
    return 1;
}

int rootfs_procfs_path(int fd, char **out)
{
    *out = NULL;
    struct statx stx;
    if (statx(fd, "", AT_EMPTY_PATH, STATX_INO | STATX_MNT_ID, &stx) < 0 ||
        !(stx.stx_mask & STATX_MNT_ID))
        return -1;
    char fd_path[CRADLE_FD_PATH_MAX], link[4096];
    ssize_t n = readlink(cradle_fd_path(fd, fd_path), link, sizeof(link) - 1);
    if (n <= 0 || link[0] != '/')
        return -1;
    link[n] = '\0';
    /* The path must still lead to this very file: not a name it had, not another file. */
    struct stat st;
    if (lstat(link, &st) < 0 || st.st_ino != stx.stx_ino ||
        st.st_dev != makedev(stx.stx_dev_major, stx.stx_dev_minor))
        return -1;

    struct mount_of_fd m = {.id = (int)stx.stx_mnt_id};
    int found = cradle_mountinfo_foreach("/proc/self/mountinfo", find_mount, &m, NULL);
    _cleanup_free_ char *root = m.root;
    _cleanup_free_ char *mountpoint = m.mountpoint;
    if (found != 1 || root == NULL || mountpoint == NULL)
        return -1;
    const char *rest = cradle_path_below(link, mountpoint);
    if (rest == NULL)
        return -1;
    *out = rootfs_procfs_name(root, rest);
    return *out ? 0 : -1;
}

char *rootfs_procfs_name(const char *root, const char *rest)
{
    _cleanup_free_ char *joined = NULL;
    if (asprintf(&joined, "/proc/%s/%s", root, rest) < 0) {
        joined = NULL;
        return NULL;
    }
    return pp_normalize_path(joined);
}
