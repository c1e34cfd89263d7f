/* `cradle features`: linux.mountExtensions, as runc 1.2 prints it. */
#ifndef CRADLE_FEATURES_IDMAP_H
#define CRADLE_FEATURES_IDMAP_H

#include <json-c/json.h>

/* {"idmap": {"enabled": B}}: B when the parser accepts an id-mapped bind and the kernel
 * has mount_setattr(2). */
struct json_object *features_mount_extensions(void);

#endif
