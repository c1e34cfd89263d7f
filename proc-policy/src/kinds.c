/* Names of mount kinds, alone and as a set, for decision messages. */
#include <stdio.h>

#include "proc_policy_internal.h"

static const enum pp_kind all_kinds[] = {
    PP_KIND_PROC, PP_KIND_BIND_PROCFS, PP_KIND_BIND_FUSE, PP_KIND_TMPFS, PP_KIND_OTHER,
};

#define N_KINDS (sizeof(all_kinds) / sizeof(all_kinds[0]))

const char *pp_kind_name(enum pp_kind kind)
{
    switch (kind) {
    case PP_KIND_PROC:
        return "proc";
    case PP_KIND_BIND_PROCFS:
        return "bind from procfs";
    case PP_KIND_BIND_FUSE:
        return "bind from FUSE";
    case PP_KIND_TMPFS:
        return "tmpfs";
    case PP_KIND_OTHER:
        return "other";
    }
    return "unknown";
}

void pp_format_kinds(unsigned kinds, char *out, size_t size)
{
    size_t total = 0, written = 0, used = 0;
    for (size_t i = 0; i < N_KINDS; i++)
        if (kinds & all_kinds[i])
            total++;

    out[0] = '\0';
    for (size_t i = 0; i < N_KINDS && used < size; i++) {
        if (!(kinds & all_kinds[i]))
            continue;
        const char *separator = written == 0 ? "" : written + 1 == total ? " or " : ", ";
        int n = snprintf(out + used, size - used, "%s%s", separator, pp_kind_name(all_kinds[i]));
        if (n < 0)
            return;
        used += (size_t)n;
        written++;
    }
}
