/* The "hooks" section: six lists of {path, args, env, timeout}. */
#include "spec_internal.h"

static int parse_hook(struct json_object *obj, const char *path, struct cradle_spec_hook *hook,
                      cradle_error **err)
{
    if (spec_as_object(obj, err) < 0)
        return cradle_error_wrap(err, "%s", path);

    int r = spec_get_string(obj, path, "path", &hook->path, err);
    if (r <= 0)
        return r < 0 ? -1 : spec_missing(path, "path", err);
    if (hook->path[0] != '/')
        return cradle_error_set(err, 0, "%s.path: must be an absolute path, got \"%s\"", path,
                                hook->path);
    if (spec_get_strv(obj, path, "args", &hook->args, &hook->n_args, err) < 0)
        return -1;
    r = spec_get_strv(obj, path, "env", &hook->env, &hook->n_env, err);
    if (r < 0)
        return -1;
    hook->has_env = r > 0;

    r = spec_get_int(obj, path, "timeout", &hook->timeout, err);
    if (r < 0)
        return -1;
    hook->has_timeout = r > 0;
    if (hook->has_timeout && hook->timeout <= 0)
        return cradle_error_set(err, 0, "%s.timeout: must be greater than zero, got %d", path,
                                hook->timeout);
    return 0;
}

static int parse_hook_list(struct json_object *hooks, const char *key,
                           struct cradle_spec_hook_list *list, cradle_error **err)
{
    char where[SPEC_PATH_MAX], item[SPEC_PATH_MAX];
    struct json_object *arr = NULL;
    int present = spec_get_array(hooks, "hooks", key, &arr, err);
    if (present <= 0)
        return present;
    spec_path_join(where, "hooks", key);

    size_t n = json_object_array_length(arr);
    list->hooks = spec_alloc_array(n, sizeof(*list->hooks), where, err);
    if (list->hooks == NULL)
        return -1;
    list->n_hooks = n;
    for (size_t i = 0; i < n; i++) {
        spec_path_index(item, where, i);
        if (parse_hook(json_object_array_get_idx(arr, i), item, &list->hooks[i], err) < 0)
            return -1;
    }
    return 0;
}

int spec_parse_hooks(struct json_object *obj, struct cradle_spec_hooks *hooks, cradle_error **err)
{
    if (parse_hook_list(obj, "prestart", &hooks->prestart, err) < 0 ||
        parse_hook_list(obj, "createRuntime", &hooks->create_runtime, err) < 0 ||
        parse_hook_list(obj, "createContainer", &hooks->create_container, err) < 0 ||
        parse_hook_list(obj, "startContainer", &hooks->start_container, err) < 0 ||
        parse_hook_list(obj, "poststart", &hooks->poststart, err) < 0 ||
        parse_hook_list(obj, "poststop", &hooks->poststop, err) < 0)
        return -1;
    return 0;
}
