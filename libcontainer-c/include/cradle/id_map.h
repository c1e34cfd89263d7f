/* Writing a user namespace's uid_map or gid_map: the container's (linux.uidMappings) and
 * the throwaway namespaces that carry an id-mapped mount's mapping (rootfs/idmap.c). */
#ifndef CRADLE_ID_MAP_H
#define CRADLE_ID_MAP_H

#include <stddef.h>
#include <sys/types.h>

#include "cradle/error.h"
#include "cradle/spec.h"

/* Writes MAPS as /proc/PID/FILE ("uid_map" or "gid_map"); FIELD names them in errors. */
int cradle_write_id_map(pid_t pid, const char *file, const struct cradle_spec_id_mapping *maps,
                        size_t n, const char *field, cradle_error **err);

#endif
