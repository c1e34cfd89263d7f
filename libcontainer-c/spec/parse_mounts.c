/* The "mounts" array: destination, type, source, options (translated by mount_options.c). */
#include "spec_internal.h"

#include <string.h>

/* Id-mapped mounts are not implemented yet: record where they are asked for. */
static int record_idmapped(struct json_object *obj, const char *path,
                           const struct cradle_spec_mount *m, struct cradle_spec *spec,
                           cradle_error **err)
{
    char where[SPEC_PATH_MAX];
    static const char *const fields[] = {"uidMappings", "gidMappings"};
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        if (spec_member(obj, fields[i]) != NULL &&
            spec_record_unsupported(spec, spec_path_join(where, path, fields[i]), err) < 0)
            return -1;
    }
    for (size_t i = 0; i < m->n_options; i++) {
        if (strcmp(m->options[i], "idmap") != 0 && strcmp(m->options[i], "ridmap") != 0)
            continue;
        if (spec_record_unsupported(
                spec, spec_path_format(where, "%s.options[%zu] (\"%s\")", path, i, m->options[i]),
                err) < 0)
            return -1;
    }
    return 0;
}

static int parse_mount(struct json_object *obj, const char *path, struct cradle_spec_mount *m,
                       struct cradle_spec *spec, cradle_error **err)
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
    return record_idmapped(obj, path, m, spec, err);
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
        if (parse_mount(json_object_array_get_idx(arr, i), item, &spec->mounts[i], spec, err) < 0)
            return -1;
    }
    return 0;
}
