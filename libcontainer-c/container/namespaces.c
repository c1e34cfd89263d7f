#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/fileutil.h"
#include "container_private.h"

unsigned long cradle_namespace_clone_flags(const struct cradle_spec *spec)
{
    unsigned long flags = 0;
    for (size_t i = 0; i < spec->linux_.n_namespaces; i++)
        if (spec->linux_.namespaces[i].path == NULL)
            flags |= (unsigned long)spec->linux_.namespaces[i].type;
    return flags;
}

/* pid and time namespaces apply to the caller's future children: the parent joins
 * them before clone3 so the init is born inside. */
static bool joined_by_parent(int type)
{
    return type == CLONE_NEWPID || type == CLONE_NEWTIME;
}

int cradle_namespaces_prepare(const struct cradle_spec *spec, struct cradle_init_ctx *ctx,
                              cradle_error **err)
{
    ctx->n_ns_fds = 0;
    for (size_t i = 0; i < spec->linux_.n_namespaces; i++) {
        const struct cradle_spec_namespace *ns = &spec->linux_.namespaces[i];
        if (ns->path == NULL)
            continue;
        _cleanup_close_ int fd = open(ns->path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return cradle_error_sys(err, "linux.namespaces[%zu].path: open %s", i, ns->path);
        if (joined_by_parent(ns->type)) {
            if (setns(fd, ns->type) < 0)
                return cradle_error_sys(err, "linux.namespaces[%zu].path: join %s", i, ns->path);
            continue;
        }
        if (ctx->n_ns_fds == (int)(sizeof(ctx->ns_fds) / sizeof(ctx->ns_fds[0])))
            return cradle_error_set(err, EINVAL, "linux.namespaces: too many namespaces");
        ctx->ns_types[ctx->n_ns_fds] = ns->type;
        ctx->ns_fds[ctx->n_ns_fds++] = TAKE_FD(fd);
    }
    return 0;
}

static int write_map(pid_t pid, const char *file, const struct cradle_spec_id_mapping *maps,
                     size_t n, const char *field, cradle_error **err)
{
    char buf[4096], path[64];
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        int w = snprintf(buf + len, sizeof(buf) - len, "%u %u %u\n", maps[i].container_id,
                         maps[i].host_id, maps[i].size);
        if (w < 0 || (size_t)w >= sizeof(buf) - len)
            return cradle_error_set(err, E2BIG, "%s: too many mappings", field);
        len += (size_t)w;
    }
    snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
    if (cradle_write_file_at(AT_FDCWD, path, buf, len) < 0)
        return cradle_error_sys(err, "%s: write %s", field, path);
    return 0;
}

int cradle_write_id_maps(pid_t pid, const struct cradle_spec *spec, cradle_error **err)
{
    if (write_map(pid, "uid_map", spec->linux_.uid_mappings, spec->linux_.n_uid_mappings,
                  "linux.uidMappings", err) < 0)
        return -1;
    return write_map(pid, "gid_map", spec->linux_.gid_mappings, spec->linux_.n_gid_mappings,
                     "linux.gidMappings", err);
}
