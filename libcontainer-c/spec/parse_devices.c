/* linux.devices: device nodes to create in the container. */
#include "spec_internal.h"

#include <string.h>

#include "cradle/cleanup.h"

static int parse_device_type(struct json_object *obj, const char *path,
                             struct cradle_spec_device *dev, cradle_error **err)
{
    _cleanup_free_ char *type = NULL;
    int r = spec_get_string(obj, path, "type", &type, err);
    if (r <= 0)
        return r < 0 ? -1 : spec_missing(path, "type", err);
    if (strlen(type) != 1 || strchr("cbup", type[0]) == NULL)
        return cradle_error_set(err, 0, "%s.type: unknown device type \"%s\" (want c, b, u or p)",
                                path, type);
    dev->type = type[0];
    return 0;
}

static int parse_device(struct json_object *obj, const char *path, struct cradle_spec_device *dev,
                        cradle_error **err)
{
    if (spec_as_object(obj, err) < 0)
        return cradle_error_wrap(err, "%s", path);

    int r = spec_get_string(obj, path, "path", &dev->path, err);
    if (r <= 0)
        return r < 0 ? -1 : spec_missing(path, "path", err);
    if (dev->path[0] != '/')
        return cradle_error_set(err, 0, "%s.path: must be an absolute path, got \"%s\"", path,
                                dev->path);
    if (parse_device_type(obj, path, dev, err) < 0)
        return -1;

    /* A fifo has no device number; every other node needs both halves. */
    bool numbered = dev->type != 'p';
    r = spec_get_i64(obj, path, "major", &dev->major, err);
    if (r < 0 || (r == 0 && numbered))
        return r < 0 ? -1 : spec_missing(path, "major", err);
    r = spec_get_i64(obj, path, "minor", &dev->minor, err);
    if (r < 0 || (r == 0 && numbered))
        return r < 0 ? -1 : spec_missing(path, "minor", err);

    if ((r = spec_get_u32(obj, path, "fileMode", &dev->file_mode, err)) < 0)
        return -1;
    dev->has_file_mode = r > 0;
    if ((r = spec_get_u32(obj, path, "uid", &dev->uid, err)) < 0)
        return -1;
    dev->has_uid = r > 0;
    if ((r = spec_get_u32(obj, path, "gid", &dev->gid, err)) < 0)
        return -1;
    dev->has_gid = r > 0;
    return 0;
}

int spec_parse_devices(struct json_object *arr, struct cradle_spec_linux *lnx, cradle_error **err)
{
    char item[SPEC_PATH_MAX];
    size_t n = json_object_array_length(arr);
    lnx->devices = spec_alloc_array(n, sizeof(*lnx->devices), "linux.devices", err);
    if (lnx->devices == NULL)
        return -1;
    lnx->n_devices = n;
    for (size_t i = 0; i < n; i++) {
        spec_path_index(item, "linux.devices", i);
        if (parse_device(json_object_array_get_idx(arr, i), item, &lnx->devices[i], err) < 0)
            return -1;
    }
    return 0;
}
