/* /dev inside the rootfs: linux.devices and runc's default nodes (mknod, or a bind of the
 * host's node inside a user namespace where mknod is not allowed), /dev/ptmx for the
 * container's devpts, and the /dev symlinks. Skipped when /dev is a bind mount, as runc
 * does: the nodes are then the host's. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/pathsafe.h"
#include "cradle/userns.h"
#include "rootfs_internal.h"

static const struct cradle_spec_device default_devices[] = {
    {.path = "/dev/null", .type = 'c', .major = 1, .minor = 3},
    {.path = "/dev/zero", .type = 'c', .major = 1, .minor = 5},
    {.path = "/dev/full", .type = 'c', .major = 1, .minor = 7},
    {.path = "/dev/random", .type = 'c', .major = 1, .minor = 8},
    {.path = "/dev/urandom", .type = 'c', .major = 1, .minor = 9},
    {.path = "/dev/tty", .type = 'c', .major = 5, .minor = 0},
};

static const struct {
    const char *target, *name;
} dev_symlinks[] = {
    {"/proc/self/fd", "fd"},
    {"/proc/self/fd/0", "stdin"},
    {"/proc/self/fd/1", "stdout"},
    {"/proc/self/fd/2", "stderr"},
};

static bool same_path(const char *a, const char *b)
{
    _cleanup_free_ char *na = pp_normalize_path(a);
    _cleanup_free_ char *nb = pp_normalize_path(b);
    return na && nb && strcmp(na, nb) == 0;
}

static const struct cradle_spec_mount *find_mount(const struct cradle_spec *spec, const char *dest)
{
    for (size_t i = 0; i < spec->n_mounts; i++)
        if (spec->mounts[i].destination && same_path(spec->mounts[i].destination, dest))
            return &spec->mounts[i];
    return NULL;
}

static int mknod_device(int root_fd, const struct cradle_spec_device *dev, cradle_error **err)
{
    _cleanup_free_ char *path = pp_normalize_path(dev->path);
    if (path == NULL)
        return cradle_error_set(err, EINVAL, "not an absolute path");
    char *slash = strrchr(path, '/'); /* validation refused "/": there is a name */
    const char *name = slash + 1;
    *slash = '\0';
    _cleanup_close_ int dir_fd =
        cradle_mkdir_p_in_root(root_fd, slash == path ? "/" : path, 0755, false, err);
    if (dir_fd < 0)
        return -1;
    /* Validation passed permission bits only, maybe with the type's own bits repeated. */
    mode_t mode =
        cradle_device_node_type(dev->type) | (dev->has_file_mode ? dev->file_mode & 0777 : 0666);
    dev_t rdev = makedev((unsigned)dev->major, (unsigned)dev->minor);
    if (mknodat(dir_fd, name, mode, rdev) < 0) {
        if (errno == EEXIST)
            return 0;
        return cradle_error_sys(err, "mknod");
    }
    if (fchownat(dir_fd, name, dev->has_uid ? dev->uid : 0, dev->has_gid ? dev->gid : 0,
                 AT_SYMLINK_NOFOLLOW) < 0)
        return cradle_error_sys(err, "chown");
    return 0;
}

static int bind_device(int root_fd, const struct cradle_spec_device *dev, cradle_error **err)
{
    _cleanup_close_ int src_fd = open(dev->path, O_PATH | O_CLOEXEC);
    if (src_fd < 0)
        return cradle_error_sys(err, "opening the host's node");
    _cleanup_close_ int dst_fd = cradle_mkdir_p_in_root(root_fd, dev->path, 0755, true, err);
    if (dst_fd < 0)
        return -1;
    return rootfs_bind_fd(src_fd, dst_fd, false, dev->path, err);
}

static int create_device(const struct cradle_rootfs_ctx *ctx, int root_fd,
                         const struct cradle_spec_device *dev, const char *what, cradle_error **err)
{
    /* runc binds in a user namespace of the container's or the runtime's own (rootless
     * Podman's config has none: the runtime runs in the user's). */
    bool bind = ctx->userns || cradle_running_in_userns();
    int r = bind ? bind_device(root_fd, dev, err) : mknod_device(root_fd, dev, err);
    if (r < 0)
        return cradle_error_wrap(err, "%s (%s)", what, dev->path);
    return 0;
}

static bool listed_in_spec(const struct cradle_spec *spec, const char *path)
{
    for (size_t i = 0; i < spec->linux_.n_devices; i++)
        if (spec->linux_.devices[i].path && same_path(spec->linux_.devices[i].path, path))
            return true;
    return false;
}

static int create_devices(const struct cradle_rootfs_ctx *ctx, int root_fd, cradle_error **err)
{
    const struct cradle_spec *spec = ctx->spec;
    char what[64];
    for (size_t i = 0; i < spec->linux_.n_devices; i++) {
        snprintf(what, sizeof(what), "linux.devices[%zu]", i);
        if (create_device(ctx, root_fd, &spec->linux_.devices[i], what, err) < 0)
            return -1;
    }
    for (size_t i = 0; i < sizeof(default_devices) / sizeof(default_devices[0]); i++)
        if (!listed_in_spec(spec, default_devices[i].path) &&
            create_device(ctx, root_fd, &default_devices[i], "default device", err) < 0)
            return -1;
    return 0;
}

static int create_links(const struct cradle_rootfs_ctx *ctx, int root_fd, cradle_error **err)
{
    _cleanup_close_ int dev_fd = cradle_mkdir_p_in_root(root_fd, "/dev", 0755, false, err);
    if (dev_fd < 0)
        return -1;
    for (size_t i = 0; i < sizeof(dev_symlinks) / sizeof(dev_symlinks[0]); i++)
        if (symlinkat(dev_symlinks[i].target, dev_fd, dev_symlinks[i].name) < 0 && errno != EEXIST)
            return cradle_error_sys(err, "creating the symlink /dev/%s", dev_symlinks[i].name);
    if (access("/proc/kcore", F_OK) == 0 && symlinkat("/proc/kcore", dev_fd, "core") < 0 &&
        errno != EEXIST)
        return cradle_error_sys(err, "creating the symlink /dev/core");
    const struct cradle_spec_mount *pts = find_mount(ctx->spec, "/dev/pts");
    if (pts == NULL || pts->type == NULL || strcmp(pts->type, "devpts") != 0)
        return 0;
    /* The container's ptys come from its own devpts instance. */
    if (unlinkat(dev_fd, "ptmx", 0) < 0 && errno != ENOENT)
        return cradle_error_sys(err, "removing /dev/ptmx");
    if (symlinkat("pts/ptmx", dev_fd, "ptmx") < 0)
        return cradle_error_sys(err, "creating the symlink /dev/ptmx");
    return 0;
}

int rootfs_setup_dev(const struct cradle_rootfs_ctx *ctx, int root_fd, cradle_error **err)
{
    const struct cradle_spec_mount *dev = find_mount(ctx->spec, "/dev");
    if (dev && rootfs_is_bind(dev))
        return 0;
    /* Device modes are exact, not filtered by the umask. */
    mode_t old_umask = umask(0);
    int r = create_devices(ctx, root_fd, err);
    umask(old_umask);
    if (r < 0)
        return -1;
    return create_links(ctx, root_fd, err);
}
