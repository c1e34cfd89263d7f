/* The procfs mounts a recursive bind carries, found in the mount tree below its source:
 * the mountinfo of the mount namespace where the source (or the attached copy) is. */
#include "carried_procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/mountinfo.h"
#include "cradle/pathsafe.h"
#include "rootfs_internal.h"

static const struct rootfs_mount_node *find_node(const struct rootfs_mount_node *nodes, size_t n,
                                                 int id)
{
    for (size_t i = 0; i < n; i++)
        if (nodes[i].id == id)
            return &nodes[i];
    return NULL;
}

/* The mount of NODE's ancestry that is mounted right on TOP, or NULL when NODE is not
 * below TOP. The walk is bounded: a parent loop (the root's parent is itself or absent)
 * never spins. */
static const struct rootfs_mount_node *child_of_top(const struct rootfs_mount_node *nodes, size_t n,
                                                    const struct rootfs_mount_node *node, int top)
{
    for (size_t steps = 0; node != NULL && steps < n; steps++) {
        if (node->id == top)
            return NULL;
        if (node->parent == top)
            return node;
        node = find_node(nodes, n, node->parent);
    }
    return NULL;
}

static int add_carried(struct cradle_carried_procfs_list *out, const char *destination,
                       const char *rest, const struct rootfs_mount_node *node, cradle_error **err)
{
    struct cradle_carried_procfs *items = realloc(out->items, (out->n + 1) * sizeof(*items));
    if (items == NULL)
        return cradle_error_set(err, ENOMEM, "listing the procfs mounts below %s", destination);
    out->items = items;
    _cleanup_free_ char *joined = NULL;
    if (asprintf(&joined, "%s/%s", destination, rest) < 0) {
        joined = NULL;
        return cradle_error_set(err, ENOMEM, "listing the procfs mounts below %s", destination);
    }
    struct cradle_carried_procfs c = {
        .destination = pp_normalize_path(joined),
        .source = rootfs_procfs_name(node->root, ""),
        .readonly = node->readonly,
    };
    if (c.destination == NULL || c.source == NULL) {
        free(c.destination);
        free(c.source);
        return cradle_error_set(err, ENOMEM, "listing the procfs mounts below %s", destination);
    }
    out->items[out->n++] = c;
    return 0;
}

int rootfs_carried_procfs_in(const struct rootfs_mount_node *nodes, size_t n, int top,
                             const char *source_path, const char *destination,
                             struct cradle_carried_procfs_list *out, cradle_error **err)
{
    for (size_t i = 0; i < n; i++) {
        const struct rootfs_mount_node *node = &nodes[i];
        if (!node->procfs)
            continue;
        const struct rootfs_mount_node *child = child_of_top(nodes, n, node, top);
        if (child == NULL || cradle_path_below(child->mountpoint, source_path) == NULL)
            continue;
        /* Mounts on a carried child keep their place below it, so below the source. */
        const char *rest = cradle_path_below(node->mountpoint, source_path);
        if (rest == NULL)
            return cradle_error_set(err, EINVAL,
                                    "cannot tell where the procfs mounted at %s lands below %s",
                                    node->mountpoint, destination);
        if (add_carried(out, destination, rest, node, err) < 0)
            return -1;
    }
    return 0;
}

struct node_table {
    struct rootfs_mount_node *nodes;
    size_t n;
};

static void node_table_free(struct node_table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free((char *)t->nodes[i].mountpoint);
        free((char *)t->nodes[i].root);
    }
    free(t->nodes);
}

/* 1 (stop) on ENOMEM. */
static int collect_node(const struct cradle_mountinfo *mi, void *data)
{
    struct node_table *t = data;
    struct rootfs_mount_node *nodes = realloc(t->nodes, (t->n + 1) * sizeof(*nodes));
    if (nodes == NULL)
        return 1;
    t->nodes = nodes;
    struct rootfs_mount_node node = {
        .id = mi->id,
        .parent = mi->parent,
        .mountpoint = strdup(mi->mountpoint),
        .root = strdup(mi->root),
        .procfs = strcmp(mi->fstype, "proc") == 0,
        .readonly = mi->readonly,
    };
    if (node.mountpoint == NULL || node.root == NULL) {
        free((char *)node.mountpoint);
        free((char *)node.root);
        return 1;
    }
    t->nodes[t->n++] = node;
    return 0;
}

/* The mount FD is on and FD's path in this process's view. */
static int locate(int fd, int *mount_id, char *path, size_t size, cradle_error **err)
{
    struct statx stx;
    if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) < 0)
        return cradle_error_sys(err, "finding the mount of the source");
    if (!(stx.stx_mask & STATX_MNT_ID))
        return cradle_error_set(err, ENOTSUP, "finding the mount of the source: no mount id");
    *mount_id = (int)stx.stx_mnt_id;
    char fd_path[CRADLE_FD_PATH_MAX];
    ssize_t len = readlink(cradle_fd_path(fd, fd_path), path, size - 1);
    if (len < 0)
        return cradle_error_sys(err, "reading the path of the source");
    path[len] = '\0';
    if (path[0] != '/')
        return cradle_error_set(err, EINVAL, "the source (%s) is not reachable by a path", path);
    return 0;
}

static bool carries_submounts(const struct cradle_spec_mount *m, int fd)
{
    struct stat st;
    /* Whatever is mounted on a file is the source itself, not below it. */
    return rootfs_is_bind(m) && (m->flags & MS_REC) && fd >= 0 && fstat(fd, &st) == 0 &&
           S_ISDIR(st.st_mode);
}

int cradle_carried_procfs(const struct cradle_spec_mount *m, int fd, const char *destination,
                          struct cradle_carried_procfs_list *out, cradle_error **err)
{
    *out = (struct cradle_carried_procfs_list){0};
    if (!carries_submounts(m, fd))
        return 0;
    int top = -1;
    char path[4096];
    if (locate(fd, &top, path, sizeof(path), err) < 0)
        return cradle_error_wrap(err, "mount of %s: which mounts its rbind carries", destination);
    struct node_table table = {0};
    int r = cradle_mountinfo_foreach("/proc/self/mountinfo", collect_node, &table, err);
    if (r > 0)
        r = cradle_error_set(err, ENOMEM, "reading /proc/self/mountinfo");
    if (r == 0)
        r = rootfs_carried_procfs_in(table.nodes, table.n, top, path, destination, out, err);
    node_table_free(&table);
    if (r < 0) {
        cradle_carried_procfs_list_free(out);
        return cradle_error_wrap(err, "mount of %s: which mounts its rbind carries", destination);
    }
    bool rro = (m->rec_attr_set & MOUNT_ATTR_RDONLY) != 0;
    for (size_t i = 0; i < out->n; i++)
        out->items[i].readonly |= rro;
    return 0;
}

void cradle_carried_procfs_list_free(struct cradle_carried_procfs_list *list)
{
    for (size_t i = 0; i < list->n; i++) {
        free(list->items[i].destination);
        free(list->items[i].source);
    }
    free(list->items);
    *list = (struct cradle_carried_procfs_list){0};
}
