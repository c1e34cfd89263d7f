/* SELinux labels of the filesystems the container mounts: runc's label.FormatMountLabel
 * (the context= option, given whether or not SELinux is enabled, as runc gives it) and
 * label.SetFileLabel for those that take no option. */
#include "cradle/lsm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>

#include "cradle/pathsafe.h"

int cradle_format_mount_label(const char *data, const char *label, char **out)
{
    bool has_data = data && *data;
    *out = NULL;
    if (label == NULL || *label == '\0') {
        if (has_data && (*out = strdup(data)) == NULL)
            return -1;
        return 0;
    }
    int r = has_data ? asprintf(out, "%s,context=\"%s\"", data, label)
                     : asprintf(out, "context=\"%s\"", label);
    if (r < 0) {
        *out = NULL;
        return -1;
    }
    return 0;
}

int cradle_selinux_set_file_label(int fd, const char *label, const char *what, cradle_error **err)
{
    if (label == NULL || *label == '\0' || !cradle_selinux_enabled())
        return 0;
    char path[CRADLE_FD_PATH_MAX];
    /* The fd's /proc/self/fd link is followed to the mountpoint. */
    if (setxattr(cradle_fd_path(fd, path), "security.selinux", label, strlen(label), 0) < 0)
        return cradle_error_sys(err, "set the SELinux label \"%s\" of %s", label, what);
    return 0;
}
