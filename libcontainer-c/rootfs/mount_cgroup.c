/* A "cgroup" spec mount, as runc makes it. On a pure cgroup v2 host: a cgroup2 mount
 * (a bind of the host's /sys/fs/cgroup when the kernel refuses it). On a v1 or hybrid
 * host: a tmpfs holding one directory per v1 hierarchy, each the container's own cgroup
 * (a fresh cgroup mount inside a cgroup namespace, else a bind of the host's directory),
 * plus symlinks for co-mounted controllers ("cpu" -> "cpu,cpuacct"). */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "cradle/cgroups.h"
#include "cradle/cleanup.h"
#include "cradle/lsm.h"
#include "cradle/mountinfo.h"
#include "cradle/pathsafe.h"
#include "rootfs_internal.h"

#define HOST_CGROUP_ROOT "/sys/fs/cgroup"

static int bind_host_dir(int root_fd, const char *source, int dst_fd, const char *resolved,
                         unsigned long flags, cradle_error **err)
{
    _cleanup_close_ int src_fd = open(source, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (src_fd < 0)
        return cradle_error_sys(err, "opening %s", source);
    if (rootfs_bind_fd(src_fd, dst_fd, true, resolved, err) < 0)
        return -1;
    _cleanup_close_ int top = cradle_open_in_root(root_fd, resolved, O_PATH, err);
    if (top < 0)
        return -1;
    return rootfs_remount_bind(top, flags, resolved, err);
}

/* true when every comma-separated word of `words` is one of `options`. */
static bool has_all_words(const char *options, const char *words)
{
    _cleanup_free_ char *copy = strdup(words);
    char *save = NULL;
    if (copy == NULL)
        return false;
    for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
        size_t n = strlen(w);
        bool found = false;
        for (const char *o = options; o && *o; o = strchr(o, ',') ? strchr(o, ',') + 1 : NULL)
            if (strncmp(o, w, n) == 0 && (o[n] == ',' || o[n] == '\0'))
                found = true;
        if (!found)
            return false;
    }
    return true;
}

/* cgroup2's hierarchy-wide options. The kernel applies a new cgroup2 mount's options to
 * the whole hierarchy when the mounter is in the initial cgroup namespace, so a container
 * without a cgroup namespace of its own would clear the host's nsdelegate or
 * memory_recursiveprot with a plain mount (runc and crun do): the host's are kept. */
static const char *const root_flags[] = {
    "nsdelegate",
    "favordynmods",
    "memory_localevents",
    "memory_recursiveprot",
    "memory_hugetlb_accounting",
    "pids_localevents",
    NULL,
};

struct cgroup2_options {
    char *data; /* m->data followed by the host's hierarchy-wide options */
};

static int add_host_root_flags(const struct cradle_mountinfo *mi, void *data)
{
    struct cgroup2_options *o = data;
    if (strcmp(mi->fstype, "cgroup2") != 0 || strcmp(mi->mountpoint, HOST_CGROUP_ROOT) != 0)
        return 0;
    for (size_t i = 0; root_flags[i]; i++) {
        if (!has_all_words(mi->super_options, root_flags[i]) ||
            (o->data[0] && has_all_words(o->data, root_flags[i])))
            continue;
        char *joined = NULL;
        if (asprintf(&joined, "%s%s%s", o->data, o->data[0] ? "," : "", root_flags[i]) < 0)
            return -1;
        free(o->data);
        o->data = joined;
    }
    return 1;
}

static int mount_cgroup2(int root_fd, int dst_fd, const char *resolved,
                         const struct cradle_spec_mount *m, cradle_error **err)
{
    char target[CRADLE_FD_PATH_MAX];
    unsigned long flags = rootfs_plain_flags(m->flags);
    struct cgroup2_options o = {.data = strdup(m->data ? m->data : "")};
    if (o.data == NULL)
        return cradle_error_set(err, ENOMEM, "mounting cgroup2 on %s", resolved);
    _cleanup_error_ cradle_error *read_err = NULL;
    int r = cradle_mountinfo_foreach("/proc/self/mountinfo", add_host_root_flags, &o, &read_err);
    _cleanup_free_ char *data = o.data;
    if (r < 0 && read_err == NULL)
        return cradle_error_set(err, ENOMEM, "mounting cgroup2 on %s", resolved);
    if (r < 0) {
        if (err)
            *err = TAKE_PTR(read_err);
        return -1;
    }
    if (mount("cgroup2", cradle_fd_path(dst_fd, target), "cgroup2", flags, data) == 0)
        return 0;
    /* A user namespace without a cgroup namespace may not mount cgroup2. */
    if (errno != EPERM && errno != EBUSY)
        return cradle_error_sys(err, "mounting cgroup2 on %s", resolved);
    return bind_host_dir(root_fd, HOST_CGROUP_ROOT, dst_fd, resolved, flags, err);
}

/* A v1 hierarchy as the host mounts it. */
struct hierarchy {
    char *options;    /* the mount's super options, its controllers among them */
    char *mountpoint; /* the host's mount of that hierarchy */
    char *root;
};

/* The host's v1 cgroup mounts in mountinfo order: read once for all the hierarchies. */
struct hierarchies {
    struct hierarchy *items;
    size_t n;
};

static void hierarchies_free(struct hierarchies *hs)
{
    for (size_t i = 0; i < hs->n; i++) {
        free(hs->items[i].options);
        free(hs->items[i].mountpoint);
        free(hs->items[i].root);
    }
    free(hs->items);
}

static int collect_hierarchy(const struct cradle_mountinfo *mi, void *data)
{
    struct hierarchies *hs = data;
    if (strcmp(mi->fstype, "cgroup") != 0)
        return 0;
    struct hierarchy *grown = realloc(hs->items, (hs->n + 1) * sizeof(*grown));
    if (grown == NULL)
        return -1;
    hs->items = grown;
    struct hierarchy *h = &hs->items[hs->n++];
    *h = (struct hierarchy){strdup(mi->super_options), strdup(mi->mountpoint), strdup(mi->root)};
    return h->options && h->mountpoint && h->root ? 0 : -1;
}

/* The first mount of the hierarchy of these controllers (as in /proc/self/cgroup:
 * "cpu,cpuacct", "name=systemd"). */
static const struct hierarchy *find_hierarchy(const struct hierarchies *hs, const char *controllers)
{
    for (size_t i = 0; i < hs->n; i++)
        if (has_all_words(hs->items[i].options, controllers))
            return &hs->items[i];
    return NULL;
}

/* The host directory of the container's cgroup in hierarchy h (cgroup_path as read from
 * /proc/self/cgroup, relative to the hierarchy's mount root). */
static char *host_cgroup_dir(const struct hierarchy *h, const char *cgroup_path)
{
    size_t root_len = strcmp(h->root, "/") == 0 ? 0 : strlen(h->root);
    if (root_len && strncmp(cgroup_path, h->root, root_len) == 0)
        cgroup_path += root_len;
    char *out = NULL;
    if (asprintf(&out, "%s%s", h->mountpoint, cgroup_path) < 0)
        return NULL;
    return out;
}

/* "cpu" -> "cpu,cpuacct" for each controller of a co-mounted hierarchy. */
static int link_comounted(int top_fd, const char *name, const char *resolved, cradle_error **err)
{
    if (strchr(name, ',') == NULL)
        return 0;
    _cleanup_free_ char *copy = strdup(name);
    char *save = NULL;
    if (copy == NULL)
        return cradle_error_set(err, ENOMEM, "linking %s", name);
    for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save))
        if (symlinkat(name, top_fd, w) < 0 && errno != EEXIST)
            return cradle_error_sys(err, "creating the symlink %s/%s", resolved, w);
    return 0;
}

static int mount_hierarchy(const struct cradle_rootfs_ctx *ctx, int root_fd, int top_fd,
                           const char *resolved, const struct cradle_spec_mount *m,
                           const struct hierarchy *h, const char *controllers,
                           const char *cgroup_path, cradle_error **err)
{
    const char *name = strrchr(h->mountpoint, '/') + 1;
    _cleanup_free_ char *sub = NULL;
    if (asprintf(&sub, "%s/%s", resolved, name) < 0)
        return cradle_error_set(err, ENOMEM, "naming %s/%s", resolved, name);
    _cleanup_close_ int sub_fd = cradle_mkdir_p_in_root(root_fd, sub, 0755, false, err);
    if (sub_fd < 0)
        return -1;
    unsigned long flags = rootfs_plain_flags(m->flags);
    if (cradle_spec_find_namespace(ctx->spec, CLONE_NEWCGROUP)) {
        char target[CRADLE_FD_PATH_MAX];
        if (mount("cgroup", cradle_fd_path(sub_fd, target), "cgroup", flags, controllers) < 0)
            return cradle_error_sys(err, "mounting the %s hierarchy on %s", controllers, sub);
    } else {
        _cleanup_free_ char *source = host_cgroup_dir(h, cgroup_path);
        if (source == NULL)
            return cradle_error_set(err, ENOMEM, "naming the %s hierarchy", controllers);
        if (bind_host_dir(root_fd, source, sub_fd, sub, flags, err) < 0)
            return -1;
    }
    return link_comounted(top_fd, name, resolved, err);
}

struct hierarchy_walk {
    const struct cradle_rootfs_ctx *ctx;
    int root_fd;
    int top_fd;
    const char *resolved;
    const struct cradle_spec_mount *m;
    const struct hierarchies *host;
};

/* One line of /proc/self/cgroup; the cgroup2 line (no controllers) has no v1 mount, and
 * a hierarchy listed there but not mounted on the host is skipped. */
static int mount_v1_line(const char *controllers, const char *path, void *data, cradle_error **err)
{
    const struct hierarchy_walk *w = data;
    const struct hierarchy *h = *controllers ? find_hierarchy(w->host, controllers) : NULL;
    if (h == NULL)
        return 0;
    return mount_hierarchy(w->ctx, w->root_fd, w->top_fd, w->resolved, w->m, h, controllers, path,
                           err) < 0
               ? -1
               : 0;
}

static int mount_cgroup_v1(const struct cradle_rootfs_ctx *ctx, int root_fd, int dst_fd,
                           const char *resolved, const struct cradle_spec_mount *m,
                           cradle_error **err)
{
    char target[CRADLE_FD_PATH_MAX];
    unsigned long flags = rootfs_plain_flags(m->flags);
    __attribute__((cleanup(hierarchies_free))) struct hierarchies host = {0};
    if (cradle_mountinfo_foreach("/proc/self/mountinfo", collect_hierarchy, &host, err) < 0)
        return cradle_error_set(err, ENOMEM, "looking up the host's cgroup hierarchies");
    /* runc labels this tmpfs as any other (label.FormatMountLabel). */
    _cleanup_free_ char *data = NULL;
    if (cradle_format_mount_label("mode=755", ctx->spec->linux_.mount_label, &data) < 0)
        return cradle_error_set(err, ENOMEM, "tmpfs options for %s", resolved);
    if (mount("tmpfs", cradle_fd_path(dst_fd, target), "tmpfs", flags & ~MS_RDONLY, data) < 0)
        return cradle_error_sys(err, "mounting a tmpfs on %s", resolved);
    _cleanup_close_ int top = cradle_open_in_root(root_fd, resolved, O_PATH, err);
    if (top < 0)
        return -1;
    struct hierarchy_walk walk = {ctx, root_fd, top, resolved, m, &host};
    if (cradle_cgroup_foreach_self(mount_v1_line, &walk, err) < 0)
        return -1;
    if (!(flags & MS_RDONLY))
        return 0;
    if (mount("", cradle_fd_path(top, target), NULL, MS_REMOUNT | flags, data) < 0)
        return cradle_error_sys(err, "remounting the tmpfs on %s read-only", resolved);
    return 0;
}

int rootfs_mount_cgroup(const struct cradle_rootfs_ctx *ctx, int root_fd, int dst_fd,
                        const char *resolved, const struct cradle_spec_mount *m, cradle_error **err)
{
    struct statfs sf;
    if (statfs(HOST_CGROUP_ROOT, &sf) < 0)
        return cradle_error_sys(err, "inspecting %s", HOST_CGROUP_ROOT);
    if (sf.f_type == CGROUP2_SUPER_MAGIC || (m->type && strcmp(m->type, "cgroup2") == 0))
        return mount_cgroup2(root_fd, dst_fd, resolved, m, err);
    return mount_cgroup_v1(ctx, root_fd, dst_fd, resolved, m, err);
}
