/* mounts[]: how many, and what every mount needs before rootfs/ can perform it. The proc-policy
 * judges procfs content separately (container/setup.c). */
#include "spec_internal.h"

#include <errno.h>
#include <sched.h>

/* runc 1.2's rules (checkIDMapMounts): binds only, and both maps, given with the mount or,
 * for a bare "idmap"/"ridmap", taken from the container's user namespace. */
static int check_idmap(const struct cradle_spec *spec, const struct cradle_spec_mount *m,
                       const char *where, cradle_error **err)
{
    if (!m->idmap)
        return 0;
    if (!m->is_bind)
        return cradle_error_set(err, EINVAL,
                                "%s: id-mapped mounts are only supported for bind-mounts", where);
    bool own_maps = m->uid_mappings != NULL || m->gid_mappings != NULL;
    if (!own_maps && cradle_spec_find_namespace(spec, CLONE_NEWUSER) != NULL)
        return 0;
    if (m->n_uid_mappings == 0 || m->n_gid_mappings == 0)
        return cradle_error_set(err, EINVAL,
                                "%s: id-mapped mounts must have both uid and gid mappings "
                                "specified",
                                where);
    return 0;
}

static int check_mount(const struct cradle_spec *spec, const struct cradle_spec_mount *m,
                       const char *where, cradle_error **err)
{
    if (m->is_bind && (m->source == NULL || *m->source == '\0'))
        return cradle_error_set(err, EINVAL, "%s.source: missing for a bind mount of %s", where,
                                m->destination);
    if (!m->is_bind && (m->type == NULL || *m->type == '\0'))
        return cradle_error_set(err, EINVAL,
                                "%s.type: missing, and %s is not a bind mount (no \"bind\" or "
                                "\"rbind\" option)",
                                where, m->destination);
    /* runc 1.2: a bind shares its source's superblock, whose options it cannot change
     * ("idmap=uids=..." included: a mapping in crun's syntax would be dropped silently). */
    if (m->is_bind && m->data != NULL)
        return cradle_error_set(err, EINVAL,
                                "%s: bind mounts cannot have any filesystem-specific options "
                                "applied (\"%s\")",
                                where, m->data);
    return check_idmap(spec, m, where, err);
}

int spec_validate_mounts(const struct cradle_spec *spec, cradle_error **err)
{
    char where[SPEC_PATH_MAX];
    if (spec->n_mounts > CRADLE_SPEC_MAX_MOUNTS)
        return cradle_error_set(err, E2BIG, "mounts: %zu entries, more than the %d cradle sets up",
                                spec->n_mounts, CRADLE_SPEC_MAX_MOUNTS);
    for (size_t i = 0; i < spec->n_mounts; i++)
        if (check_mount(spec, &spec->mounts[i], spec_path_index(where, "mounts", i), err) < 0)
            return -1;
    return 0;
}
