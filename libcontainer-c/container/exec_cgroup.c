/* --cgroup: the sub-cgroups an exec'd process may be placed in, parsed as runc parses
 * them, and opened so that none can lead out of the container's cgroup. */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/cgroups.h"
#include "exec_internal.h"

void cradle_exec_subcgroups_free(struct cradle_exec_subcgroup *subs, size_t n_subs)
{
    for (size_t i = 0; subs && i < n_subs; i++) {
        free(subs[i].controller);
        free(subs[i].path);
    }
    free(subs);
}

/* Records path for controller, replacing an earlier entry for it (runc's map). */
static int set_sub(struct cradle_exec_subcgroup **subs, size_t *n, const char *controller,
                   size_t controller_len, const char *path, cradle_error **err)
{
    char *ctrl = strndup(controller, controller_len), *copy = strdup(path);
    if (ctrl == NULL || copy == NULL) {
        free(ctrl);
        free(copy);
        return cradle_error_set(err, ENOMEM, "--cgroup");
    }
    for (size_t i = 0; i < *n; i++) {
        if (strcmp((*subs)[i].controller, ctrl) == 0) {
            free((*subs)[i].path);
            (*subs)[i].path = copy;
            free(ctrl);
            return 0;
        }
    }
    struct cradle_exec_subcgroup *grown = realloc(*subs, (*n + 1) * sizeof(*grown));
    if (grown == NULL) {
        free(ctrl);
        free(copy);
        return cradle_error_set(err, ENOMEM, "--cgroup");
    }
    *subs = grown;
    (*subs)[(*n)++] = (struct cradle_exec_subcgroup){.controller = ctrl, .path = copy};
    return 0;
}

static int parse_one(const char *arg, bool alone, struct cradle_exec_subcgroup **subs, size_t *n,
                     cradle_error **err)
{
    const char *colon = strchr(arg, ':');
    if (colon == NULL) {
        if (!alone)
            return cradle_error_set(
                err, EINVAL, "invalid --cgroup argument: %s (missing <controller>: prefix)", arg);
        return set_sub(subs, n, "", 0, arg, err);
    }
    const char *path = colon + 1;
    if (strchr(path, ':'))
        return cradle_error_set(err, EINVAL, "invalid --cgroup argument: %s", arg);
    for (const char *c = arg; c <= colon;) {
        size_t len = strcspn(c, ",:");
        if (set_sub(subs, n, c, len, path, err) < 0)
            return -1;
        c += len + 1;
    }
    return 0;
}

int cradle_exec_parse_subcgroups(char *const *args, struct cradle_exec_subcgroup **subs,
                                 size_t *n_subs, cradle_error **err)
{
    size_t n_args = 0;
    while (args && args[n_args])
        n_args++;
    *subs = NULL;
    *n_subs = 0;
    for (size_t i = 0; i < n_args; i++) {
        if (parse_one(args[i], n_args == 1, subs, n_subs, err) < 0) {
            cradle_exec_subcgroups_free(*subs, *n_subs);
            *subs = NULL;
            *n_subs = 0;
            return -1;
        }
    }
    return 0;
}

static bool has_controller(const char *list, const char *controller)
{
    size_t len = strlen(controller);
    for (const char *c = list; c && *c; c += strcspn(c, ",") + (c[strcspn(c, ",")] == ',')) {
        if (strncmp(c, controller, len) == 0 && (c[len] == ',' || c[len] == '\0'))
            return true;
    }
    return false;
}

/* The sub-cgroup asked for dirs[i]: the one for every hierarchy, else the first of its
 * controllers named; NULL for the container's cgroup itself. */
static const char *sub_of(const struct cradle_cgroup *cg, size_t i,
                          const struct cradle_exec_subcgroup *subs, size_t n_subs)
{
    for (size_t s = 0; s < n_subs; s++)
        if (subs[s].controller[0] == '\0')
            return subs[s].path;
    const char *controllers = cg->dir_controllers ? cg->dir_controllers[i] : NULL;
    for (size_t s = 0; controllers && s < n_subs; s++)
        if (has_controller(controllers, subs[s].controller))
            return subs[s].path;
    return NULL;
}

static int check_controllers_known(const struct cradle_cgroup *cg,
                                   const struct cradle_exec_subcgroup *subs, size_t n_subs,
                                   cradle_error **err)
{
    for (size_t s = 0; s < n_subs; s++) {
        bool known = subs[s].controller[0] == '\0';
        for (size_t i = 0; !known && cg->dir_controllers && i < cg->n_dirs; i++)
            known = cg->dir_controllers[i] &&
                    has_controller(cg->dir_controllers[i], subs[s].controller);
        if (!known)
            return cradle_error_set(err, EINVAL, "unknown controller %s in SubCgroupPaths",
                                    subs[s].controller);
    }
    return 0;
}

/* Beneath the container's directory, on the same mount, without symlinks: ".." or a
 * path that leaves it is refused with runc's words. */
static int open_beneath(int dir_fd, const char *dir, const char *sub, cradle_error **err)
{
    struct open_how how = {
        .flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
        .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
    };
    const char *rel = sub + strspn(sub, "/");
    if (*rel == '\0')
        return fcntl(dir_fd, F_DUPFD_CLOEXEC, 3);
    int fd = (int)syscall(SYS_openat2, dir_fd, rel, &how, sizeof(how));
    if (fd < 0 && errno == EXDEV)
        return cradle_error_set(err, EXDEV, "%s is not a sub cgroup path", sub);
    if (fd < 0)
        return cradle_error_sys(err, "sub-cgroup %s of %s", sub, dir);
    return fd;
}

int cradle_exec_open_cgroup_dirs(const struct cradle_cgroup *cg,
                                 const struct cradle_exec_subcgroup *subs, size_t n_subs, int *fds,
                                 cradle_error **err)
{
    for (size_t i = 0; i < cg->n_dirs; i++)
        fds[i] = -1;
    if (check_controllers_known(cg, subs, n_subs, err) < 0)
        return -1;
    for (size_t i = 0; i < cg->n_dirs; i++) {
        _cleanup_close_ int dir_fd = open(cg->dirs[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir_fd < 0)
            return cradle_error_sys(err, "open cgroup %s", cg->dirs[i]);
        const char *sub = sub_of(cg, i, subs, n_subs);
        fds[i] = sub ? open_beneath(dir_fd, cg->dirs[i], sub, err) : TAKE_FD(dir_fd);
        if (fds[i] < 0)
            return -1;
    }
    return 0;
}
