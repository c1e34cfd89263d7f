/* linux.netDevices, as runc's validator checks it: a network namespace of the container's
 * own to move them into, a runtime that may move them, and names the kernel accepts. */
#include "spec_internal.h"

#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

/* The kernel's dev_valid_name: 1 to IFNAMSIZ-1 bytes, not "." or "..", no '/', ':' or
 * white space. */
static bool net_device_name_valid(const char *name)
{
    size_t len = strlen(name);
    if (len == 0 || len >= IFNAMSIZ || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return false;
    return strpbrk(name, "/: \t\n\v\f\r") == NULL;
}

int spec_validate_net_devices(const struct cradle_spec *spec, cradle_error **err)
{
    const struct cradle_spec_linux *lnx = &spec->linux_;
    if (lnx->n_net_devices == 0)
        return 0;
    bool private_net;
    if (spec_has_private_ns(spec, CLONE_NEWNET, "net", &private_net, err) < 0)
        return -1;
    if (!private_net)
        return cradle_error_set(err, EINVAL,
                                "unable to move network devices without a private NET namespace");
    for (size_t i = 0; i < lnx->n_net_devices; i++) {
        const struct cradle_spec_net_device *dev = &lnx->net_devices[i];
        if (!net_device_name_valid(dev->host_name))
            return cradle_error_set(err, EINVAL, "invalid network device name \"%s\"",
                                    dev->host_name);
        if (dev->name && *dev->name && !net_device_name_valid(dev->name))
            return cradle_error_set(err, EINVAL, "invalid network device name \"%s\"", dev->name);
    }
    if (geteuid() != 0)
        return cradle_error_set(err, EPERM,
                                "network devices are not supported for rootless containers");
    return 0;
}
