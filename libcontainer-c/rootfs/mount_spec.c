/* One spec mount: open the source (binds), create the destination safely inside the
 * rootfs, let the policy judge the resolved destination, mount onto the fd, then apply
 * flags a first bind ignores, propagation and recursive attributes. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "cradle/cleanup.h"
#include "cradle/lsm.h"
#include "cradle/pathsafe.h"
#include "rootfs_internal.h"

static bool type_is(const struct cradle_spec_mount *m, const char *type)
{
    return m->type && strcmp(m->type, type) == 0;
}

/* The source of a bind: TREE, the parent's detached mount of it, when there is one. */
static int open_source(const char *source, int tree, bool *is_file, cradle_error **err)
{
    /* A relative source is relative to the bundle, the current directory. */
    _cleanup_close_ int fd = tree >= 0 ? tree : open(source, O_PATH | O_CLOEXEC);
    if (fd < 0)
        return cradle_error_sys(err, "opening the source %s", source);
    struct stat st;
    if (fstat(fd, &st) < 0)
        return cradle_error_sys(err, "inspecting the source %s", source);
    *is_file = !S_ISDIR(st.st_mode);
    return TAKE_FD(fd);
}

/* proc and sysfs go only onto an ordinary directory at their very destination (runc's
 * fix for CVE-2023-27561/28642): through a symlink they would land anywhere in the
 * rootfs, over what the container must not change. dst_fd is the resolved destination. */
static int check_plain_directory(int dst_fd, const char *resolved,
                                 const struct cradle_spec_mount *m, cradle_error **err)
{
    if (!type_is(m, "proc") && !type_is(m, "sysfs"))
        return 0;
    _cleanup_free_ char *absolute = NULL;
    if (asprintf(&absolute, "/%s", m->destination) < 0)
        return cradle_error_set(err, ENOMEM, "normalising %s", m->destination);
    _cleanup_free_ char *lexical = pp_normalize_path(absolute);
    struct stat st;
    if (lexical == NULL || fstat(dst_fd, &st) < 0)
        return cradle_error_sys(err, "inspecting %s", resolved);
    if (!S_ISDIR(st.st_mode) || strcmp(lexical, resolved) != 0)
        return cradle_error_set(err, EINVAL,
                                "filesystem \"%s\" must be mounted on ordinary directory", m->type);
    return 0;
}

/* src_fd is the opened source, or a detached mount of it made by the parent (is_tree). */
static int mount_bind(int root_fd, int src_fd, bool is_tree, int dst_fd, const char *resolved,
                      const struct cradle_spec_mount *m, cradle_error **err)
{
    int r = is_tree ? rootfs_attach_mount(src_fd, dst_fd, resolved, err)
                    : rootfs_bind_fd(src_fd, dst_fd, (m->flags & MS_REC) != 0, resolved, err);
    if (r < 0)
        return -1;
    /* runc 1.2: options that only clear flags ("rw", "exec", "suid") are applied too. */
    if (rootfs_plain_flags(m->flags) == 0 && m->clear_flags == 0)
        return 0;
    /* A fresh lookup lands on the new mount; dst_fd still names the one beneath. */
    _cleanup_close_ int top = cradle_open_in_root(root_fd, resolved, O_PATH, err);
    if (top < 0 || rootfs_remount_bind(top, m->flags, resolved, err) < 0)
        return -1;
    /* In a user namespace the kernel keeps the source's nosuid, nodev and noexec: runc 1.2
     * fails rather than leave one the options clear. */
    static const struct {
        unsigned long flag;
        const char *clearing;
    } lockable[] = {{MS_NOSUID, "suid"}, {MS_NODEV, "dev"}, {MS_NOEXEC, "exec"}};
    unsigned long kept = rootfs_kept_flags(top);
    for (size_t i = 0; i < sizeof(lockable) / sizeof(lockable[0]); i++)
        if (kept & m->clear_flags & lockable[i].flag)
            return cradle_error_set(err, EPERM,
                                    "remounting %s: option \"%s\" cannot clear a flag the kernel "
                                    "keeps locked on this source",
                                    resolved, lockable[i].clearing);
    return 0;
}

static int mount_filesystem(int dst_fd, const char *resolved, const struct cradle_spec_mount *m,
                            const char *data, cradle_error **err)
{
    char target[CRADLE_FD_PATH_MAX];
    unsigned long flags = rootfs_plain_flags(m->flags);
    if (rootfs_defers_readonly(m, resolved))
        flags &= ~MS_RDONLY;
    const char *source = m->source ? m->source : m->type;
    if (mount(source, cradle_fd_path(dst_fd, target), m->type, flags, data) < 0)
        return cradle_error_sys(err, "mounting %s (type %s) on %s", source, m->type, resolved);
    return 0;
}

/* sysfs belongs to the network namespace of whoever mounts it. In a user namespace
 * without a network namespace of its own the kernel refuses it: the host's /sys is then
 * bound instead, as runc does, read-only down to every submount (the host's cgroup
 * hierarchies are under it). */
static int mount_sysfs(const struct cradle_rootfs_ctx *ctx, int root_fd, int dst_fd,
                       const char *resolved, const struct cradle_spec_mount *m, cradle_error **err)
{
    _cleanup_error_ cradle_error *fresh_err = NULL;
    if (mount_filesystem(dst_fd, resolved, m, m->data, &fresh_err) == 0)
        return 0;
    if (!ctx->userns || fresh_err->errnum != EPERM) {
        *err = TAKE_PTR(fresh_err);
        return -1;
    }
    bool is_file;
    _cleanup_close_ int src_fd = open_source("/sys", -1, &is_file, err);
    if (src_fd < 0 || rootfs_bind_fd(src_fd, dst_fd, true, resolved, err) < 0)
        return -1;
    _cleanup_close_ int top = cradle_open_in_root(root_fd, resolved, O_PATH, err);
    if (top < 0)
        return -1;
    uint64_t locked = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC;
    return rootfs_apply_mount_attrs(top, 0, locked, 0, resolved, err);
}

static int mount_tmpfs_with(int dst_fd, const char *resolved, const struct cradle_spec_mount *m,
                            const char *data, cradle_error **err)
{
    if (m->copy_up)
        return rootfs_mount_tmpfs_copyup(dst_fd, resolved, m, data, err);
    return mount_filesystem(dst_fd, resolved, m, data, err);
}

/* runc keeps the mode of a directory a tmpfs is mounted on (0712 stays 0712, not the
 * tmpfs default 1777) unless the options name one. existing_mode is 0 when the
 * directory did not exist. */
static int mount_tmpfs(int dst_fd, const char *resolved, const struct cradle_spec_mount *m,
                       const char *data, mode_t existing_mode, cradle_error **err)
{
    bool has_mode = data && (strncmp(data, "mode=", 5) == 0 || strstr(data, ",mode="));
    if (existing_mode == 0 || has_mode)
        return mount_tmpfs_with(dst_fd, resolved, m, data, err);
    _cleanup_free_ char *with_mode = NULL;
    if (asprintf(&with_mode, "%s%smode=%o", data ? data : "", data ? "," : "",
                 (unsigned)existing_mode) < 0)
        return cradle_error_set(err, ENOMEM, "tmpfs options for %s", resolved);
    return mount_tmpfs_with(dst_fd, resolved, m, with_mode, err);
}

/* runc mounts mqueue without a context= option and labels its root instead. */
static int mount_mqueue(int root_fd, int dst_fd, const char *resolved,
                        const struct cradle_spec_mount *m, const char *label, cradle_error **err)
{
    if (mount_filesystem(dst_fd, resolved, m, m->data, err) < 0)
        return -1;
    if (label == NULL || *label == '\0')
        return 0;
    _cleanup_close_ int top = cradle_open_in_root(root_fd, resolved, O_PATH, err);
    if (top < 0)
        return -1;
    return cradle_selinux_set_file_label(top, label, resolved, err);
}

/* The mode of the directory at the destination when it already exists, else 0. */
static mode_t existing_dir_mode(int root_fd, const char *destination)
{
    _cleanup_close_ int fd = cradle_open_in_root(root_fd, destination, O_PATH, NULL);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode))
        return 0;
    return st.st_mode & 07777;
}

static int mount_one(const struct cradle_rootfs_ctx *ctx, int root_fd,
                     const struct cradle_spec_mount *m, int tree, bool *covers_root,
                     cradle_error **err)
{
    /* The validation pass gave every mount a destination, a bind a source, others a type. */
    bool bind = rootfs_is_bind(m);
    bool src_is_file = false;
    _cleanup_close_ int src_fd = -1;
    if (bind && (src_fd = open_source(m->source, tree, &src_is_file, err)) < 0)
        return -1;
    mode_t existing_mode = rootfs_is_tmpfs(m) ? existing_dir_mode(root_fd, m->destination) : 0;
    _cleanup_close_ int dst_fd =
        cradle_mkdir_p_in_root(root_fd, m->destination, 0755, src_is_file, err);
    if (dst_fd < 0)
        return -1;
    _cleanup_free_ char *resolved = NULL;
    if (cradle_fd_path_in_root(dst_fd, ctx->rootfs, &resolved, err) < 0)
        return -1;
    if (check_plain_directory(dst_fd, resolved, m, err) < 0 ||
        rootfs_judge_mount(ctx, m, resolved, src_fd, err) < 0)
        return -1;
    *covers_root = strcmp(resolved, "/") == 0;
    /* runc's label.FormatMountLabel, for every filesystem but proc, sysfs, mqueue and
     * cgroups (binds ignore it). */
    const char *label = ctx->spec->linux_.mount_label;
    const char *data = m->data;
    _cleanup_free_ char *labelled = NULL;
    if (label && *label) {
        if (cradle_format_mount_label(m->data, label, &labelled) < 0)
            return cradle_error_set(err, ENOMEM, "mount options of %s", resolved);
        data = labelled;
    }

    int r;
    if (bind)
        r = mount_bind(root_fd, src_fd, tree >= 0, dst_fd, resolved, m, err);
    else if (type_is(m, "cgroup") || type_is(m, "cgroup2"))
        r = rootfs_mount_cgroup(ctx, root_fd, dst_fd, resolved, m, err);
    else if (type_is(m, "sysfs"))
        r = mount_sysfs(ctx, root_fd, dst_fd, resolved, m, err);
    else if (rootfs_is_tmpfs(m))
        r = mount_tmpfs(dst_fd, resolved, m, data, existing_mode, err);
    else if (type_is(m, "mqueue"))
        r = mount_mqueue(root_fd, dst_fd, resolved, m, label, err);
    else
        r = mount_filesystem(dst_fd, resolved, m, type_is(m, "proc") ? m->data : data, err);
    if (r < 0 || rootfs_judge_mounted_carried(ctx, m, root_fd, resolved, err) < 0)
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
                      bool *covers_root, cradle_error **err)
{
    const struct cradle_spec_mount *m = &ctx->spec->mounts[index];
    *covers_root = false;
    int tree = ctx->bind_sources ? ctx->bind_sources[index] : -1;
    if (mount_one(ctx, root_fd, m, tree, covers_root, err) < 0)
        return cradle_error_wrap(err, "mounts[%zu] (%s)", index, m->destination);
    return 0;
}
