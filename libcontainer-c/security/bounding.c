#include "cradle/security.h"

#include <errno.h>
#include <stdint.h>
#include <sys/prctl.h>

#include "cap_label.h"

static bool in_mask(uint64_t mask, int cap)
{
    return cap < 64 && (mask & (UINT64_C(1) << cap));
}

int cradle_security_drop_bounding(const struct cradle_spec_capabilities *caps, cradle_error **err)
{
    int last = cradle_cap_last_cap();
    if (last < 0)
        return cradle_error_sys(err, "cannot read /proc/sys/kernel/cap_last_cap");

    for (int cap = 0; cap <= last; cap++) {
        if (in_mask(caps->bounding, cap))
            continue;
        if (prctl(PR_CAPBSET_DROP, (unsigned long)cap, 0, 0, 0) < 0) {
            char label[CAP_LABEL_MAX];
            return cradle_error_sys(err, "cannot drop %s from the bounding set",
                                    cap_label(cap, label));
        }
    }

    /* Without KEEPCAPS the switch away from uid 0 in set_user would empty the
     * permitted set before set_caps can install the requested one. */
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
        return cradle_error_sys(err, "prctl(PR_SET_KEEPCAPS, 1)");
    return 0;
}
