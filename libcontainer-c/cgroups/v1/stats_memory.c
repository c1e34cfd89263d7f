/* runc's stats event "memory" part from the v1 memory controller. */
#include "cgroup_v1.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>

#include "../cgroup_internal.h"
#include "cradle/cleanup.h"

/* {"limit", "usage", "max", "failcnt"} of memory[.NAME].*; a missing optional group
 * (memsw without swap accounting, kmem) is all zeros. */
static int memory_entry(const char *dir, const char *prefix, struct json_object **out,
                        cradle_error **err)
{
    static const char *const suffixes[] = {"limit_in_bytes", "usage_in_bytes", "max_usage_in_bytes",
                                           "failcnt"};
    static const char *const keys[] = {"limit", "usage", "max", "failcnt"};
    _cleanup_json_ struct json_object *entry = json_object_new_object();
    char usage_file[64];
    snprintf(usage_file, sizeof(usage_file), "%s.usage_in_bytes", prefix);
    bool present = cgroup_v1_has_file(dir, usage_file);
    for (size_t i = 0; i < 4; i++) {
        char file[64];
        uint64_t v = 0;
        snprintf(file, sizeof(file), "%s.%s", prefix, suffixes[i]);
        if (present && cgroup_v1_read_u64(dir, file, &v, err) < 0)
            return -1;
        bool omitempty = i == 1 || i == 2;
        if (v != 0 || !omitempty)
            json_object_object_add(entry, keys[i], json_object_new_uint64(v));
    }
    *out = TAKE_PTR(entry);
    return 0;
}

int cgroup_v1_stats_memory(const char *dir, struct json_object *data, cradle_error **err)
{
    _cleanup_json_ struct json_object *memory = json_object_new_object();
    _cleanup_json_ struct json_object *raw = json_object_new_object();
    _cleanup_free_ char *path = cgroup_path_join(dir, "memory.stat");
    _cleanup_free_ char *text = NULL;
    if (path == NULL)
        return cradle_error_set(err, ENOMEM, "memory stats");
    if (cgroup_read_text(path, &text, err) < 0)
        return -1;
    if (cgroup_v1_parse_flat_keyed(text, raw) < 0)
        return cradle_error_set(err, EINVAL, "unable to parse %s", path);
    struct json_object *cache = NULL;
    if (json_object_object_get_ex(raw, "cache", &cache) && json_object_get_uint64(cache) != 0)
        json_object_object_add(memory, "cache", json_object_get(cache));

    static const char *const entries[][2] = {{"usage", "memory"},
                                             {"swap", "memory.memsw"},
                                             {"kernel", "memory.kmem"},
                                             {"kernelTCP", "memory.kmem.tcp"}};
    for (size_t i = 0; i < 4; i++) {
        struct json_object *entry = NULL;
        if (memory_entry(dir, entries[i][1], &entry, err) < 0)
            return -1;
        json_object_object_add(memory, entries[i][0], entry);
    }
    if (json_object_object_length(raw) > 0)
        json_object_object_add(memory, "raw", TAKE_PTR(raw));
    json_object_object_add(data, "memory", TAKE_PTR(memory));
    return 0;
}
