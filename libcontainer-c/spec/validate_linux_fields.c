/* linux.timeOffsets, linux.memoryPolicy and linux.personality checked as a whole, with runc's
 * words where runc checks the same. */
#include "spec_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>

#include "cradle/cleanup.h"
#include "cradle/fileutil.h"
#include "cradle/log.h"
#include "mempolicy.h"

/* runc's validator: offsets need a time namespace the container creates (a joined one has
 * its offsets already, and they cannot change once a process is in it). */
static int check_time_offsets(const struct cradle_spec *spec, cradle_error **err)
{
    static const char *const clocks[] = {"monotonic", "boottime"};
    const struct cradle_spec_linux *lnx = &spec->linux_;
    if (!lnx->has_time_offsets)
        return 0;
    const struct cradle_spec_namespace *ns = cradle_spec_find_namespace(spec, CLONE_NEWTIME);
    if (ns == NULL)
        return cradle_error_set(err, EINVAL,
                                "linux.timeOffsets: time namespace offsets specified, but time "
                                "namespace isn't enabled in the config");
    if (ns->path != NULL)
        return cradle_error_set(err, EINVAL,
                                "linux.timeOffsets: time namespace enabled, but both namespace "
                                "path and time offsets specified -- you may only provide one");
    for (size_t i = 0; i < 2; i++)
        if (lnx->time_offsets[i].nanosecs >= 1000000000u)
            return cradle_error_set(err, EINVAL,
                                    "linux.timeOffsets.%s.nanosecs: %u is not below one second",
                                    clocks[i], lnx->time_offsets[i].nanosecs);
    return 0;
}

static bool node_is_set(const unsigned long *mask, size_t node)
{
    const size_t bits = 8 * sizeof(unsigned long);
    return (mask[node / bits] >> (node % bits)) & 1;
}

/* Without MPOL_F_STATIC_NODES or MPOL_F_RELATIVE_NODES every node named must exist: the
 * kernel's answer would only be EINVAL, once the container is half made. A kernel without
 * NUMA has no /sys/devices/system/node: set_mempolicy says so itself. */
static int check_nodes_exist(const struct cradle_spec_memory_policy *mp, cradle_error **err)
{
    _cleanup_free_ char *online = NULL;
    size_t len = 0;
    unsigned long host[CRADLE_MEMPOLICY_MAX_NODES / (8 * sizeof(unsigned long))] = {0};
    if (mp->nodes == NULL ||
        (mp->flags & (CRADLE_MPOL_F_STATIC_NODES | CRADLE_MPOL_F_RELATIVE_NODES)))
        return 0;
    if (cradle_read_file_at(AT_FDCWD, "/sys/devices/system/node/online", &online, &len) < 0)
        return 0;
    online[strcspn(online, "\n")] = '\0';
    _cleanup_error_ cradle_error *unreadable = NULL;
    if (spec_parse_node_list(online, host, &unreadable) < 0)
        return 0;
    for (size_t node = 0; node < CRADLE_MEMPOLICY_MAX_NODES; node++)
        if (node_is_set(mp->nodemask, node) && !node_is_set(host, node))
            return cradle_error_set(err, EINVAL,
                                    "linux.memoryPolicy.nodes \"%s\": node %zu does not exist on "
                                    "this host (nodes online: %s)",
                                    mp->nodes, node, online);
    return 0;
}

/* The combinations set_mempolicy(2) refuses, named before anything is created. */
static int check_memory_policy(const struct cradle_spec *spec, cradle_error **err)
{
    const struct cradle_spec_memory_policy *mp = &spec->linux_.memory_policy;
    if (!mp->set)
        return 0;
    const char *mode = cradle_mempolicy_mode_name((size_t)mp->mode);
    bool takes_no_nodes = mp->mode == CRADLE_MPOL_DEFAULT || mp->mode == CRADLE_MPOL_LOCAL;
    bool needs_nodes = mp->mode == CRADLE_MPOL_BIND || mp->mode == CRADLE_MPOL_INTERLEAVE ||
                       mp->mode == CRADLE_MPOL_WEIGHTED_INTERLEAVE ||
                       mp->mode == CRADLE_MPOL_PREFERRED_MANY;
    if (takes_no_nodes && mp->nodes != NULL)
        return cradle_error_set(err, EINVAL, "linux.memoryPolicy.nodes: %s takes no nodes", mode);
    if (needs_nodes && mp->nodes == NULL)
        return cradle_error_set(err, EINVAL, "linux.memoryPolicy.nodes: %s needs at least one node",
                                mode);
    if ((mp->flags & CRADLE_MPOL_F_STATIC_NODES) && (mp->flags & CRADLE_MPOL_F_RELATIVE_NODES))
        return cradle_error_set(err, EINVAL,
                                "linux.memoryPolicy.flags: MPOL_F_STATIC_NODES and "
                                "MPOL_F_RELATIVE_NODES are mutually exclusive");
    return check_nodes_exist(mp, err);
}

int spec_validate_linux_fields(const struct cradle_spec *spec, cradle_error **err)
{
    if (spec->linux_.personality.n_flags > 0)
        cradle_warn("linux.personality.flags: ignoring unsupported personality flags: no "
                    "personality flag is supported at this time");
    if (check_time_offsets(spec, err) < 0)
        return -1;
    return check_memory_policy(spec, err);
}
