#include <errno.h>
#include <sched.h>
#include <string.h>

#include "container_private.h"

/* An ambient capability needs to be in the permitted and inheritable sets. For uid 0 the
 * ambient set changes nothing (exec gives root its bounding set), and runc's default spec
 * lists ambient capabilities without inheritable ones, so there they are dropped; for any
 * other user a capability that cannot be raised is an error, not a silent loss. */
static int check_ambient(struct cradle_spec_process *proc, cradle_error **err)
{
    struct cradle_spec_capabilities *caps = &proc->capabilities;
    if (proc->user.uid == 0) {
        caps->ambient &= caps->inheritable & caps->permitted;
        return 0;
    }
    for (int cap = 0; cap < 64; cap++) {
        uint64_t bit = 1ULL << cap;
        if (!(caps->ambient & bit))
            continue;
        const char *name = cradle_cap_name(cap);
        if (!(caps->inheritable & bit))
            return cradle_error_set(err, EINVAL,
                                    "process.capabilities.ambient: %s cannot be raised: it is "
                                    "not in process.capabilities.inheritable",
                                    name ? name : "?");
        if (!(caps->permitted & bit))
            return cradle_error_set(err, EINVAL,
                                    "process.capabilities.ambient: %s cannot be raised: it is "
                                    "not in process.capabilities.permitted",
                                    name ? name : "?");
    }
    return 0;
}

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
    const struct cradle_spec_namespace *user = cradle_spec_find_namespace(spec, CLONE_NEWUSER);
    if (user && user->path == NULL &&
        (spec->linux_.n_uid_mappings == 0 || spec->linux_.n_gid_mappings == 0))
        return cradle_error_set(err, EINVAL,
                                "linux.uidMappings/gidMappings: a new user namespace needs both");
    if (!user && (spec->linux_.n_uid_mappings || spec->linux_.n_gid_mappings))
        return cradle_error_set(err, EINVAL,
                                "linux.uidMappings: mappings need a user namespace in "
                                "linux.namespaces");
    return check_ambient(&spec->process, err);
}
