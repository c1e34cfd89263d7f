/* linux.memoryPolicy: set_mempolicy(2) in every process of the container. The policy is
 * the thread's and survives execve; exec's process is not a child of the init, so it sets
 * the policy too. */
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "init_stages.h"

int cradle_process_set_mempolicy(const struct cradle_spec_memory_policy *mp, cradle_error **err)
{
    if (!mp->set)
        return 0;
    bool has_nodes = mp->nodes != NULL;
    /* maxnode counts one more than the bits the kernel reads. */
    if (syscall(SYS_set_mempolicy, mp->mode | mp->flags, has_nodes ? mp->nodemask : NULL,
                has_nodes ? CRADLE_MEMPOLICY_MAX_NODES + 1UL : 0UL) < 0)
        return cradle_error_sys(err, "linux.memoryPolicy: set_mempolicy %s%s%s%s",
                                cradle_mempolicy_mode_name((size_t)mp->mode),
                                has_nodes ? " (nodes \"" : "", has_nodes ? mp->nodes : "",
                                has_nodes ? "\")" : "");
    return 0;
}
