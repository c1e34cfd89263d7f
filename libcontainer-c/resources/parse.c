/* cradle_resources_parse: linux.resources into struct cradle_resources, with runc's rule
 * for what is "set" (see resources.h); memory, cpu and pids here, the rest in parse_*.c. */
#include "resources_internal.h"

#include <inttypes.h>
#include <stdlib.h>

/* Memory limits: a byte count, or -1 for unlimited. */
static int get_memory_bytes(struct json_object *obj, const char *path, const char *key,
                            struct cradle_opt_i64 *opt, cradle_error **err)
{
    return resources_get_i64(obj, path, key, -1, ZERO_IS_UNSET, opt, err);
}

/* Absent or -1 (as runc reads a uint64 of -1) leaves it unset; 0 to 100 is a value. */
static int parse_swappiness(struct json_object *obj, const char *path,
                            struct cradle_resources_memory *mem, cradle_error **err)
{
    char where[SPEC_PATH_MAX];
    struct json_object *v = spec_member(obj, "swappiness");
    if (v != NULL && json_object_is_type(v, json_type_int) &&
        (json_object_get_int64(v) == -1 || json_object_get_uint64(v) == UINT64_MAX))
        return 0;
    uint64_t value = 0;
    int r = spec_get_u64(obj, path, "swappiness", &value, err);
    if (r <= 0)
        return r;
    if (value > 100)
        return cradle_error_set(err, 0, "%s: %" PRIu64 " is out of range (0-100)",
                                spec_path_join(where, path, "swappiness"), value);
    mem->swappiness.set = true;
    mem->swappiness.value = value;
    return 0;
}

/* kernel and kernelTCP: the kernel dropped kernel memory accounting; runc accepts both and
 * warns. Only their type is checked. */
static int parse_kernel_memory(struct json_object *obj, const char *path,
                               struct cradle_resources_memory *mem, cradle_error **err)
{
    static const char *const keys[] = {"kernel", "kernelTCP"};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        int64_t ignored = 0;
        int r = spec_get_i64(obj, path, keys[i], &ignored, err);
        if (r < 0)
            return -1;
        if (r > 0)
            mem->kernel_set = true;
    }
    return 0;
}

static int parse_memory(struct json_object *obj, const char *path,
                        struct cradle_resources_memory *mem, cradle_error **err)
{
    bool use_hierarchy = false;
    int r;
    if (get_memory_bytes(obj, path, "limit", &mem->limit, err) < 0 ||
        get_memory_bytes(obj, path, "reservation", &mem->reservation, err) < 0 ||
        get_memory_bytes(obj, path, "swap", &mem->swap, err) < 0 ||
        parse_kernel_memory(obj, path, mem, err) < 0 || parse_swappiness(obj, path, mem, err) < 0 ||
        spec_get_bool(obj, path, "disableOOMKiller", &mem->disable_oom_killer, err) < 0 ||
        spec_get_bool(obj, path, "checkBeforeUpdate", &mem->check_before_update, err) < 0)
        return -1;
    if ((r = spec_get_bool(obj, path, "useHierarchy", &use_hierarchy, err)) < 0)
        return -1;
    if (r > 0) {
        mem->use_hierarchy.set = true;
        mem->use_hierarchy.value = use_hierarchy;
    }
    return 0;
}

/* cpus and mems: "" is not set. */
static int get_cpuset_list(struct json_object *obj, const char *path, const char *key, char **out,
                           cradle_error **err)
{
    if (spec_get_string(obj, path, key, out, err) < 0)
        return -1;
    if (*out != NULL && **out == '\0') {
        free(*out);
        *out = NULL;
    }
    return 0;
}

static int parse_cpu(struct json_object *obj, const char *path, struct cradle_resources_cpu *cpu,
                     cradle_error **err)
{
    if (resources_get_u64(obj, path, "shares", UINT64_MAX, ZERO_IS_UNSET, &cpu->shares, err) < 0 ||
        resources_get_i64(obj, path, "quota", INT64_MIN, ZERO_IS_UNSET, &cpu->quota, err) < 0 ||
        resources_get_u64(obj, path, "period", UINT64_MAX, ZERO_IS_UNSET, &cpu->period, err) < 0 ||
        resources_get_u64(obj, path, "burst", UINT64_MAX, ZERO_IS_SET, &cpu->burst, err) < 0 ||
        resources_get_i64(obj, path, "realtimeRuntime", INT64_MIN, ZERO_IS_UNSET,
                          &cpu->realtime_runtime, err) < 0 ||
        resources_get_u64(obj, path, "realtimePeriod", UINT64_MAX, ZERO_IS_UNSET,
                          &cpu->realtime_period, err) < 0 ||
        resources_get_i64(obj, path, "idle", INT64_MIN, ZERO_IS_SET, &cpu->idle, err) < 0)
        return -1;
    if (get_cpuset_list(obj, path, "cpus", &cpu->cpus, err) < 0 ||
        get_cpuset_list(obj, path, "mems", &cpu->mems, err) < 0)
        return -1;
    return 0;
}

/* Runs parse on obj.key when it is present, after get (spec_get_object or spec_get_array)
 * checked its type; true when either failed. */
#define PARSE_FAILED(get, obj, path, key, parse, target)                                           \
    ({                                                                                             \
        char _where[SPEC_PATH_MAX];                                                                \
        struct json_object *_sub = NULL;                                                           \
        int _r = get((obj), (path), (key), &_sub, err);                                            \
        if (_r > 0)                                                                                \
            _r = parse(_sub, spec_path_join(_where, (path), (key)), (target), err);                \
        _r < 0;                                                                                    \
    })

static int parse_pids(struct json_object *obj, const char *path, struct cradle_resources_pids *pids,
                      cradle_error **err)
{
    /* Any negative limit is "max", as in runc. */
    return resources_get_i64(obj, path, "limit", INT64_MIN, ZERO_IS_UNSET, &pids->limit, err);
}

int cradle_resources_parse(struct json_object *obj, const char *path, struct cradle_resources *out,
                           cradle_error **err)
{
    struct cradle_resources res = {0};
    if (spec_as_object(obj, err) < 0)
        return cradle_error_wrap(err, "%s", path);
    if (PARSE_FAILED(spec_get_object, obj, path, "memory", parse_memory, &res.memory) ||
        PARSE_FAILED(spec_get_object, obj, path, "cpu", parse_cpu, &res.cpu) ||
        PARSE_FAILED(spec_get_object, obj, path, "pids", parse_pids, &res.pids) ||
        PARSE_FAILED(spec_get_object, obj, path, "blockIO", resources_parse_blkio, &res.blkio) ||
        PARSE_FAILED(spec_get_object, obj, path, "network", resources_parse_network,
                     &res.network) ||
        PARSE_FAILED(spec_get_array, obj, path, "hugepageLimits", resources_parse_hugepages,
                     &res) ||
        PARSE_FAILED(spec_get_object, obj, path, "rdma", resources_parse_rdma, &res) ||
        PARSE_FAILED(spec_get_object, obj, path, "unified", resources_parse_unified, &res) ||
        PARSE_FAILED(spec_get_array, obj, path, "devices", resources_parse_device_rules, &res)) {
        cradle_resources_free(&res);
        return -1;
    }
    cradle_resources_free(out);
    *out = res;
    return 0;
}
