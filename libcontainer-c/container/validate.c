/* What create needs beyond a valid spec: a process, and only what cradle implements. */
#include <errno.h>
#include <sched.h>

#include "container_private.h"

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
    const struct cradle_spec_namespace *mnt = cradle_spec_find_namespace(spec, CLONE_NEWNS);
    if (mnt == NULL || mnt->path != NULL)
        return cradle_error_set(err, ENOTSUP,
                                "not supported yet: linux.namespaces without a new mount "
                                "namespace");
    return cradle_spec_validate(spec, err);
}
