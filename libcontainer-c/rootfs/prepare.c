/* Before pivot_root: propagation of /, the rootfs made a mount point, the spec mounts in
 * order, /dev, and process.cwd. Mirrors runc's prepareRoot + mountToRootfs + createDevices. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/pathsafe.h"
#include "rootfs_internal.h"

struct parent_mount {
    int id;
    bool shared;
    char *mountpoint;
};

static int find_mount_by_id(const struct cradle_mountinfo *mi, void *data)
{
    struct parent_mount *pm = data;
    if (mi->id != pm->id)
        return 0;
    pm->shared = strstr(mi->optional, "shared:") != NULL;
    pm->mountpoint = strdup(mi->mountpoint);
    return pm->mountpoint ? 1 : -1;
}

/* pivot_root refuses a new root whose parent mount is shared; making it private also
 * keeps the rootfs bind from propagating to other namespaces. */
static int make_parent_private(const char *rootfs, cradle_error **err)
{
    _cleanup_free_ char *copy = strdup(rootfs);
    if (copy == NULL)
        return cradle_error_set(err, ENOMEM, "copying %s", rootfs);
    const char *parent = dirname(copy);
    struct statx stx;
    if (statx(AT_FDCWD, parent, 0, STATX_MNT_ID, &stx) < 0)
        return cradle_error_sys(err, "finding the mount of %s", parent);
    struct parent_mount pm = {.id = (int)stx.stx_mnt_id};
    int found = cradle_mountinfo_foreach("/proc/self/mountinfo", find_mount_by_id, &pm, err);
    _cleanup_free_ char *mountpoint = pm.mountpoint;
    if (found < 0)
        return cradle_error_set(err, ENOMEM, "looking up the mount of %s", parent);
    if (found == 0 || !pm.shared)
        return 0;
    if (mount("", mountpoint, NULL, MS_PRIVATE, NULL) < 0)
        return cradle_error_sys(err, "making %s, the mount holding the rootfs, private",
                                mountpoint);
    return 0;
}

/* runc creates process.cwd when it is missing, as root, before the rootfs may turn
 * read-only. */
static int create_cwd(const struct cradle_spec *spec, int root_fd, cradle_error **err)
{
    if (!spec->has_process || spec->process.cwd == NULL)
        return 0;
    _cleanup_close_ int fd = cradle_mkdir_p_in_root(root_fd, spec->process.cwd, 0755, false, err);
    if (fd < 0)
        return cradle_error_wrap(err, "process.cwd (%s)", spec->process.cwd);
    return 0;
}

/* The propagation of / while the rootfs is built: rootfsPropagation, except that an
 * unbindable / could not be bound onto itself: it stays private until finalize applies
 * it. */
static unsigned long building_propagation(const struct cradle_spec *spec)
{
    if (!spec->linux_.has_rootfs_propagation)
        return MS_SLAVE | MS_REC;
    if (spec->linux_.rootfs_propagation & MS_UNBINDABLE)
        return MS_PRIVATE | MS_REC;
    return spec->linux_.rootfs_propagation;
}

static int prepare_root(const struct cradle_rootfs_ctx *ctx, cradle_error **err)
{
    if (mount("", "/", NULL, building_propagation(ctx->spec), NULL) < 0)
        return cradle_error_sys(err, "setting the propagation of / (linux.rootfsPropagation)");
    if (make_parent_private(ctx->rootfs, err) < 0)
        return -1;
    if (mount(ctx->rootfs, ctx->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
        return cradle_error_sys(err, "bind-mounting the rootfs %s onto itself", ctx->rootfs);
    return 0;
}

static int open_rootfs(const struct cradle_rootfs_ctx *ctx, cradle_error **err)
{
    int fd = open(ctx->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return cradle_error_sys(err, "opening the rootfs %s", ctx->rootfs);
    return fd;
}

int cradle_rootfs_prepare(const struct cradle_rootfs_ctx *ctx, cradle_error **err)
{
    const struct cradle_spec *spec = ctx->spec;
    /* In the runtime's mount namespace nothing but the rootfs may change: the runtime
     * has bound it already. */
    if (!ctx->runtime_mount_ns && prepare_root(ctx, err) < 0)
        return -1;
    /* Opened after the bind, so that lookups start on the new mount. */
    _cleanup_close_ int root_fd = open_rootfs(ctx, err);
    if (root_fd < 0)
        return -1;
    for (size_t i = 0; i < spec->n_mounts; i++) {
        bool covers_root;
        if (rootfs_mount_spec(ctx, root_fd, i, &covers_root, err) < 0)
            return -1;
        /* A mount onto / is the container's root from now on. */
        if (covers_root) {
            close(root_fd);
            if ((root_fd = open_rootfs(ctx, err)) < 0)
                return -1;
        }
    }
    if (rootfs_setup_dev(ctx, root_fd, err) < 0)
        return -1;
    return create_cwd(spec, root_fd, err);
}
