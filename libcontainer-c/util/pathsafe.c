#include "cradle/pathsafe.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cradle/cleanup.h"

/* As many symlinks as the kernel follows in one lookup (MAXSYMLINKS). */
#define MAX_SYMLINKS 40

char *cradle_fd_path(int fd, char buf[CRADLE_FD_PATH_MAX])
{
    snprintf(buf, CRADLE_FD_PATH_MAX, "/proc/self/fd/%d", fd);
    return buf;
}

int cradle_reopen_fd(int proc_fd, int fd, int flags, cradle_error **err)
{
    char path[CRADLE_FD_PATH_MAX];
    cradle_fd_path(fd, path);
    /* Relative to proc_fd: "self/fd/N". */
    const char *rel = path + strlen("/proc/");
    int out =
        proc_fd >= 0 ? openat(proc_fd, rel, flags | O_CLOEXEC) : open(path, flags | O_CLOEXEC);
    if (out < 0)
        return cradle_error_sys(err, "reopening fd %d through procfs", fd);
    return out;
}

static int openat2_in_root(int root_fd, const char *path, int flags)
{
    struct open_how how = {
        .flags = (unsigned long long)(flags | O_CLOEXEC),
        .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
    };
    int fd;
    do
        fd = (int)syscall(SYS_openat2, root_fd, path, &how, sizeof(how));
    while (fd < 0 && errno == EAGAIN);
    return fd;
}

int cradle_open_in_root(int root_fd, const char *path, int flags, cradle_error **err)
{
    int fd = openat2_in_root(root_fd, path, flags);
    if (fd < 0)
        return cradle_error_sys(err, "opening %s inside the root", path);
    return fd;
}

static char *join_path(const char *dir, const char *name)
{
    char *out = NULL;
    size_t len = strlen(dir);
    const char *sep = len > 0 && dir[len - 1] == '/' ? "" : "/";
    if (asprintf(&out, "%s%s%s", dir, sep, name) < 0)
        return NULL;
    return out;
}

/* State of a walk: `prefix` is the part already resolved (as a path inside the root,
 * symlinks still unexpanded, which openat2 resolves again safely), `cur` its O_PATH fd,
 * `todo` + `pos` the components still to walk. */
struct walk {
    int root_fd;
    char *prefix;
    int cur;
    char *todo;
    size_t pos;
    int links;
};

static void walk_done(struct walk *w)
{
    free(w->prefix);
    free(w->todo);
    if (w->cur >= 0)
        close(w->cur);
}

/* Moves to the next component: returns it (allocated) or NULL at the end (errno 0). */
static char *walk_next(struct walk *w, bool *is_last)
{
    const char *s = w->todo + w->pos;
    while (*s == '/')
        s++;
    if (*s == '\0') {
        errno = 0;
        return NULL;
    }
    size_t n = strcspn(s, "/");
    char *comp = strndup(s, n);
    w->pos = (size_t)(s + n - w->todo);
    const char *rest = s + n;
    while (*rest == '/')
        rest++;
    *is_last = *rest == '\0';
    return comp;
}

static int walk_enter(struct walk *w, char *candidate, int fd)
{
    free(w->prefix);
    w->prefix = candidate;
    close(w->cur);
    w->cur = fd;
    return 0;
}

/* COMP is a dangling symlink in the current directory: continue the walk with its
 * target followed by what remained, from the root when the target is absolute. */
static int walk_follow_dangling(struct walk *w, const char *comp, const char *path,
                                cradle_error **err)
{
    char target[PATH_MAX];
    if (++w->links > MAX_SYMLINKS) {
        errno = ELOOP;
        return cradle_error_sys(err, "resolving %s inside the root", path);
    }
    ssize_t n = readlinkat(w->cur, comp, target, sizeof(target) - 1);
    if (n < 0)
        return cradle_error_sys(err, "reading symlink %s/%s inside the root", w->prefix, comp);
    target[n] = '\0';
    char *todo = join_path(target, w->todo + w->pos);
    if (todo == NULL)
        return cradle_error_set(err, ENOMEM, "resolving %s", path);
    free(w->todo);
    w->todo = todo;
    w->pos = 0;
    if (target[0] != '/')
        return 0;
    char *root = strdup("/");
    int fd = openat2_in_root(w->root_fd, "/", O_PATH | O_DIRECTORY);
    if (root == NULL || fd < 0) {
        free(root);
        return cradle_error_sys(err, "reopening the root while resolving %s", path);
    }
    return walk_enter(w, root, fd);
}

static int create_component(int dir_fd, const char *comp, mode_t mode, bool as_file)
{
    if (!as_file)
        return mkdirat(dir_fd, comp, mode);
    int fd = openat(dir_fd, comp, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    close(fd);
    return 0;
}

/* One step of the walk: enter COMP, following or creating it as needed. */
static int walk_step(struct walk *w, const char *comp, bool is_last, mode_t mode, bool last_is_file,
                     const char *path, cradle_error **err)
{
    char *candidate = join_path(w->prefix, comp);
    if (candidate == NULL)
        return cradle_error_set(err, ENOMEM, "resolving %s", path);
    int fd = openat2_in_root(w->root_fd, candidate, O_PATH);
    if (fd >= 0)
        return walk_enter(w, candidate, fd);
    if (errno != ENOENT) {
        cradle_error_sys(err, "opening %s inside the root", candidate);
        free(candidate);
        return -1;
    }
    struct stat st;
    if (fstatat(w->cur, comp, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
        free(candidate);
        return walk_follow_dangling(w, comp, path, err);
    }
    if (create_component(w->cur, comp, mode, is_last && last_is_file) < 0 && errno != EEXIST) {
        cradle_error_sys(err, "creating %s inside the root", candidate);
        free(candidate);
        return -1;
    }
    fd = openat2_in_root(w->root_fd, candidate, O_PATH);
    if (fd < 0) {
        cradle_error_sys(err, "opening %s inside the root after creating it", candidate);
        free(candidate);
        return -1;
    }
    return walk_enter(w, candidate, fd);
}

int cradle_mkdir_p_in_root(int root_fd, const char *path, mode_t mode, bool last_is_file,
                           cradle_error **err)
{
    struct walk w = {.root_fd = root_fd, .cur = -1};
    w.prefix = strdup("/");
    w.todo = strdup(path);
    if (w.prefix == NULL || w.todo == NULL) {
        walk_done(&w);
        return cradle_error_set(err, ENOMEM, "resolving %s", path);
    }
    w.cur = openat2_in_root(root_fd, "/", O_PATH | O_DIRECTORY);
    if (w.cur < 0) {
        walk_done(&w);
        return cradle_error_sys(err, "opening the root to resolve %s", path);
    }
    for (;;) {
        bool is_last = false;
        _cleanup_free_ char *comp = walk_next(&w, &is_last);
        if (comp == NULL && errno != 0) {
            walk_done(&w);
            return cradle_error_sys(err, "resolving %s", path);
        }
        if (comp == NULL)
            break;
        if (walk_step(&w, comp, is_last, mode, last_is_file, path, err) < 0) {
            walk_done(&w);
            return -1;
        }
    }
    int fd = TAKE_FD(w.cur);
    walk_done(&w);
    return fd;
}

int cradle_fd_path_in_root(int fd, const char *root_path, char **out, cradle_error **err)
{
    char link[CRADLE_FD_PATH_MAX];
    char target[PATH_MAX];
    ssize_t n = readlink(cradle_fd_path(fd, link), target, sizeof(target) - 1);
    if (n < 0)
        return cradle_error_sys(err, "reading %s", link);
    target[n] = '\0';
    size_t root_len = strlen(root_path);
    while (root_len > 0 && root_path[root_len - 1] == '/')
        root_len--;
    if (target[0] != '/' || strncmp(target, root_path, root_len) != 0 ||
        (target[root_len] != '\0' && target[root_len] != '/'))
        return cradle_error_set(err, EXDEV, "%s resolves to %s, outside the root %s", link, target,
                                root_path);
    *out = strdup(target[root_len] == '\0' ? "/" : target + root_len);
    if (*out == NULL)
        return cradle_error_set(err, ENOMEM, "copying the path of %s", link);
    return 0;
}

const char *cradle_path_below(const char *path, const char *dir)
{
    size_t len = strlen(dir);
    while (len > 0 && dir[len - 1] == '/')
        len--;
    if (strncmp(path, dir, len) != 0 || (path[len] != '\0' && path[len] != '/'))
        return NULL;
    return path + len;
}
