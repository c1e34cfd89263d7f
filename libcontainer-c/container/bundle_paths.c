/* Paths every command that builds a container from a bundle resolves the same way. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/fileutil.h"
#include "container_private.h"

int cradle_bundle_rootfs(const char *bundle, const struct cradle_spec *spec, char **out,
                         cradle_error **err)
{
    if (spec->root_path == NULL)
        return cradle_error_set(err, EINVAL, "root.path: missing from config.json");
    _cleanup_free_ char *joined = NULL;
    if (spec->root_path[0] == '/')
        joined = strdup(spec->root_path);
    else if (asprintf(&joined, "%s/%s", bundle, spec->root_path) < 0)
        joined = NULL;
    if (joined == NULL)
        return cradle_error_set(err, ENOMEM, "root.path");
    _cleanup_free_ char *rootfs = realpath(joined, NULL);
    if (rootfs == NULL)
        return cradle_error_sys(err, "root.path: rootfs %s", joined);
    struct stat st;
    if (stat(rootfs, &st) < 0 || !S_ISDIR(st.st_mode))
        return cradle_error_set(err, ENOTDIR, "root.path: rootfs %s is not a directory", rootfs);
    *out = TAKE_PTR(rootfs);
    return 0;
}

int cradle_write_pid_file(const char *path, pid_t pid, cradle_error **err)
{
    _cleanup_free_ char *tmp = NULL;
    char text[32];
    int len = snprintf(text, sizeof(text), "%d", pid);
    if (asprintf(&tmp, "%s.cradle-tmp", path) < 0)
        return cradle_error_set(err, ENOMEM, "pid file");
    _cleanup_close_ int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || write(fd, text, (size_t)len) != len || rename(tmp, path) < 0) {
        cradle_error_sys(err, "write pid file %s", path);
        unlink(tmp);
        return -1;
    }
    return 0;
}
