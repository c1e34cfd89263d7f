/* linux.resources: the device cgroup rules; every other controller is not implemented yet
 * and is recorded as unsupported unless its entries ask for nothing. */
#include "spec_internal.h"

#include <stdbool.h>
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
    if (r == 0) {
        rule->type = 'a';
        return 0;
    }
    if (strlen(type) != 1 || strchr("acb", type[0]) == NULL)
        return cradle_error_set(err, 0, "%s.type: unknown device type \"%s\" (want a, c or b)",
                                path, type);
    rule->type = type[0];
    return 0;
}

static int parse_rule_access(struct json_object *obj, const char *path,
                             struct cradle_device_rule *rule, cradle_error **err)
{
    int r = spec_get_string(obj, path, "access", &rule->access, err);
    if (r < 0)
        return -1;
    if (r == 0) {
        rule->access = strdup("rwm");
        if (rule->access == NULL)
            return cradle_error_sys(err, "%s.access", path);
        return 0;
    }
    if (rule->access[0] == '\0' || strspn(rule->access, "rwm") != strlen(rule->access))
        return cradle_error_set(err, 0, "%s.access: \"%s\" is not a non-empty subset of \"rwm\"",
                                path, rule->access);
    return 0;
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

static int parse_device_rules(struct json_object *arr, struct cradle_resources *res,
                              cradle_error **err)
{
    const char *path = "linux.resources.devices";
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

/* Engines send zero entries that mean "not set" (Docker: memory.disableOOMKiller false,
 * cpu.shares 0, blockIO.weight 0 on every container; Podman: pids.limit 0): as in runc and
 * crun they ask for nothing, so they are not refused as unsupported. A negative limit
 * (pids, memory) is no limit either. */
static bool asks_for_nothing(const char *key, struct json_object *value)
{
    switch (json_object_get_type(value)) {
    case json_type_null:
        return true;
    case json_type_boolean:
        return !json_object_get_boolean(value);
    case json_type_int:
        return json_object_get_int64(value) == 0 ||
               (strcmp(key, "limit") == 0 && json_object_get_int64(value) < 0);
    case json_type_double:
        return json_object_get_double(value) == 0;
    case json_type_string:
        return json_object_get_string_len(value) == 0;
    case json_type_array:
        return json_object_array_length(value) == 0;
    case json_type_object:
        break;
    }
    json_object_object_foreach(value, member, member_value)
    {
        if (!asks_for_nothing(member, member_value))
            return false;
    }
    return true;
}

int spec_parse_resources(struct json_object *obj, struct cradle_spec *spec, cradle_error **err)
{
    char where[SPEC_PATH_MAX];
    struct json_object *rules = NULL;
    int r = spec_get_array(obj, "linux.resources", "devices", &rules, err);
    if (r < 0 || (r > 0 && parse_device_rules(rules, &spec->linux_.resources, err) < 0))
        return -1;

    json_object_object_foreach(obj, key, value)
    {
        if (strcmp(key, "devices") == 0 || asks_for_nothing(key, value))
            continue;
        if (spec_record_unsupported(spec, spec_path_join(where, "linux.resources", key), err) < 0)
            return -1;
    }
    return 0;
}
