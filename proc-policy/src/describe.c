/* Rules written back in the words of policy files, for `cradle features` and messages. */
#include <stdio.h>

#include "proc_policy_internal.h"

const char *pp_kind_keyword(enum pp_kind kind)
{
    switch (kind) {
    case PP_KIND_PROC:
        return "proc";
    case PP_KIND_BIND_PROCFS:
        return "bind-procfs";
    case PP_KIND_BIND_FUSE:
        return "bind-fuse";
    case PP_KIND_TMPFS:
        return "tmpfs";
    case PP_KIND_OTHER:
        return "other";
    }
    return "unknown";
}

void pp_format_gate(const struct pp_gate *gate, char *out, size_t size)
{
    switch (gate->type) {
    case PP_GATE_CAP_BOUNDING: {
        const char *name = pp_cap_name(gate->cap);
        if (name)
            snprintf(out, size, "cap:%s", name);
        else
            snprintf(out, size, "cap:%d", gate->cap);
        return;
    }
    case PP_GATE_USERNS:
        snprintf(out, size, "userns");
        return;
    case PP_GATE_PIDNS:
        snprintf(out, size, "pidns");
        return;
    case PP_GATE_ANNOTATION:
        if (gate->value)
            snprintf(out, size, "annotation:%s=%s", gate->key, gate->value);
        else
            snprintf(out, size, "annotation:%s", gate->key);
        return;
    }
    snprintf(out, size, "unknown:%d", (int)gate->type);
}
