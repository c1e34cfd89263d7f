/* cradle_resources_to_json: the linux.resources object that cradle_resources_parse reads
 * back into the same struct (what is unset is left out). */
#include "cradle/resources.h"

#include <json-c/json.h>
#include <stdbool.h>

/* Adds key: value to obj unless value is NULL; false when out of memory. */
static bool put(struct json_object *obj, const char *key, struct json_object *value)
{
    if (value == NULL || json_object_object_add(obj, key, value) < 0) {
        json_object_put(value);
        return false;
    }
    return true;
}

static bool put_i64(struct json_object *obj, const char *key, struct cradle_opt_i64 opt)
{
    return !opt.set || put(obj, key, json_object_new_int64(opt.value));
}

static bool put_u64(struct json_object *obj, const char *key, struct cradle_opt_u64 opt)
{
    return !opt.set || put(obj, key, json_object_new_uint64(opt.value));
}

static bool put_string(struct json_object *obj, const char *key, const char *value)
{
    return value == NULL || put(obj, key, json_object_new_string(value));
}

/* Adds key: section to obj when the section has members, and drops it otherwise. */
static bool put_section(struct json_object *obj, const char *key, struct json_object *section)
{
    if (section != NULL && json_object_object_length(section) == 0) {
        json_object_put(section);
        return true;
    }
    return put(obj, key, section);
}

static struct json_object *memory_json(const struct cradle_resources_memory *mem)
{
    struct json_object *o = json_object_new_object();
    bool ok =
        o != NULL && put_i64(o, "limit", mem->limit) &&
        put_i64(o, "reservation", mem->reservation) && put_i64(o, "swap", mem->swap) &&
        put_u64(o, "swappiness", mem->swappiness) &&
        (!mem->kernel_set || put(o, "kernel", json_object_new_int64(0))) &&
        (!mem->disable_oom_killer || put(o, "disableOOMKiller", json_object_new_boolean(true))) &&
        (!mem->use_hierarchy.set ||
         put(o, "useHierarchy", json_object_new_boolean(mem->use_hierarchy.value))) &&
        (!mem->check_before_update || put(o, "checkBeforeUpdate", json_object_new_boolean(true)));
    if (!ok) {
        json_object_put(o);
        return NULL;
    }
    return o;
}

static struct json_object *cpu_json(const struct cradle_resources_cpu *cpu)
{
    struct json_object *o = json_object_new_object();
    bool ok = o != NULL && put_u64(o, "shares", cpu->shares) && put_i64(o, "quota", cpu->quota) &&
              put_u64(o, "period", cpu->period) && put_u64(o, "burst", cpu->burst) &&
              put_i64(o, "realtimeRuntime", cpu->realtime_runtime) &&
              put_u64(o, "realtimePeriod", cpu->realtime_period) &&
              put_string(o, "cpus", cpu->cpus) && put_string(o, "mems", cpu->mems) &&
              put_i64(o, "idle", cpu->idle);
    if (!ok) {
        json_object_put(o);
        return NULL;
    }
    return o;
}

static struct json_object *pids_json(const struct cradle_resources_pids *pids)
{
    struct json_object *o = json_object_new_object();
    if (o != NULL && !put_i64(o, "limit", pids->limit)) {
        json_object_put(o);
        return NULL;
    }
    return o;
}

static struct json_object *device_numbers(int64_t major, int64_t minor)
{
    struct json_object *o = json_object_new_object();
    if (o == NULL || !put(o, "major", json_object_new_int64(major)) ||
        !put(o, "minor", json_object_new_int64(minor))) {
        json_object_put(o);
        return NULL;
    }
    return o;
}

static struct json_object *throttle_json(const struct cradle_throttle_list *list)
{
    struct json_object *arr = json_object_new_array();
    for (size_t i = 0; arr != NULL && i < list->n; i++) {
        const struct cradle_throttle_device *td = &list->items[i];
        struct json_object *o = device_numbers(td->major, td->minor);
        if (o == NULL || !put(o, "rate", json_object_new_uint64(td->rate)) ||
            json_object_array_add(arr, o) < 0) {
            json_object_put(o);
            json_object_put(arr);
            return NULL;
        }
    }
    return arr;
}

static bool put_throttle(struct json_object *obj, const char *key,
                         const struct cradle_throttle_list *list)
{
    return list->items == NULL || put(obj, key, throttle_json(list));
}

static struct json_object *weight_devices_json(const struct cradle_resources_blkio *blkio)
{
    struct json_object *arr = json_object_new_array();
    for (size_t i = 0; arr != NULL && i < blkio->n_weight_devices; i++) {
        const struct cradle_weight_device *wd = &blkio->weight_devices[i];
        struct json_object *o = device_numbers(wd->major, wd->minor);
        if (o == NULL || !put_u64(o, "weight", wd->weight) ||
            !put_u64(o, "leafWeight", wd->leaf_weight) || json_object_array_add(arr, o) < 0) {
            json_object_put(o);
            json_object_put(arr);
            return NULL;
        }
    }
    return arr;
}

static struct json_object *blkio_json(const struct cradle_resources_blkio *blkio)
{
    struct json_object *o = json_object_new_object();
    bool ok =
        o != NULL && put_u64(o, "weight", blkio->weight) &&
        put_u64(o, "leafWeight", blkio->leaf_weight) &&
        (blkio->weight_devices == NULL || put(o, "weightDevice", weight_devices_json(blkio))) &&
        put_throttle(o, "throttleReadBpsDevice", &blkio->read_bps) &&
        put_throttle(o, "throttleWriteBpsDevice", &blkio->write_bps) &&
        put_throttle(o, "throttleReadIOPSDevice", &blkio->read_iops) &&
        put_throttle(o, "throttleWriteIOPSDevice", &blkio->write_iops);
    if (!ok) {
        json_object_put(o);
        return NULL;
    }
    return o;
}

static struct json_object *hugepages_json(const struct cradle_resources *res)
{
    struct json_object *arr = json_object_new_array();
    for (size_t i = 0; arr != NULL && i < res->n_hugepages; i++) {
        struct json_object *o = json_object_new_object();
        if (o == NULL || !put_string(o, "pageSize", res->hugepages[i].page_size) ||
            !put(o, "limit", json_object_new_uint64(res->hugepages[i].limit)) ||
            json_object_array_add(arr, o) < 0) {
            json_object_put(o);
            json_object_put(arr);
            return NULL;
        }
    }
    return arr;
}

static struct json_object *network_json(const struct cradle_resources_network *net)
{
    struct json_object *o = json_object_new_object();
    struct json_object *arr = NULL;
    if (o == NULL || !put_u64(o, "classID", net->class_id))
        goto fail;
    if (net->priorities != NULL) {
        if (!put(o, "priorities", arr = json_object_new_array()))
            goto fail;
        for (size_t i = 0; i < net->n_priorities; i++) {
            struct json_object *p = json_object_new_object();
            if (p == NULL || !put_string(p, "name", net->priorities[i].name) ||
                !put(p, "priority", json_object_new_int64(net->priorities[i].priority)) ||
                json_object_array_add(arr, p) < 0) {
                json_object_put(p);
                goto fail;
            }
        }
    }
    return o;
fail:
    json_object_put(o);
    return NULL;
}

static struct json_object *rdma_json(const struct cradle_resources *res)
{
    struct json_object *o = json_object_new_object();
    for (size_t i = 0; o != NULL && i < res->n_rdma; i++) {
        struct json_object *limits = json_object_new_object();
        if (limits == NULL || !put_u64(limits, "hcaHandles", res->rdma[i].hca_handles) ||
            !put_u64(limits, "hcaObjects", res->rdma[i].hca_objects) ||
            !put(o, res->rdma[i].device, limits)) {
            json_object_put(o);
            return NULL;
        }
    }
    return o;
}

static struct json_object *unified_json(const struct cradle_resources *res)
{
    struct json_object *o = json_object_new_object();
    for (size_t i = 0; o != NULL && i < res->n_unified; i++) {
        if (!put_string(o, res->unified[i].key, res->unified[i].value)) {
            json_object_put(o);
            return NULL;
        }
    }
    return o;
}

static struct json_object *device_rules_json(const struct cradle_resources *res)
{
    struct json_object *arr = json_object_new_array();
    for (size_t i = 0; arr != NULL && i < res->n_devices; i++) {
        const struct cradle_device_rule *rule = &res->devices[i];
        char type[2] = {rule->type, '\0'};
        struct json_object *o = json_object_new_object();
        if (o == NULL || !put(o, "allow", json_object_new_boolean(rule->allow)) ||
            !put_string(o, "type", type) ||
            (rule->major >= 0 && !put(o, "major", json_object_new_int64(rule->major))) ||
            (rule->minor >= 0 && !put(o, "minor", json_object_new_int64(rule->minor))) ||
            !put_string(o, "access", rule->access) || json_object_array_add(arr, o) < 0) {
            json_object_put(o);
            json_object_put(arr);
            return NULL;
        }
    }
    return arr;
}

struct json_object *cradle_resources_to_json(const struct cradle_resources *res)
{
    struct json_object *o = json_object_new_object();
    bool ok = o != NULL && put_section(o, "memory", memory_json(&res->memory)) &&
              put_section(o, "cpu", cpu_json(&res->cpu)) &&
              put_section(o, "pids", pids_json(&res->pids)) &&
              put_section(o, "blockIO", blkio_json(&res->blkio)) &&
              (res->hugepages == NULL || put(o, "hugepageLimits", hugepages_json(res))) &&
              put_section(o, "network", network_json(&res->network)) &&
              (res->rdma == NULL || put(o, "rdma", rdma_json(res))) &&
              (res->unified == NULL || put(o, "unified", unified_json(res))) &&
              (!res->has_devices || put(o, "devices", device_rules_json(res)));
    if (!ok) {
        json_object_put(o);
        return NULL;
    }
    return o;
}
