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

static int write_change(const char *dir, const struct device_write *w, cradle_error **err)
{
    _cleanup_free_ char *file = cgroup_path_join(dir, w->allow ? "devices.allow" : "devices.deny");
    if (file == NULL)
        return cradle_error_set(err, ENOMEM, "linux.resources.devices");
    if (cgroup_write_text(file, w->line, err) < 0)
        return cradle_error_wrap(err, "linux.resources.devices: writing \"%s\"", w->line);
    return 0;
}

static int read_list(const char *dir, struct device_set *out, cradle_error **err)
{
    _cleanup_free_ char *file = cgroup_path_join(dir, "devices.list");
    _cleanup_free_ char *text = NULL;
    if (file == NULL)
        return cradle_error_set(err, ENOMEM, "linux.resources.devices");
    if (cgroup_read_text(file, &text, err) < 0)
        return -1;
    return device_set_parse_list(text, out, err);
}

/* As runc's fs devices setV1: the minimal writes from what devices.list shows now, then a
 * check that the kernel holds what was asked (exactly for deny-all; the mode for allow-all,
 * whose exceptions the kernel does not list). */
int cgroup_devices_v1_apply(const char *dir, const struct device_set *target, cradle_error **err)
{
    _cleanup_device_set_ struct device_set current = {0};
    _cleanup_device_set_ struct device_set after = {0};
    _cleanup_free_ struct device_write *writes = NULL;
    size_t n_writes = 0;
    if (read_list(dir, &current, err) < 0 ||
        device_set_transition(&current, target, &writes, &n_writes, err) < 0)
        return -1;
    for (size_t i = 0; i < n_writes; i++)
        if (write_change(dir, &writes[i], err) < 0)
            return -1;
    if (read_list(dir, &after, err) < 0)
        return -1;
    if (!target->default_allow && !device_set_equal(&after, target))
        return cradle_error_set(err, EIO,
                                "linux.resources.devices: resulting devices cgroup doesn't "
                                "precisely match target");
    if (after.default_allow != target->default_allow)
        return cradle_error_set(err, EIO,
                                "linux.resources.devices: resulting devices cgroup doesn't "
                                "match target mode");
    return 0;
}
