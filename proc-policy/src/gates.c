/* Evaluation of a rule's gates against the container's context. */
#include <stdio.h>
#include <string.h>

#include "proc_policy_internal.h"

static bool cap_in_bounding(int cap, uint64_t bounding)
{
    return cap >= 0 && cap < 64 && (bounding >> cap) & 1u;
}

static bool annotation_present(const struct pp_context *ctx, const char *key, const char *value)
{
    for (size_t i = 0; i < ctx->n_annotations; i++) {
        if (strcmp(ctx->annotation_keys[i], key) != 0)
            continue;
        if (value == NULL)
            return true;
        const char *actual = ctx->annotation_values[i] ? ctx->annotation_values[i] : "";
        if (strcmp(actual, value) == 0)
            return true;
    }
    return false;
}

static bool gate_holds(const struct pp_gate *gate, const struct pp_context *ctx)
{
    switch (gate->type) {
    case PP_GATE_CAP_BOUNDING:
        return cap_in_bounding(gate->cap, ctx->bounding);
    case PP_GATE_USERNS:
        return ctx->own_userns;
    case PP_GATE_PIDNS:
        return ctx->own_pidns;
    case PP_GATE_ANNOTATION:
        return annotation_present(ctx, gate->key, gate->value);
    }
    return false;
}

static void describe_gate(const struct pp_gate *gate, char *out, size_t size)
{
    switch (gate->type) {
    case PP_GATE_CAP_BOUNDING: {
        const char *name = pp_cap_name(gate->cap);
        if (name)
            snprintf(out, size, "requires %s in process.capabilities.bounding", name);
        else
            snprintf(out, size, "requires capability %d in process.capabilities.bounding",
                     gate->cap);
        return;
    }
    case PP_GATE_USERNS:
        snprintf(out, size, "requires the container to have its own user namespace");
        return;
    case PP_GATE_PIDNS:
        snprintf(out, size, "requires the container to have its own pid namespace");
        return;
    case PP_GATE_ANNOTATION:
        if (gate->value)
            snprintf(out, size, "requires annotation %s=%s", gate->key, gate->value);
        else
            snprintf(out, size, "requires annotation %s", gate->key);
        return;
    }
    snprintf(out, size, "has a gate of unknown type %d", (int)gate->type);
}

bool pp_gates_hold(const struct pp_rule *rule, const struct pp_context *ctx, char *why,
                   size_t why_size)
{
    for (size_t i = 0; i < rule->n_gates; i++) {
        if (!gate_holds(&rule->gates[i], ctx)) {
            describe_gate(&rule->gates[i], why, why_size);
            return false;
        }
    }
    return true;
}
