/* The "process" section: user, args, env, cwd, capabilities, rlimits and friends. */
#include "spec_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"

static int parse_additional_gids(struct json_object *user, struct cradle_spec_user *u,
                                 cradle_error **err)
{
    const char *path = "process.user.additionalGids";
    char item[SPEC_PATH_MAX];
    struct json_object *arr = NULL;
    int present = spec_get_array(user, "process.user", "additionalGids", &arr, err);
    if (present <= 0)
        return present;

    size_t n = json_object_array_length(arr);
    u->additional_gids = spec_alloc_array(n, sizeof(uint32_t), path, err);
    if (u->additional_gids == NULL)
        return -1;
    u->n_additional_gids = n;
    for (size_t i = 0; i < n; i++) {
        if (spec_as_u32(json_object_array_get_idx(arr, i), &u->additional_gids[i], err) < 0)
            return cradle_error_wrap(err, "%s", spec_path_index(item, path, i));
    }
    return 0;
}

static int parse_user(struct json_object *proc, struct cradle_spec_user *u, cradle_error **err)
{
    const char *path = "process.user";
    struct json_object *user = NULL;
    int present = spec_get_object(proc, "process", "user", &user, err);
    if (present <= 0)
        return present;

    int r = spec_get_u32(user, path, "umask", &u->umask, err);
    if (r < 0)
        return -1;
    u->has_umask = r > 0;
    if (spec_get_u32(user, path, "uid", &u->uid, err) < 0 ||
        spec_get_u32(user, path, "gid", &u->gid, err) < 0)
        return -1;
    return parse_additional_gids(user, u, err);
}

static int parse_console_size(struct json_object *proc, struct cradle_spec_process *p,
                              cradle_error **err)
{
    const char *path = "process.consoleSize";
    struct json_object *size = NULL;
    int present = spec_get_object(proc, "process", "consoleSize", &size, err);
    if (present <= 0)
        return present;

    int r = spec_get_u32(size, path, "height", &p->console_height, err);
    if (r <= 0)
        return r < 0 ? -1 : spec_missing(path, "height", err);
    r = spec_get_u32(size, path, "width", &p->console_width, err);
    if (r <= 0)
        return r < 0 ? -1 : spec_missing(path, "width", err);
    p->has_console_size = true;
    return 0;
}

static int parse_args_and_cwd(struct json_object *proc, struct cradle_spec_process *p,
                              cradle_error **err)
{
    int r = spec_get_strv(proc, "process", "args", &p->args, &p->n_args, err);
    if (r < 0)
        return -1;
    if (r == 0)
        return spec_missing("process", "args", err);
    if (p->n_args == 0)
        return cradle_error_set(err, 0, "process.args: must be a non-empty array");

    r = spec_get_string(proc, "process", "cwd", &p->cwd, err);
    if (r < 0)
        return -1;
    if (r == 0) {
        p->cwd = strdup("/");
        if (p->cwd == NULL)
            return cradle_error_sys(err, "process.cwd");
    }
    if (p->cwd[0] != '/')
        return cradle_error_set(err, 0, "process.cwd: must be an absolute path, got \"%s\"",
                                p->cwd);
    return 0;
}

static int parse_process_security(struct json_object *proc, struct cradle_spec *spec,
                                  cradle_error **err)
{
    struct cradle_spec_process *p = &spec->process;
    struct json_object *obj = NULL;

    int r = spec_get_object(proc, "process", "capabilities", &obj, err);
    if (r < 0)
        return -1;
    p->has_capabilities = r > 0;
    if (r > 0 && spec_parse_capabilities(obj, "process.capabilities", &p->capabilities, err) < 0)
        return -1;

    r = spec_get_array(proc, "process", "rlimits", &obj, err);
    if (r < 0 || (r > 0 && spec_parse_rlimits(obj, "process.rlimits", p, err) < 0))
        return -1;

    if (spec_get_bool(proc, "process", "noNewPrivileges", &p->no_new_privileges, err) < 0)
        return -1;
    r = spec_get_int(proc, "process", "oomScoreAdj", &p->oom_score_adj, err);
    if (r < 0)
        return -1;
    p->has_oom_score_adj = r > 0;

    /* An empty label means "none", as in runc. */
    if (spec_get_string(proc, "process", "apparmorProfile", &p->apparmor_profile, err) < 0 ||
        spec_get_string(proc, "process", "selinuxLabel", &p->selinux_label, err) < 0)
        return -1;
    return 0;
}

int spec_parse_process(struct json_object *proc, struct cradle_spec *spec, cradle_error **err)
{
    struct cradle_spec_process *p = &spec->process;

    if (spec_get_bool(proc, "process", "terminal", &p->terminal, err) < 0 ||
        parse_console_size(proc, p, err) < 0 || parse_user(proc, &p->user, err) < 0 ||
        parse_args_and_cwd(proc, p, err) < 0 ||
        spec_get_strv(proc, "process", "env", &p->env, &p->n_env, err) < 0 ||
        parse_process_security(proc, spec, err) < 0 || spec_parse_process_sched(proc, p, err) < 0)
        return -1;
    return 0;
}

static void json_putp(struct json_object **obj)
{
    json_object_put(*obj);
}

int cradle_spec_parse_process(const char *json_text, struct cradle_spec **out, cradle_error **err)
{
    enum json_tokener_error jerr = json_tokener_success;
    __attribute__((cleanup(json_putp))) struct json_object *doc =
        json_tokener_parse_verbose(json_text, &jerr);
    if (doc == NULL)
        return cradle_error_set(err, EINVAL, "process: invalid JSON: %s",
                                json_tokener_error_desc(jerr));
    if (!json_object_is_type(doc, json_type_object))
        return cradle_error_set(err, EINVAL, "process: expected object, got %s",
                                spec_type_name(doc));
    _cleanup_spec_ struct cradle_spec *spec = calloc(1, sizeof(*spec));
    if (spec == NULL)
        return cradle_error_sys(err, "process: allocating the spec");
    if (spec_parse_process(doc, spec, err) < 0)
        return -1;
    spec->has_process = true;
    *out = TAKE_PTR(spec);
    return 0;
}
