/* Entering the rootfs. pivot_root(".", ".") stacks the old root on top of the new one,
 * so it can be detached from the new root's own directory without a temporary dir. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/pathsafe.h"
#include "rootfs_internal.h"

static int pivot(int new_root, cradle_error **err)
{
    _cleanup_close_ int old_root = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (old_root < 0)
        return cradle_error_sys(err, "opening the old root");
    if (fchdir(new_root) < 0)
        return cradle_error_sys(err, "entering the rootfs");
    if (syscall(SYS_pivot_root, ".", ".") < 0)
        return cradle_error_sys(err, "pivot_root");
    if (fchdir(old_root) < 0)
        return cradle_error_sys(err, "entering the old root");
    /* Keep the unmount from propagating back to the host. */
    if (mount("", ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
        return cradle_error_sys(err, "making the old root a slave");
    if (umount2(".", MNT_DETACH) < 0)
        return cradle_error_sys(err, "detaching the old root");
    return 0;
}

struct full_mounts {
    const char *rootfs;
    char **paths;
    size_t n;
};

/* Full procfs and sysfs mounts (their root is the filesystem's root) outside the rootfs. */
static int collect_full_mount(const struct cradle_mountinfo *mi, void *data)
{
    struct full_mounts *fm = data;
    if (strcmp(mi->root, "/") != 0 || cradle_path_below(mi->mountpoint, fm->rootfs) != NULL ||
        (strcmp(mi->fstype, "proc") != 0 && strcmp(mi->fstype, "sysfs") != 0))
        return 0;
    char **paths = realloc(fm->paths, (fm->n + 1) * sizeof(*paths));
    if (paths == NULL)
        return 1;
    fm->paths = paths;
    if ((paths[fm->n] = strdup(mi->mountpoint)) == NULL)
        return 1;
    fm->n++;
    return 0;
}

static int hide_mount(const char *path, cradle_error **err)
{
    /* Keep the unmount from propagating back to the host. */
    if (mount("", path, NULL, MS_SLAVE | MS_REC, NULL) < 0)
        return errno == ENOENT ? 0 /* under one detached already */
                               : cradle_error_sys(err, "making %s a slave", path);
    if (umount2(path, MNT_DETACH) == 0)
        return 0;
    if ((errno != EINVAL && errno != EPERM) || mount("tmpfs", path, "tmpfs", MS_RDONLY, NULL) < 0)
        return cradle_error_sys(err, "hiding the host's %s", path);
    return 0;
}

/* After chroot the host's full procfs and sysfs would stay in the container's mount
 * namespace, and the kernel allows a new procfs or sysfs mount (unshare -mrpf, mount -t
 * proc) while a full one is there: detach them first, or cover them with a tmpfs where
 * they cannot be unmounted, as runc's msMoveRoot does (issue 6 item 8). */
static int hide_host_pseudo_filesystems(const char *rootfs, cradle_error **err)
{
    struct full_mounts fm = {.rootfs = rootfs};
    int r = cradle_mountinfo_foreach("/proc/self/mountinfo", collect_full_mount, &fm, err);
    if (r > 0)
        r = cradle_error_set(err, ENOMEM, "listing the host's procfs and sysfs mounts");
    for (size_t i = 0; i < fm.n; i++) {
        if (r == 0)
            r = hide_mount(fm.paths[i], err);
        free(fm.paths[i]);
    }
    free(fm.paths);
    return r;
}

/* chroot(2) into new_root; in the runtime's mount namespace (a container without one of
 * its own) that is all: nothing there may be moved or detached. */
static int enter_by_chroot(int new_root, cradle_error **err)
{
    if (fchdir(new_root) < 0)
        return cradle_error_sys(err, "entering the rootfs");
    if (chroot(".") < 0)
        return cradle_error_sys(err, "chroot into the rootfs");
    return 0;
}

static int move_and_chroot(const char *rootfs, int new_root, cradle_error **err)
{
    if (hide_host_pseudo_filesystems(rootfs, err) < 0)
        return -1;
    if (fchdir(new_root) < 0)
        return cradle_error_sys(err, "entering the rootfs");
    if (mount(".", "/", NULL, MS_MOVE, NULL) < 0)
        return cradle_error_sys(err, "moving the rootfs onto / (--no-pivot)");
    return enter_by_chroot(new_root, err);
}

int cradle_rootfs_pivot(const struct cradle_rootfs_ctx *ctx, cradle_error **err)
{
    _cleanup_close_ int new_root = open(ctx->rootfs, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (new_root < 0)
        return cradle_error_sys(err, "opening the rootfs %s", ctx->rootfs);
    int r;
    if (ctx->runtime_mount_ns)
        r = enter_by_chroot(new_root, err);
    else
        r = ctx->no_pivot ? move_and_chroot(ctx->rootfs, new_root, err) : pivot(new_root, err);
    if (r < 0)
        return cradle_error_wrap(err, "entering the rootfs %s", ctx->rootfs);
    if (chdir("/") < 0)
        return cradle_error_sys(err, "chdir to / in the rootfs");
    return 0;
}
