#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "cradle/cleanup.h"
#include "cradle/mountinfo.h"
#include "cradle/pathsafe.h"
#include "cradle/criu.h"

#define HOST_CGROUP_ROOT "/sys/fs/cgroup"

/* The nodes a container in a user namespace gets as binds of the host's (rootfs/devices.c). */
static const char *const default_device_paths[] = {
    "/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty",
};

/* The destination with symlinks in the rootfs resolved inside it, as the mount was made;
 * the destination as written when it cannot be resolved. */
static char *resolve_destination(const char *rootfs, const char *destination)
{
    _cleanup_close_ int root_fd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
    char *resolved = NULL;
    if (root_fd >= 0) {
        _cleanup_close_ int fd = cradle_open_in_root(root_fd, destination, O_PATH, NULL);
        if (fd >= 0 && cradle_fd_path_in_root(fd, rootfs, &resolved, NULL) == 0)
            return resolved;
    }
    return strdup(destination);
}

static int add_map(struct criu_args *a, const char *key, const char *value, cradle_error **err)
{
    return criu_args_add(a, "--ext-mount-map", err) < 0
               ? -1
               : criu_args_addf(a, err, "%s:%s", key, value);
}

/* v1 cgroup hierarchies are bind mounts of the host's directories unless the container has
 * its own cgroup namespace (then they are real mounts criu restores itself). */
static bool cgroup_mount_is_binds(const struct cradle_spec *spec, const struct cradle_spec_mount *m)
{
    struct statfs sf;
    if (m->type == NULL || strcmp(m->type, "cgroup") != 0)
        return false;
    if (cradle_spec_find_namespace(spec, CLONE_NEWCGROUP))
        return false;
    return statfs(HOST_CGROUP_ROOT, &sf) == 0 && sf.f_type != CGROUP2_SUPER_MAGIC;
}

static bool has_userns(const struct cradle_spec *spec)
{
    return cradle_spec_find_namespace(spec, CLONE_NEWUSER) != NULL;
}

static int add_device_maps(struct criu_args *a, const struct cradle_spec *spec, cradle_error **err)
{
    if (!has_userns(spec))
        return 0;
    for (size_t i = 0; i < sizeof(default_device_paths) / sizeof(default_device_paths[0]); i++)
        if (add_map(a, default_device_paths[i], default_device_paths[i], err) < 0)
            return -1;
    for (size_t i = 0; i < spec->linux_.n_devices; i++)
        if (add_map(a, spec->linux_.devices[i].path, spec->linux_.devices[i].path, err) < 0)
            return -1;
    return 0;
}

struct cgroup_binds {
    struct criu_args *a;
    const char *dest;
    cradle_error **err;
};

static int add_cgroup_bind(const struct cradle_mountinfo *mi, void *data)
{
    const struct cgroup_binds *b = data;
    size_t len = strlen(b->dest);
    if (strcmp(mi->fstype, "cgroup") != 0 || strncmp(mi->mountpoint, b->dest, len) != 0 ||
        mi->mountpoint[len] != '/')
        return 0;
    return add_map(b->a, mi->mountpoint, mi->mountpoint, b->err) < 0 ? -1 : 0;
}

/* Every cgroup v1 mount below dest in the init's mount namespace, keyed by its mountpoint. */
static int add_dump_cgroup_binds(struct criu_args *a, pid_t pid, const char *dest,
                                 cradle_error **err)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/mountinfo", pid);
    struct cgroup_binds b = {a, dest, err};
    return cradle_mountinfo_foreach(path, add_cgroup_bind, &b, err) < 0 ? -1 : 0;
}

/* A masked file is a bind of /dev/null; masked directories are tmpfs mounts criu dumps. */
static int add_dump_masked(struct criu_args *a, const struct cradle_spec *spec, pid_t pid,
                           cradle_error **err)
{
    for (size_t i = 0; i < spec->linux_.n_masked_paths; i++) {
        const char *masked = spec->linux_.masked_paths[i];
        char *path = NULL;
        struct stat st;
        if (asprintf(&path, "/proc/%d/root%s", pid, masked) < 0)
            return cradle_error_set(err, ENOMEM, "masked path %s", masked);
        int found = stat(path, &st);
        free(path);
        if (found == 0 && !S_ISDIR(st.st_mode) && add_map(a, masked, "/dev/null", err) < 0)
            return -1;
    }
    return 0;
}

/* criu brings a bind back as a plain bind: an id-mapped one would return unmapped, and the
 * container would write its files with its own ids. */
static int refuse_idmapped(const struct cradle_spec *spec, cradle_error **err)
{
    for (size_t i = 0; i < spec->n_mounts; i++)
        if (spec->mounts[i].idmap)
            return cradle_error_set(err, ENOTSUP,
                                    "not supported yet: checkpoint and restore of an id-mapped "
                                    "mount (mounts[%zu], %s)",
                                    i, spec->mounts[i].destination);
    return 0;
}

int criu_add_dump_mounts(struct criu_args *a, const struct cradle_spec *spec, const char *rootfs,
                         pid_t pid, cradle_error **err)
{
    if (refuse_idmapped(spec, err) < 0)
        return -1;
    for (size_t i = 0; i < spec->n_mounts; i++) {
        const struct cradle_spec_mount *m = &spec->mounts[i];
        bool cgroup_binds = cgroup_mount_is_binds(spec, m);
        if (!m->is_bind && !cgroup_binds)
            continue;
        _cleanup_free_ char *dest = resolve_destination(rootfs, m->destination);
        if (dest == NULL)
            return cradle_error_set(err, ENOMEM, "mounts[%zu]", i);
        if (cgroup_binds ? add_dump_cgroup_binds(a, pid, dest, err) < 0
                         : add_map(a, dest, dest, err) < 0)
            return -1;
    }
    if (add_dump_masked(a, spec, pid, err) < 0)
        return -1;
    return add_device_maps(a, spec, err);
}

/* Keys as on dump (DEST/<hierarchy name>), each mapped to this container's directory. */
static int add_restore_cgroup_binds(struct criu_args *a, const struct cradle_cgroup *cg,
                                    const char *dest, cradle_error **err)
{
    struct criu_hierarchy *h = NULL;
    size_t n = 0;
    if (criu_host_hierarchies(&h, &n, err) < 0)
        return -1;
    int ret = 0;
    for (size_t i = 0; ret == 0 && i < n; i++) {
        const char *dir = criu_cgroup_dir_in(cg, &h[i]);
        const char *name = strrchr(h[i].mountpoint, '/');
        if (dir == NULL || name == NULL)
            continue;
        _cleanup_free_ char *key = NULL;
        if (asprintf(&key, "%s%s", strcmp(dest, "/") == 0 ? "" : dest, name) < 0)
            ret = cradle_error_set(err, ENOMEM, "cgroup mount %s", dest);
        else
            ret = add_map(a, key, dir, err);
    }
    criu_hierarchies_free(h, n);
    return ret;
}

static char *bind_source(const char *bundle, const char *source)
{
    char *out = NULL;
    if (source == NULL)
        return NULL;
    if (source[0] == '/')
        return strdup(source);
    return asprintf(&out, "%s/%s", bundle, source) < 0 ? NULL : out;
}

int criu_add_restore_mounts(struct criu_args *a, const struct cradle_spec *spec, const char *bundle,
                            const char *rootfs, const struct cradle_cgroup *cg, cradle_error **err)
{
    if (refuse_idmapped(spec, err) < 0)
        return -1;
    for (size_t i = 0; i < spec->n_mounts; i++) {
        const struct cradle_spec_mount *m = &spec->mounts[i];
        bool cgroup_binds = cgroup_mount_is_binds(spec, m);
        if (!m->is_bind && !cgroup_binds)
            continue;
        _cleanup_free_ char *dest = resolve_destination(rootfs, m->destination);
        if (dest == NULL)
            return cradle_error_set(err, ENOMEM, "mounts[%zu]", i);
        if (cgroup_binds) {
            if (add_restore_cgroup_binds(a, cg, dest, err) < 0)
                return -1;
            continue;
        }
        _cleanup_free_ char *source = bind_source(bundle, m->source);
        if (source == NULL)
            return cradle_error_set(err, EINVAL, "mounts[%zu].source: missing for a bind mount", i);
        if (add_map(a, dest, source, err) < 0)
            return -1;
    }
    if (spec->linux_.n_masked_paths > 0 && add_map(a, "/dev/null", "/dev/null", err) < 0)
        return -1;
    return add_device_maps(a, spec, err);
}
