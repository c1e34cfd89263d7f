/* runc's rootlessEUIDCheck: what a config needs to be created by an unprivileged caller
 * (effective uid not 0), checked before anything exists. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "container_private.h"

static bool is_mapped(unsigned long id, const struct cradle_spec_id_mapping *maps, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (id >= maps[i].container_id && id - maps[i].container_id < maps[i].size)
            return true;
    return false;
}

/* A "uid=N"/"gid=N" filesystem option (tmpfs, devpts) must name an id the container maps;
 * an option that is not a number is left to the filesystem, as runc does. */
static int check_id_option(const struct cradle_spec *spec, size_t index, const char *opt,
                           cradle_error **err)
{
    bool uid = strncmp(opt, "uid=", 4) == 0;
    if (!uid && strncmp(opt, "gid=", 4) != 0)
        return 0;
    char *end;
    errno = 0;
    unsigned long id = strtoul(opt + 4, &end, 10);
    if (errno != 0 || end == opt + 4 || *end != '\0')
        return 0;
    const struct cradle_spec_linux *lnx = &spec->linux_;
    if (uid ? is_mapped(id, lnx->uid_mappings, lnx->n_uid_mappings)
            : is_mapped(id, lnx->gid_mappings, lnx->n_gid_mappings))
        return 0;
    return cradle_error_set(err, EINVAL,
                            "mounts[%zu]: cannot specify %s mount option for rootless container: "
                            "%s %lu is not mapped in linux.%s",
                            index, opt, uid ? "user" : "group", id,
                            uid ? "uidMappings" : "gidMappings");
}

static int check_mount_ids(const struct cradle_spec *spec, cradle_error **err)
{
    for (size_t i = 0; i < spec->n_mounts; i++) {
        if (spec->mounts[i].data == NULL)
            continue;
        _cleanup_free_ char *data = strdup(spec->mounts[i].data);
        if (data == NULL)
            return cradle_error_set(err, ENOMEM, "mounts[%zu]", i);
        char *save = NULL;
        for (char *opt = strtok_r(data, ",", &save); opt; opt = strtok_r(NULL, ",", &save))
            if (check_id_option(spec, i, opt, err) < 0)
                return -1;
    }
    return 0;
}

/* runc 1.2: id-mapping a mount needs CAP_SYS_ADMIN in the runtime's user namespace. */
static int check_idmapped_mounts(const struct cradle_spec *spec, cradle_error **err)
{
    for (size_t i = 0; i < spec->n_mounts; i++)
        if (spec->mounts[i].idmap)
            return cradle_error_set(err, EPERM,
                                    "mounts[%zu]: id-mapped mounts are not supported for rootless "
                                    "containers",
                                    i);
    return 0;
}

int cradle_validate_rootless(const struct cradle_spec *spec, cradle_error **err)
{
    return cradle_validate_rootless_as(spec, geteuid(), err);
}

int cradle_validate_rootless_as(const struct cradle_spec *spec, uid_t euid, cradle_error **err)
{
    if (euid == 0)
        return 0;
    const struct cradle_spec_namespace *userns = cradle_spec_find_namespace(spec, CLONE_NEWUSER);
    if (userns == NULL)
        return cradle_error_set(err, EPERM,
                                "linux.namespaces: rootless container requires user namespaces");
    /* Mappings are only needed for a user namespace of the container's own. */
    if (userns->path == NULL && spec->linux_.n_uid_mappings == 0)
        return cradle_error_set(err, EINVAL,
                                "linux.uidMappings: rootless containers requires at least one "
                                "UID mapping");
    if (userns->path == NULL && spec->linux_.n_gid_mappings == 0)
        return cradle_error_set(err, EINVAL,
                                "linux.gidMappings: rootless containers requires at least one "
                                "GID mapping");
    if (check_mount_ids(spec, err) < 0)
        return -1;
    return check_idmapped_mounts(spec, err);
}
