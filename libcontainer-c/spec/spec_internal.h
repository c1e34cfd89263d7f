/* Private to spec/: JSON access helpers and the section parsers cradle_spec_parse calls.
 *
 * Error paths: every helper that reads a value reports "expected <type>, got <type>" and
 * the caller names where it was, so a message reads "process.user.uid: expected ...".
 * The field helpers take the parent's path ("" at the top level) and the key, and build
 * the full path only when something fails. */
#ifndef CRADLE_SPEC_INTERNAL_H
#define CRADLE_SPEC_INTERNAL_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cradle/error.h"
#include "cradle/spec.h"

/* Big enough for "mounts[<size_t>].uidMappings" and the like. */
#define SPEC_PATH_MAX 128

/* The member named key, or NULL when it is absent or JSON null. */
struct json_object *spec_member(struct json_object *obj, const char *key);

/* "string", "number", "object", ... as a JSON user would say it. */
const char *spec_type_name(struct json_object *v);

/* Value readers: no path in the message, the caller adds it. */
int spec_as_object(struct json_object *v, cradle_error **err);
int spec_as_array(struct json_object *v, cradle_error **err);
int spec_as_string(struct json_object *v, char **out, cradle_error **err);
int spec_as_bool(struct json_object *v, bool *out, cradle_error **err);
int spec_as_u32(struct json_object *v, uint32_t *out, cradle_error **err);
int spec_as_u64(struct json_object *v, uint64_t *out, cradle_error **err);
int spec_as_i64(struct json_object *v, int64_t *out, cradle_error **err);
int spec_as_int(struct json_object *v, int *out, cradle_error **err);

/* Field readers: return 1 when the field was present and read, 0 when absent (out is left
 * untouched), -1 on error with the message prefixed by "<path>.<key>". */
int spec_get_object(struct json_object *obj, const char *path, const char *key,
                    struct json_object **out, cradle_error **err);
int spec_get_array(struct json_object *obj, const char *path, const char *key,
                   struct json_object **out, cradle_error **err);
int spec_get_string(struct json_object *obj, const char *path, const char *key, char **out,
                    cradle_error **err);
int spec_get_bool(struct json_object *obj, const char *path, const char *key, bool *out,
                  cradle_error **err);
int spec_get_u32(struct json_object *obj, const char *path, const char *key, uint32_t *out,
                 cradle_error **err);
int spec_get_u64(struct json_object *obj, const char *path, const char *key, uint64_t *out,
                 cradle_error **err);
int spec_get_i64(struct json_object *obj, const char *path, const char *key, int64_t *out,
                 cradle_error **err);
int spec_get_int(struct json_object *obj, const char *path, const char *key, int *out,
                 cradle_error **err);
/* A string array, NULL-terminated; an absent field yields an empty (non-NULL) array. */
int spec_get_strv(struct json_object *obj, const char *path, const char *key, char ***out,
                  size_t *n_out, cradle_error **err);
/* An object whose values are all strings, as key/value pairs in document order. */
int spec_get_keyvals(struct json_object *obj, const char *path, const char *key,
                     struct cradle_spec_keyval **out, size_t *n_out, cradle_error **err);

/* Error for a required field that is absent: "<path>.<key>: missing". */
int spec_missing(const char *path, const char *key, cradle_error **err);

/* Formats a path into buf, cutting it with "..." if it does not fit; returns buf. */
const char *spec_path_format(char buf[SPEC_PATH_MAX], const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Writes "<path>.<key>" (or "<key>" at the top level) into buf. */
const char *spec_path_join(char buf[SPEC_PATH_MAX], const char *path, const char *key);
/* Writes "<path>[<index>]" into buf. */
const char *spec_path_index(char buf[SPEC_PATH_MAX], const char *path, size_t index);

/* calloc for arrays, with an error naming what was being allocated. */
void *spec_alloc_array(size_t n, size_t size, const char *what, cradle_error **err);

/* Section parsers. */
int spec_parse_process(struct json_object *obj, struct cradle_spec *spec, cradle_error **err);
/* process.scheduler, ioPriority, execCPUAffinity (spec/parse_process_sched.c). */
int spec_parse_process_sched(struct json_object *proc, struct cradle_spec_process *p,
                             cradle_error **err);
int spec_parse_capabilities(struct json_object *obj, const char *path,
                            struct cradle_spec_capabilities *caps, cradle_error **err);
int spec_parse_rlimits(struct json_object *arr, const char *path, struct cradle_spec_process *proc,
                       cradle_error **err);
int spec_parse_mounts(struct json_object *arr, struct cradle_spec *spec, cradle_error **err);
/* OBJ's id-mapping array KEY (at PATH), when present: linux.uidMappings, mounts[N].gidMappings */
int spec_parse_id_mappings(struct json_object *obj, const char *path, const char *key,
                           struct cradle_spec_id_mapping **out, size_t *n_out, cradle_error **err);
int spec_parse_linux(struct json_object *obj, struct cradle_spec *spec, cradle_error **err);
int spec_parse_namespaces(struct json_object *arr, struct cradle_spec_linux *lnx,
                          cradle_error **err);
int spec_parse_devices(struct json_object *arr, struct cradle_spec_linux *lnx, cradle_error **err);
/* A list of NUMA nodes as cpuset writes it ("0-1,3"; blanks and empty elements allowed, as
 * runc), into a CRADLE_MEMPOLICY_MAX_NODES-bit mask; at least one node. */
int spec_parse_node_list(const char *nodes, unsigned long *mask, cradle_error **err);
/* linux.personality, linux.timeOffsets, linux.memoryPolicy (parse_linux_fields.c). */
int spec_parse_linux_fields(struct json_object *obj, struct cradle_spec_linux *lnx,
                            cradle_error **err);
int spec_parse_resources(struct json_object *obj, struct cradle_spec *spec, cradle_error **err);
/* linux.netDevices and linux.intelRdt (parse_net_devices.c, parse_intel_rdt.c). */
int spec_parse_net_devices(struct json_object *obj, struct cradle_spec_linux *lnx,
                           cradle_error **err);
void spec_free_net_devices(struct cradle_spec_net_device *devs, size_t n);
int spec_parse_intel_rdt(struct json_object *obj, struct cradle_spec_intel_rdt *rdt,
                         cradle_error **err);
void spec_free_intel_rdt(struct cradle_spec_intel_rdt *rdt);
int spec_parse_hooks(struct json_object *obj, struct cradle_spec_hooks *hooks, cradle_error **err);

void spec_free_keyvals(struct cradle_spec_keyval *kv, size_t n);

/* "pid", "network", ... for a CLONE_NEW* flag. */
const char *spec_namespace_name(int flag);

/* *private_ns: the container gets a namespace of type (CLONE_NEW*; proc_name as in
 * /proc/self/ns) other than the runtime's own, new or joined by a path naming another. */
int spec_has_private_ns(const struct cradle_spec *spec, int type, const char *proc_name,
                        bool *private_ns, cradle_error **err);

/* A name a field may take and the number it stands for (policies, modes, flags). */
struct spec_named_value {
    const char *name;
    uint64_t value;
};
#define SPEC_N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* The entry of table (n entries) called name, or NULL. */
const struct spec_named_value *spec_named_value_find(const struct spec_named_value *table, size_t n,
                                                     const char *name);

/* Parts of cradle_spec_validate with files of their own. */
int spec_validate_sysctls(const struct cradle_spec *spec, cradle_error **err);
int spec_validate_devices(const struct cradle_spec *spec, cradle_error **err);
int spec_validate_mounts(const struct cradle_spec *spec, cradle_error **err);
int spec_validate_seccomp(const struct cradle_spec *spec, cradle_error **err);
int spec_validate_lsm(const struct cradle_spec *spec, cradle_error **err);
int spec_validate_net_devices(const struct cradle_spec *spec, cradle_error **err);
int spec_validate_intel_rdt(const struct cradle_spec *spec, cradle_error **err);
int spec_validate_process_sched(const struct cradle_spec *spec, cradle_error **err);
/* linux.timeOffsets against the time namespace, linux.memoryPolicy against its mode and the
 * host's nodes, linux.personality's ignored flags (validate_linux_fields.c). */
int spec_validate_linux_fields(const struct cradle_spec *spec, cradle_error **err);

#endif
