#include "cradle/security.h"

#include <errno.h>
#include <inttypes.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "cap_label.h"

static void cap_freep(cap_t *caps)
{
    if (*caps)
        cap_free(*caps);
}
#define _cleanup_cap_ __attribute__((cleanup(cap_freep)))

/* Sets every capability of mask in one flag (CAP_EFFECTIVE, ...) of state. */
static int set_flag_from_mask(cap_t state, cap_flag_t flag, uint64_t mask)
{
    cap_value_t values[64];
    int n = 0;
    for (int cap = 0; cap < 64; cap++)
        if (mask & (UINT64_C(1) << cap))
            values[n++] = cap;
    if (n == 0)
        return 0;
    return cap_set_flag(state, flag, n, values, CAP_SET);
}

static int apply_capset(const struct cradle_spec_capabilities *caps, cradle_error **err)
{
    _cleanup_cap_ cap_t state = cap_init();
    if (state == NULL)
        return cradle_error_sys(err, "cap_init");
    if (set_flag_from_mask(state, CAP_EFFECTIVE, caps->effective) < 0 ||
        set_flag_from_mask(state, CAP_PERMITTED, caps->permitted) < 0 ||
        set_flag_from_mask(state, CAP_INHERITABLE, caps->inheritable) < 0)
        return cradle_error_sys(err, "cap_set_flag");
    if (cap_set_proc(state) < 0)
        return cradle_error_sys(err,
                                "capset (effective 0x%" PRIx64 ", permitted 0x%" PRIx64
                                ", inheritable 0x%" PRIx64 ")",
                                caps->effective, caps->permitted, caps->inheritable);
    return 0;
}

static int raise_ambient(uint64_t ambient, cradle_error **err)
{
    /* Start from an empty ambient set so nothing inherited from the caller survives. */
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
        return cradle_error_sys(err, "prctl(PR_CAP_AMBIENT_CLEAR_ALL)");
    for (int cap = 0; cap < 64; cap++) {
        if (!(ambient & (UINT64_C(1) << cap)))
            continue;
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, (unsigned long)cap, 0, 0) < 0) {
            char label[CAP_LABEL_MAX];
            return cradle_error_sys(err,
                                    "cannot raise ambient capability %s: it must be in both "
                                    "the permitted and inheritable sets",
                                    cap_label(cap, label));
        }
    }
    return 0;
}

int cradle_security_set_caps(const struct cradle_spec_capabilities *caps, cradle_error **err)
{
    if (apply_capset(caps, err) < 0)
        return -1;
    /* KEEPCAPS only had to carry the permitted set across set_user's uid change. */
    if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
        return cradle_error_sys(err, "prctl(PR_SET_KEEPCAPS, 0)");
    return raise_ambient(caps->ambient, err);
}
