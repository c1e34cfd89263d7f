/* libFuzzer target: policy file text applied on top of the built-in rules, then every
 * resulting rule exercised by a decision and by the formatting `cradle features` uses. */
#include <stdint.h>
#include <stdlib.h>

#include "cradle/proc_policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void exercise(const struct pp_policy *policy)
{
    static const char *const annotation_keys[] = {"io.cradle.checkpoint"};
    static const char *const annotation_values[] = {"true"};
    const struct pp_context ctx = {
        .bounding = UINT64_MAX,
        .own_userns = true,
        .annotation_keys = annotation_keys,
        .annotation_values = annotation_values,
        .n_annotations = 1,
    };
    for (size_t i = 0; i < policy->n_rules; i++) {
        const struct pp_rule *rule = &policy->rules[i];
        struct pp_request req = {
            .destination = rule->destination, .kind = PP_KIND_BIND_PROCFS, .readonly = i % 2 == 0};
        struct pp_decision decision;
        pp_decide(policy, &req, &ctx, &decision);
        for (size_t g = 0; g < rule->n_gates; g++) {
            char gate[256];
            pp_format_gate(&rule->gates[g], gate, sizeof(gate));
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pp_policy policy;
    char why[512];
    if (pp_policy_builtin(&policy) < 0)
        return 0;
    if (pp_policy_apply_text(&policy, (const char *)data, size, "fuzz.conf", why, sizeof(why)) == 0)
        exercise(&policy);
    pp_policy_free(&policy);
    return 0;
}
