/* Releasing a policy and everything its rules own. */
#include <stdlib.h>

#include "proc_policy_internal.h"

void pp_rule_free(struct pp_rule *rule)
{
    for (size_t i = 0; i < rule->n_gates; i++) {
        free(rule->gates[i].key);
        free(rule->gates[i].value);
    }
    free(rule->gates);
    free(rule->name);
    free(rule->destination);
    free(rule->source);
    free(rule->origin);
}

void pp_policy_free(struct pp_policy *policy)
{
    if (policy == NULL)
        return;
    for (size_t i = 0; i < policy->n_rules; i++)
        pp_rule_free(&policy->rules[i]);
    free(policy->rules);
    policy->rules = NULL;
    policy->n_rules = 0;
}
