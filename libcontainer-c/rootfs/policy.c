/* The proc-mount policy as the rootfs code applies it: what the policy sees of a spec
 * mount (its kind; for binds, the filesystem of the opened source and which procfs file
 * it is) and the decision for every mount that lands under /proc or reaches procfs. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "cradle/cleanup.h"
#include "rootfs_internal.h"

static enum pp_kind mount_kind(const struct cradle_spec_mount *m, int src_fd)
{
    if (rootfs_is_bind(m))
        return pp_bind_source_kind(src_fd);
    if (m->type && strcmp(m->type, "proc") == 0)
        return PP_KIND_PROC;
    if (m->type && strcmp(m->type, "tmpfs") == 0)
        return PP_KIND_TMPFS;
    return PP_KIND_OTHER;
}

void cradle_rootfs_policy_request(const struct cradle_spec_mount *m, int source_fd,
                                  struct pp_request *req, char **source_path)
{
    *source_path = NULL;
    req->kind = mount_kind(m, source_fd);
    req->readonly = (m->flags & MS_RDONLY) || (m->rec_attr_set & MOUNT_ATTR_RDONLY);
    if (req->kind == PP_KIND_BIND_PROCFS)
        rootfs_procfs_path(source_fd, source_path);
    req->source = *source_path;
}

int rootfs_judge_mount(const struct cradle_rootfs_ctx *ctx, const struct cradle_spec_mount *m,
                       const char *resolved, int src_fd, cradle_error **err)
{
    _cleanup_free_ char *source_path = NULL;
    struct pp_request req = {.destination = resolved};
    cradle_rootfs_policy_request(m, src_fd, &req, &source_path);
    if (!pp_mount_is_judged(resolved, req.kind))
        return 0;
    if (ctx->policy == NULL || ctx->pp_ctx == NULL)
        return cradle_error_set(err, EPERM, "mount of %s refused: no proc policy is loaded",
                                resolved);
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
    bool under_proc = pp_path_is_under_proc(normalized);
    _cleanup_close_ int src_fd = -1;
    if (rootfs_is_bind(m)) {
        if (m->source == NULL)
            return cradle_error_set(err, EINVAL, "bind mount of %s has no source", normalized);
        src_fd = open(m->source, O_PATH | O_CLOEXEC);
        /* Outside /proc a source that cannot be opened is the mount's own error, reported
         * when it is made (and judged again there, on the fd that is mounted). */
        if (src_fd < 0 && !under_proc)
            return 0;
        if (src_fd < 0)
            return cradle_error_sys(err, "opening %s, the source of the mount on %s", m->source,
                                    normalized);
    }
    return rootfs_judge_mount(ctx, m, normalized, src_fd, err);
}
