/* Bind sources of a container with a user namespace, opened by the parent: the init,
 * once inside the namespace, is no longer the host's root and could not reach a source
 * under a directory closed to it (mode 000, owned by the host's root), which runc and crun
 * mount. Each source is cloned into a detached mount with open_tree(), which the init
 * attaches in its own mount namespace (a plain fd would not do: a bind's source must be in
 * the caller's mount namespace). procfs sources stay with the init, which opens them
 * itself so that the proc policy can tell which procfs file they are. */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
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

int cradle_rootfs_open_bind_sources(const struct cradle_spec *spec, int **out, cradle_error **err)
{
    *out = NULL;
    if (spec->n_mounts == 0)
        return 0;
    int *fds = malloc(spec->n_mounts * sizeof(*fds));
    if (fds == NULL)
        return cradle_error_set(err, ENOMEM, "bind sources");
    for (size_t i = 0; i < spec->n_mounts; i++) {
        const struct cradle_spec_mount *m = &spec->mounts[i];
        fds[i] = -1;
        if (!rootfs_is_bind(m) || m->source == NULL || is_on_procfs(m->source))
            continue;
        if ((fds[i] = clone_source(m, err)) < 0) {
            cradle_rootfs_close_bind_sources(fds, i);
            return cradle_error_wrap(err, "mounts[%zu] (%s)", i, m->destination);
        }
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
