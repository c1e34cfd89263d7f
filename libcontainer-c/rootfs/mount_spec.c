/* One spec mount: open the source (binds), create the destination safely inside the
 * rootfs, let the policy judge the resolved destination, mount onto the fd, then apply
 * flags a first bind ignores, propagation and recursive attributes. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "cradle/cleanup.h"
#include "cradle/pathsafe.h"
#include "rootfs_internal.h"

static bool type_is(const struct cradle_spec_mount *m, const char *type)
{
    return m->type && strcmp(m->type, type) == 0;
}

/* Without a network namespace of its own the container may not mount sysfs (the kernel
 * ties it to the netns): bind the host's /sys instead, as runc does. */
static bool sysfs_needs_bind(const struct cradle_rootfs_ctx *ctx, const struct cradle_spec_mount *m)
{
    return type_is(m, "sysfs") && cradle_spec_find_namespace(ctx->spec, CLONE_NEWNET) == NULL;
}

static int open_source(const struct cradle_rootfs_ctx *ctx, const struct cradle_spec_mount *m,
                       bool *is_file, cradle_error **err)
{
    const char *source = sysfs_needs_bind(ctx, m) ? "/sys" : m->source;
    if (source == NULL)
        return cradle_error_set(err, EINVAL, "bind mount without a source");
    /* A relative source is relative to the bundle, the current directory. */
    _cleanup_close_ int fd = open(source, O_PATH | O_CLOEXEC);
    if (fd < 0)
        return cradle_error_sys(err, "opening the source %s", source);
    struct stat st;
    if (fstat(fd, &st) < 0)
        return cradle_error_sys(err, "inspecting the source %s", source);
    *is_file = !S_ISDIR(st.st_mode);
    return TAKE_FD(fd);
}

static int mount_bind(int root_fd, int src_fd, int dst_fd, const char *resolved,
                      const struct cradle_spec_mount *m, bool recursive, cradle_error **err)
{
    if (rootfs_bind_fd(src_fd, dst_fd, recursive, resolved, err) < 0)
        return -1;
    if (rootfs_plain_flags(m->flags) == 0)
        return 0;
    /* A fresh lookup lands on the new mount; dst_fd still names the one beneath. */
    _cleanup_close_ int top = cradle_open_in_root(root_fd, resolved, O_PATH, err);
    if (top < 0)
        return -1;
    return rootfs_remount_bind(top, m->flags, resolved, err);
}

static int mount_filesystem(int dst_fd, const char *resolved, const struct cradle_spec_mount *m,
                            cradle_error **err)
{
    char target[CRADLE_FD_PATH_MAX];
    unsigned long flags = rootfs_plain_flags(m->flags);
    if (rootfs_defers_readonly(m, resolved))
        flags &= ~MS_RDONLY;
    const char *source = m->source ? m->source : m->type;
    if (mount(source, cradle_fd_path(dst_fd, target), m->type, flags, m->data) < 0)
        return cradle_error_sys(err, "mounting %s (type %s) on %s", source, m->type, resolved);
    return 0;
}

static int mount_one(const struct cradle_rootfs_ctx *ctx, int root_fd,
                     const struct cradle_spec_mount *m, cradle_error **err)
{
    if (m->destination == NULL)
        return cradle_error_set(err, EINVAL, "no destination");
    if (m->type == NULL && !rootfs_is_bind(m))
        return cradle_error_set(err, EINVAL, "no type and not a bind mount");
    bool bind = rootfs_is_bind(m) || sysfs_needs_bind(ctx, m);
    bool src_is_file = false;
    _cleanup_close_ int src_fd = -1;
    if (bind && (src_fd = open_source(ctx, m, &src_is_file, err)) < 0)
        return -1;
    _cleanup_close_ int dst_fd =
        cradle_mkdir_p_in_root(root_fd, m->destination, 0755, src_is_file, err);
    if (dst_fd < 0)
        return -1;
    _cleanup_free_ char *resolved = NULL;
    if (cradle_fd_path_in_root(dst_fd, ctx->rootfs, &resolved, err) < 0)
        return -1;
    if (rootfs_judge_mount(ctx, m, resolved, src_fd, err) < 0)
        return -1;

    int r;
    if (bind)
        r = mount_bind(root_fd, src_fd, dst_fd, resolved, m,
                       (m->flags & MS_REC) || sysfs_needs_bind(ctx, m), err);
    else if (type_is(m, "cgroup") || type_is(m, "cgroup2"))
        r = rootfs_mount_cgroup(ctx, root_fd, dst_fd, resolved, m, err);
    else
        r = mount_filesystem(dst_fd, resolved, m, err);
    if (r < 0)
        return -1;

    if (m->propagation == 0 && m->rec_attr_set == 0 && m->rec_attr_clr == 0)
        return 0;
    _cleanup_close_ int top = cradle_open_in_root(root_fd, resolved, O_PATH, err);
    if (top < 0)
        return -1;
    return rootfs_apply_mount_attrs(top, m->propagation, m->rec_attr_set, m->rec_attr_clr, resolved,
                                    err);
}

int rootfs_mount_spec(const struct cradle_rootfs_ctx *ctx, int root_fd, size_t index,
                      cradle_error **err)
{
    const struct cradle_spec_mount *m = &ctx->spec->mounts[index];
    if (mount_one(ctx, root_fd, m, err) < 0)
        return cradle_error_wrap(err, "mounts[%zu] (%s)", index,
                                 m->destination ? m->destination : "?");
    return 0;
}
