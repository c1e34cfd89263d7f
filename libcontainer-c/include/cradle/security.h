/* Process credentials and privileges for the container's init, applied in order:
 * cradle_security_drop_bounding, cradle_security_set_user, cradle_security_set_caps. */
#ifndef CRADLE_SECURITY_H
#define CRADLE_SECURITY_H

#include "cradle/error.h"
#include "cradle/spec.h"

/* Drops every capability not in caps->bounding from the bounding set and sets
 * PR_SET_KEEPCAPS so the permitted set survives the uid change. */
int cradle_security_drop_bounding(const struct cradle_spec_capabilities *caps, cradle_error **err);

/* Hands stdio to the uid (as runc), then setgroups(additionalGids), setresgid, setresuid
 * (in that order), umask if given. */
int cradle_security_set_user(const struct cradle_spec_user *user, cradle_error **err);

/* Sets effective/permitted/inheritable with capset, clears KEEPCAPS, then raises each
 * ambient capability; an ambient capability that cannot be raised (not in permitted and
 * inheritable) is an error naming it, unlike runc which drops it silently. */
int cradle_security_set_caps(const struct cradle_spec_capabilities *caps, cradle_error **err);

/* prctl(PR_SET_NO_NEW_PRIVS). */
int cradle_security_no_new_privs(cradle_error **err);

/* Sets the rlimits of process.rlimits; names the failing one. */
int cradle_security_set_rlimits(const struct cradle_spec_process *proc, cradle_error **err);

#endif
