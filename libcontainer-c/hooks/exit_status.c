#include "hooks_internal.h"

#include <stdio.h>
#include <string.h>

const char *hook_exit_describe(const siginfo_t *info, char *buf, size_t len)
{
    if (info->si_code == CLD_EXITED) {
        if (info->si_status == 0)
            return NULL;
        snprintf(buf, len, "exited with status %d", info->si_status);
        return buf;
    }
    const char *abbrev = sigabbrev_np(info->si_status);
    if (abbrev)
        snprintf(buf, len, "killed by signal SIG%s", abbrev);
    else
        snprintf(buf, len, "killed by signal %d", info->si_status);
    return buf;
}
