/* The decision: find the most specific matching rule, then check it against the request. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "proc_policy_internal.h"

/* Reasons are one bounded line: a very long destination is cut short, on purpose. */
__attribute__((format(printf, 2, 3))) static void set_reason(struct pp_decision *out,
                                                             const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->reason, sizeof(out->reason), fmt, ap);
    va_end(ap);
}

/* How specifically a rule matches a destination; 0 = no match. Exact rules rank above
 * every prefix rule; prefix rules rank by the length of their destination. */
static size_t match_rank(const struct pp_rule *rule, const char *dest)
{
    size_t len = strlen(rule->destination);
    if (!rule->prefix)
        return strcmp(rule->destination, dest) == 0 ? SIZE_MAX : 0;
    if (strncmp(rule->destination, dest, len) != 0)
        return 0;
    /* "/" is a prefix of every path; any other prefix ends at a component boundary. */
    if (len > 1 && dest[len] != '\0' && dest[len] != '/')
        return 0;
    return len + 1;
}

/* Among equally specific rules a deny wins; among equal allows the later rule wins, so
 * rules appended after the built-ins (policy files) override them. */
static const struct pp_rule *deciding_rule(const struct pp_policy *policy, const char *dest)
{
    const struct pp_rule *best = NULL;
    size_t best_rank = 0;
    for (size_t i = 0; i < policy->n_rules; i++) {
        const struct pp_rule *rule = &policy->rules[i];
        size_t rank = match_rank(rule, dest);
        if (rank == 0 || rank < best_rank)
            continue;
        if (rank == best_rank && best->deny && !rule->deny)
            continue;
        best = rule;
        best_rank = rank;
    }
    return best;
}

static const char *access_refusal(const struct pp_rule *rule, bool readonly)
{
    unsigned wanted = readonly ? PP_ACCESS_RO : PP_ACCESS_RW;
    if (rule->access & wanted)
        return NULL;
    if (rule->access & PP_ACCESS_RO)
        return "allows only read-only mounts";
    if (rule->access & PP_ACCESS_RW)
        return "allows only read-write mounts";
    return "allows neither read-only nor read-write mounts";
}

/* A bind from procfs must have as its source the procfs file the rule names (by default
 * the one at the destination itself), so that a rule written for one /proc file never
 * lets another one in: not at that place, not anywhere else. false, with the reason set,
 * when it has not. */
static bool source_allowed(const struct pp_rule *rule, const char *source, const char *dest,
                           struct pp_decision *out)
{
    const char *want = rule->source ? rule->source : dest;
    if (source == NULL) {
        set_reason(out,
                   "mount of %s denied: rule %s allows a bind from procfs only of %s, and which "
                   "procfs file the source is could not be told",
                   dest, rule->name, want);
        return false;
    }
    if (strcmp(source, want) == 0)
        return true;
    set_reason(out,
               "mount of %s denied: rule %s allows a bind from procfs only of %s there, not of %s",
               dest, rule->name, want, source);
    return false;
}

static void judge_by_rule(const struct pp_rule *rule, const struct pp_request *req,
                          const struct pp_context *ctx, const char *dest, const char *source,
                          struct pp_decision *out)
{
    char why[256];
    const char *refusal;

    out->rule = rule;
    out->allowed = false;
    if (rule->deny) {
        set_reason(out, "mount of %s denied: rule %s denies it", dest, rule->name);
        return;
    }
    if (rule->kinds == 0) {
        set_reason(out, "mount of %s denied: rule %s allows no kind of mount there", dest,
                   rule->name);
        return;
    }
    if (!(rule->kinds & req->kind)) {
        pp_format_kinds(rule->kinds, why, sizeof(why));
        set_reason(out, "mount of %s denied: rule %s allows only %s there, not %s", dest,
                   rule->name, why, pp_kind_name(req->kind));
        return;
    }
    if (req->kind == PP_KIND_BIND_PROCFS && !source_allowed(rule, source, dest, out))
        return;
    refusal = access_refusal(rule, req->readonly);
    if (refusal) {
        set_reason(out, "mount of %s denied: rule %s %s", dest, rule->name, refusal);
        return;
    }
    if (!pp_gates_hold(rule, ctx, why, sizeof(why))) {
        set_reason(out, "mount of %s denied: rule %s %s", dest, rule->name, why);
        return;
    }
    out->allowed = true;
    set_reason(out, "mount of %s allowed by rule %s", dest, rule->name);
}

/* No rule matched a judged mount: say why it is judged and which rule would allow it. */
static void refuse_without_rule(const struct pp_request *req, const char *dest, const char *source,
                                struct pp_decision *out)
{
    if (pp_path_is_under_proc(dest))
        set_reason(out, "mount of %s denied: no proc-policy rule allows %s", dest, dest);
    else if (req->kind == PP_KIND_PROC)
        set_reason(out,
                   "mount of %s denied: a procfs outside /proc gets none of the read-only and "
                   "masked paths of /proc, and no proc-policy rule allows one at %s (a rule "
                   "with \"destination %s\" and \"kinds proc\" would)",
                   dest, dest, dest);
    else if (source)
        set_reason(out,
                   "mount of %s denied: its source %s is on procfs, and no proc-policy rule "
                   "allows it at %s (a rule with \"destination %s\", \"kinds bind-procfs\" "
                   "and \"source %s\" would)",
                   dest, source, dest, dest, source);
    else
        set_reason(out,
                   "mount of %s denied: its source is on procfs (which file could not be "
                   "told), and no proc-policy rule allows it at %s",
                   dest, dest);
}

bool pp_mount_is_judged(const char *dest, enum pp_kind kind)
{
    return pp_path_is_under_proc(dest) || kind == PP_KIND_PROC || kind == PP_KIND_BIND_PROCFS;
}

void pp_decide(const struct pp_policy *policy, const struct pp_request *req,
               const struct pp_context *ctx, struct pp_decision *out)
{
    static const struct pp_context empty_context;
    char dest[PATH_MAX], source_buf[PATH_MAX];

    out->allowed = false;
    out->judged = true;
    out->rule = NULL;
    if (ctx == NULL)
        ctx = &empty_context;

    if (pp_normalize_into(req->destination, dest, sizeof(dest)) < 0) {
        set_reason(out, "mount of %s denied: %s", req->destination ? req->destination : "(null)",
                   errno == ENAMETOOLONG ? "destination is longer than PATH_MAX"
                                         : "destination is not an absolute path");
        return;
    }
    if (!pp_mount_is_judged(dest, req->kind)) {
        out->allowed = true;
        out->judged = false;
        set_reason(out,
                   "mount of %s allowed: %s is not under /proc and the mount does not "
                   "reach procfs",
                   dest, dest);
        return;
    }

    /* The header's invariant, held even against a rule that lists PP_KIND_OTHER. */
    if (req->kind == PP_KIND_OTHER) {
        set_reason(out, "mount of %s denied: mounts of kind other are never allowed under /proc",
                   dest);
        return;
    }

    /* A source that is not a normalisable absolute path is one that cannot be told. */
    const char *source =
        req->source && pp_normalize_into(req->source, source_buf, sizeof(source_buf)) == 0
            ? source_buf
            : NULL;
    const struct pp_rule *rule = deciding_rule(policy, dest);
    if (rule == NULL) {
        refuse_without_rule(req, dest, source, out);
        return;
    }
    judge_by_rule(rule, req, ctx, dest, source, out);
}
