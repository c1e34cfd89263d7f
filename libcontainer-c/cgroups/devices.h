/* Private to the device-rule code of libcontainer-c/cgroups (devices*.c, v2/devices_*.c). */
#ifndef CRADLE_CGROUP_DEVICES_H
#define CRADLE_CGROUP_DEVICES_H

#include <stdbool.h>
#include <stddef.h>

#include "cradle/error.h"
#include "cradle/resources.h"

/* res's device rules followed by runc's default allowed devices (res may be NULL), as a
 * malloc'd array whose access strings point into res or static storage. */
int cgroup_devices_effective(const struct cradle_resources *res, struct cradle_device_rule **out,
                             size_t *n_out, cradle_error **err);

/* Writes rules to the v1 devices directory dir. */
int cgroup_devices_v1_apply(const char *dir, const struct cradle_device_rule *rules, size_t n_rules,
                            cradle_error **err);

#endif
