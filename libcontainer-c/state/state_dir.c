#include "cradle/state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cradle/cleanup.h"

int cradle_state_check_id(const char *id, cradle_error **err)
{
    if (id == NULL || *id == '\0')
        return cradle_error_set(err, EINVAL, "container id cannot be empty");
    if (strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
        return cradle_error_set(err, EINVAL, "invalid container id \"%s\"", id);
    for (const char *p = id; *p; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '+' || c == '-' || c == '.';
        if (!ok)
            return cradle_error_set(
                err, EINVAL, "invalid container id \"%s\": only [A-Za-z0-9_+.-] allowed", id);
    }
    return 0;
}

static int mkdir_parents(const char *path)
{
    _cleanup_free_ char *copy = strdup(path);
    if (copy == NULL)
        return -1;
    for (char *p = copy + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(copy, 0755) < 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return 0;
}

int cradle_state_open_root(const char *root, cradle_error **err)
{
    int fd = open(root, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (fd >= 0)
        return fd;
    if (errno != ENOENT)
        return cradle_error_sys(err, "open state directory %s", root);
    if (mkdir_parents(root) < 0 || (mkdir(root, 0700) < 0 && errno != EEXIST))
        return cradle_error_sys(err, "create state directory %s", root);
    fd = open(root, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return cradle_error_sys(err, "open state directory %s", root);
    return fd;
}

int cradle_state_claim(int root_fd, const char *id, cradle_error **err)
{
    if (mkdirat(root_fd, id, 0711) < 0) {
        if (errno == EEXIST)
            return cradle_error_set(err, EEXIST, "container %s already exists", id);
        return cradle_error_sys(err, "create state directory for %s", id);
    }
    int fd = openat(root_fd, id, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (fd < 0 || cradle_state_lock(fd, id, err) < 0) {
        if (fd < 0)
            cradle_error_sys(err, "open state directory for %s", id);
        else
            close(fd);
        unlinkat(root_fd, id, AT_REMOVEDIR);
        return -1;
    }
    return fd;
}

int cradle_state_open(int root_fd, const char *id, cradle_error **err)
{
    int fd = openat(root_fd, id, O_DIRECTORY | O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return cradle_error_set(err, ENOENT, "container %s does not exist", id);
        return cradle_error_sys(err, "open state directory for %s", id);
    }
    return fd;
}

int cradle_state_lock(int dir_fd, const char *id, cradle_error **err)
{
    while (flock(dir_fd, LOCK_EX) < 0) {
        if (errno != EINTR)
            return cradle_error_sys(err, "lock container %s", id);
    }
    return 0;
}

static int remove_tree_at(int parent_fd, const char *name)
{
    int fd = openat(parent_fd, name, O_DIRECTORY | O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return errno == ENOENT ? 0 : -1;
    _cleanup_closedir_ DIR *dir = fdopendir(fd);
    if (dir == NULL) {
        close(fd);
        return -1;
    }
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (de->d_type == DT_DIR) {
            if (remove_tree_at(dirfd(dir), de->d_name) < 0)
                return -1;
        } else if (unlinkat(dirfd(dir), de->d_name, 0) < 0 && errno != ENOENT) {
            return -1;
        }
    }
    if (unlinkat(parent_fd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
        return -1;
    return 0;
}

int cradle_state_remove(int root_fd, const char *id, cradle_error **err)
{
    /* The exit monitor may write its file while the directory is being emptied. */
    for (int attempt = 0;; attempt++) {
        if (remove_tree_at(root_fd, id) == 0)
            return 0;
        if (errno != ENOTEMPTY || attempt == 10)
            return cradle_error_sys(err, "remove state directory of %s", id);
    }
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int cradle_state_list_ids(int root_fd, char ***ids, cradle_error **err)
{
    int fd = openat(root_fd, ".", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return cradle_error_sys(err, "open state directory");
    _cleanup_closedir_ DIR *dir = fdopendir(fd);
    if (dir == NULL) {
        close(fd);
        return cradle_error_sys(err, "read state directory");
    }
    size_t n = 0, cap = 8;
    _cleanup_strv_ char **out = calloc(cap + 1, sizeof(char *));
    if (out == NULL)
        return cradle_error_set(err, ENOMEM, "list containers");
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        if (de->d_name[0] == '.' || de->d_type != DT_DIR)
            continue;
        if (n == cap) {
            char **grown = realloc(out, (2 * cap + 1) * sizeof(char *));
            if (grown == NULL)
                return cradle_error_set(err, ENOMEM, "list containers");
            out = grown;
            cap *= 2;
        }
        out[n] = strdup(de->d_name);
        if (out[n] == NULL)
            return cradle_error_set(err, ENOMEM, "list containers");
        out[++n] = NULL;
    }
    qsort(out, n, sizeof(char *), compare_strings);
    *ids = TAKE_PTR(out);
    return 0;
}

int cradle_state_load(const char *root, const char *id, bool lock, int *root_fd, int *dir_fd,
                      struct cradle_state **out, cradle_error **err)
{
    *root_fd = open(root, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (*root_fd < 0)
        return cradle_error_set(err, ENOENT, "container %s does not exist", id);
    *dir_fd = cradle_state_open(*root_fd, id, err);
    if (*dir_fd < 0 || (lock && cradle_state_lock(*dir_fd, id, err) < 0))
        return -1;
    return cradle_state_read(*dir_fd, id, out, err);
}
