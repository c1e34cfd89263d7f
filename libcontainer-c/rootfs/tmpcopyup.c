/* "tmpcopyup" (runc's EXT_COPYUP; Podman sends it with every --tmpfs and for /run, /tmp
 * and /var/tmp under --read-only): a tmpfs that starts with a copy of what its mountpoint
 * held. The tmpfs is built detached (fsopen, fsmount), filled from an fd of the
 * mountpoint resolved inside the rootfs, and only then moved over it. The copy walks fds
 * only, each step an openat with O_NOFOLLOW below its parent's fd: a symlink is copied as
 * a symlink, never followed, wherever it points. A failure leaves nothing mounted: the
 * detached tmpfs goes away with its last fd. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "rootfs_internal.h"

/* Superblock flags that fsconfig(2) takes by name; MS_RDONLY is applied in finalize. */
static const struct {
    unsigned long ms;
    const char *name;
} superblock_flags[] = {
    {MS_SYNCHRONOUS, "sync"},
    {MS_DIRSYNC, "dirsync"},
    {MS_LAZYTIME, "lazytime"},
    {MS_MANDLOCK, "mand"},
};

/* Flags that need no fsconfig: per-mount ones become fsmount(2) attributes, MS_RDONLY is
 * applied in finalize, MS_SILENT is kernel log verbosity only, and tmpfs sets MS_POSIXACL
 * and MS_I_VERSION on its superblock by itself (a plain mount(2) of a tmpfs with "noacl"
 * gets them too). Anything else cannot be honoured on a detached tmpfs. */
#define FLAGS_WITHOUT_FSCONFIG                                                                     \
    (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME | MS_RELATIME |                 \
     MS_STRICTATIME | MS_NOSYMFOLLOW | MS_RDONLY | MS_SILENT | MS_POSIXACL | MS_I_VERSION)

char *rootfs_next_data_option(char **cursor)
{
    char *opt = *cursor;
    if (opt == NULL)
        return NULL;
    bool quoted = false;
    char *end = opt;
    for (; *end && (quoted || *end != ','); end++)
        if (*end == '"')
            quoted = !quoted;
    *cursor = *end ? end + 1 : NULL;
    *end = '\0';
    return opt;
}

static int configure(int fs, const struct cradle_spec_mount *m, const char *data, const char *what,
                     cradle_error **err)
{
    if (fsconfig(fs, FSCONFIG_SET_STRING, "source", m->source ? m->source : "tmpfs", 0) < 0)
        return cradle_error_sys(err, "tmpcopyup: naming the tmpfs for %s", what);
    unsigned long flags = rootfs_plain_flags(m->flags);
    for (size_t i = 0; i < sizeof(superblock_flags) / sizeof(superblock_flags[0]); i++) {
        if (!(flags & superblock_flags[i].ms))
            continue;
        flags &= ~superblock_flags[i].ms;
        if (fsconfig(fs, FSCONFIG_SET_FLAG, superblock_flags[i].name, NULL, 0) < 0)
            return cradle_error_sys(err, "tmpcopyup: mount option \"%s\" for %s",
                                    superblock_flags[i].name, what);
    }
    if (flags & ~(unsigned long)FLAGS_WITHOUT_FSCONFIG)
        return cradle_error_set(err, EINVAL,
                                "tmpcopyup: mount flags %#lx of %s cannot be set on a new tmpfs",
                                flags & ~(unsigned long)FLAGS_WITHOUT_FSCONFIG, what);

    _cleanup_free_ char *copy = strdup(data ? data : "");
    if (copy == NULL)
        return cradle_error_set(err, ENOMEM, "tmpcopyup: options of %s", what);
    char *cursor = copy;
    for (char *opt = rootfs_next_data_option(&cursor); opt;
         opt = rootfs_next_data_option(&cursor)) {
        if (*opt == '\0')
            continue;
        char *value = strchr(opt, '=');
        if (value)
            *value++ = '\0';
        /* mount(2) data quotes a context="LABEL"; fsconfig takes LABEL bare. */
        size_t len = value ? strlen(value) : 0;
        if (len >= 2 && value[0] == '"' && value[len - 1] == '"') {
            value[len - 1] = '\0';
            value++;
        }
        int r = value ? fsconfig(fs, FSCONFIG_SET_STRING, opt, value, 0)
                      : fsconfig(fs, FSCONFIG_SET_FLAG, opt, NULL, 0);
        if (r < 0)
            return cradle_error_sys(err, "tmpcopyup: tmpfs option \"%s\" for %s", opt, what);
    }
    if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
        return cradle_error_sys(err, "tmpcopyup: creating the tmpfs for %s", what);
    return 0;
}

/* Ownership, mode and times of NAME in dir (our own detached tmpfs: nobody else can reach
 * it, so names are safe there). Ownership first: chown clears the set-id bits. */
static int copy_metadata(int dir, const char *name, const struct stat *st, const char *what,
                         cradle_error **err)
{
    if (fchownat(dir, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0)
        return cradle_error_sys(err, "tmpcopyup: owning %s/%s", what, name);
    /* A symlink's mode cannot be changed and means nothing. */
    if (!S_ISLNK(st->st_mode) && fchmodat(dir, name, st->st_mode & 07777, 0) < 0)
        return cradle_error_sys(err, "tmpcopyup: mode of %s/%s", what, name);
    const struct timespec times[2] = {st->st_atim, st->st_mtim};
    if (utimensat(dir, name, times, AT_SYMLINK_NOFOLLOW) < 0)
        return cradle_error_sys(err, "tmpcopyup: times of %s/%s", what, name);
    return 0;
}

static int copy_bytes(int in, int out)
{
    for (;;) {
        ssize_t n = sendfile(out, in, NULL, 1 << 20);
        if (n == 0)
            return 0;
        if (n > 0)
            continue;
        if (errno != EINVAL && errno != ENOSYS)
            return -1;
        char buf[65536];
        while ((n = read(in, buf, sizeof(buf))) > 0) {
            for (ssize_t done = 0, w; done < n; done += w)
                if ((w = write(out, buf + done, (size_t)(n - done))) < 0)
                    return -1;
        }
        return n < 0 ? -1 : 0;
    }
}

/* O_NONBLOCK: should NAME have been swapped for a fifo since it was inspected, the open
 * does not hang on it; the fstat then refuses whatever it is. A device node cannot be
 * planted without CAP_MKNOD on the host. */
static int copy_file(int src, int dst, const char *name, const struct stat *st, const char *what,
                     cradle_error **err)
{
    _cleanup_close_ int in =
        openat(src, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    struct stat now;
    if (in < 0 || fstat(in, &now) < 0)
        return cradle_error_sys(err, "tmpcopyup: opening %s/%s", what, name);
    if (!S_ISREG(now.st_mode) || now.st_ino != st->st_ino || now.st_dev != st->st_dev)
        return cradle_error_set(err, EAGAIN, "tmpcopyup: %s/%s changed while it was copied", what,
                                name);
    _cleanup_close_ int out = openat(dst, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (out < 0 || copy_bytes(in, out) < 0)
        return cradle_error_sys(err, "tmpcopyup: copying %s/%s", what, name);
    return 0;
}

static int copy_symlink(int src, int dst, const char *name, const struct stat *st, const char *what,
                        cradle_error **err)
{
    /* The size lstat reports may be stale: one byte more tells a truncated read. */
    size_t size = (size_t)st->st_size + 2;
    _cleanup_free_ char *target = malloc(size);
    if (target == NULL)
        return cradle_error_set(err, ENOMEM, "tmpcopyup: reading %s/%s", what, name);
    ssize_t n = readlinkat(src, name, target, size);
    if (n < 0)
        return cradle_error_sys(err, "tmpcopyup: reading the symlink %s/%s", what, name);
    if ((size_t)n >= size - 1)
        return cradle_error_set(err, EAGAIN, "tmpcopyup: %s/%s changed while it was copied", what,
                                name);
    target[n] = '\0';
    if (symlinkat(target, dst, name) < 0)
        return cradle_error_sys(err, "tmpcopyup: copying the symlink %s/%s", what, name);
    return 0;
}

static int copy_dir(int src, int dst, const char *what, cradle_error **err);

static int copy_subdir(int src, int dst, const char *name, const struct stat *st, const char *what,
                       cradle_error **err)
{
    if (mkdirat(dst, name, 0700) < 0)
        return cradle_error_sys(err, "tmpcopyup: creating %s/%s", what, name);
    _cleanup_close_ int sub_src =
        openat(src, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (sub_src < 0)
        return cradle_error_sys(err, "tmpcopyup: opening %s/%s", what, name);
    struct stat now;
    if (fstat(sub_src, &now) < 0 || now.st_ino != st->st_ino || now.st_dev != st->st_dev)
        return cradle_error_set(err, EAGAIN, "tmpcopyup: %s/%s changed while it was copied", what,
                                name);
    _cleanup_close_ int sub_dst =
        openat(dst, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    _cleanup_free_ char *sub_what = NULL;
    if (sub_dst < 0 || asprintf(&sub_what, "%s/%s", what, name) < 0)
        return cradle_error_sys(err, "tmpcopyup: opening the copy of %s/%s", what, name);
    return copy_dir(sub_src, sub_dst, sub_what, err);
}

static int copy_entry(int src, int dst, const char *name, const char *what, cradle_error **err)
{
    struct stat st;
    if (fstatat(src, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return cradle_error_sys(err, "tmpcopyup: inspecting %s/%s", what, name);
    int r;
    switch (st.st_mode & S_IFMT) {
    case S_IFDIR:
        r = copy_subdir(src, dst, name, &st, what, err);
        break;
    case S_IFREG:
        r = copy_file(src, dst, name, &st, what, err);
        break;
    case S_IFLNK:
        r = copy_symlink(src, dst, name, &st, what, err);
        break;
    default: /* device nodes, fifos, sockets: the node itself, as runc */
        r = mknodat(dst, name, st.st_mode & (S_IFMT | 0600), st.st_rdev);
        if (r < 0)
            cradle_error_sys(err, "tmpcopyup: creating the node %s/%s", what, name);
    }
    return r < 0 ? -1 : copy_metadata(dst, name, &st, what, err);
}

/* Copies what is in directory src into directory dst (both fds, src opened O_RDONLY). */
static int copy_dir(int src, int dst, const char *what, cradle_error **err)
{
    int dup_fd = fcntl(src, F_DUPFD_CLOEXEC, 0);
    _cleanup_closedir_ DIR *dir = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
    if (dir == NULL) {
        if (dup_fd >= 0)
            close(dup_fd);
        return cradle_error_sys(err, "tmpcopyup: listing %s", what);
    }
    for (;;) {
        errno = 0;
        struct dirent *e = readdir(dir);
        if (e == NULL)
            return errno ? cradle_error_sys(err, "tmpcopyup: listing %s", what) : 0;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (copy_entry(src, dst, e->d_name, what, err) < 0)
            return -1;
    }
}

int rootfs_mount_tmpfs_copyup(int dst_fd, const char *resolved, const struct cradle_spec_mount *m,
                              const char *data, cradle_error **err)
{
    /* dst_fd may be O_PATH: "." below it opens the directory itself, with no procfs. */
    _cleanup_close_ int src = openat(dst_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (src < 0)
        return cradle_error_sys(err, "tmpcopyup: opening %s", resolved);
    _cleanup_close_ int fs = fsopen("tmpfs", FSOPEN_CLOEXEC);
    if (fs < 0)
        return cradle_error_sys(err, "tmpcopyup: creating a tmpfs for %s", resolved);
    if (configure(fs, m, data, resolved, err) < 0)
        return -1;
    uint64_t attrs =
        rootfs_mount_attrs_of(rootfs_plain_flags(m->flags) & ~(unsigned long)MS_RDONLY);
    _cleanup_close_ int mnt = fsmount(fs, FSMOUNT_CLOEXEC, (unsigned int)attrs);
    if (mnt < 0)
        return cradle_error_sys(err, "tmpcopyup: mounting a tmpfs for %s", resolved);
    _cleanup_close_ int top = openat(mnt, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (top < 0)
        return cradle_error_sys(err, "tmpcopyup: opening the new tmpfs for %s", resolved);
    if (copy_dir(src, top, resolved, err) < 0)
        return -1;
    return rootfs_attach_mount(mnt, dst_fd, resolved, err);
}
