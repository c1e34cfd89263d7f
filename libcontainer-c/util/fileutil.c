#include "cradle/fileutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include "cradle/cleanup.h"

int cradle_read_file_at(int dir_fd, const char *path, char **out, size_t *len)
{
    _cleanup_close_ int fd = openat(dir_fd, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t size = 0, cap = 4096;
    _cleanup_free_ char *buf = malloc(cap);
    if (buf == NULL)
        return -1;
    for (;;) {
        if (size + 1 >= cap) {
            char *grown = realloc(buf, cap * 2);
            if (grown == NULL)
                return -1;
            buf = grown;
            cap *= 2;
        }
        ssize_t n = read(fd, buf + size, cap - size - 1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (n == 0)
            break;
        size += (size_t)n;
    }
    buf[size] = '\0';
    if (len)
        *len = size;
    *out = TAKE_PTR(buf);
    return 0;
}

int cradle_write_file_at(int dir_fd, const char *path, const char *data, size_t len)
{
    _cleanup_close_ int fd = openat(dir_fd, path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

char *cradle_absolute_path(const char *path)
{
    if (path[0] == '/')
        return strdup(path);
    _cleanup_free_ char *cwd = getcwd(NULL, 0);
    char *out = NULL;
    if (cwd == NULL || asprintf(&out, "%s/%s", cwd, path) < 0)
        return NULL;
    return out;
}
