/* The "linux" section; namespaces, devices and resources have files of their own. */
#include "spec_internal.h"

#include <string.h>
#include <sys/mount.h>

#include "cradle/cleanup.h"
#include "parse_seccomp.h"

int spec_parse_id_mappings(struct json_object *obj, const char *path, const char *key,
                           struct cradle_spec_id_mapping **out, size_t *n_out, cradle_error **err)
{
    char where[SPEC_PATH_MAX], item[SPEC_PATH_MAX];
    struct json_object *arr = NULL;
    int present = spec_get_array(obj, path, key, &arr, err);
    if (present <= 0)
        return present;
    spec_path_join(where, path, key);

    size_t n = json_object_array_length(arr);
    *out = spec_alloc_array(n, sizeof(**out), where, err);
    if (*out == NULL)
        return -1;
    *n_out = n;
    for (size_t i = 0; i < n; i++) {
        struct json_object *obj = json_object_array_get_idx(arr, i);
        struct cradle_spec_id_mapping *map = &(*out)[i];
        spec_path_index(item, where, i);
        if (spec_as_object(obj, err) < 0)
            return cradle_error_wrap(err, "%s", item);
        int r;
        if ((r = spec_get_u32(obj, item, "containerID", &map->container_id, err)) <= 0)
            return r < 0 ? -1 : spec_missing(item, "containerID", err);
        if ((r = spec_get_u32(obj, item, "hostID", &map->host_id, err)) <= 0)
            return r < 0 ? -1 : spec_missing(item, "hostID", err);
        if ((r = spec_get_u32(obj, item, "size", &map->size, err)) <= 0)
            return r < 0 ? -1 : spec_missing(item, "size", err);
    }
    return 0;
}

static const struct {
    const char *name;
    unsigned long flags;
} propagation_modes[] = {
    {"shared", MS_SHARED},         {"rshared", MS_SHARED | MS_REC},
    {"slave", MS_SLAVE},           {"rslave", MS_SLAVE | MS_REC},
    {"private", MS_PRIVATE},       {"rprivate", MS_PRIVATE | MS_REC},
    {"unbindable", MS_UNBINDABLE}, {"runbindable", MS_UNBINDABLE | MS_REC},
};

static int parse_rootfs_propagation(struct json_object *obj, struct cradle_spec_linux *lnx,
                                    cradle_error **err)
{
    _cleanup_free_ char *mode = NULL;
    int r = spec_get_string(obj, "linux", "rootfsPropagation", &mode, err);
    /* runc treats an empty string as "not set". */
    if (r <= 0 || mode[0] == '\0')
        return r;
    for (size_t i = 0; i < sizeof(propagation_modes) / sizeof(propagation_modes[0]); i++) {
        if (strcmp(propagation_modes[i].name, mode) == 0) {
            lnx->has_rootfs_propagation = true;
            lnx->rootfs_propagation = propagation_modes[i].flags;
            return 0;
        }
    }
    return cradle_error_set(err, 0, "linux.rootfsPropagation: unknown propagation \"%s\"", mode);
}

int spec_parse_linux(struct json_object *obj, struct cradle_spec *spec, cradle_error **err)
{
    struct cradle_spec_linux *lnx = &spec->linux_;
    struct json_object *sub = NULL;
    int r;

    if ((r = spec_get_array(obj, "linux", "namespaces", &sub, err)) < 0 ||
        (r > 0 && spec_parse_namespaces(sub, lnx, err) < 0))
        return -1;
    if (spec_parse_id_mappings(obj, "linux", "uidMappings", &lnx->uid_mappings,
                               &lnx->n_uid_mappings, err) < 0 ||
        spec_parse_id_mappings(obj, "linux", "gidMappings", &lnx->gid_mappings,
                               &lnx->n_gid_mappings, err) < 0)
        return -1;
    if ((r = spec_get_array(obj, "linux", "devices", &sub, err)) < 0 ||
        (r > 0 && spec_parse_devices(sub, lnx, err) < 0))
        return -1;
    if ((r = spec_get_object(obj, "linux", "resources", &sub, err)) < 0 ||
        (r > 0 && spec_parse_resources(sub, spec, err) < 0))
        return -1;
    if ((r = spec_get_object(obj, "linux", "netDevices", &sub, err)) < 0 ||
        (r > 0 && spec_parse_net_devices(sub, lnx, err) < 0))
        return -1;
    if ((r = spec_get_object(obj, "linux", "intelRdt", &sub, err)) < 0 ||
        (r > 0 && spec_parse_intel_rdt(sub, &lnx->intel_rdt, err) < 0))
        return -1;
    lnx->has_intel_rdt = r > 0;
    if ((r = spec_get_object(obj, "linux", "seccomp", &sub, err)) < 0 ||
        (r > 0 && spec_parse_seccomp(sub, spec, err) < 0))
        return -1;
    if (spec_get_string(obj, "linux", "cgroupsPath", &lnx->cgroups_path, err) < 0 ||
        spec_get_strv(obj, "linux", "maskedPaths", &lnx->masked_paths, &lnx->n_masked_paths, err) <
            0 ||
        spec_get_strv(obj, "linux", "readonlyPaths", &lnx->readonly_paths, &lnx->n_readonly_paths,
                      err) < 0 ||
        parse_rootfs_propagation(obj, lnx, err) < 0 ||
        spec_get_keyvals(obj, "linux", "sysctl", &lnx->sysctls, &lnx->n_sysctls, err) < 0 ||
        spec_get_string(obj, "linux", "mountLabel", &lnx->mount_label, err) < 0)
        return -1;
    return spec_parse_linux_fields(obj, lnx, err);
}
