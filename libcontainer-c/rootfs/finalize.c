/* After pivot_root, inside the container: read-only and masked paths (runc's
 * standard_init), then the read-only remounts deferred by prepare, root.readonly and
 * the final rootfsPropagation (runc's finalizeRootfs). Paths resolve inside "/" with
 * openat2, so a symlink in the image cannot redirect these mounts. */
#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "cradle/cleanup.h"
#include "cradle/pathsafe.h"
#include "rootfs_internal.h"

/* Opens PATH inside the root; -1 with *err set on failure, -1 with errno ENOENT and no
 * error when it does not exist. */
static int open_if_exists(int root_fd, const char *path, cradle_error **err)
{
    int fd = cradle_open_in_root(root_fd, path, O_PATH, NULL);
    if (fd < 0 && errno != ENOENT)
        return cradle_error_sys(err, "opening it");
    return fd;
}

static int make_readonly(int root_fd, const char *path, cradle_error **err)
{
    _cleanup_close_ int fd = open_if_exists(root_fd, path, err);
    if (fd < 0)
        return errno == ENOENT ? 0 : -1;
    if (rootfs_bind_fd(fd, fd, true, path, err) < 0)
        return -1;
    _cleanup_close_ int top = cradle_open_in_root(root_fd, path, O_PATH, err);
    if (top < 0)
        return -1;
    /* Submounts keep their own flags: the remount is not recursive. */
    return rootfs_remount_bind(top, MS_RDONLY | rootfs_kept_flags(top), path, err);
}

static int mask(int root_fd, const char *path, cradle_error **err)
{
    _cleanup_close_ int fd = open_if_exists(root_fd, path, err);
    if (fd < 0)
        return errno == ENOENT ? 0 : -1;
    struct stat st;
    if (fstat(fd, &st) < 0)
        return cradle_error_sys(err, "inspecting it");
    if (S_ISDIR(st.st_mode))
        return rootfs_mount_empty("tmpfs", fd, MOUNT_ATTR_RDONLY, path, err);
    _cleanup_close_ int null_fd = cradle_open_in_root(root_fd, "/dev/null", O_PATH, err);
    if (null_fd < 0)
        return -1;
    return rootfs_bind_fd(null_fd, fd, false, path, err);
}

/* True when fd is the container's /dev (compared by mount and inode: the path of an fd
 * is not known without procfs). */
static bool is_dev(int root_fd, int fd)
{
    _cleanup_close_ int dev = cradle_open_in_root(root_fd, "/dev", O_PATH, NULL);
    struct statx a, b;
    unsigned int mask = STATX_INO | STATX_MNT_ID;
    return dev >= 0 && statx(dev, "", AT_EMPTY_PATH, mask, &a) == 0 &&
           statx(fd, "", AT_EMPTY_PATH, mask, &b) == 0 && a.stx_mnt_id == b.stx_mnt_id &&
           a.stx_ino == b.stx_ino && a.stx_dev_major == b.stx_dev_major &&
           a.stx_dev_minor == b.stx_dev_minor;
}

static int remount_deferred_readonly(int root_fd, const struct cradle_spec_mount *m,
                                     cradle_error **err)
{
    if (!(m->flags & MS_RDONLY) || rootfs_is_bind(m) || m->destination == NULL)
        return 0;
    _cleanup_close_ int fd = cradle_open_in_root(root_fd, m->destination, O_PATH, err);
    if (fd < 0)
        return -1;
    if (!rootfs_is_tmpfs(m) && !is_dev(root_fd, fd))
        return 0;
    return rootfs_remount_superblock_readonly(fd, m->destination, err);
}

static int apply_paths(int root_fd, char *const *paths, size_t n, const char *field,
                       int (*apply)(int root_fd, const char *path, cradle_error **err),
                       cradle_error **err)
{
    for (size_t i = 0; i < n; i++)
        if (apply(root_fd, paths[i], err) < 0)
            return cradle_error_wrap(err, "%s[%zu] (%s)", field, i, paths[i]);
    return 0;
}

int cradle_rootfs_finalize(const struct cradle_rootfs_ctx *ctx, cradle_error **err)
{
    const struct cradle_spec *spec = ctx->spec;
    _cleanup_close_ int root_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root_fd < 0)
        return cradle_error_sys(err, "opening /");
    if (apply_paths(root_fd, spec->linux_.readonly_paths, spec->linux_.n_readonly_paths,
                    "linux.readonlyPaths", make_readonly, err) < 0)
        return -1;
    if (apply_paths(root_fd, spec->linux_.masked_paths, spec->linux_.n_masked_paths,
                    "linux.maskedPaths", mask, err) < 0)
        return -1;
    for (size_t i = 0; i < spec->n_mounts; i++)
        if (remount_deferred_readonly(root_fd, &spec->mounts[i], err) < 0)
            return cradle_error_wrap(err, "mounts[%zu] (%s)", i, spec->mounts[i].destination);
    if (spec->root_readonly &&
        rootfs_remount_bind(root_fd, MS_RDONLY | rootfs_kept_flags(root_fd), "/", err) < 0)
        return cradle_error_wrap(err, "root.readonly");
    if (spec->linux_.has_rootfs_propagation &&
        mount("", "/", NULL, spec->linux_.rootfs_propagation, NULL) < 0)
        return cradle_error_sys(err, "linux.rootfsPropagation: setting the propagation of /");
    return 0;
}
