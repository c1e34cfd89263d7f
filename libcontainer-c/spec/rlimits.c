/* process.rlimits: RLIMIT_* names (soft <= hard and duplicates: validate.c). */
#include "spec_internal.h"

#include <string.h>
#include <sys/resource.h>

static const struct {
    const char *name;
    int resource;
} rlimit_names[] = {
    {"RLIMIT_CPU", RLIMIT_CPU},           {"RLIMIT_FSIZE", RLIMIT_FSIZE},
    {"RLIMIT_DATA", RLIMIT_DATA},         {"RLIMIT_STACK", RLIMIT_STACK},
    {"RLIMIT_CORE", RLIMIT_CORE},         {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_NPROC", RLIMIT_NPROC},       {"RLIMIT_NOFILE", RLIMIT_NOFILE},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},   {"RLIMIT_AS", RLIMIT_AS},
    {"RLIMIT_LOCKS", RLIMIT_LOCKS},       {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE}, {"RLIMIT_NICE", RLIMIT_NICE},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},     {"RLIMIT_RTTIME", RLIMIT_RTTIME},
};

static int rlimit_from_name(const char *name)
{
    for (size_t i = 0; i < sizeof(rlimit_names) / sizeof(rlimit_names[0]); i++) {
        if (strcmp(rlimit_names[i].name, name) == 0)
            return rlimit_names[i].resource;
    }
    return -1;
}

static int parse_rlimit(struct json_object *obj, const char *path, struct cradle_spec_rlimit *rl,
                        cradle_error **err)
{
    if (spec_as_object(obj, err) < 0)
        return cradle_error_wrap(err, "%s", path);

    int r = spec_get_string(obj, path, "type", &rl->name, err);
    if (r <= 0)
        return r < 0 ? -1 : spec_missing(path, "type", err);
    rl->resource = rlimit_from_name(rl->name);
    if (rl->resource < 0)
        return cradle_error_set(err, 0, "%s.type: unknown rlimit type \"%s\"", path, rl->name);

    r = spec_get_u64(obj, path, "soft", &rl->soft, err);
    if (r <= 0)
        return r < 0 ? -1 : spec_missing(path, "soft", err);
    r = spec_get_u64(obj, path, "hard", &rl->hard, err);
    return r <= 0 ? (r < 0 ? -1 : spec_missing(path, "hard", err)) : 0;
}

int spec_parse_rlimits(struct json_object *arr, const char *path, struct cradle_spec_process *proc,
                       cradle_error **err)
{
    char item[SPEC_PATH_MAX];
    size_t n = json_object_array_length(arr);
    proc->rlimits = spec_alloc_array(n, sizeof(*proc->rlimits), path, err);
    if (proc->rlimits == NULL)
        return -1;
    proc->n_rlimits = n;

    for (size_t i = 0; i < n; i++) {
        spec_path_index(item, path, i);
        if (parse_rlimit(json_object_array_get_idx(arr, i), item, &proc->rlimits[i], err) < 0)
            return -1;
    }
    return 0;
}
