/* linux.devices: a file to create, numbers the kernel's dev_t can hold, permission bits;
 * linux.resources.devices: numbers too. */
#include "spec_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>

#include "cradle/cleanup.h"
#include "cradle/proc_policy.h"

/* The kernel keeps 12 bits of major and 20 of minor; mknod silently truncates larger
 * numbers into another device (major 5000 becomes 904). */
#define DEVICE_MAJOR_MAX ((INT64_C(1) << 12) - 1)
#define DEVICE_MINOR_MAX ((INT64_C(1) << 20) - 1)

mode_t cradle_device_node_type(char type)
{
    switch (type) {
    case 'b':
        return S_IFBLK;
    case 'p':
        return S_IFIFO;
    default: /* 'c' and 'u' (unbuffered char) */
        return S_IFCHR;
    }
}

static int check_number(int64_t value, int64_t max, const char *where, const char *key,
                        cradle_error **err)
{
    if (value < 0 || value > max)
        return cradle_error_set(err, EINVAL,
                                "%s.%s: %" PRId64 " is out of range (0 to %" PRId64 ")", where, key,
                                value, max);
    return 0;
}

/* Permission bits only: a setuid, setgid or sticky node is refused. File type bits are
 * accepted when they repeat the device's type, as some engines write them. */
static int check_file_mode(const struct cradle_spec_device *dev, const char *where,
                           cradle_error **err)
{
    uint32_t type_bits = dev->file_mode & S_IFMT;
    if (dev->file_mode & ~(uint32_t)(S_IFMT | 0777))
        return cradle_error_set(err, EINVAL,
                                "%s.fileMode: 0%o has bits beyond 0777 (setuid, setgid or sticky)",
                                where, dev->file_mode);
    if (type_bits != 0 && type_bits != cradle_device_node_type(dev->type))
        return cradle_error_set(err, EINVAL,
                                "%s.fileMode: 0%o has file type bits that are not those of type "
                                "\"%c\"",
                                where, dev->file_mode, dev->type);
    return 0;
}

static int check_device(const struct cradle_spec_device *dev, const char *where, cradle_error **err)
{
    _cleanup_free_ char *path = pp_normalize_path(dev->path);
    if (path == NULL)
        return cradle_error_set(err, ENOMEM, "%s.path", where);
    if (strcmp(path, "/") == 0)
        return cradle_error_set(err, EINVAL, "%s.path: \"%s\" names no file", where, dev->path);
    if (dev->type != 'p' && (check_number(dev->major, DEVICE_MAJOR_MAX, where, "major", err) < 0 ||
                             check_number(dev->minor, DEVICE_MINOR_MAX, where, "minor", err) < 0))
        return -1;
    if (dev->has_file_mode && check_file_mode(dev, where, err) < 0)
        return -1;
    return 0;
}

/* A device cgroup rule's number is a device number or -1 (any, the parser's default). */
static int check_rule_number(int64_t value, int64_t max, const char *where, const char *key,
                             cradle_error **err)
{
    if (value == -1)
        return 0;
    return check_number(value, max, where, key, err);
}

int spec_validate_devices(const struct cradle_spec *spec, cradle_error **err)
{
    const struct cradle_spec_linux *lnx = &spec->linux_;
    char where[SPEC_PATH_MAX];
    for (size_t i = 0; i < lnx->n_devices; i++)
        if (check_device(&lnx->devices[i], spec_path_index(where, "linux.devices", i), err) < 0)
            return -1;
    for (size_t i = 0; i < lnx->resources.n_devices; i++) {
        const struct cradle_device_rule *rule = &lnx->resources.devices[i];
        spec_path_index(where, "linux.resources.devices", i);
        if (check_rule_number(rule->major, DEVICE_MAJOR_MAX, where, "major", err) < 0 ||
            check_rule_number(rule->minor, DEVICE_MINOR_MAX, where, "minor", err) < 0)
            return -1;
    }
    return 0;
}
