/* Entering the rootfs. pivot_root(".", ".") stacks the old root on top of the new one,
 * so it can be detached from the new root's own directory without a temporary dir. */
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cradle/cleanup.h"
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

static int move_and_chroot(int new_root, cradle_error **err)
{
    if (fchdir(new_root) < 0)
        return cradle_error_sys(err, "entering the rootfs");
    if (mount(".", "/", NULL, MS_MOVE, NULL) < 0)
        return cradle_error_sys(err, "moving the rootfs onto / (--no-pivot)");
    if (chroot(".") < 0)
        return cradle_error_sys(err, "chroot into the rootfs (--no-pivot)");
    return 0;
}

int cradle_rootfs_pivot(const struct cradle_rootfs_ctx *ctx, cradle_error **err)
{
    _cleanup_close_ int new_root = open(ctx->rootfs, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (new_root < 0)
        return cradle_error_sys(err, "opening the rootfs %s", ctx->rootfs);
    if ((ctx->no_pivot ? move_and_chroot(new_root, err) : pivot(new_root, err)) < 0)
        return cradle_error_wrap(err, "entering the rootfs %s", ctx->rootfs);
    if (chdir("/") < 0)
        return cradle_error_sys(err, "chdir to / in the rootfs");
    return 0;
}
