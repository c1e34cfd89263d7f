/* linux.resources.devices on the cgroup v1 devices controller. */
#include "cgroup_internal.h"
#include "devices.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"

static void format_number(int64_t n, char *buf, size_t size)
{
    if (n < 0)
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

int cgroup_devices_v1_apply(const char *dir, const struct cradle_device_rule *rules, size_t n_rules,
                            cradle_error **err)
{
    _cleanup_free_ char *deny = cgroup_path_join(dir, "devices.deny");
    if (deny == NULL)
        return cradle_error_set(err, ENOMEM, "linux.resources.devices");
    if (cgroup_write_text(deny, "a", err) < 0)
        return cradle_error_wrap(err, "linux.resources.devices: denying all devices first");
    for (size_t i = 0; i < n_rules; i++)
        if (write_rule(dir, &rules[i], "linux.resources.devices", i, err) < 0)
            return -1;
    return 0;
}
