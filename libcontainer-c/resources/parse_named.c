/* The linux.resources entries keyed by a name: hugepageLimits (page size), network
 * priorities (interface), rdma (device) and unified (cgroup v2 file). */
#include "resources_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A page size, interface or device name goes into a cgroup file's name or into a line of
 * one (hugetlb.2MB.max, "eth0 5", "mlx5_1 hca_handle=3"): no '/', no white space. */
static int check_name(const char *name, const char *path, cradle_error **err)
{
    if (name[0] == '\0' || strpbrk(name, "/ \t\n\r\v\f") != NULL)
        return cradle_error_set(err, 0,
                                "%s: \"%s\" is not a valid name (empty, or has '/' or white space)",
                                path, name);
    return 0;
}

static int parse_hugepage(struct json_object *obj, const char *path,
                          struct cradle_hugepage_limit *limit, cradle_error **err)
{
    if (spec_as_object(obj, err) < 0)
        return cradle_error_wrap(err, "%s", path);
    char where[SPEC_PATH_MAX];
    int r = spec_get_string(obj, path, "pageSize", &limit->page_size, err);
    if (r <= 0)
        return r < 0 ? -1 : spec_missing(path, "pageSize", err);
    if (check_name(limit->page_size, spec_path_join(where, path, "pageSize"), err) < 0)
        return -1;
    r = spec_get_u64(obj, path, "limit", &limit->limit, err);
    if (r <= 0)
        return r < 0 ? -1 : spec_missing(path, "limit", err);
    return 0;
}

int resources_parse_hugepages(struct json_object *arr, const char *path,
                              struct cradle_resources *res, cradle_error **err)
{
    char item[SPEC_PATH_MAX];
    size_t n = json_object_array_length(arr);
    res->hugepages = spec_alloc_array(n, sizeof(*res->hugepages), path, err);
    if (res->hugepages == NULL)
        return -1;
    res->n_hugepages = n;
    for (size_t i = 0; i < n; i++)
        if (parse_hugepage(json_object_array_get_idx(arr, i), spec_path_index(item, path, i),
                           &res->hugepages[i], err) < 0)
            return -1;
    return 0;
}

static int parse_priority(struct json_object *obj, const char *path,
                          struct cradle_net_priority *prio, cradle_error **err)
{
    if (spec_as_object(obj, err) < 0)
        return cradle_error_wrap(err, "%s", path);
    char where[SPEC_PATH_MAX];
    int r = spec_get_string(obj, path, "name", &prio->name, err);
    if (r <= 0)
        return r < 0 ? -1 : spec_missing(path, "name", err);
    if (check_name(prio->name, spec_path_join(where, path, "name"), err) < 0)
        return -1;
    r = spec_get_u32(obj, path, "priority", &prio->priority, err);
    if (r <= 0)
        return r < 0 ? -1 : spec_missing(path, "priority", err);
    return 0;
}

int resources_parse_network(struct json_object *obj, const char *path,
                            struct cradle_resources_network *net, cradle_error **err)
{
    char where[SPEC_PATH_MAX], item[SPEC_PATH_MAX];
    struct json_object *arr = NULL;
    if (resources_get_u64(obj, path, "classID", UINT32_MAX, ZERO_IS_UNSET, &net->class_id, err) < 0)
        return -1;
    int r = spec_get_array(obj, path, "priorities", &arr, err);
    if (r <= 0)
        return r;
    spec_path_join(where, path, "priorities");
    size_t n = json_object_array_length(arr);
    net->priorities = spec_alloc_array(n, sizeof(*net->priorities), where, err);
    if (net->priorities == NULL)
        return -1;
    net->n_priorities = n;
    for (size_t i = 0; i < n; i++)
        if (parse_priority(json_object_array_get_idx(arr, i), spec_path_index(item, where, i),
                           &net->priorities[i], err) < 0)
            return -1;
    return 0;
}

static int copy_key(const char *name, const char *path, char **out, cradle_error **err)
{
    *out = strdup(name);
    if (*out == NULL)
        return cradle_error_sys(err, "%s: copying \"%s\"", path, name);
    return 0;
}

int resources_parse_rdma(struct json_object *obj, const char *path, struct cradle_resources *res,
                         cradle_error **err)
{
    char where[SPEC_PATH_MAX];
    size_t n = (size_t)json_object_object_length(obj);
    res->rdma = spec_alloc_array(n, sizeof(*res->rdma), path, err);
    if (res->rdma == NULL)
        return -1;
    json_object_object_foreach(obj, device, limits)
    {
        struct cradle_rdma_limit *limit = &res->rdma[res->n_rdma];
        if (check_name(device, path, err) < 0 || copy_key(device, path, &limit->device, err) < 0)
            return -1;
        res->n_rdma++;
        spec_path_join(where, path, device);
        if (limits == NULL)
            return cradle_error_set(err, 0, "%s: expected object, got null", where);
        if (spec_as_object(limits, err) < 0)
            return cradle_error_wrap(err, "%s", where);
        if (resources_get_u64(limits, where, "hcaHandles", UINT32_MAX, ZERO_IS_SET,
                              &limit->hca_handles, err) < 0 ||
            resources_get_u64(limits, where, "hcaObjects", UINT32_MAX, ZERO_IS_SET,
                              &limit->hca_objects, err) < 0)
            return -1;
    }
    return 0;
}

/* A key names a file in the container's cgroup directory: no path, as runc requires. */
static int check_unified_key(const char *key, const char *path, cradle_error **err)
{
    if (key[0] == '\0' || strchr(key, '/') != NULL || strcmp(key, ".") == 0 ||
        strcmp(key, "..") == 0)
        return cradle_error_set(err, 0, "%s: \"%s\" is not a cgroup file name", path, key);
    return 0;
}

int resources_parse_unified(struct json_object *obj, const char *path, struct cradle_resources *res,
                            cradle_error **err)
{
    char where[SPEC_PATH_MAX];
    size_t n = (size_t)json_object_object_length(obj);
    res->unified = spec_alloc_array(n, sizeof(*res->unified), path, err);
    if (res->unified == NULL)
        return -1;
    json_object_object_foreach(obj, key, value)
    {
        struct cradle_unified_entry *entry = &res->unified[res->n_unified];
        if (check_unified_key(key, path, err) < 0 || copy_key(key, path, &entry->key, err) < 0)
            return -1;
        res->n_unified++;
        spec_path_join(where, path, key);
        if (value == NULL)
            return cradle_error_set(err, 0, "%s: expected string, got null", where);
        if (spec_as_string(value, &entry->value, err) < 0)
            return cradle_error_wrap(err, "%s", where);
    }
    return 0;
}
