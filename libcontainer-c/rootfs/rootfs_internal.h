/* Shared between the files of rootfs/: each one builds one part of the container's root
 * filesystem. Every mount target is an fd from the safe walk (cradle/pathsafe.h). */
#ifndef CRADLE_ROOTFS_INTERNAL_H
#define CRADLE_ROOTFS_INTERNAL_H

#include <stdbool.h>

#include "cradle/mountinfo.h"
#include "cradle/rootfs.h"

/* mount_util.c */

/* Bind-mounts src_fd onto dst_fd (recursively when `recursive`). WHAT names the
 * destination in the error. */
int rootfs_bind_fd(int src_fd, int dst_fd, bool recursive, const char *what, cradle_error **err);

/* Mounts a new, empty filesystem of TYPE (tmpfs...) with mount_setattr ATTRS onto
 * dst_fd. */
int rootfs_mount_empty(const char *type, int dst_fd, uint64_t attrs, const char *what,
                       cradle_error **err);

/* Makes the filesystem mounted at fd read-only (MS_REMOUNT | MS_RDONLY without a path). */
int rootfs_remount_superblock_readonly(int fd, const char *what, cradle_error **err);

/* Attaches the detached mount mnt_fd (open_tree, fsmount) onto dst_fd. */
int rootfs_attach_mount(int mnt_fd, int dst_fd, const char *what, cradle_error **err);

/* Remounts the mount at fd (the root of a bind mount) with MS_BIND|MS_REMOUNT|flags,
 * repeating the nosuid/nodev/noexec/atime flags it already has when the kernel insists
 * (they are locked in a user namespace). */
int rootfs_remount_bind(int fd, unsigned long flags, const char *what, cradle_error **err);

/* Applies a mount's propagation and recursive mount_setattr attributes to the mount at
 * fd (both may be 0: nothing to do). */
int rootfs_apply_mount_attrs(int fd, unsigned long propagation, uint64_t attr_set,
                             uint64_t attr_clr, const char *what, cradle_error **err);

/* The mount flags statfs() reports for fd, as MS_* bits (nosuid, nodev, noexec, atime). */
unsigned long rootfs_kept_flags(int fd);

/* MS_* per-mount flags (rdonly, nosuid, nodev, noexec, atime, nosymfollow) as mount_setattr
 * attributes; other bits are ignored. */
uint64_t rootfs_mount_attrs_of(unsigned long flags);

/* The MS_* bits of a mount that are not propagation or bind bits. */
unsigned long rootfs_plain_flags(unsigned long flags);

/* A bind mount: option "bind"/"rbind" or type "bind". */
bool rootfs_is_bind(const struct cradle_spec_mount *m);

bool rootfs_is_tmpfs(const struct cradle_spec_mount *m);

/* tmpfs and /dev are mounted writable first (devices and modes are set up on them) and
 * made read-only in finalize, as runc does. */
bool rootfs_defers_readonly(const struct cradle_spec_mount *m, const char *resolved);

/* policy.c: judges a mount whose destination resolved to RESOLVED (inside the rootfs)
 * when it lands under /proc or reaches procfs; src_fd is the opened source of a bind
 * mount, or -1. */
int rootfs_judge_mount(const struct cradle_rootfs_ctx *ctx, const struct cradle_spec_mount *m,
                       const char *resolved, int src_fd, cradle_error **err);

/* proc_source.c: which procfs file or directory fd (an opened file on procfs) is, as it
 * shows in a procfs mounted at /proc ("/proc/sys/kernel/ns_last_pid"); *out newly
 * allocated. -1 with *out NULL when it cannot be told. */
int rootfs_procfs_path(int fd, char **out);

/* The name, as in a procfs mounted at /proc, of path REST ("" or "/sys/kernel") below a
 * procfs mount whose root inside its procfs is ROOT (mountinfo's root field): "/proc",
 * "/proc/sys/kernel". Newly allocated; NULL on ENOMEM. */
char *rootfs_procfs_name(const char *root, const char *rest);

/* policy.c, at mount time: an rbind at RESOLVED has just been attached; judges every
 * procfs it carried, on the mounted tree itself (the tree below its source may have
 * changed since create's check). Nothing to do, at no cost, for any other mount. */
int rootfs_judge_mounted_carried(const struct cradle_rootfs_ctx *ctx,
                                 const struct cradle_spec_mount *m, int root_fd,
                                 const char *resolved, cradle_error **err);

/* mount_spec.c: makes spec mount number INDEX inside the rootfs open as root_fd;
 * *covers_root tells that it was mounted over the rootfs itself (root_fd then names what
 * is underneath). */
int rootfs_mount_spec(const struct cradle_rootfs_ctx *ctx, int root_fd, size_t index,
                      bool *covers_root, cradle_error **err);

/* mount_cgroup.c: a "cgroup"/"cgroup2" spec mount onto dst_fd (resolved: its path). */
int rootfs_mount_cgroup(const struct cradle_rootfs_ctx *ctx, int root_fd, int dst_fd,
                        const char *resolved, const struct cradle_spec_mount *m,
                        cradle_error **err);

/* tmpcopyup.c: a tmpfs for M, with filesystem options DATA, filled with a copy of what
 * the directory dst_fd (resolved: its path) holds, then moved onto it. */
/* The next comma-separated option of mount data at *cursor, cut out in place (NULL at the
 * end); a comma inside double quotes belongs to the option: context="s0:c1,c2". */
char *rootfs_next_data_option(char **cursor);

int rootfs_mount_tmpfs_copyup(int dst_fd, const char *resolved, const struct cradle_spec_mount *m,
                              const char *data, cradle_error **err);

/* idmap.c: gives TREE, the parent's detached clone of spec mount INDEX's source, the mount's
 * id-mapping (its own maps, else the container's user namespace). cache[] holds, per mount,
 * the namespace made for its own maps (-1 when none), shared by later mounts of the same
 * maps; rootfs_idmap_cache_close closes each once. */
int rootfs_idmap_tree(const struct cradle_spec *spec, size_t index, int tree, int *cache,
                      cradle_error **err);
void rootfs_idmap_cache_close(int *cache, size_t n);

/* devices.c: linux.devices, the default nodes, /dev/ptmx and the /dev symlinks. */
int rootfs_setup_dev(const struct cradle_rootfs_ctx *ctx, int root_fd, cradle_error **err);

#endif
