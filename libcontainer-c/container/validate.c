/* The validation pass create and restore run before anything is created: a process, only
 * what cradle implements, the spec's own checks, and what the linked libseccomp supports. */
#include <errno.h>

#include "container_private.h"
#include "cradle/seccomp.h"

int cradle_validate_for_create(struct cradle_spec *spec, const struct cradle_create_opts *opts,
                               cradle_error **err)
{
    if (!spec->has_process)
        return cradle_error_set(err, EINVAL, "process: missing from config.json");
    if (spec->n_unsupported > 0)
        return cradle_error_set(err, ENOTSUP, "not supported yet: %s", spec->unsupported[0]);
    if (spec->process.terminal)
        return cradle_error_set(err, ENOTSUP,
                                "not supported yet: process.terminal (set it to false)");
    if (opts->console_socket)
        return cradle_error_set(err, ENOTSUP, "not supported yet: --console-socket");
    if (cradle_spec_validate(spec, err) < 0)
        return -1;
    if (spec->linux_.has_seccomp && cradle_seccomp_check_supported(&spec->linux_.seccomp, err) < 0)
        return -1;
    return 0;
}
