#include "cradle/security.h"

#include <errno.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static int set_additional_gids(const struct cradle_spec_user *user, cradle_error **err)
{
    if (setgroups(user->n_additional_gids, (const gid_t *)user->additional_gids) == 0)
        return 0;
    /* In a user namespace whose /proc/self/setgroups says "deny" setgroups always
     * fails; with nothing to set, that is not an error (runc skips the call there). */
    if (errno == EPERM && user->n_additional_gids == 0)
        return 0;
    return cradle_error_sys(err, "setgroups (%zu additional gids)", user->n_additional_gids);
}

/* runc's fixStdioPermissions: stdio (pipes or a terminal the runtime's caller made) is
 * handed to the container's uid, so that a non-root process can reopen /dev/stdout.
 * /dev/null is left alone, and so is what cannot be chowned: an owner or group not mapped
 * in the user namespace (EPERM, EINVAL) or a read-only filesystem. */
static int give_stdio_to(uid_t uid, cradle_error **err)
{
    for (int fd = 0; fd < 3; fd++) {
        struct stat st;
        if (fstat(fd, &st) < 0) {
            if (errno == EBADF)
                continue;
            return cradle_error_sys(err, "fstat fd %d", fd);
        }
        if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3))
            continue;
        if (fchown(fd, uid, (gid_t)-1) < 0 && errno != EPERM && errno != EINVAL && errno != EROFS)
            return cradle_error_sys(err, "chown of fd %d to uid %u", fd, uid);
    }
    return 0;
}

int cradle_security_set_user(const struct cradle_spec_user *user, cradle_error **err)
{
    _Static_assert(sizeof(gid_t) == sizeof(uint32_t), "additional_gids must be a gid_t array");

    if (give_stdio_to(user->uid, err) < 0 || set_additional_gids(user, err) < 0)
        return -1;
    if (setresgid(user->gid, user->gid, user->gid) < 0)
        return cradle_error_sys(err, "setresgid to gid %u", user->gid);
    if (setresuid(user->uid, user->uid, user->uid) < 0)
        return cradle_error_sys(err, "setresuid to uid %u", user->uid);
    if (user->has_umask)
        umask((mode_t)user->umask);
    return 0;
}
