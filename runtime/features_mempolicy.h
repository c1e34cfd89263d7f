/* `cradle features`: linux.memoryPolicy, in the shape of runtime-spec 1.3's features. */
#ifndef CRADLE_FEATURES_MEMPOLICY_H
#define CRADLE_FEATURES_MEMPOLICY_H

#include <json-c/json.h>

/* {"modes": [...], "flags": [...]}: every name linux.memoryPolicy accepts, sorted as runc
 * sorts them; the host's kernel may refuse some (weighted interleave needs Linux 6.9). */
struct json_object *features_memory_policy(void);

#endif
