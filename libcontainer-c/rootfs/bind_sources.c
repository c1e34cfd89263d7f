/* Bind sources opened by the parent: every id-mapped bind's (its mapping is set on the
 * detached clone, rootfs/idmap.c), and every bind's of a container with a user namespace: the init,
 * once inside the namespace, is no longer the host's root and could not reach a source
 * under a directory closed to it (mode 000, owned by the host's root), which runc and crun
 * mount. Each source is cloned into a detached mount with open_tree(), which the init
 * attaches in its own mount namespace (a plain fd would not do: a bind's source must be in
 * the caller's mount namespace). procfs sources stay with the init, which opens them
 * itself so that the proc policy can tell which procfs file they are. */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "rootfs_internal.h"

static bool is_on_procfs(const char *source)
{
    struct statfs sfs;
    return statfs(source, &sfs) == 0 && sfs.f_type == PROC_SUPER_MAGIC;
}

static int clone_source(const struct cradle_spec_mount *m, cradle_error **err)
{
    unsigned int flags =
        OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | ((m->flags & MS_REC) ? AT_RECURSIVE : 0);
    int fd = open_tree(AT_FDCWD, m->source, flags);
    if (fd < 0)
        return cradle_error_sys(err, "opening the source %s", m->source);
    return fd;
}

/* Whether the parent opens mount M's source: every bind in a user namespace, where procfs
 * sources stay with the init (see above), and every id-mapped bind. */
static bool parent_opens(const struct cradle_spec_mount *m, bool userns)
{
    if (!rootfs_is_bind(m) || m->source == NULL)
        return false;
    /* A rootless parent has no more access than the init (both are the caller) and no
     * right to clone its own namespace's mounts: the init opens those sources itself. */
    return m->idmap || (userns && geteuid() == 0 && !is_on_procfs(m->source));
}

static int open_sources(const struct cradle_spec *spec, int *fds, int *userns_cache,
                        cradle_error **err)
{
    bool userns = cradle_spec_find_namespace(spec, CLONE_NEWUSER) != NULL;
    for (size_t i = 0; i < spec->n_mounts; i++) {
        const struct cradle_spec_mount *m = &spec->mounts[i];
        if (!parent_opens(m, userns))
            continue;
        if ((fds[i] = clone_source(m, err)) < 0 ||
            (m->idmap && rootfs_idmap_tree(spec, i, fds[i], userns_cache, err) < 0))
            return cradle_error_wrap(err, "mounts[%zu] (%s)", i, m->destination);
    }
    return 0;
}

int cradle_rootfs_open_bind_sources(const struct cradle_spec *spec, int **out, cradle_error **err)
{
    *out = NULL;
    bool userns = cradle_spec_find_namespace(spec, CLONE_NEWUSER) != NULL;
    bool any = false;
    for (size_t i = 0; i < spec->n_mounts && !any; i++)
        any = parent_opens(&spec->mounts[i], userns);
    if (!any)
        return 0;
    int *fds = malloc(spec->n_mounts * sizeof(*fds));
    int *userns_cache = malloc(spec->n_mounts * sizeof(*userns_cache));
    if (fds == NULL || userns_cache == NULL) {
        free(fds);
        free(userns_cache);
        return cradle_error_set(err, ENOMEM, "bind sources");
    }
    for (size_t i = 0; i < spec->n_mounts; i++)
        fds[i] = userns_cache[i] = -1;
    int r = open_sources(spec, fds, userns_cache, err);
    rootfs_idmap_cache_close(userns_cache, spec->n_mounts);
    free(userns_cache);
    if (r < 0) {
        cradle_rootfs_close_bind_sources(fds, spec->n_mounts);
        return -1;
    }
    *out = fds;
    return 0;
}

void cradle_rootfs_close_bind_sources(int *fds, size_t n)
{
    if (fds == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    free(fds);
}
