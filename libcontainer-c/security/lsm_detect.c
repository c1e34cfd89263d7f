/* Whether SELinux is enabled on the host: the same test as go-selinux's. */
#include "cradle/lsm.h"

#include <fcntl.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "cradle/cleanup.h"

#define SELINUX_MAGIC 0xf97cff8c

bool cradle_selinux_enabled(void)
{
    struct statfs sfs;
    if (statfs("/sys/fs/selinux", &sfs) < 0 || (unsigned long)sfs.f_type != SELINUX_MAGIC)
        return false;
    _cleanup_close_ int fd = open("/proc/thread-self/attr/current", O_RDONLY | O_CLOEXEC);
    char con[256];
    ssize_t n = fd >= 0 ? read(fd, con, sizeof(con) - 1) : -1;
    if (n <= 0)
        return false;
    con[n] = '\0';
    con[strcspn(con, "\n")] = '\0';
    return strcmp(con, "kernel") != 0;
}
