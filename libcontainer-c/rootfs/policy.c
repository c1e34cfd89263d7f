/* The proc-mount policy as the rootfs code applies it: what the policy sees of a spec
 * mount (its kind; for binds, the filesystem of the opened source and which procfs file
 * it is) and the decision for every mount that lands under /proc or reaches procfs,
 * including each procfs an rbind carries. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "cradle/carried_procfs.h"
#include "cradle/cleanup.h"
#include "cradle/pathsafe.h"
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

/* The policy's decision on REQ; -1 when no policy is loaded (MOUNT names the mount). */
static int decide(const struct cradle_rootfs_ctx *ctx, const struct pp_request *req,
                  const char *mount, struct pp_decision *decision, cradle_error **err)
{
    if (ctx->policy == NULL || ctx->pp_ctx == NULL)
        return cradle_error_set(err, EPERM, "mount of %s refused: no proc policy is loaded", mount);
    pp_decide(ctx->policy, req, ctx->pp_ctx, decision);
    return 0;
}

int rootfs_judge_mount(const struct cradle_rootfs_ctx *ctx, const struct cradle_spec_mount *m,
                       const char *resolved, int src_fd, cradle_error **err)
{
    _cleanup_free_ char *source_path = NULL;
    struct pp_request req = {.destination = resolved};
    cradle_rootfs_policy_request(m, src_fd, &req, &source_path);
    if (!pp_mount_is_judged(resolved, req.kind))
        return 0;
    struct pp_decision decision;
    if (decide(ctx, &req, resolved, &decision, err) < 0)
        return -1;
    if (!decision.allowed)
        return cradle_error_set(err, EPERM, "%s", decision.reason);
    return 0;
}

/* An rbind brings every procfs mounted below its source along: each is judged as a bind
 * of that procfs to where it lands. fd is the opened source, or the tree attached. */
static int judge_carried(const struct cradle_rootfs_ctx *ctx, const struct cradle_spec_mount *m,
                         const char *destination, int fd, cradle_error **err)
{
    struct cradle_carried_procfs_list carried;
    if (cradle_carried_procfs(m, fd, destination, &carried, err) < 0)
        return -1;
    int r = 0;
    for (size_t i = 0; r == 0 && i < carried.n; i++) {
        const struct cradle_carried_procfs *c = &carried.items[i];
        struct pp_request req = {.destination = c->destination,
                                 .kind = PP_KIND_BIND_PROCFS,
                                 .readonly = c->readonly,
                                 .source = c->source};
        struct pp_decision decision;
        r = decide(ctx, &req, destination, &decision, err);
        if (r == 0 && !decision.allowed)
            r = cradle_error_set(err, EPERM,
                                 "mount of %s denied: as a recursive bind (rbind) it carries the "
                                 "procfs mounted below its source to %s: %s",
                                 destination, c->destination, decision.reason);
    }
    cradle_carried_procfs_list_free(&carried);
    return r;
}

int rootfs_judge_mounted_carried(const struct cradle_rootfs_ctx *ctx,
                                 const struct cradle_spec_mount *m, int root_fd,
                                 const char *resolved, cradle_error **err)
{
    if (!rootfs_is_bind(m) || !(m->flags & MS_REC))
        return 0;
    /* A fresh lookup lands on the mount just attached. */
    _cleanup_close_ int top = cradle_open_in_root(root_fd, resolved, O_PATH, err);
    if (top < 0)
        return -1;
    return judge_carried(ctx, m, resolved, top, err);
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
    if (rootfs_judge_mount(ctx, m, normalized, src_fd, err) < 0)
        return -1;
    return judge_carried(ctx, m, normalized, src_fd, err);
}
