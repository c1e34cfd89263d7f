/* The container's session keyring made searchable as runc's init makes it (its
 * ModKeyringPerm): by the keyring's user, or with a user namespace by "other", whose ids
 * the keyring's owner does not map. */
#include <errno.h>
#include <linux/keyctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "init_stages.h"

#define KEY_USR_SEARCH 0x00080000u
#define KEY_OTH_SEARCH 0x00000008u

int cradle_keyring_allow_search(long serial, bool userns, cradle_error **err)
{
    /* KEYCTL_DESCRIBE: "type;uid;gid;perm;description", perm in hexadecimal. */
    char desc[512];
    long n = syscall(SYS_keyctl, KEYCTL_DESCRIBE, serial, desc, sizeof(desc));
    if (n < 0)
        return cradle_error_sys(err, "unable to mod keyring permissions");
    desc[sizeof(desc) - 1] = '\0';
    unsigned perm = 0;
    if (sscanf(desc, "%*[^;];%*[^;];%*[^;];%x;", &perm) != 1)
        return cradle_error_set(err, EPROTO, "unable to mod keyring permissions: \"%s\"", desc);
    perm |= userns ? KEY_OTH_SEARCH : KEY_USR_SEARCH;
    if (syscall(SYS_keyctl, KEYCTL_SETPERM, serial, perm) < 0)
        return cradle_error_sys(err, "unable to mod keyring permissions");
    return 0;
}
