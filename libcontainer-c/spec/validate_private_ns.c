/* Whether the container gets a namespace of its own of a type: an entry without a path is
 * a new one; a path may name any namespace, the runtime's own included, which is then the
 * host's as far as sysctls and names go (runc checks this for the network only). */
#include "spec_internal.h"

#include <sched.h>
#include <stdio.h>
#include <sys/stat.h>

int spec_has_private_ns(const struct cradle_spec *spec, int type, const char *proc_name,
                        bool *private_ns, cradle_error **err)
{
    const struct cradle_spec_namespace *ns = cradle_spec_find_namespace(spec, type);
    *private_ns = ns != NULL;
    if (ns == NULL || ns->path == NULL)
        return 0;
    char own_path[64];
    snprintf(own_path, sizeof(own_path), "/proc/self/ns/%s", proc_name);
    struct stat own, joined;
    if (stat(own_path, &own) < 0)
        return cradle_error_sys(err, "invalid %sns path: stat %s", proc_name, own_path);
    if (stat(ns->path, &joined) < 0) /* runc's words for the network namespace */
        return cradle_error_sys(err, "invalid %sns path: stat %s", proc_name, ns->path);
    *private_ns = own.st_dev != joined.st_dev || own.st_ino != joined.st_ino;
    return 0;
}
