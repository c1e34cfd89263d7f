#include <errno.h>
#include <sched.h>
#include <stdlib.h>

#include "container_private.h"

int cradle_policy_context(const struct cradle_spec *spec, struct pp_context *ctx,
                          cradle_error **err)
{
    *ctx = (struct pp_context){
        .bounding = spec->has_process ? spec->process.capabilities.bounding : 0,
        .own_userns = cradle_spec_find_namespace(spec, CLONE_NEWUSER) != NULL,
        .own_pidns = cradle_spec_find_namespace(spec, CLONE_NEWPID) != NULL,
    };
    size_t n = spec->n_annotations;
    const char **keys = calloc(n + 1, sizeof(char *));
    const char **values = calloc(n + 1, sizeof(char *));
    if (keys == NULL || values == NULL) {
        free(keys);
        free(values);
        return cradle_error_set(err, ENOMEM, "proc-policy context");
    }
    for (size_t i = 0; i < n; i++) {
        keys[i] = spec->annotations[i].key;
        values[i] = spec->annotations[i].value;
    }
    ctx->annotation_keys = keys;
    ctx->annotation_values = values;
    ctx->n_annotations = n;
    return 0;
}

void cradle_policy_context_free(struct pp_context *ctx)
{
    free((void *)ctx->annotation_keys);
    free((void *)ctx->annotation_values);
    ctx->annotation_keys = ctx->annotation_values = NULL;
}
