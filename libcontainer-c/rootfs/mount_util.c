#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/pathsafe.h"
#include "rootfs_internal.h"

#define PROPAGATION_FLAGS (MS_SHARED | MS_SLAVE | MS_PRIVATE | MS_UNBINDABLE)

unsigned long rootfs_plain_flags(unsigned long flags)
{
    return flags & ~(PROPAGATION_FLAGS | MS_BIND | MS_REC | MS_REMOUNT | MS_MOVE);
}

unsigned long rootfs_kept_flags(int fd)
{
    static const struct {
        unsigned long st, ms;
    } map[] = {
        {ST_NOSUID, MS_NOSUID},   {ST_NODEV, MS_NODEV},           {ST_NOEXEC, MS_NOEXEC},
        {ST_NOATIME, MS_NOATIME}, {ST_NODIRATIME, MS_NODIRATIME}, {ST_RELATIME, MS_RELATIME},
    };
    struct statvfs sv;
    unsigned long out = 0;
    if (fstatvfs(fd, &sv) < 0)
        return 0;
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (sv.f_flag & map[i].st)
            out |= map[i].ms;
    return out;
}

/* The new mount API acts on fds directly, so these work after pivot_root too, when the
 * container may have no procfs for /proc/self/fd paths. */
int rootfs_bind_fd(int src_fd, int dst_fd, bool recursive, const char *what, cradle_error **err)
{
    unsigned int flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH;
    _cleanup_close_ int tree = open_tree(src_fd, "", flags | (recursive ? AT_RECURSIVE : 0));
    if (tree < 0)
        return cradle_error_sys(err, "bind-mounting onto %s: cloning the source", what);
    return rootfs_attach_mount(tree, dst_fd, what, err);
}

int rootfs_attach_mount(int mnt_fd, int dst_fd, const char *what, cradle_error **err)
{
    if (move_mount(mnt_fd, "", dst_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
        return cradle_error_sys(err, "bind-mounting onto %s", what);
    return 0;
}

int rootfs_mount_empty(const char *type, int dst_fd, uint64_t attrs, const char *what,
                       cradle_error **err)
{
    _cleanup_close_ int fs = fsopen(type, FSOPEN_CLOEXEC);
    /* Named and read-only down to the superblock, as mount(TYPE, ..., MS_RDONLY) makes it. */
    if (fs < 0 || fsconfig(fs, FSCONFIG_SET_STRING, "source", type, 0) < 0 ||
        ((attrs & MOUNT_ATTR_RDONLY) && fsconfig(fs, FSCONFIG_SET_FLAG, "ro", NULL, 0) < 0) ||
        fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
        return cradle_error_sys(err, "creating a %s for %s", type, what);
    _cleanup_close_ int mnt = fsmount(fs, FSMOUNT_CLOEXEC, (unsigned int)attrs);
    if (mnt < 0)
        return cradle_error_sys(err, "mounting a %s for %s", type, what);
    return rootfs_attach_mount(mnt, dst_fd, what, err);
}

int rootfs_remount_superblock_readonly(int fd, const char *what, cradle_error **err)
{
    _cleanup_close_ int fs = fspick(fd, "", FSPICK_EMPTY_PATH | FSPICK_CLOEXEC);
    if (fs < 0 || fsconfig(fs, FSCONFIG_SET_FLAG, "ro", NULL, 0) < 0 ||
        fsconfig(fs, FSCONFIG_CMD_RECONFIGURE, NULL, NULL, 0) < 0)
        return cradle_error_sys(err, "remounting %s read-only", what);
    return 0;
}

uint64_t rootfs_mount_attrs_of(unsigned long flags)
{
    static const struct {
        unsigned long ms;
        uint64_t attr;
    } map[] = {
        {MS_RDONLY, MOUNT_ATTR_RDONLY},
        {MS_NOSUID, MOUNT_ATTR_NOSUID},
        {MS_NODEV, MOUNT_ATTR_NODEV},
        {MS_NOEXEC, MOUNT_ATTR_NOEXEC},
        {MS_NODIRATIME, MOUNT_ATTR_NODIRATIME},
        {MS_NOATIME, MOUNT_ATTR_NOATIME},
        {MS_STRICTATIME, MOUNT_ATTR_STRICTATIME},
        {MS_NOSYMFOLLOW, MOUNT_ATTR_NOSYMFOLLOW},
    };
    uint64_t out = 0;
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (flags & map[i].ms)
            out |= map[i].attr;
    return out;
}

/* As mount(MS_BIND | MS_REMOUNT | flags): the mount ends up with exactly these flags
 * (relatime unless another atime flag is given). */
static int set_exact_flags(int fd, unsigned long flags)
{
    struct mount_attr attr = {
        .attr_set = rootfs_mount_attrs_of(flags),
        .attr_clr = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC |
                    MOUNT_ATTR_NODIRATIME | MOUNT_ATTR__ATIME | MOUNT_ATTR_NOSYMFOLLOW,
    };
    attr.attr_clr &= ~(attr.attr_set & ~(uint64_t)MOUNT_ATTR__ATIME);
    return mount_setattr(fd, "", AT_EMPTY_PATH, &attr, sizeof(attr));
}

int rootfs_remount_bind(int fd, unsigned long flags, const char *what, cradle_error **err)
{
    flags = rootfs_plain_flags(flags);
    if (set_exact_flags(fd, flags) == 0)
        return 0;
    if (errno == EPERM && set_exact_flags(fd, flags | rootfs_kept_flags(fd)) == 0)
        return 0;
    return cradle_error_sys(err, "remounting %s with its flags", what);
}

int rootfs_apply_mount_attrs(int fd, unsigned long propagation, uint64_t attr_set,
                             uint64_t attr_clr, const char *what, cradle_error **err)
{
    if (propagation) {
        struct mount_attr prop = {.propagation = propagation & ~(unsigned long)MS_REC};
        unsigned int flags = AT_EMPTY_PATH | ((propagation & MS_REC) ? AT_RECURSIVE : 0);
        if (mount_setattr(fd, "", flags, &prop, sizeof(prop)) < 0)
            return cradle_error_sys(err, "setting the propagation of %s", what);
    }
    if (attr_set == 0 && attr_clr == 0)
        return 0;
    struct mount_attr attr = {.attr_set = attr_set, .attr_clr = attr_clr};
    if (mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) < 0)
        return cradle_error_sys(err, "setting the recursive attributes of %s", what);
    return 0;
}

bool rootfs_is_tmpfs(const struct cradle_spec_mount *m)
{
    return m->type && strcmp(m->type, "tmpfs") == 0;
}

bool rootfs_defers_readonly(const struct cradle_spec_mount *m, const char *resolved)
{
    return rootfs_is_tmpfs(m) || strcmp(resolved, "/dev") == 0;
}

bool rootfs_is_bind(const struct cradle_spec_mount *m)
{
    return m->is_bind || (m->type && strcmp(m->type, "bind") == 0);
}
