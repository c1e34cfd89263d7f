#include "cradle/fds.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cradle/cleanup.h"

static int compare_ints(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static bool is_kept(int fd, const int *keep, size_t n_keep)
{
    for (size_t i = 0; i < n_keep; i++)
        if (keep[i] == fd)
            return true;
    return false;
}

/* For kernels before 5.9: one close() per open descriptor. The directory's own fd is
 * skipped while listing and closed by closedir. */
static int close_listed_fds(int first, const int *keep, size_t n_keep)
{
    _cleanup_closedir_ DIR *dir = opendir("/proc/self/fd");
    if (dir == NULL)
        return -1;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        char *end;
        long fd = strtol(entry->d_name, &end, 10);
        if (*end != '\0' || end == entry->d_name || fd < first || fd == dirfd(dir) ||
            is_kept((int)fd, keep, n_keep))
            continue;
        close((int)fd);
    }
    return 0;
}

static int close_fd_range(unsigned int low, unsigned int high)
{
    return (int)syscall(SYS_close_range, low, high, 0);
}

int cradle_close_fds_except(int first, const int *keep, size_t n_keep)
{
    _cleanup_free_ int *sorted = malloc((n_keep ? n_keep : 1) * sizeof(*sorted));
    if (sorted == NULL)
        return -1;
    if (n_keep > 0) { /* keep may be NULL then, which memcpy and qsort must not see */
        memcpy(sorted, keep, n_keep * sizeof(*sorted));
        qsort(sorted, n_keep, sizeof(*sorted), compare_ints);
    }
    /* Close the gaps between the kept descriptors, then everything above the last one. */
    unsigned int low = (unsigned int)first;
    for (size_t i = 0; i < n_keep; i++) {
        if (sorted[i] < first || (unsigned int)sorted[i] < low)
            continue;
        if ((unsigned int)sorted[i] > low && close_fd_range(low, (unsigned int)sorted[i] - 1) < 0)
            return errno == ENOSYS ? close_listed_fds(first, keep, n_keep) : -1;
        low = (unsigned int)sorted[i] + 1;
    }
    if (close_fd_range(low, UINT_MAX) < 0)
        return errno == ENOSYS ? close_listed_fds(first, keep, n_keep) : -1;
    return 0;
}

int cradle_cloexec_fds_from(unsigned int first)
{
    if (syscall(SYS_close_range, first, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
        return 0;
    struct rlimit nofile;
    if (getrlimit(RLIMIT_NOFILE, &nofile) < 0)
        return -1;
    for (rlim_t fd = first; fd < nofile.rlim_cur; fd++)
        if (fcntl((int)fd, F_SETFD, FD_CLOEXEC) < 0 && errno != EBADF)
            return -1;
    return 0;
}
