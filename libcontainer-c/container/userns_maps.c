/* The id maps of a container's user namespace, written by the parent. As root it writes
 * them directly (cradle_write_id_maps). An unprivileged caller does what runc's nsexec
 * does: it writes them directly too, which the kernel allows for one mapping of the
 * caller's own id (for gid_map only once setgroups is "deny"), and on EPERM has the
 * setuid newuidmap/newgidmap (package uidmap) write them, within the ranges /etc/subuid
 * and /etc/subgid grant it. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/fileutil.h"
#include "cradle/id_map.h"
#include "cradle/log.h"
#include "cradle/process.h"
#include "container_private.h"

struct id_map_kind {
    const char *file;  /* "uid_map" */
    const char *tool;  /* "newuidmap" */
    const char *field; /* "linux.uidMappings" */
    const char *ids;   /* "uid": /etc/subuid */
};

static const struct id_map_kind uid_kind = {"uid_map", "newuidmap", "linux.uidMappings", "uid"};
static const struct id_map_kind gid_kind = {"gid_map", "newgidmap", "linux.gidMappings", "gid"};

/* TOOL PID CONTAINER_ID HOST_ID SIZE ... */
static char **tool_argv(const struct id_map_kind *kind, pid_t pid,
                        const struct cradle_spec_id_mapping *maps, size_t n)
{
    char **argv = calloc(3 * n + 3, sizeof(char *));
    if (argv == NULL)
        return NULL;
    size_t k = 0;
    bool ok = (argv[k++] = strdup(kind->tool)) != NULL && asprintf(&argv[k++], "%d", (int)pid) >= 0;
    for (size_t i = 0; ok && i < n; i++)
        ok = asprintf(&argv[k++], "%u", maps[i].container_id) >= 0 &&
             asprintf(&argv[k++], "%u", maps[i].host_id) >= 0 &&
             asprintf(&argv[k++], "%u", maps[i].size) >= 0;
    if (!ok) {
        argv[k - 1] = NULL; /* the failed asprintf left it undefined */
        cleanup_strvp(&argv);
        return NULL;
    }
    return argv;
}

/* What the tool printed, without the trailing newline, for the error message. */
static char *read_output(int fd)
{
    char buf[1024];
    size_t len = 0;
    ssize_t r;
    while (len < sizeof(buf) - 1 &&
           ((r = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0 || (r < 0 && errno == EINTR)))
        len += r > 0 ? (size_t)r : 0;
    /* The rest is read too: a tool blocked on a full pipe would never exit. */
    char rest[256];
    while ((r = read(fd, rest, sizeof(rest))) > 0 || (r < 0 && errno == EINTR))
        ;
    while (len > 0 && buf[len - 1] == '\n')
        len--;
    buf[len] = '\0';
    return strdup(buf);
}

static int run_tool(const struct id_map_kind *kind, pid_t pid,
                    const struct cradle_spec_id_mapping *maps, size_t n, cradle_error **err)
{
    _cleanup_strv_ char **argv = tool_argv(kind, pid, maps, n);
    if (argv == NULL)
        return cradle_error_set(err, ENOMEM, "%s", kind->field);
    int out[2];
    if (pipe2(out, O_CLOEXEC) < 0)
        return cradle_error_sys(err, "%s: pipe for %s", kind->field, kind->tool);
    _cleanup_close_ int read_end = out[0];
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&fa, out[1], STDERR_FILENO);
    pid_t child;
    int r = posix_spawnp(&child, kind->tool, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(out[1]);
    if (r != 0) {
        errno = r;
        return cradle_error_sys(err,
                                "%s: mapping %ss other than your own needs %s (package uidmap)",
                                kind->field, kind->ids, kind->tool);
    }
    _cleanup_free_ char *output = read_output(read_end);
    int status;
    while (waitpid(child, &status, 0) < 0)
        if (errno != EINTR)
            return cradle_error_sys(err, "%s: waiting for %s", kind->field, kind->tool);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    return cradle_error_set(
        err, EPERM, "%s: %s failed (the ranges of /etc/sub%s granted to you): %s", kind->field,
        kind->tool, kind->ids, output && *output ? output : "no output");
}

static int write_map(const struct id_map_kind *kind, pid_t pid,
                     const struct cradle_spec_id_mapping *maps, size_t n, cradle_error **err)
{
    _cleanup_error_ cradle_error *direct = NULL;
    if (cradle_write_id_map(pid, kind->file, maps, n, kind->field, &direct) == 0)
        return 0;
    if (direct->errnum != EPERM) {
        *err = TAKE_PTR(direct);
        return -1;
    }
    cradle_debug("%s: writing /proc/%d/%s got EPERM, trying %s", kind->field, (int)pid, kind->file,
                 kind->tool);
    return run_tool(kind, pid, maps, n, err);
}

/* runc's requiresRootOrMappingTool: setgroups is denied only for the one gid mapping
 * {0, caller's egid, 1}; any other gid mapping goes through newgidmap, which keeps
 * setgroups allowed. */
static bool own_gid_only(const struct cradle_spec *spec)
{
    const struct cradle_spec_linux *lnx = &spec->linux_;
    return lnx->n_gid_mappings == 1 && lnx->gid_mappings[0].container_id == 0 &&
           lnx->gid_mappings[0].host_id == getegid() && lnx->gid_mappings[0].size == 1;
}

int cradle_userns_write_maps(pid_t pid, int sync_fd, const struct cradle_spec *spec,
                             cradle_error **err)
{
    if (geteuid() == 0)
        return cradle_write_id_maps(pid, spec, err);
    _cleanup_sync_msg_ struct cradle_sync_msg msg = CRADLE_SYNC_MSG_INIT;
    if (cradle_sync_expect(sync_fd, SYNC_ID_MAPS, &msg, err) < 0)
        return -1;
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/setgroups", (int)pid);
    if (own_gid_only(spec) && cradle_write_file_at(AT_FDCWD, path, "deny", 4) < 0)
        return cradle_error_sys(err, "write %s", path);
    const struct cradle_spec_linux *lnx = &spec->linux_;
    if (write_map(&uid_kind, pid, lnx->uid_mappings, lnx->n_uid_mappings, err) < 0)
        return -1;
    return write_map(&gid_kind, pid, lnx->gid_mappings, lnx->n_gid_mappings, err);
}
