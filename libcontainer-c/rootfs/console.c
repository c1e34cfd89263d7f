/* /dev/console: the container's pty bound over it, as runc's mountConsole. */
#include <fcntl.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/pathsafe.h"
#include "rootfs_internal.h"

int cradle_rootfs_mount_console(int pty_fd, cradle_error **err)
{
    _cleanup_close_ int root_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root_fd < 0)
        return cradle_error_sys(err, "opening /");
    /* A symlink at /dev/console is followed inside the root only: the mount lands on
     * the container's own file, never on one of the host. */
    _cleanup_close_ int console_fd =
        cradle_mkdir_p_in_root(root_fd, "/dev/console", 0755, true, err);
    if (console_fd < 0)
        return cradle_error_wrap(err, "/dev/console");
    return rootfs_bind_fd(pty_fd, console_fd, false, "/dev/console", err);
}
