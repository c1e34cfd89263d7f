/* linux.namespaces: type names -> CLONE_NEW* flags, absolute paths (duplicates are
 * refused by validate.c). */
#include "spec_internal.h"

#include <sched.h>
#include <string.h>

#include "cradle/cleanup.h"

static const struct {
    const char *name;
    int flag;
} namespace_types[] = {
    {"pid", CLONE_NEWPID},       {"network", CLONE_NEWNET}, {"mount", CLONE_NEWNS},
    {"ipc", CLONE_NEWIPC},       {"uts", CLONE_NEWUTS},     {"user", CLONE_NEWUSER},
    {"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME},
};

static int namespace_flag(const char *name)
{
    for (size_t i = 0; i < sizeof(namespace_types) / sizeof(namespace_types[0]); i++) {
        if (strcmp(namespace_types[i].name, name) == 0)
            return namespace_types[i].flag;
    }
    return 0;
}

const char *spec_namespace_name(int flag)
{
    for (size_t i = 0; i < sizeof(namespace_types) / sizeof(namespace_types[0]); i++) {
        if (namespace_types[i].flag == flag)
            return namespace_types[i].name;
    }
    return "?";
}

static int parse_namespace(struct json_object *obj, const char *path,
                           struct cradle_spec_namespace *ns, cradle_error **err)
{
    _cleanup_free_ char *type = NULL;
    if (spec_as_object(obj, err) < 0)
        return cradle_error_wrap(err, "%s", path);

    int r = spec_get_string(obj, path, "type", &type, err);
    if (r <= 0)
        return r < 0 ? -1 : spec_missing(path, "type", err);
    ns->type = namespace_flag(type);
    if (ns->type == 0)
        return cradle_error_set(err, 0, "%s.type: unknown namespace type \"%s\"", path, type);

    if (spec_get_string(obj, path, "path", &ns->path, err) < 0)
        return -1;
    if (ns->path != NULL && ns->path[0] != '/')
        return cradle_error_set(err, 0, "%s.path: must be an absolute path, got \"%s\"", path,
                                ns->path);
    return 0;
}

int spec_parse_namespaces(struct json_object *arr, struct cradle_spec_linux *lnx,
                          cradle_error **err)
{
    char item[SPEC_PATH_MAX];
    size_t n = json_object_array_length(arr);
    lnx->namespaces = spec_alloc_array(n, sizeof(*lnx->namespaces), "linux.namespaces", err);
    if (lnx->namespaces == NULL)
        return -1;
    lnx->n_namespaces = n;

    for (size_t i = 0; i < n; i++) {
        spec_path_index(item, "linux.namespaces", i);
        if (parse_namespace(json_object_array_get_idx(arr, i), item, &lnx->namespaces[i], err) < 0)
            return -1;
    }
    return 0;
}
