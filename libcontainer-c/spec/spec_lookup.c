/* Queries on a parsed spec. */
#include "spec_internal.h"

#include <string.h>

const struct cradle_spec_namespace *cradle_spec_find_namespace(const struct cradle_spec *spec,
                                                               int clone_flag)
{
    for (size_t i = 0; i < spec->linux_.n_namespaces; i++) {
        if (spec->linux_.namespaces[i].type == clone_flag)
            return &spec->linux_.namespaces[i];
    }
    return NULL;
}

const char *cradle_spec_annotation(const struct cradle_spec *spec, const char *key)
{
    for (size_t i = 0; i < spec->n_annotations; i++) {
        if (strcmp(spec->annotations[i].key, key) == 0)
            return spec->annotations[i].value;
    }
    return NULL;
}
