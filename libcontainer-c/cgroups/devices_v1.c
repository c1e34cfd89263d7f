/* linux.resources.devices on the cgroup v1 devices controller. */
#include "cgroup_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"

#define DEVICE_WILDCARD (-1)

/* What runc 1.1 allows in every container after the spec's own rules
 * (libcontainer/specconv AllowedDevices): mknod of anything, the standard character
 * devices, ptys and tun/tap. */
static const struct cradle_device_rule default_allowed_devices[] = {
    {.allow = true, .type = 'c', .major = DEVICE_WILDCARD, .minor = DEVICE_WILDCARD, .access = "m"},
    {.allow = true, .type = 'b', .major = DEVICE_WILDCARD, .minor = DEVICE_WILDCARD, .access = "m"},
    {.allow = true, .type = 'c', .major = 1, .minor = 3, .access = "rwm"}, /* /dev/null */
    {.allow = true, .type = 'c', .major = 1, .minor = 8, .access = "rwm"}, /* /dev/random */
    {.allow = true, .type = 'c', .major = 1, .minor = 7, .access = "rwm"}, /* /dev/full */
    {.allow = true, .type = 'c', .major = 5, .minor = 0, .access = "rwm"}, /* /dev/tty */
    {.allow = true, .type = 'c', .major = 1, .minor = 5, .access = "rwm"}, /* /dev/zero */
    {.allow = true, .type = 'c', .major = 1, .minor = 9, .access = "rwm"}, /* /dev/urandom */
    {.allow = true, .type = 'c', .major = 136, .minor = DEVICE_WILDCARD, .access = "rwm"}, /* pts */
    {.allow = true, .type = 'c', .major = 5, .minor = 2, .access = "rwm"},    /* /dev/ptmx */
    {.allow = true, .type = 'c', .major = 10, .minor = 200, .access = "rwm"}, /* tun/tap */
};

static void format_number(int64_t n, char *buf, size_t size)
{
    if (n == DEVICE_WILDCARD)
        snprintf(buf, size, "*");
    else
        snprintf(buf, size, "%" PRId64, n);
}

int cgroup_device_rule_line(char type, int64_t major, int64_t minor, const char *access, char *buf,
                            size_t size)
{
    if (type != 'a' && type != 'b' && type != 'c')
        return -1;
    if (access == NULL || *access == '\0' || strspn(access, "rwm") != strlen(access))
        return -1;
    char major_text[24], minor_text[24];
    format_number(major, major_text, sizeof(major_text));
    format_number(minor, minor_text, sizeof(minor_text));
    int n = snprintf(buf, size, "%c %s:%s %s", type, major_text, minor_text, access);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

static int write_rule(const char *dir, const struct cradle_device_rule *rule, const char *what,
                      size_t index, cradle_error **err)
{
    char line[96];
    if (cgroup_device_rule_line(rule->type, rule->major, rule->minor, rule->access, line,
                                sizeof(line)) < 0)
        return cradle_error_set(err, EINVAL, "%s[%zu]: invalid rule (type '%c', access \"%s\")",
                                what, index, rule->type, rule->access ? rule->access : "");
    _cleanup_free_ char *file =
        cgroup_path_join(dir, rule->allow ? "devices.allow" : "devices.deny");
    if (file == NULL)
        return cradle_error_set(err, ENOMEM, "%s[%zu]", what, index);
    if (cgroup_write_text(file, line, err) < 0)
        return cradle_error_wrap(err, "%s[%zu]", what, index);
    return 0;
}

int cradle_cgroup_apply_devices(const struct cradle_cgroup *cg,
                                const struct cradle_device_rule *rules, size_t n_rules,
                                cradle_error **err)
{
    if (cg->devices_dir == NULL && cg->unified_dir != NULL)
        return cradle_error_set(err, EOPNOTSUPP,
                                "not supported yet: linux.resources.devices on cgroup v2");
    if (cg->devices_dir == NULL)
        return cradle_error_set(err, EOPNOTSUPP,
                                "linux.resources.devices: no devices cgroup on this host");

    _cleanup_free_ char *deny = cgroup_path_join(cg->devices_dir, "devices.deny");
    if (deny == NULL)
        return cradle_error_set(err, ENOMEM, "linux.resources.devices");
    if (cgroup_write_text(deny, "a", err) < 0)
        return cradle_error_wrap(err, "linux.resources.devices: denying all devices first");

    for (size_t i = 0; i < n_rules; i++)
        if (write_rule(cg->devices_dir, &rules[i], "linux.resources.devices", i, err) < 0)
            return -1;
    size_t n_defaults = sizeof(default_allowed_devices) / sizeof(default_allowed_devices[0]);
    for (size_t i = 0; i < n_defaults; i++)
        if (write_rule(cg->devices_dir, &default_allowed_devices[i], "default allowed devices", i,
                       err) < 0)
            return -1;
    return 0;
}
