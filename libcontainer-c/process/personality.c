/* linux.personality: the execution domain of the container's processes, set last before
 * execve as runc 1.2 sets it (in its init and in exec), so that the runtime's own code
 * never runs under it. */
#include <errno.h>
#include <sys/personality.h>

#include "init_stages.h"

int cradle_process_set_personality(const struct cradle_spec_personality *pers, cradle_error **err)
{
    if (!pers->set)
        return 0;
    if (personality(pers->domain) < 0)
        return cradle_error_sys(err, "linux.personality: personality(%s)",
                                pers->domain == PER_LINUX32 ? "LINUX32" : "LINUX");
    return 0;
}
