/* Applying a parsed policy file to a policy, all or nothing: the statements are first
 * replayed on the rule names alone, so a "remove" of a missing rule fails before any rule
 * has changed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc_policy_internal.h"

static long find_name(const char *const *names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return (long)i;
    return -1;
}

static void drop_name(const char **names, size_t *n, size_t i)
{
    memmove(&names[i], &names[i + 1], (*n - i - 1) * sizeof(*names));
    (*n)--;
}

/* Fails on the first "remove" whose rule does not exist at that point. */
static int check_removals(const struct pp_policy *policy, const struct pp_file *file, char *why,
                          size_t why_size)
{
    _cleanup_pp_free_ const char **names =
        calloc(policy->n_rules + file->n_statements + 1, sizeof(*names));
    if (names == NULL)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < policy->n_rules; i++)
        names[n++] = policy->rules[i].name;

    for (size_t i = 0; i < file->n_statements; i++) {
        const struct pp_statement *s = &file->statements[i];
        long at = find_name(names, n, s->rule.name);
        if (s->remove && at < 0)
            return pp_fail_at(why, why_size, file->source, s->line,
                              "remove: there is no rule \"%s\" to remove", s->rule.name);
        if (at >= 0)
            drop_name(names, &n, (size_t)at);
        if (!s->remove)
            names[n++] = s->rule.name;
    }
    return 0;
}

static long find_rule(const struct pp_rule *rules, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rules[i].name, name) == 0)
            return (long)i;
    return -1;
}

static void drop_rule(struct pp_rule *rules, size_t *n, size_t i)
{
    pp_rule_free(&rules[i]);
    memmove(&rules[i], &rules[i + 1], (*n - i - 1) * sizeof(*rules));
    (*n)--;
}

int pp_policy_apply_text(struct pp_policy *policy, const char *text, size_t len, const char *source,
                         char *why, size_t why_size)
{
    struct pp_file file;
    if (pp_file_parse(&file, source, text, len, why, why_size) < 0)
        return -1;
    /* Room for every rule the file may append, so nothing below can fail half-way. */
    struct pp_rule *rules = calloc(policy->n_rules + file.n_statements + 1, sizeof(*rules));
    if (rules == NULL || check_removals(policy, &file, why, why_size) < 0) {
        int saved = rules == NULL ? ENOMEM : errno;
        if (saved == ENOMEM)
            snprintf(why, why_size, "%s: out of memory", source);
        free(rules);
        pp_file_free(&file);
        errno = saved;
        return -1;
    }

    size_t n = policy->n_rules;
    if (n > 0)
        memcpy(rules, policy->rules, n * sizeof(*rules));
    for (size_t i = 0; i < file.n_statements; i++) {
        struct pp_statement *s = &file.statements[i];
        long at = find_rule(rules, n, s->rule.name);
        if (at >= 0)
            drop_rule(rules, &n, (size_t)at);
        if (!s->remove) {
            /* A replaced rule moves last: among equally specific rules the later wins. */
            rules[n++] = s->rule;
            memset(&s->rule, 0, sizeof(s->rule));
        }
    }
    free(policy->rules);
    policy->rules = rules;
    policy->n_rules = n;
    pp_file_free(&file);
    return 0;
}
