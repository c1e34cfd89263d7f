/* Reading and writing cgroupfs and /proc files. Both report a size of 0, so reads loop
 * until EOF; cgroupfs parses each write() separately, so a value goes in one write. */
#include "cgroup_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/fileutil.h"

int cgroup_read_text(const char *path, char **out, cradle_error **err)
{
    if (cradle_read_file_at(AT_FDCWD, path, out, NULL) < 0)
        return cradle_error_sys(err, "reading %s", path);
    return 0;
}

int cgroup_write_text(const char *path, const char *value, cradle_error **err)
{
    _cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return cradle_error_sys(err, "opening %s", path);
    size_t len = strlen(value);
    ssize_t n;
    do {
        n = write(fd, value, len);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return cradle_error_sys(err, "writing \"%s\" to %s", value, path);
    if ((size_t)n != len)
        return cradle_error_set(err, EIO, "writing \"%s\" to %s: short write", value, path);
    return 0;
}
