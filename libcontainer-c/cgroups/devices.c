/* The container's device rules: the config's linux.resources.devices followed by runc's
 * default allowed devices, applied on every create (with or without linux.resources) and
 * on update, through the v1 devices controller or an eBPF program on cgroup2. */
#include "cgroup_internal.h"
#include "devices.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"
#include "cradle/log.h"

#define ANY (-1)

/* What runc 1.1 allows in every container after the spec's own rules
 * (libcontainer/specconv AllowedDevices): mknod of anything, the standard character
 * devices, ptys and tun/tap. */
static const struct cradle_device_rule default_allowed_devices[] = {
    {.allow = true, .type = 'c', .major = ANY, .minor = ANY, .access = "m"},
    {.allow = true, .type = 'b', .major = ANY, .minor = ANY, .access = "m"},
    {.allow = true, .type = 'c', .major = 1, .minor = 3, .access = "rwm"},     /* /dev/null */
    {.allow = true, .type = 'c', .major = 1, .minor = 8, .access = "rwm"},     /* /dev/random */
    {.allow = true, .type = 'c', .major = 1, .minor = 7, .access = "rwm"},     /* /dev/full */
    {.allow = true, .type = 'c', .major = 5, .minor = 0, .access = "rwm"},     /* /dev/tty */
    {.allow = true, .type = 'c', .major = 1, .minor = 5, .access = "rwm"},     /* /dev/zero */
    {.allow = true, .type = 'c', .major = 1, .minor = 9, .access = "rwm"},     /* /dev/urandom */
    {.allow = true, .type = 'c', .major = 136, .minor = ANY, .access = "rwm"}, /* pts */
    {.allow = true, .type = 'c', .major = 5, .minor = 2, .access = "rwm"},     /* /dev/ptmx */
    {.allow = true, .type = 'c', .major = 10, .minor = 200, .access = "rwm"},  /* tun/tap */
};

#define N_DEFAULT_ALLOWED (sizeof(default_allowed_devices) / sizeof(default_allowed_devices[0]))

int cgroup_devices_effective(const struct cradle_resources *res, struct cradle_device_rule **out,
                             size_t *n_out, cradle_error **err)
{
    size_t n_own = res != NULL ? res->n_devices : 0;
    struct cradle_device_rule *rules = calloc(n_own + N_DEFAULT_ALLOWED, sizeof(*rules));
    if (rules == NULL)
        return cradle_error_set(err, ENOMEM, "linux.resources.devices");
    if (n_own > 0)
        memcpy(rules, res->devices, n_own * sizeof(*rules));
    memcpy(rules + n_own, default_allowed_devices, sizeof(default_allowed_devices));
    *out = rules;
    *n_out = n_own + N_DEFAULT_ALLOWED;
    return 0;
}

/* Create and update write the same way (updating is not needed): v1 moves from what
 * devices.list shows, cgroup2 replaces whatever program was attached. */
int cgroup_devices_apply(const struct cradle_cgroup *cg, const struct cradle_resources *res,
                         bool updating, cradle_error **err)
{
    (void)updating;
    _cleanup_free_ struct cradle_device_rule *rules = NULL;
    _cleanup_device_set_ struct device_set target = {0};
    size_t n_rules = 0;
    if (cgroup_devices_effective(res, &rules, &n_rules, err) < 0)
        return -1;
    if (device_set_from_rules(rules, n_rules, &target, err) < 0)
        return cradle_error_wrap(err, "linux.resources.devices");
    /* A hybrid host's v1 devices controller decides; its cgroup2 is not consulted. */
    if (cg->devices_dir != NULL)
        return cgroup_devices_v1_apply(cg->devices_dir, &target, err);
    if (cg->unified_dir != NULL)
        return cgroup_devices_v2_apply(cg->unified_dir, &target, err);
    if (res != NULL && res->has_devices)
        return cradle_error_set(err, EOPNOTSUPP,
                                "linux.resources.devices: no devices cgroup on this host");
    cradle_debug("no devices cgroup on this host: the default device rules are not applied");
    return 0;
}
