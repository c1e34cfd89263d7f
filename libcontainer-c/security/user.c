#include "cradle/security.h"

#include <errno.h>
#include <grp.h>
#include <sys/stat.h>
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

int cradle_security_set_user(const struct cradle_spec_user *user, cradle_error **err)
{
    _Static_assert(sizeof(gid_t) == sizeof(uint32_t), "additional_gids must be a gid_t array");

    if (set_additional_gids(user, err) < 0)
        return -1;
    if (setresgid(user->gid, user->gid, user->gid) < 0)
        return cradle_error_sys(err, "setresgid to gid %u", user->gid);
    if (setresuid(user->uid, user->uid, user->uid) < 0)
        return cradle_error_sys(err, "setresuid to uid %u", user->uid);
    if (user->has_umask)
        umask((mode_t)user->umask);
    return 0;
}
