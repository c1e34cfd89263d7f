#include "features_idmap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <sys/mount.h>

#include "cradle/spec.h"

static bool parser_accepts_idmap(void)
{
    static const char config[] =
        "{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"rootfs\"}, \"mounts\": [{"
        "\"destination\": \"/m\", \"source\": \"/\", \"options\": [\"rbind\", \"ridmap\"], "
        "\"uidMappings\": [{\"containerID\": 0, \"hostID\": 1, \"size\": 1}], "
        "\"gidMappings\": [{\"containerID\": 0, \"hostID\": 1, \"size\": 1}]}]}";
    struct cradle_spec *spec = NULL;
    cradle_error *err = NULL;
    bool accepted = cradle_spec_parse(config, &spec, &err) == 0 && spec->mounts[0].idmap;
    if (spec)
        cradle_spec_free(spec);
    cradle_error_free(&err);
    return accepted;
}

/* A kernel before 5.12 has no mount_setattr: ENOSYS, where an invalid fd gives EBADF. */
static bool kernel_has_mount_setattr(void)
{
    struct mount_attr attr = {0};
    return mount_setattr(-1, "", AT_EMPTY_PATH, &attr, sizeof(attr)) == 0 || errno != ENOSYS;
}

struct json_object *features_mount_extensions(void)
{
    struct json_object *enabled = json_object_new_object();
    json_object_object_add(
        enabled, "enabled",
        json_object_new_boolean(parser_accepts_idmap() && kernel_has_mount_setattr()));
    struct json_object *extensions = json_object_new_object();
    json_object_object_add(extensions, "idmap", enabled);
    return extensions;
}
