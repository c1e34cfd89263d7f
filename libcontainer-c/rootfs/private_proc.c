/* A procfs for the init's own use after pivot_root, when the container has none at /proc:
 * the exec fifo is reopened through self/fd/N. It is a detached instance of the
 * container's own pid namespace, limited to the pid directories (subset=pid), made before
 * pivot_root: in a user namespace the kernel allows a procfs mount only while a full one
 * is visible in the mount namespace. */
#include <errno.h>
#include <string.h>
#include <sys/mount.h>

#include "cradle/cleanup.h"
#include "rootfs_internal.h"

/* Whether the config mounts a procfs at /proc (bound: a bind of one, as the host's /proc). */
static bool mounts_at_proc(const struct cradle_spec *spec, bool bound)
{
    for (size_t i = 0; i < spec->n_mounts; i++) {
        const struct cradle_spec_mount *m = &spec->mounts[i];
        if (m->destination == NULL)
            continue;
        if (bound ? !rootfs_is_bind(m) || m->source == NULL || strcmp(m->source, "/proc") != 0
                  : m->type == NULL || strcmp(m->type, "proc") != 0)
            continue;
        _cleanup_free_ char *dest = pp_normalize_path(m->destination);
        if (dest && strcmp(dest, "/proc") == 0)
            return true;
    }
    return false;
}

int cradle_rootfs_open_proc(const struct cradle_rootfs_ctx *ctx, int *proc_fd, cradle_error **err)
{
    *proc_fd = -1;
    if (mounts_at_proc(ctx->spec, false))
        return 0;
    _cleanup_close_ int fs = fsopen("proc", FSOPEN_CLOEXEC);
    if (fs < 0 || fsconfig(fs, FSCONFIG_SET_STRING, "subset", "pid", 0) < 0 ||
        fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
        /* A user namespace that does not own the pid namespace may make no procfs of it:
         * rootless Podman's --pid host binds the host's /proc instead, which serves. */
        if (errno == EPERM && mounts_at_proc(ctx->spec, true))
            return 0;
        return cradle_error_sys(err, "creating the init's own procfs (no proc mount at /proc)");
    }
    int mnt = fsmount(fs, FSMOUNT_CLOEXEC,
                      MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC | MOUNT_ATTR_RDONLY);
    if (mnt < 0)
        return cradle_error_sys(err, "mounting the init's own procfs (no proc mount at /proc)");
    *proc_fd = mnt;
    return 0;
}
