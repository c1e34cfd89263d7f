/* Private to resources/: the section parsers cradle_resources_parse calls. The JSON
 * readers are spec/'s (one set of typed readers with one error style for every document
 * cradle reads: config.json and `update -r`). */
#ifndef CRADLE_RESOURCES_INTERNAL_H
#define CRADLE_RESOURCES_INTERNAL_H

#include "../spec/spec_internal.h"
#include "cradle/resources.h"

/* linux.resources.devices (present, even empty). */
int resources_parse_device_rules(struct json_object *arr, const char *path,
                                 struct cradle_resources *res, cradle_error **err);

/* blockIO */
int resources_parse_blkio(struct json_object *obj, const char *path,
                          struct cradle_resources_blkio *blkio, cradle_error **err);

/* hugepageLimits, network, rdma and unified: the entries keyed by a name. */
int resources_parse_hugepages(struct json_object *arr, const char *path,
                              struct cradle_resources *res, cradle_error **err);
int resources_parse_network(struct json_object *obj, const char *path,
                            struct cradle_resources_network *net, cradle_error **err);
int resources_parse_rdma(struct json_object *obj, const char *path, struct cradle_resources *res,
                         cradle_error **err);
int resources_parse_unified(struct json_object *obj, const char *path, struct cradle_resources *res,
                            cradle_error **err);

/* Whether a 0 in a field means "not set" (runc's plain-value fields: shares, quota, memory
 * limits, weights...) or is a value like any other (runc's pointer fields: burst, idle,
 * swappiness, rdma counts...). */
enum resources_zero { ZERO_IS_UNSET, ZERO_IS_SET };

/* Field readers: obj.key into opt, checked against the range the field allows; an absent
 * field leaves opt untouched. 0 or -1 on error, naming the field. */
int resources_get_u64(struct json_object *obj, const char *path, const char *key, uint64_t max,
                      enum resources_zero zero, struct cradle_opt_u64 *opt, cradle_error **err);
int resources_get_i64(struct json_object *obj, const char *path, const char *key, int64_t min,
                      enum resources_zero zero, struct cradle_opt_i64 *opt, cradle_error **err);

#endif
