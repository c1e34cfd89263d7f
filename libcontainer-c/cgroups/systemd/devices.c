/* A systemd unit's device properties (DevicePolicy, DeviceAllow) from the container's
 * device set, as runc 1.1's devices/systemd.go makes them. cradle applies its own device
 * rules to the cgroup afterwards (cgroup_devices_apply); these keep systemd from undoing
 * them when it re-applies the unit's settings. */
#include "../devices.h"
#include "systemd_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cradle/cleanup.h"
#include "cradle/log.h"

/* Versions before this one stat() a /dev/{char,block} path to learn the device. */
#define SYSTEMD_HAS_DEVICE_NUMBERS 240

/* The "device group" systemd names a whole major by ("char-pts" for c 136:*), from
 * /proc/devices: the first name listed for that major in the type's section, or NULL. */
static char *device_group(const char *proc_devices, char type, int64_t major)
{
    const char *section = type == 'b' ? "Block devices:" : "Character devices:";
    const char *prefix = type == 'b' ? "block-" : "char-";
    bool in_section = false;
    for (const char *line = proc_devices; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (len > 0 && line[len - 1] == ':') {
            in_section = len == strlen(section) && strncmp(line, section, len) == 0;
        } else if (in_section) {
            long long number;
            int name_at = 0;
            if (sscanf(line, " %lld %n", &number, &name_at) == 1 && name_at > 0 &&
                number == major && (size_t)name_at < len) {
                char *group = NULL;
                if (asprintf(&group, "%s%.*s", prefix, (int)(len - (size_t)name_at),
                             line + name_at) < 0)
                    return NULL;
                return group;
            }
        }
        line = end ? end + 1 : NULL;
    }
    return NULL;
}

/* The DeviceAllow path of one allowed exception, or NULL (with a warning, as runc) when
 * systemd cannot express it; cradle's own rules still allow the device. */
static int allow_path(const struct device_exception *e, const char *proc_devices, int version,
                      char **out, cradle_error **err)
{
    const char *kind = e->type == 'b' ? "block" : "char";
    *out = NULL;
    if (e->major == -1) {
        if (e->minor != -1) {
            cradle_warn("systemd doesn't support '*:n' device rules -- temporarily ignoring "
                        "rule: %c *:%" PRId64,
                        e->type, e->minor);
            return 0;
        }
        /* systemd's globs are "char-*" and "block-*" ("c-*" is refused: "DeviceAllow=
         * requires device node or pattern"), as runc's groupPrefix + "*". */
        if (asprintf(out, "%s-*", kind) < 0)
            *out = NULL;
    } else if (e->minor == -1) {
        *out = device_group(proc_devices, e->type, e->major);
        if (*out == NULL) {
            cradle_warn("could not find device group for '%c %" PRId64 ":*' in /proc/devices -- "
                        "temporarily ignoring rule",
                        e->type, e->major);
            return 0;
        }
    } else {
        if (asprintf(out, "/dev/%s/%" PRId64 ":%" PRId64, kind, e->major, e->minor) < 0)
            *out = NULL;
        /* /sys/dev has the node when udev did not make /dev/{char,block} (as runc). */
        char sys_path[64];
        struct stat st;
        snprintf(sys_path, sizeof(sys_path), "/sys%s", *out ? *out : "");
        if (*out && version < SYSTEMD_HAS_DEVICE_NUMBERS && stat(*out, &st) < 0 &&
            stat(sys_path, &st) < 0) {
            cradle_warn("skipping device %s for systemd: %s", *out, strerror(errno));
            free(*out);
            *out = NULL;
            return 0;
        }
    }
    return *out ? 0 : cradle_error_set(err, ENOMEM, "systemd DeviceAllow");
}

int systemd_device_props(const struct device_set *set, const char *proc_devices, int version,
                         struct systemd_props *out, cradle_error **err)
{
    if (set->default_allow && set->n == 0)
        return systemd_props_add_string(out, "DevicePolicy", "auto", err) < 0 ||
                       systemd_props_add_pairs(out, "DeviceAllow", err) < 0
                   ? -1
                   : 0;
    /* strict: only what DeviceAllow lists; the empty list first clears what the unit had. */
    if (systemd_props_add_string(out, "DevicePolicy", "strict", err) < 0 ||
        systemd_props_add_pairs(out, "DeviceAllow", err) < 0)
        return -1;
    if (set->default_allow) {
        cradle_warn("systemd doesn't support blacklist device rules -- applying temporary "
                    "deny-all rule");
        return 0;
    }
    if (systemd_props_add_pairs(out, "DeviceAllow", err) < 0)
        return -1;
    struct systemd_prop *allow = &out->items[out->n - 1];
    for (size_t i = 0; i < set->n; i++) {
        _cleanup_free_ char *path = NULL;
        char access[4];
        if (allow_path(&set->items[i], proc_devices, version, &path, err) < 0)
            return -1;
        device_access_text(set->items[i].access, access);
        if (path && systemd_prop_add_pair(allow, path, access, err) < 0)
            return -1;
    }
    return 0;
}
