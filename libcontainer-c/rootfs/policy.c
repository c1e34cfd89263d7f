/* The proc-mount policy as the rootfs code applies it: what kind of mount a spec mount
 * is (for binds: the filesystem of the opened source) and the decision for its
 * destination. */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/vfs.h>

#include "cradle/cleanup.h"
#include "rootfs_internal.h"

enum pp_kind cradle_rootfs_mount_kind(const struct cradle_spec_mount *m, int src_fd)
{
    if (rootfs_is_bind(m))
        return pp_bind_source_kind(src_fd);
    if (m->type && strcmp(m->type, "proc") == 0)
        return PP_KIND_PROC;
    if (m->type && strcmp(m->type, "tmpfs") == 0)
        return PP_KIND_TMPFS;
    return PP_KIND_OTHER;
}

int rootfs_judge_mount(const struct cradle_rootfs_ctx *ctx, const struct cradle_spec_mount *m,
                       const char *resolved, int src_fd, cradle_error **err)
{
    if (!pp_path_is_under_proc(resolved))
        return 0;
    if (ctx->policy == NULL || ctx->pp_ctx == NULL)
        return cradle_error_set(err, EPERM, "mount of %s refused: no proc policy is loaded",
                                resolved);
    struct pp_request req = {
        .destination = resolved,
        .kind = cradle_rootfs_mount_kind(m, src_fd),
        .readonly = (m->flags & MS_RDONLY) || (m->rec_attr_set & MOUNT_ATTR_RDONLY),
    };
    struct pp_decision decision;
    pp_decide(ctx->policy, &req, ctx->pp_ctx, &decision);
    if (!decision.allowed)
        return cradle_error_set(err, EPERM, "%s", decision.reason);
    return 0;
}

int cradle_rootfs_check_policy(const struct cradle_rootfs_ctx *ctx,
                               const struct cradle_spec_mount *m, cradle_error **err)
{
    if (m->destination == NULL)
        return cradle_error_set(err, EINVAL, "mount without a destination");
    _cleanup_free_ char *absolute = NULL;
    if (m->destination[0] != '/' && asprintf(&absolute, "/%s", m->destination) < 0)
        return cradle_error_set(err, ENOMEM, "normalising %s", m->destination);
    _cleanup_free_ char *normalized = pp_normalize_path(absolute ? absolute : m->destination);
    if (normalized == NULL)
        return cradle_error_set(err, ENOMEM, "normalising %s", m->destination);
    if (!pp_path_is_under_proc(normalized))
        return 0;
    _cleanup_close_ int src_fd = -1;
    if (rootfs_is_bind(m)) {
        if (m->source == NULL)
            return cradle_error_set(err, EINVAL, "bind mount of %s has no source", normalized);
        src_fd = open(m->source, O_PATH | O_CLOEXEC);
        if (src_fd < 0)
            return cradle_error_sys(err, "opening %s, the source of the mount on %s", m->source,
                                    normalized);
    }
    return rootfs_judge_mount(ctx, m, normalized, src_fd, err);
}
