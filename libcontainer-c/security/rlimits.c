#include "cradle/security.h"

#include <inttypes.h>
#include <stdio.h>
#include <sys/resource.h>

/* "unlimited" for RLIM_INFINITY, the number otherwise. */
static const char *limit_text(uint64_t value, char buf[24])
{
    if (value == (uint64_t)RLIM_INFINITY)
        return "unlimited";
    snprintf(buf, 24, "%" PRIu64, value);
    return buf;
}

int cradle_security_set_rlimits(const struct cradle_spec_process *proc, cradle_error **err)
{
    for (size_t i = 0; i < proc->n_rlimits; i++) {
        const struct cradle_spec_rlimit *rl = &proc->rlimits[i];
        struct rlimit limit = {.rlim_cur = (rlim_t)rl->soft, .rlim_max = (rlim_t)rl->hard};
        if (setrlimit(rl->resource, &limit) < 0) {
            char soft[24], hard[24];
            return cradle_error_sys(err, "setrlimit %s (soft %s, hard %s)", rl->name,
                                    limit_text(rl->soft, soft), limit_text(rl->hard, hard));
        }
    }
    return 0;
}
