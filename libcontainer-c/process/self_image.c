#include "cradle/self_image.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/log.h"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

/* Set across the re-exec only to stop a loop: a runtime started with it that finds its
 * image unprotected fails instead of re-executing again. It never skips the check. */
#define REEXEC_MARK "_CRADLE_SELF_IMAGE_REEXEC"

#define SEALED (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

static bool fd_is_protected(int fd)
{
    struct statfs sf;
    if (fstatfs(fd, &sf) == 0 && (sf.f_flags & ST_RDONLY))
        return true;
    int seals = fcntl(fd, F_GET_SEALS);
    return seals >= 0 && (seals & SEALED) == SEALED;
}

int cradle_self_image_is_protected(cradle_error **err)
{
    _cleanup_close_ int self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (self < 0)
        return cradle_error_sys(err, "open /proc/self/exe");
    return fd_is_protected(self) ? 1 : 0;
}

/* An empty read-only tmpfs, never attached anywhere: overlayfs needs a second lower
 * layer to run without an upper one. */
static int empty_layer(void)
{
    _cleanup_close_ int ctx = fsopen("tmpfs", FSOPEN_CLOEXEC);
    if (ctx < 0 || fsconfig(ctx, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
        return -1;
    return fsmount(ctx, FSMOUNT_CLOEXEC, MOUNT_ATTR_RDONLY);
}

/* The binary seen through a private overlayfs whose only layers are read-only (its own
 * directory and an empty one): nothing can be written through it, nothing is copied, and
 * unlike a read-only bind mount it cannot be cloned into a writable view of the same inode.
 * The layers are passed as fds ("lowerdir+", Linux 6.13), so no host path is needed. */
static int overlay_image(void)
{
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (len < 0 || (size_t)len >= sizeof(exe) - 1)
        return -1;
    exe[len] = '\0';
    char name[PATH_MAX];
    snprintf(name, sizeof(name), "%s", basename(exe));
    _cleanup_close_ int dir = open(dirname(exe), O_PATH | O_DIRECTORY | O_CLOEXEC);
    _cleanup_close_ int empty = empty_layer();
    _cleanup_close_ int ctx = fsopen("overlay", FSOPEN_CLOEXEC);
    if (dir < 0 || empty < 0 || ctx < 0 ||
        fsconfig(ctx, FSCONFIG_SET_FD, "lowerdir+", NULL, dir) < 0 ||
        fsconfig(ctx, FSCONFIG_SET_FD, "lowerdir+", NULL, empty) < 0)
        return -1;
    /* Only to avoid a kernel log line when the layers are on different filesystems. */
    fsconfig(ctx, FSCONFIG_SET_STRING, "xino", "off", 0);
    if (fsconfig(ctx, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
        return -1;
    _cleanup_close_ int mnt =
        fsmount(ctx, FSMOUNT_CLOEXEC, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOSUID);
    if (mnt < 0)
        return -1;
    return openat(mnt, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
}

/* A copy of the binary in a memfd sealed against any change (what runc does where it
 * cannot mount, e.g. without CAP_SYS_ADMIN). */
static int sealed_copy(cradle_error **err)
{
    _cleanup_close_ int src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (src < 0 || fstat(src, &st) < 0)
        return cradle_error_sys(err, "open /proc/self/exe");
    /* MFD_EXEC: kernels with vm.memfd_noexec would make the copy non-executable. */
    _cleanup_close_ int fd = memfd_create("cradle", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
    if (fd < 0 && errno == EINVAL)
        fd = memfd_create("cradle", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0)
        return cradle_error_sys(err, "memfd_create for a sealed copy of cradle");
    for (off_t done = 0; done < st.st_size;) {
        ssize_t n = sendfile(fd, src, &done, (size_t)(st.st_size - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return cradle_error_sys(err, "copying cradle into a sealed memfd");
    }
    if (fcntl(fd, F_ADD_SEALS, SEALED) < 0)
        return cradle_error_sys(err, "sealing the copy of cradle");
    return TAKE_FD(fd);
}

int cradle_self_image_ensure(char *const argv[], cradle_error **err)
{
    bool reexecuted = getenv(REEXEC_MARK) != NULL;
    unsetenv(REEXEC_MARK);
    int protected = cradle_self_image_is_protected(err);
    if (protected != 0)
        return protected < 0 ? -1 : 0;
    if (reexecuted)
        return cradle_error_set(err, EPERM,
                                "re-executed from a protected image, but /proc/self/exe is "
                                "still writable");
    _cleanup_close_ int image = overlay_image();
    if (image < 0) {
        cradle_debug("no overlayfs image of cradle (%s): using a sealed memfd copy",
                     strerror(errno));
        if ((image = sealed_copy(err)) < 0)
            return -1;
    }
    extern char **environ;
    if (setenv(REEXEC_MARK, "1", 1) < 0)
        return cradle_error_sys(err, "setenv");
    syscall(SYS_execveat, image, "", argv, environ, AT_EMPTY_PATH);
    int saved = errno;
    unsetenv(REEXEC_MARK);
    errno = saved;
    return cradle_error_sys(err, "re-executing cradle from a protected image");
}
