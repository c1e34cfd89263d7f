/* Closing every descriptor but a few: the container's init starts as a clone of the runtime
 * and must not carry the runtime's descriptors (state dirs, cgroup dirs, the log) into the
 * container. */
#ifndef CRADLE_FDS_H
#define CRADLE_FDS_H

#include <stddef.h>
#include <sys/types.h>

/* Closes every descriptor >= first that is not in keep[0..n_keep) (keep may be unsorted and
 * hold values below first, which are ignored). Uses close_range(2), or walks /proc/self/fd
 * where close_range is missing. Returns -1 with errno set on failure. */
int cradle_close_fds_except(int first, const int *keep, size_t n_keep);

/* Marks every descriptor >= first close-on-exec. Falls back to fcntl up to RLIMIT_NOFILE
 * where close_range is missing or denied (a seccomp profile need not allow it). Only
 * async-signal-safe calls: usable in a forked child. Returns -1 with errno on failure. */
int cradle_cloexec_fds_from(unsigned int first);

/* One sendmsg of buf on a unix socket, with fd (when >= 0) passed as SCM_RIGHTS; retried
 * on EINTR, never raising SIGPIPE. Returns sendmsg's result (-1 with errno). */
ssize_t cradle_send_with_fd(int sock, const void *buf, size_t len, int fd);

#endif
