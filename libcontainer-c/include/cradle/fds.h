/* Closing every descriptor but a few: the container's init starts as a clone of the runtime
 * and must not carry the runtime's descriptors (state dirs, cgroup dirs, the log) into the
 * container. */
#ifndef CRADLE_FDS_H
#define CRADLE_FDS_H

#include <stddef.h>

/* Closes every descriptor >= first that is not in keep[0..n_keep) (keep may be unsorted and
 * hold values below first, which are ignored). Uses close_range(2), or walks /proc/self/fd
 * where close_range is missing. Returns -1 with errno set on failure. */
int cradle_close_fds_except(int first, const int *keep, size_t n_keep);

/* Marks every descriptor >= first close-on-exec. Falls back to fcntl up to RLIMIT_NOFILE
 * where close_range is missing or denied (a seccomp profile need not allow it). Only
 * async-signal-safe calls: usable in a forked child. Returns -1 with errno on failure. */
int cradle_cloexec_fds_from(unsigned int first);

#endif
