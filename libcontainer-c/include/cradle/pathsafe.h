/* Resolving and creating paths inside a root directory (a container's rootfs) so that no
 * symlink, absolute or with "..", can lead outside it: every lookup goes through
 * openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS) from an fd of the root. */
#ifndef CRADLE_PATHSAFE_H
#define CRADLE_PATHSAFE_H

#include <stdbool.h>
#include <sys/types.h>

#include "cradle/error.h"

/* Big enough for "/proc/self/fd/" and any int. */
#define CRADLE_FD_PATH_MAX 32

/* Opens PATH (absolute or relative, both taken from the root) with openat2 and
 * RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS from root_fd. O_CLOEXEC is always added.
 * Returns the fd, or -1 with errno and *err set (errno is ENOENT when a component is
 * missing, so callers may skip absent paths). */
int cradle_open_in_root(int root_fd, const char *path, int flags, cradle_error **err);

/* Creates the missing components of PATH inside the root, as directories with MODE, the
 * last one as an empty regular file when last_is_file. Existing symlinks, dangling ones
 * included, are followed inside the root, as runc's securejoin does. Returns an O_PATH
 * fd of the resulting object, or -1 with *err set. */
int cradle_mkdir_p_in_root(int root_fd, const char *path, mode_t mode, bool last_is_file,
                           cradle_error **err);

/* The path FD refers to, relative to the root whose host path is root_path (absolute,
 * canonical; "/" after pivot_root), e.g. "/proc/sys". Fails when fd is outside the root.
 * *out is newly allocated. */
int cradle_fd_path_in_root(int fd, const char *root_path, char **out, cradle_error **err);

/* Opens the file fd refers to (an O_PATH fd, say) anew with FLAGS through procfs's
 * self/fd/FD: below proc_fd, the root of a procfs, or below /proc when proc_fd is -1. */
int cradle_reopen_fd(int proc_fd, int fd, int flags, cradle_error **err);

/* Writes "/proc/self/fd/FD" into buf (CRADLE_FD_PATH_MAX bytes) and returns buf: the
 * path mount(2) and friends take to act on an fd. */
char *cradle_fd_path(int fd, char buf[CRADLE_FD_PATH_MAX]);

/* PATH below DIR (both absolute; DIR may end in '/'): what follows DIR in PATH, "" for
 * DIR itself, NULL when PATH is not DIR or below it. Every path is below "/". */
const char *cradle_path_below(const char *path, const char *dir);

#endif
