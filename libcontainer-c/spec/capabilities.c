/* Capability names <-> numbers, and the capability sets of process.capabilities. */
#include "spec_internal.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"

/* Indexed by capability number, up to CAP_CHECKPOINT_RESTORE (40, Linux 5.9). */
static const char *const cap_names[] = {
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_MKNOD",
    "CAP_LEASE",
    "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
};

#define N_CAP_NAMES ((int)(sizeof(cap_names) / sizeof(cap_names[0])))

int cradle_cap_from_name(const char *name)
{
    for (int cap = 0; cap < N_CAP_NAMES; cap++) {
        if (strcmp(cap_names[cap], name) == 0)
            return cap;
    }
    return -1;
}

const char *cradle_cap_name(int cap)
{
    return cap >= 0 && cap < N_CAP_NAMES ? cap_names[cap] : NULL;
}

static int read_cap_last_cap(void)
{
    _cleanup_close_ int fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
    char buf[16];
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    char *end = NULL;
    long last = strtol(buf, &end, 10);
    if (end == buf || last < 0 || last > 63)
        return -1;
    return (int)last;
}

int cradle_cap_last_cap(void)
{
    static int cached = -1;
    if (cached < 0) {
        cached = read_cap_last_cap();
        /* Without /proc (an odd chroot) trust the names we know rather than refuse all. */
        if (cached < 0)
            cached = N_CAP_NAMES - 1;
    }
    return cached;
}

static int parse_cap_set(struct json_object *caps, const char *path, const char *key, uint64_t *set,
                         cradle_error **err)
{
    char where[SPEC_PATH_MAX], item[SPEC_PATH_MAX];
    struct json_object *arr = NULL;
    int present = spec_get_array(caps, path, key, &arr, err);
    if (present <= 0)
        return present;
    spec_path_join(where, path, key);

    *set = 0;
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        struct json_object *v = json_object_array_get_idx(arr, i);
        spec_path_index(item, where, i);
        if (!json_object_is_type(v, json_type_string))
            return cradle_error_set(err, 0, "%s: expected string, got %s", item, spec_type_name(v));
        const char *name = json_object_get_string(v);
        int cap = cradle_cap_from_name(name);
        if (cap < 0)
            return cradle_error_set(err, 0, "%s: unknown capability \"%s\"", item, name);
        if (cap > cradle_cap_last_cap())
            return cradle_error_set(
                err, 0, "%s: capability \"%s\" not supported by the running kernel", item, name);
        *set |= UINT64_C(1) << cap;
    }
    return 1;
}

int spec_parse_capabilities(struct json_object *obj, const char *path,
                            struct cradle_spec_capabilities *caps, cradle_error **err)
{
    if (parse_cap_set(obj, path, "bounding", &caps->bounding, err) < 0 ||
        parse_cap_set(obj, path, "effective", &caps->effective, err) < 0 ||
        parse_cap_set(obj, path, "inheritable", &caps->inheritable, err) < 0 ||
        parse_cap_set(obj, path, "permitted", &caps->permitted, err) < 0 ||
        parse_cap_set(obj, path, "ambient", &caps->ambient, err) < 0)
        return -1;
    return 0;
}
