/* The validation pass create and restore run before anything is created: a process, only
 * what cradle implements, the spec's own checks, what the linked libseccomp supports, and
 * runc's checks of process.terminal against --console-socket and --detach. */
#include <errno.h>
#include <sys/mount.h>

#include "container_private.h"
#include "cradle/seccomp.h"
#include "cradle/terminal.h"

int cradle_validate_for_create(struct cradle_spec *spec, const struct cradle_create_opts *opts,
                               cradle_error **err)
{
    if (!spec->has_process)
        return cradle_error_set(err, EINVAL, "process: missing from config.json");
    /* runc's specconv: a private root is detached from the host only by pivot_root. */
    if (opts->no_pivot && spec->linux_.has_rootfs_propagation &&
        (spec->linux_.rootfs_propagation & MS_PRIVATE))
        return cradle_error_set(err, EINVAL,
                                "linux.rootfsPropagation: rootfsPropagation of [r]private is not "
                                "safe without pivot_root");
    if (cradle_spec_validate(spec, err) < 0 || cradle_validate_rootless(spec, err) < 0)
        return -1;
    if (spec->linux_.has_seccomp && cradle_seccomp_check_supported(&spec->linux_.seccomp, err) < 0)
        return -1;
    /* As runc, once the spec is known good. */
    return cradle_terminal_check_opts(spec->process.terminal, opts->console_socket, opts->detach,
                                      err);
}
