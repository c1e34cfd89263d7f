/* Cgroups for a caller without privileges, as runc's rootless cgroup manager: a
 * hierarchy the caller cannot write is left out instead of failing create. */
#include "cgroup_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <linux/magic.h>

#include "cradle/cleanup.h"
#include "cradle/userns.h"

/* runc's shouldUseRootlessCgroupManager with the cgroupfs driver: any euid but 0, and
 * euid 0 of a user namespace (rootless Podman runs the runtime so), which cannot know
 * whether it may write the cgroups either. */
bool cgroup_rootless(void)
{
    return geteuid() != 0 || cradle_running_in_userns();
}

/* The container's directory is usable when it exists with a cgroup.procs the caller may
 * write (a cgroup delegated to it), or when its nearest existing ancestor below the
 * mountpoint, or the mountpoint itself, is a directory the caller may create in. */
bool cgroup_rootless_usable(const char *mountpoint, const char *dir)
{
    _cleanup_free_ char *procs = cgroup_path_join(dir, "cgroup.procs");
    if (procs == NULL)
        return false;
    if (access(dir, F_OK) == 0)
        return faccessat(AT_FDCWD, procs, W_OK, AT_EACCESS) == 0;
    _cleanup_free_ char *level = strdup(dir);
    if (level == NULL)
        return false;
    size_t floor = strlen(mountpoint);
    for (char *slash = strrchr(level, '/'); slash && (size_t)(slash - level) >= floor;
         slash = strrchr(level, '/')) {
        *slash = '\0';
        if (*level == '\0' || access(level, F_OK) == 0)
            return faccessat(AT_FDCWD, *level ? level : "/", W_OK, AT_EACCESS) == 0;
    }
    return false;
}

/* A resource of the rootless manager with no cgroup to go to, in runc's words: those of
 * its fs2 manager on a pure cgroup v2 host where the container got no cgroup, of its v1
 * manager otherwise. */
int cgroup_rootless_no_cgroup(const struct cradle_cgroup *cg, const char *field,
                              const char *controller, cradle_error **err)
{
    struct statfs sf;
    if (cg->unified_dir == NULL && statfs("/sys/fs/cgroup", &sf) == 0 &&
        sf.f_type == CGROUP2_SUPER_MAGIC)
        return cradle_error_set(
            err, EPERM,
            "%s: rootless needs no limits + no cgrouppath when no permission "
            "is granted for cgroups: cannot create cgroup %s: Permission denied",
            field, cg->path);
    return cradle_error_set(err, EPERM,
                            "%s: cannot set %s limit: container could not join or create cgroup",
                            field, controller);
}
