/* The "mounts" array: destination, type, source, options (translated by mount_options.c). */
#include "spec_internal.h"

/* "uidMappings"/"gidMappings": the mount is id-mapped (validate_mounts.c checks the rest). */
static int parse_mount_id_mappings(struct json_object *obj, const char *path,
                                   struct cradle_spec_mount *m, cradle_error **err)
{
    if (spec_parse_id_mappings(obj, path, "uidMappings", &m->uid_mappings, &m->n_uid_mappings,
                               err) < 0 ||
        spec_parse_id_mappings(obj, path, "gidMappings", &m->gid_mappings, &m->n_gid_mappings,
                               err) < 0)
        return -1;
    if (spec_member(obj, "uidMappings") != NULL || spec_member(obj, "gidMappings") != NULL)
        m->idmap = true;
    return 0;
}

static int parse_mount(struct json_object *obj, const char *path, struct cradle_spec_mount *m,
                       cradle_error **err)
{
    if (spec_as_object(obj, err) < 0)
        return cradle_error_wrap(err, "%s", path);

    int r = spec_get_string(obj, path, "destination", &m->destination, err);
    if (r <= 0)
        return r < 0 ? -1 : spec_missing(path, "destination", err);
    if (m->destination[0] != '/')
        return cradle_error_set(err, 0, "%s.destination: must be an absolute path, got \"%s\"",
                                path, m->destination);

    if (spec_get_string(obj, path, "type", &m->type, err) < 0 ||
        spec_get_string(obj, path, "source", &m->source, err) < 0 ||
        spec_get_strv(obj, path, "options", &m->options, &m->n_options, err) < 0)
        return -1;
    if (cradle_mount_options_parse(m, err) < 0)
        return cradle_error_wrap(err, "%s", path);
    return parse_mount_id_mappings(obj, path, m, err);
}

int spec_parse_mounts(struct json_object *arr, struct cradle_spec *spec, cradle_error **err)
{
    char item[SPEC_PATH_MAX];
    size_t n = json_object_array_length(arr);
    spec->mounts = spec_alloc_array(n, sizeof(*spec->mounts), "mounts", err);
    if (spec->mounts == NULL)
        return -1;
    spec->n_mounts = n;
    for (size_t i = 0; i < n; i++) {
        spec_path_index(item, "mounts", i);
        if (parse_mount(json_object_array_get_idx(arr, i), item, &spec->mounts[i], err) < 0)
            return -1;
    }
    return 0;
}
