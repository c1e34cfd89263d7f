#include "default_root.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/state.h"
#include "cradle/userns.h"

/* runc's shouldHonorXDGRuntimeDir: any euid but 0; euid 0 of a user namespace (rootless
 * Podman runs the runtime so) unless $USER is root. Root of the initial namespace keeps
 * /run/cradle (root's XDG_RUNTIME_DIR, /run/user/0, would hide containers from other tools). */
static bool honor_xdg(void)
{
    if (geteuid() != 0)
        return true;
    if (!cradle_running_in_userns())
        return false;
    const char *user = getenv("USER");
    return user == NULL || strcmp(user, "root") != 0;
}

const char *default_root(char **owned, bool *in_xdg)
{
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    *owned = NULL;
    *in_xdg = false;
    if (xdg == NULL || *xdg == '\0' || !honor_xdg())
        return CRADLE_DEFAULT_ROOT;
    if (asprintf(owned, "%s/cradle", xdg) < 0) {
        *owned = NULL;
        return CRADLE_DEFAULT_ROOT;
    }
    *in_xdg = true;
    return *owned;
}

int default_root_prepare(const char *root, cradle_error **err)
{
    _cleanup_free_ char *path = strdup(root);
    if (path == NULL)
        return cradle_error_set(err, ENOMEM, "state directory %s", root);
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(path, 0700) < 0 && errno != EEXIST)
            return cradle_error_sys(err, "mkdir %s", path);
        if (saved == '\0')
            break;
        *p = saved;
    }
    if (chmod(root, 0700 | S_ISVTX) < 0)
        return cradle_error_sys(err, "chmod %s", root);
    return 0;
}
