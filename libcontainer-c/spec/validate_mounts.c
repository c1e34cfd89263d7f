/* mounts[]: how many, and what every mount needs before rootfs/ can perform it. The proc-policy
 * judges procfs content separately (container/setup.c). */
#include "spec_internal.h"

#include <errno.h>

static int check_mount(const struct cradle_spec_mount *m, const char *where, cradle_error **err)
{
    if (m->is_bind && (m->source == NULL || *m->source == '\0'))
        return cradle_error_set(err, EINVAL, "%s.source: missing for a bind mount of %s", where,
                                m->destination);
    if (!m->is_bind && (m->type == NULL || *m->type == '\0'))
        return cradle_error_set(err, EINVAL,
                                "%s.type: missing, and %s is not a bind mount (no \"bind\" or "
                                "\"rbind\" option)",
                                where, m->destination);
    return 0;
}

int spec_validate_mounts(const struct cradle_spec *spec, cradle_error **err)
{
    char where[SPEC_PATH_MAX];
    if (spec->n_mounts > CRADLE_SPEC_MAX_MOUNTS)
        return cradle_error_set(err, E2BIG, "mounts: %zu entries, more than the %d cradle sets up",
                                spec->n_mounts, CRADLE_SPEC_MAX_MOUNTS);
    for (size_t i = 0; i < spec->n_mounts; i++)
        if (check_mount(&spec->mounts[i], spec_path_index(where, "mounts", i), err) < 0)
            return -1;
    return 0;
}
