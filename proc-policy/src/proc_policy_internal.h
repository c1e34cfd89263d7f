/* Helpers shared inside proc-policy only; not part of the public contract. */
#ifndef CRADLE_PROC_POLICY_INTERNAL_H
#define CRADLE_PROC_POLICY_INTERNAL_H

#include <stddef.h>

#include "cradle/proc_policy.h"

/* Normalises `path` (see pp_normalize_path) into `out`. Returns 0, or -1 with errno
 * EINVAL for a relative path or ENAMETOOLONG when `out` is too small. An `out` of
 * strlen(path) + 1 bytes is always large enough. */
int pp_normalize_into(const char *path, char *out, size_t size);

/* "CAP_CHOWN" for 0 ... "CAP_CHECKPOINT_RESTORE" for 40; NULL for an unknown number. */
const char *pp_cap_name(int cap);

/* The number of a capability named like "CAP_SYS_ADMIN" (case-insensitive), or -1. */
int pp_cap_from_name(const char *name);

/* Writes the kinds in `kinds` as prose ("proc, tmpfs or bind from FUSE"); "" for none. */
void pp_format_kinds(unsigned kinds, char *out, size_t size);

/* true when every gate of `rule` holds in `ctx`; otherwise false, with `why` set to
 * what the first failing gate requires ("requires the container to have ..."). */
bool pp_gates_hold(const struct pp_rule *rule, const struct pp_context *ctx, char *why,
                   size_t why_size);

#endif
