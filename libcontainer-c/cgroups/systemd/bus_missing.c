/* The systemd driver in a build without libsystemd (CRADLE_SYSTEMD=OFF, e.g. static):
 * --systemd-cgroup fails up front with one clear message. */
#include "systemd_internal.h"

#include <errno.h>

#include "cradle/cgroups.h"

static int missing(cradle_error **err)
{
    return cradle_error_set(err, ENOTSUP, "cradle was built without systemd support");
}

int systemd_check_running(cradle_error **err)
{
    return missing(err);
}

int systemd_bus_open(struct sd_bus **bus, cradle_error **err)
{
    *bus = NULL;
    return missing(err);
}

void systemd_bus_close(struct sd_bus *bus)
{
    (void)bus;
}

int systemd_version(struct sd_bus *bus)
{
    (void)bus;
    return -1;
}

int systemd_start_unit(struct sd_bus *bus, const char *unit, const struct systemd_props *props,
                       cradle_error **err)
{
    (void)bus, (void)unit, (void)props;
    return missing(err);
}

int systemd_set_unit_properties(struct sd_bus *bus, const char *unit,
                                const struct systemd_props *props, cradle_error **err)
{
    (void)bus, (void)unit, (void)props;
    return missing(err);
}

int systemd_stop_unit(struct sd_bus *bus, const char *unit, cradle_error **err)
{
    (void)bus, (void)unit;
    return missing(err);
}

bool cradle_cgroup_systemd_supported(void)
{
    return false;
}
