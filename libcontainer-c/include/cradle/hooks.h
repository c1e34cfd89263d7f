/* OCI hooks: each runs with the container's state JSON on stdin, its own args and env,
 * and is killed if it outlives its timeout. */
#ifndef CRADLE_HOOKS_H
#define CRADLE_HOOKS_H

#include "cradle/error.h"
#include "cradle/spec.h"

/* Runs the hooks of one stage in order; the first failure stops the stage and is
 * returned as "<stage> hook #N (<path>): ..." (exit status, signal or timeout). */
int cradle_hooks_run(const struct cradle_spec_hook_list *list, const char *stage,
                     const char *state_json, cradle_error **err);

#endif
