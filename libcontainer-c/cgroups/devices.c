/* The container's device rules: the config's linux.resources.devices followed by runc's
 * default allowed devices, applied on every create (with or without linux.resources) and
 * on update, through the v1 devices controller or an eBPF program on cgroup2. */
#include "cgroup_internal.h"
#include "devices.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"

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

int cgroup_devices_apply(const struct cradle_cgroup *cg, const struct cradle_resources *res,
                         bool updating, cradle_error **err)
{
    (void)updating;
    _cleanup_free_ struct cradle_device_rule *rules = NULL;
    size_t n_rules = 0;
    if (cgroup_devices_effective(res, &rules, &n_rules, err) < 0)
        return -1;
    if (cg->devices_dir != NULL)
        return cgroup_devices_v1_apply(cg->devices_dir, rules, n_rules, err);
    if (cg->unified_dir != NULL)
        return cradle_error_set(err, EOPNOTSUPP,
                                "not supported yet: linux.resources.devices on cgroup v2");
    return cradle_error_set(err, EOPNOTSUPP,
                            "linux.resources.devices: no devices cgroup on this host");
}

int cradle_cgroup_apply_devices(const struct cradle_cgroup *cg,
                                const struct cradle_device_rule *rules, size_t n_rules,
                                cradle_error **err)
{
    struct cradle_resources res = {
        .has_devices = true, .devices = (struct cradle_device_rule *)rules, .n_devices = n_rules};
    return cgroup_devices_apply(cg, &res, false, err);
}
