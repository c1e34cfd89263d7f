/* linux.resources.blockIO: weights (uint16 in the spec; 0 is "not set", as in runc) and the
 * per-device weight and throttle lists. */
#include "resources_internal.h"

#include <stdint.h>

/* major and minor: required in every device entry. */
static int parse_device_numbers(struct json_object *obj, const char *path, int64_t *major,
                                int64_t *minor, cradle_error **err)
{
    int r = spec_get_i64(obj, path, "major", major, err);
    if (r <= 0)
        return r < 0 ? -1 : spec_missing(path, "major", err);
    r = spec_get_i64(obj, path, "minor", minor, err);
    if (r <= 0)
        return r < 0 ? -1 : spec_missing(path, "minor", err);
    return 0;
}

static int parse_weight_device(struct json_object *obj, const char *path,
                               struct cradle_weight_device *wd, cradle_error **err)
{
    if (spec_as_object(obj, err) < 0)
        return cradle_error_wrap(err, "%s", path);
    if (parse_device_numbers(obj, path, &wd->major, &wd->minor, err) < 0 ||
        resources_get_u64(obj, path, "weight", UINT16_MAX, ZERO_IS_UNSET, &wd->weight, err) < 0 ||
        resources_get_u64(obj, path, "leafWeight", UINT16_MAX, ZERO_IS_UNSET, &wd->leaf_weight,
                          err) < 0)
        return -1;
    return 0;
}

static int parse_throttle_device(struct json_object *obj, const char *path,
                                 struct cradle_throttle_device *td, cradle_error **err)
{
    if (spec_as_object(obj, err) < 0)
        return cradle_error_wrap(err, "%s", path);
    if (parse_device_numbers(obj, path, &td->major, &td->minor, err) < 0)
        return -1;
    int r = spec_get_u64(obj, path, "rate", &td->rate, err);
    if (r <= 0)
        return r < 0 ? -1 : spec_missing(path, "rate", err);
    return 0;
}

static int parse_weight_devices(struct json_object *obj, const char *path,
                                struct cradle_resources_blkio *blkio, cradle_error **err)
{
    char where[SPEC_PATH_MAX], item[SPEC_PATH_MAX];
    struct json_object *arr = NULL;
    int r = spec_get_array(obj, path, "weightDevice", &arr, err);
    if (r <= 0)
        return r;
    spec_path_join(where, path, "weightDevice");
    size_t n = json_object_array_length(arr);
    blkio->weight_devices = spec_alloc_array(n, sizeof(*blkio->weight_devices), where, err);
    if (blkio->weight_devices == NULL)
        return -1;
    blkio->n_weight_devices = n;
    for (size_t i = 0; i < n; i++)
        if (parse_weight_device(json_object_array_get_idx(arr, i), spec_path_index(item, where, i),
                                &blkio->weight_devices[i], err) < 0)
            return -1;
    return 0;
}

static int parse_throttle_list(struct json_object *obj, const char *path, const char *key,
                               struct cradle_throttle_list *list, cradle_error **err)
{
    char where[SPEC_PATH_MAX], item[SPEC_PATH_MAX];
    struct json_object *arr = NULL;
    int r = spec_get_array(obj, path, key, &arr, err);
    if (r <= 0)
        return r;
    spec_path_join(where, path, key);
    size_t n = json_object_array_length(arr);
    list->items = spec_alloc_array(n, sizeof(*list->items), where, err);
    if (list->items == NULL)
        return -1;
    list->n = n;
    for (size_t i = 0; i < n; i++)
        if (parse_throttle_device(json_object_array_get_idx(arr, i),
                                  spec_path_index(item, where, i), &list->items[i], err) < 0)
            return -1;
    return 0;
}

int resources_parse_blkio(struct json_object *obj, const char *path,
                          struct cradle_resources_blkio *blkio, cradle_error **err)
{
    if (resources_get_u64(obj, path, "weight", UINT16_MAX, ZERO_IS_UNSET, &blkio->weight, err) <
            0 ||
        resources_get_u64(obj, path, "leafWeight", UINT16_MAX, ZERO_IS_UNSET, &blkio->leaf_weight,
                          err) < 0 ||
        parse_weight_devices(obj, path, blkio, err) < 0 ||
        parse_throttle_list(obj, path, "throttleReadBpsDevice", &blkio->read_bps, err) < 0 ||
        parse_throttle_list(obj, path, "throttleWriteBpsDevice", &blkio->write_bps, err) < 0 ||
        parse_throttle_list(obj, path, "throttleReadIOPSDevice", &blkio->read_iops, err) < 0 ||
        parse_throttle_list(obj, path, "throttleWriteIOPSDevice", &blkio->write_iops, err) < 0)
        return -1;
    return 0;
}
