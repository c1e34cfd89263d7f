/* exec by an unprivileged caller into a container with a user namespace. The kernel lets
 * a process enter a pid (or time) namespace only with CAP_SYS_ADMIN in its own user
 * namespace too, which the caller has only once it is in the container's: there is no way
 * back from there, so the runtime stays in it (as runc's nsexec stays in its stage-1
 * child). It loses nothing by that: its host uid and gid are the same, and it had no
 * capability on the host. Nothing else is forked by exec, so no other process of the
 * runtime is born in the container's namespaces.
 * The same holds for root of a user namespace the runtime was started in (rootless
 * Podman's, whose config has no user namespace): its own pid namespace belongs to the
 * initial user namespace, where it has no CAP_SYS_ADMIN to come back to it. */
#include <sched.h>
#include <unistd.h>

#include "cradle/userns.h"
#include "exec_internal.h"

int cradle_exec_rootless_join(int init_pidfd, unsigned long ns_flags, unsigned long *joined,
                              cradle_error **err)
{
    *joined = 0;
    bool unprivileged = geteuid() != 0 && (ns_flags & CLONE_NEWUSER);
    if (!unprivileged && !cradle_running_in_userns())
        return 0;
    unsigned long flags = ns_flags & (CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWTIME);
    if (flags == 0)
        return 0;
    if (setns(init_pidfd, (int)flags) < 0)
        return cradle_error_sys(err, "joining the namespaces of the container's init");
    *joined = flags;
    return 0;
}
