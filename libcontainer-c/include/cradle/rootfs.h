/* Building the container's root filesystem, run by the container's init in its new
 * mount namespace. Every path inside the rootfs is resolved with openat2(RESOLVE_IN_ROOT)
 * and every mount is made onto an fd (/proc/self/fd/N), never onto a path string. */
#ifndef CRADLE_ROOTFS_H
#define CRADLE_ROOTFS_H

#include <stdbool.h>
#include <stdint.h>

#include "cradle/error.h"
#include "cradle/proc_policy.h"
#include "cradle/spec.h"

struct cradle_rootfs_ctx {
    const struct cradle_spec *spec;
    const char *rootfs;             /* absolute, canonical host path of the rootfs */
    const struct pp_policy *policy; /* judges every mount under /proc */
    const struct pp_context *pp_ctx;
    bool no_pivot; /* --no-pivot: MS_MOVE + chroot instead of pivot_root */
    bool userns;   /* the container has its own user namespace */
    /* No mount namespace of its own: the runtime bound the rootfs onto itself in its own
     * (cradle_rootfs_bind_in_runtime_ns); the init mounts on it and only chroots. */
    bool runtime_mount_ns;
    /* Per spec mount, a detached mount of its bind source made by the parent
     * (cradle_rootfs_open_bind_sources), or -1; NULL when there are none. */
    const int *bind_sources;
};

/* Parent side, for a container without a mount namespace of its own: binds the rootfs
 * onto itself in the runtime's mount namespace, as runc does, and sets *mount_id to the
 * bind's unique mount id, to be recorded for cradle_rootfs_release_runtime_ns(). */
int cradle_rootfs_bind_in_runtime_ns(const char *rootfs, uint64_t *mount_id, cradle_error **err);

/* Detaches that bind, with every mount the container made on it, when it is still the
 * topmost mount at ROOTFS (a mount_id of 0 does nothing). */
void cradle_rootfs_release_runtime_ns(const char *rootfs, uint64_t mount_id);

/* Parent side, before clone3: *fds gets, per spec mount, a detached mount (open_tree) of
 * its bind source, id-mapped for an id-mapped bind, -1 for other mounts (NULL when no
 * mount needs one). A container with a user namespace gets one for every bind but those
 * from procfs: the init could not open a source under a directory closed to the
 * namespace's root. The init attaches them. */
int cradle_rootfs_open_bind_sources(const struct cradle_spec *spec, int **fds, cradle_error **err);

/* Closes and frees what cradle_rootfs_open_bind_sources made (N: the number of mounts). */
void cradle_rootfs_close_bind_sources(int *fds, size_t n);

/* Before pivot_root: sets the propagation of / (rootfsPropagation, default rslave as
 * runc), bind-mounts the rootfs onto itself, makes every spec mount (destinations created
 * safely inside the rootfs; mounts under /proc judged by the policy on the resolved
 * destination and, for binds, on the fstatfs() of the opened source), creates
 * linux.devices (mknod, or bind from the host inside a user namespace), the default
 * /dev nodes (null zero full random urandom tty), /dev/ptmx, the /dev symlinks (fd, stdin,
 * stdout, stderr, core when /proc/kcore exists). */
int cradle_rootfs_prepare(const struct cradle_rootfs_ctx *ctx, cradle_error **err);

/* Before pivot_root: *proc_fd = -1 when the container mounts procfs at /proc (the init
 * may use /proc/self after pivot_root), else a detached procfs of the container's pid
 * namespace (pid directories only) for cradle_reopen_fd(). */
int cradle_rootfs_open_proc(const struct cradle_rootfs_ctx *ctx, int *proc_fd, cradle_error **err);

/* pivot_root into the rootfs (or MS_MOVE + chroot with no_pivot) and chdir("/"). */
int cradle_rootfs_pivot(const struct cradle_rootfs_ctx *ctx, cradle_error **err);

/* After pivot_root, inside the container: readonlyPaths (recursive bind onto itself,
 * then remount read-only; submounts such as a policy-approved ns_last_pid keep their own
 * flags), maskedPaths (/dev/null over files, a read-only empty tmpfs over directories),
 * root.readonly, and the final rootfsPropagation. */
int cradle_rootfs_finalize(const struct cradle_rootfs_ctx *ctx, cradle_error **err);

/* After pivot_root, before finalize: binds the pty pty_fd over /dev/console (created as
 * an empty file when missing; resolved inside the root), as runc does with a terminal. */
int cradle_rootfs_mount_console(int pty_fd, cradle_error **err);

/* Decides one spec mount against the policy before anything is created, from the
 * destination as written (lexically normalised) and the source as it is on the host,
 * with each procfs it carries when it is an rbind (cradle/carried_procfs.h). Fills a
 * one-line reason in *err when denied. Mounts outside /proc that do not reach procfs
 * (neither a fresh proc, nor a bind from procfs, nor an rbind with a procfs below its
 * source) always pass. */
int cradle_rootfs_check_policy(const struct cradle_rootfs_ctx *ctx,
                               const struct cradle_spec_mount *m, cradle_error **err);

/* The policy's view of a spec mount, all but its destination: its kind (a fresh proc, a
 * tmpfs, a bind judged by the filesystem of its opened source source_fd, -1 when it could
 * not be opened, or other), read-only or not, and for a bind from procfs which procfs file
 * its source is (*source_path, newly allocated, also set as req->source; NULL when it
 * cannot be told). */
void cradle_rootfs_policy_request(const struct cradle_spec_mount *m, int source_fd,
                                  struct pp_request *req, char **source_path);

#endif
