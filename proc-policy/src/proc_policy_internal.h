/* Helpers shared inside proc-policy only; not part of the public contract. */
#ifndef CRADLE_PROC_POLICY_INTERNAL_H
#define CRADLE_PROC_POLICY_INTERNAL_H

#include <stddef.h>
#include <stdlib.h>

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

/* proc-policy cannot include cradle/cleanup.h (it depends on nothing else in cradle), so
 * it keeps the one cleanup helper it needs. */
static inline void pp_cleanup_freep(void *p)
{
    free(*(void **)p);
}
#define _cleanup_pp_free_ __attribute__((cleanup(pp_cleanup_freep)))
#define TAKE_PP_PTR(p)                                                                             \
    ({                                                                                             \
        __typeof__(p) _tmp = (p);                                                                  \
        (p) = NULL;                                                                                \
        _tmp;                                                                                      \
    })

/* One statement of a policy file, in file order: a rule to add or replace, or the name of
 * a rule to remove. */
struct pp_statement {
    bool remove;
    struct pp_rule rule; /* remove: only rule.name is set */
    unsigned line;
};

struct pp_file {
    const char *source; /* the name used in messages */
    struct pp_statement *statements;
    size_t n_statements;
};

/* Parses policy text into FILE (syntax and per-file semantics; see pp_policy_apply_text).
 * On error FILE holds nothing and `why` names SOURCE:LINE. */
int pp_file_parse(struct pp_file *file, const char *source, const char *text, size_t len, char *why,
                  size_t why_size);

void pp_file_free(struct pp_file *file);

/* Releases what one rule owns (not the rule itself). */
void pp_rule_free(struct pp_rule *rule);

/* Writes "SOURCE:LINE: " and the formatted message into why; returns -1 with errno EINVAL. */
__attribute__((format(printf, 5, 6))) int pp_fail_at(char *why, size_t why_size, const char *source,
                                                     unsigned line, const char *fmt, ...);

#endif
