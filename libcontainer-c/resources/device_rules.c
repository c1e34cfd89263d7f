/* linux.resources.devices: the device cgroup rules, with their access strings in one form. */
#include "resources_internal.h"

#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"

static int parse_rule_type(struct json_object *obj, const char *path,
                           struct cradle_device_rule *rule, cradle_error **err)
{
    _cleanup_free_ char *type = NULL;
    int r = spec_get_string(obj, path, "type", &type, err);
    if (r < 0)
        return -1;
    if (r == 0 || type[0] == '\0') {
        rule->type = 'a';
        return 0;
    }
    if (strlen(type) != 1 || strchr("acb", type[0]) == NULL)
        return cradle_error_set(err, 0, "%s.type: unknown device type \"%s\" (want a, c or b)",
                                path, type);
    rule->type = type[0];
    return 0;
}

/* runc takes the r, w and m in an access string and ignores every other letter ("rwa" is
 * "rw", "mrr" is "rm"), on cgroup v1 and v2 alike; an empty string is an error. On an "a"
 * rule (all devices) the kernel and runc ignore the access altogether, so one without any
 * of the three letters is "rwm". On a "c" or "b" rule such a string asks for nothing: runc
 * fails on v1 ("resulting devices cgroup doesn't precisely match target") and drops the
 * rule on v2; cradle refuses it, naming the field. An absent access is "rwm". */
static int normalize_access(const char *given, const char *path, struct cradle_device_rule *rule,
                            cradle_error **err)
{
    char normal[4] = {0};
    size_t n = 0;
    if (given[0] == '\0')
        return cradle_error_set(err, 0, "%s.access: cannot be empty", path);
    for (const char *letter = "rwm"; *letter; letter++)
        if (strchr(given, *letter) != NULL)
            normal[n++] = *letter;
    if (n == 0 && rule->type != 'a')
        return cradle_error_set(err, 0, "%s.access: \"%s\" has none of r, w or m", path, given);
    rule->access = strdup(n == 0 ? "rwm" : normal);
    if (rule->access == NULL)
        return cradle_error_sys(err, "%s.access", path);
    return 0;
}

static int parse_rule_access(struct json_object *obj, const char *path,
                             struct cradle_device_rule *rule, cradle_error **err)
{
    _cleanup_free_ char *given = NULL;
    int r = spec_get_string(obj, path, "access", &given, err);
    if (r < 0)
        return -1;
    return normalize_access(r == 0 ? "rwm" : given, path, rule, err);
}

static int parse_rule(struct json_object *obj, const char *path, struct cradle_device_rule *rule,
                      cradle_error **err)
{
    if (spec_as_object(obj, err) < 0)
        return cradle_error_wrap(err, "%s", path);

    int r = spec_get_bool(obj, path, "allow", &rule->allow, err);
    if (r <= 0)
        return r < 0 ? -1 : spec_missing(path, "allow", err);
    if (parse_rule_type(obj, path, rule, err) < 0)
        return -1;
    rule->major = -1;
    rule->minor = -1;
    if (spec_get_i64(obj, path, "major", &rule->major, err) < 0 ||
        spec_get_i64(obj, path, "minor", &rule->minor, err) < 0)
        return -1;
    return parse_rule_access(obj, path, rule, err);
}

int resources_parse_device_rules(struct json_object *arr, const char *path,
                                 struct cradle_resources *res, cradle_error **err)
{
    char item[SPEC_PATH_MAX];
    size_t n = json_object_array_length(arr);
    res->devices = spec_alloc_array(n, sizeof(*res->devices), path, err);
    if (res->devices == NULL)
        return -1;
    res->n_devices = n;
    res->has_devices = true;
    for (size_t i = 0; i < n; i++) {
        spec_path_index(item, path, i);
        if (parse_rule(json_object_array_get_idx(arr, i), item, &res->devices[i], err) < 0)
            return -1;
    }
    return 0;
}
