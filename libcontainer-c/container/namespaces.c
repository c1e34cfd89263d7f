#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/fileutil.h"
#include "cradle/id_map.h"
#include "container_private.h"

unsigned long cradle_namespace_clone_flags(const struct cradle_spec *spec)
{
    unsigned long flags = 0;
    for (size_t i = 0; i < spec->linux_.n_namespaces; i++)
        if (spec->linux_.namespaces[i].path == NULL)
            flags |= (unsigned long)spec->linux_.namespaces[i].type;
    return flags;
}

/* pid and time namespaces apply to the caller's future children: the init must be born
 * in them, but nothing else the parent forks may be, or a container could see it. */
static bool joined_for_children(int type)
{
    return type == CLONE_NEWPID || type == CLONE_NEWTIME;
}

static const char *own_children_ns(int type)
{
    return type == CLONE_NEWPID ? "/proc/self/ns/pid_for_children"
                                : "/proc/self/ns/time_for_children";
}

static int hold_for_children(struct cradle_children_ns *c, const struct cradle_spec_namespace *ns,
                             int *fd, cradle_error **err)
{
    if (c->n == (int)(sizeof(c->types) / sizeof(c->types[0])))
        return cradle_error_set(err, EINVAL, "linux.namespaces: too many namespaces");
    int own = open(own_children_ns(ns->type), O_RDONLY | O_CLOEXEC);
    if (own < 0)
        return cradle_error_sys(err, "open %s", own_children_ns(ns->type));
    c->types[c->n] = ns->type;
    c->paths[c->n] = ns->path;
    c->own_fds[c->n] = own;
    c->join_fds[c->n++] = TAKE_FD(*fd);
    return 0;
}

int cradle_namespaces_prepare(const struct cradle_spec *spec, struct cradle_init_ctx *ctx,
                              struct cradle_children_ns *children, cradle_error **err)
{
    ctx->n_ns_fds = 0;
    children->n = 0;
    for (size_t i = 0; i < spec->linux_.n_namespaces; i++) {
        const struct cradle_spec_namespace *ns = &spec->linux_.namespaces[i];
        if (ns->path == NULL)
            continue;
        _cleanup_close_ int fd = open(ns->path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return cradle_error_sys(err, "linux.namespaces[%zu].path: open %s", i, ns->path);
        if (joined_for_children(ns->type)) {
            if (hold_for_children(children, ns, &fd, err) < 0)
                return -1;
            continue;
        }
        if (ctx->n_ns_fds == (int)(sizeof(ctx->ns_fds) / sizeof(ctx->ns_fds[0])))
            return cradle_error_set(err, EINVAL, "linux.namespaces: too many namespaces");
        ctx->ns_types[ctx->n_ns_fds] = ns->type;
        ctx->ns_fds[ctx->n_ns_fds++] = TAKE_FD(fd);
    }
    return 0;
}

void cradle_children_ns_close(struct cradle_children_ns *children)
{
    for (int i = 0; i < children->n; i++) {
        close(children->join_fds[i]);
        close(children->own_fds[i]);
    }
    children->n = 0;
}

/* Back to the parent's own namespaces for children, the last entered first; the kernel
 * lets a process return to its active pid namespace. */
static int return_to_own(const struct cradle_children_ns *c, int entered, cradle_error **err)
{
    int ret = 0;
    for (int i = entered - 1; i >= 0; i--)
        if (setns(c->own_fds[i], c->types[i]) < 0)
            ret =
                cradle_error_sys(err, "returning from %s to the runtime's namespace", c->paths[i]);
    return ret;
}

pid_t cradle_clone_init_joined(const struct cradle_children_ns *children, unsigned long flags,
                               int cgroup_fd, int *pidfd, cradle_error **err)
{
    for (int i = 0; i < children->n; i++) {
        if (setns(children->join_fds[i], children->types[i]) < 0) {
            cradle_error_sys(err, "linux.namespaces: join %s", children->paths[i]);
            return_to_own(children, i, err);
            return -1;
        }
    }
    pid_t pid = cradle_clone_init(flags, cgroup_fd, pidfd, err);
    if (pid == 0)
        return 0;
    if (return_to_own(children, children->n, err) < 0 && pid > 0) {
        /* Every later child (hooks, the exit monitor) would be born in the container:
         * create fails, and the init goes with it. */
        cradle_kill_and_wait(pid, *pidfd, 1000);
        close(*pidfd);
        *pidfd = -1;
        return -1;
    }
    return pid;
}

int cradle_write_id_maps(pid_t pid, const struct cradle_spec *spec, cradle_error **err)
{
    if (cradle_write_id_map(pid, "uid_map", spec->linux_.uid_mappings, spec->linux_.n_uid_mappings,
                            "linux.uidMappings", err) < 0)
        return -1;
    return cradle_write_id_map(pid, "gid_map", spec->linux_.gid_mappings,
                               spec->linux_.n_gid_mappings, "linux.gidMappings", err);
}
