#include <errno.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

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

int rootfs_bind_fd(int src_fd, int dst_fd, bool recursive, const char *what, cradle_error **err)
{
    char src[CRADLE_FD_PATH_MAX], dst[CRADLE_FD_PATH_MAX];
    unsigned long flags = MS_BIND | (recursive ? MS_REC : 0);
    if (mount(cradle_fd_path(src_fd, src), cradle_fd_path(dst_fd, dst), NULL, flags, NULL) < 0)
        return cradle_error_sys(err, "bind-mounting onto %s", what);
    return 0;
}

int rootfs_remount_bind(int fd, unsigned long flags, const char *what, cradle_error **err)
{
    char path[CRADLE_FD_PATH_MAX];
    cradle_fd_path(fd, path);
    flags = rootfs_plain_flags(flags) | MS_BIND | MS_REMOUNT;
    if (mount("", path, NULL, flags, NULL) == 0)
        return 0;
    if (errno == EPERM && mount("", path, NULL, flags | rootfs_kept_flags(fd), NULL) == 0)
        return 0;
    return cradle_error_sys(err, "remounting %s with its flags", what);
}

int rootfs_apply_mount_attrs(int fd, unsigned long propagation, uint64_t attr_set,
                             uint64_t attr_clr, const char *what, cradle_error **err)
{
    char path[CRADLE_FD_PATH_MAX];
    if (propagation && mount("", cradle_fd_path(fd, path), NULL, propagation, NULL) < 0)
        return cradle_error_sys(err, "setting the propagation of %s", what);
    if (attr_set == 0 && attr_clr == 0)
        return 0;
    struct mount_attr attr = {.attr_set = attr_set, .attr_clr = attr_clr};
    if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) < 0)
        return cradle_error_sys(err, "setting the recursive attributes of %s", what);
    return 0;
}

bool rootfs_defers_readonly(const struct cradle_spec_mount *m, const char *resolved)
{
    return (m->type && strcmp(m->type, "tmpfs") == 0) || strcmp(resolved, "/dev") == 0;
}

bool rootfs_is_bind(const struct cradle_spec_mount *m)
{
    return m->is_bind || (m->type && strcmp(m->type, "bind") == 0);
}
