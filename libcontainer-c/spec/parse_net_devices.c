/* linux.netDevices: an object mapping host interface names to {"name": new name}. */
#include "spec_internal.h"

#include <stdlib.h>
#include <string.h>

#define NET_DEVICES_PATH "linux.netDevices"

static int parse_entry(const char *host_name, struct json_object *value,
                       struct cradle_spec_net_device *dev, cradle_error **err)
{
    char where[SPEC_PATH_MAX];
    spec_path_join(where, NET_DEVICES_PATH, host_name);
    if (spec_as_object(value, err) < 0)
        return cradle_error_wrap(err, "%s", where);
    dev->host_name = strdup(host_name);
    if (dev->host_name == NULL)
        return cradle_error_sys(err, "%s", where);
    return spec_get_string(value, where, "name", &dev->name, err) < 0 ? -1 : 0;
}

int spec_parse_net_devices(struct json_object *obj, struct cradle_spec_linux *lnx,
                           cradle_error **err)
{
    size_t n = (size_t)json_object_object_length(obj);
    if (n == 0)
        return 0;
    lnx->net_devices = spec_alloc_array(n, sizeof(*lnx->net_devices), NET_DEVICES_PATH, err);
    if (lnx->net_devices == NULL)
        return -1;
    json_object_object_foreach(obj, key, value)
    {
        if (parse_entry(key, value, &lnx->net_devices[lnx->n_net_devices++], err) < 0)
            return -1;
    }
    return 0;
}

void spec_free_net_devices(struct cradle_spec_net_device *devs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(devs[i].host_name);
        free(devs[i].name);
    }
    free(devs);
}
