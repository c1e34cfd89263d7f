/* A container without a mount namespace of its own shares the runtime's: as runc does, its
 * rootfs is bound onto itself there, its mounts are made on that bind and the init only
 * chroots into it. The bind is made by the runtime, which records its unique mount id, so
 * that delete detaches exactly it (and every mount on it) and never a mount that was on the
 * rootfs before, such as an engine's overlay. */
#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "cradle/rootfs.h"

#ifndef STATX_MNT_ID_UNIQUE
#define STATX_MNT_ID_UNIQUE 0x00004000U
#endif

/* The unique id of the topmost mount at PATH, 0 when it cannot be told. */
static uint64_t mount_id_of(const char *path)
{
    struct statx stx;
    if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_MNT_ID_UNIQUE, &stx) < 0 ||
        !(stx.stx_mask & STATX_MNT_ID_UNIQUE))
        return 0;
    return stx.stx_mnt_id;
}

int cradle_rootfs_bind_in_runtime_ns(const char *rootfs, uint64_t *mount_id, cradle_error **err)
{
    if (mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
        return cradle_error_sys(err, "bind-mounting the rootfs %s onto itself", rootfs);
    *mount_id = mount_id_of(rootfs);
    if (*mount_id == 0) {
        umount2(rootfs, MNT_DETACH);
        return cradle_error_sys(err, "finding the mount id of the rootfs %s", rootfs);
    }
    return 0;
}

void cradle_rootfs_release_runtime_ns(const char *rootfs, uint64_t mount_id)
{
    if (mount_id != 0 && rootfs != NULL && mount_id_of(rootfs) == mount_id)
        umount2(rootfs, MNT_DETACH);
}
