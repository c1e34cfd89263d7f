/* The effective policy: built-in rules, then the system files or the --proc-policy file.
 * With no files this costs a few failed lookups. A path that names something is read or
 * refused, never skipped: the policy fails closed. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc_policy_internal.h"

/* A policy is a handful of lines; anything this large is a mistake (or /dev/zero). */
#define MAX_POLICY_FILE_SIZE (1024 * 1024)

static void close_fdp(int *fd)
{
    if (*fd >= 0)
        close(*fd);
}

static void closedirp(DIR **d)
{
    if (*d)
        closedir(*d);
}

static int fail_sys(char *why, size_t why_size, const char *what, const char *path)
{
    int saved = errno;
    snprintf(why, why_size, "%s %s: %s", what, path, strerror(saved));
    errno = saved;
    return -1;
}

/* Reads all of fd into a new buffer; -1 with errno (EFBIG when too large). */
static char *read_all(int fd, size_t *len)
{
    size_t size = 4096, used = 0;
    _cleanup_pp_free_ char *buf = malloc(size);
    if (buf == NULL)
        return NULL;
    for (;;) {
        if (used == size) {
            if (size >= MAX_POLICY_FILE_SIZE) {
                errno = EFBIG;
                return NULL;
            }
            char *grown = realloc(buf, size * 2);
            if (grown == NULL)
                return NULL;
            buf = grown;
            size *= 2;
        }
        ssize_t n = read(fd, buf + used, size - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return NULL;
        if (n == 0)
            break;
        used += (size_t)n;
    }
    *len = used;
    return TAKE_PP_PTR(buf);
}

static int apply_fd(struct pp_policy *policy, int fd, const char *path, char *why, size_t why_size)
{
    size_t len = 0;
    _cleanup_pp_free_ char *text = read_all(fd, &len);
    if (text == NULL)
        return fail_sys(why, why_size, "reading policy file", path);
    return pp_policy_apply_text(policy, text, len, path, why, why_size);
}

/* Opens a policy file for reading without ever blocking (a FIFO would wait for a
 * writer), following a symlink to a regular file; anything else is an error. */
static int open_policy_file(const char *path, char *why, size_t why_size)
{
    __attribute__((cleanup(close_fdp))) int fd =
        open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 && errno == ENOENT && lstat(path, &st) == 0) {
        snprintf(why, why_size, "policy file %s is a dangling symlink", path);
        errno = ENOENT;
        return -1;
    }
    if (fd < 0)
        return fail_sys(why, why_size, "opening policy file", path);
    if (fstat(fd, &st) < 0)
        return fail_sys(why, why_size, "inspecting policy file", path);
    if (!S_ISREG(st.st_mode)) {
        snprintf(why, why_size, "policy file %s is not a regular file", path);
        errno = EINVAL;
        return -1;
    }
    int taken = fd;
    fd = -1;
    return taken;
}

int pp_policy_apply_file(struct pp_policy *policy, const char *path, char *why, size_t why_size)
{
    __attribute__((cleanup(close_fdp))) int fd = open_policy_file(path, why, why_size);
    if (fd < 0)
        return -1;
    return apply_fd(policy, fd, path, why, why_size);
}

/* true when nothing at all is at PATH (not even a dangling symlink): no policy there. */
static bool nothing_at(const char *path)
{
    struct stat st;
    return lstat(path, &st) < 0 && errno == ENOENT;
}

/* Like pp_policy_apply_file, but a file that does not exist is no policy at all. */
static int apply_optional_file(struct pp_policy *policy, const char *path, char *why,
                               size_t why_size)
{
    if (nothing_at(path))
        return 0;
    return pp_policy_apply_file(policy, path, why, why_size);
}

static bool is_conf_name(const char *name)
{
    size_t len = strlen(name);
    return name[0] != '.' && len > 5 && strcmp(name + len - 5, ".conf") == 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* The *.conf names of DIR in lexical (strcmp) order. */
static int list_conf_files(DIR *dir, char ***out, size_t *n_out)
{
    char **names = NULL;
    size_t n = 0;
    struct dirent *entry;
    errno = 0;
    while ((entry = readdir(dir)) != NULL) {
        if (!is_conf_name(entry->d_name))
            continue;
        char **grown = realloc(names, (n + 1) * sizeof(*grown));
        char *name = grown ? strdup(entry->d_name) : NULL;
        if (grown)
            names = grown;
        if (name == NULL) {
            free_names(names, n);
            errno = ENOMEM;
            return -1;
        }
        names[n++] = name;
    }
    if (errno != 0) {
        int saved = errno;
        free_names(names, n);
        errno = saved;
        return -1;
    }
    if (n > 0)
        qsort(names, n, sizeof(*names), compare_names);
    *out = names;
    *n_out = n;
    return 0;
}

static int apply_directory(struct pp_policy *policy, const char *dir_path, char *why,
                           size_t why_size)
{
    if (nothing_at(dir_path))
        return 0;
    __attribute__((cleanup(closedirp))) DIR *dir = opendir(dir_path);
    if (dir == NULL && errno == ENOENT) {
        snprintf(why, why_size, "policy directory %s is a dangling symlink", dir_path);
        errno = ENOENT;
        return -1;
    }
    if (dir == NULL)
        return fail_sys(why, why_size, "opening policy directory", dir_path);
    char **names = NULL;
    size_t n = 0;
    if (list_conf_files(dir, &names, &n) < 0)
        return fail_sys(why, why_size, "reading policy directory", dir_path);

    int r = 0;
    for (size_t i = 0; i < n && r == 0; i++) {
        _cleanup_pp_free_ char *path = NULL;
        if (asprintf(&path, "%s/%s", dir_path, names[i]) < 0) {
            path = NULL;
            errno = ENOMEM;
            r = fail_sys(why, why_size, "reading policy directory", dir_path);
            break;
        }
        /* Listed, so it exists: a name that has gone or dangles is an error too. */
        r = pp_policy_apply_file(policy, path, why, why_size);
    }
    free_names(names, n);
    return r;
}

static int apply_system_files(struct pp_policy *policy, const char *system_dir, char *why,
                              size_t why_size)
{
    _cleanup_pp_free_ char *conf = NULL;
    _cleanup_pp_free_ char *dir = NULL;
    if (asprintf(&conf, "%s/proc-policy.conf", system_dir) < 0) {
        conf = NULL;
        errno = ENOMEM;
        return fail_sys(why, why_size, "loading policy from", system_dir);
    }
    if (asprintf(&dir, "%s/proc-policy.d", system_dir) < 0) {
        dir = NULL;
        errno = ENOMEM;
        return fail_sys(why, why_size, "loading policy from", system_dir);
    }
    if (apply_optional_file(policy, conf, why, why_size) < 0)
        return -1;
    return apply_directory(policy, dir, why, why_size);
}

int pp_policy_load_from(struct pp_policy *out, const char *system_dir, const char *policy_file,
                        char *why, size_t why_size)
{
    if (pp_policy_builtin(out) < 0) {
        snprintf(why, why_size, "built-in proc-policy: out of memory");
        return -1;
    }
    int r = policy_file ? pp_policy_apply_file(out, policy_file, why, why_size)
                        : apply_system_files(out, system_dir, why, why_size);
    if (r < 0) {
        int saved = errno;
        pp_policy_free(out);
        errno = saved;
    }
    return r;
}

int pp_policy_load(struct pp_policy *out, const char *policy_file, char *why, size_t why_size)
{
    const char *dir = PP_SYSTEM_DIR;
#ifdef CRADLE_TESTING
    const char *test_dir = getenv(PP_SYSTEM_DIR_ENV);
    if (test_dir && test_dir[0])
        dir = test_dir;
#endif
    return pp_policy_load_from(out, dir, policy_file, why, why_size);
}
