/* The container's status: what the state directory tells (creating, created, running,
 * stopped), and paused when its cgroup is frozen, which only the freezer knows. */
#include <errno.h>

#include "container_private.h"

struct cradle_cgroup *cradle_container_cgroup(const struct cradle_state *s, cradle_error **err)
{
    struct cradle_cgroup *cg =
        cradle_cgroup_from_dirs(s->cgroup_path, s->cgroup_dirs, s->cgroup_created, s->systemd_unit);
    if (cg == NULL)
        cradle_error_set(err, ENOMEM, "cgroup of container %s", s->id);
    return cg;
}

enum cradle_status cradle_container_status(int dir_fd, const struct cradle_state *s)
{
    enum cradle_status status = cradle_state_status(dir_fd, s);
    if (status != CRADLE_STATUS_RUNNING && status != CRADLE_STATUS_CREATED)
        return status;
    /* As runc: a created container can be paused too; a freezer that cannot be read
     * leaves the status the state gives. */
    struct cradle_cgroup *cg = cradle_container_cgroup(s, NULL);
    bool frozen = false;
    if (cg && cradle_cgroup_is_frozen(cg, &frozen, NULL) == 0 && frozen)
        status = CRADLE_STATUS_PAUSED;
    cradle_cgroup_free(cg);
    return status;
}
