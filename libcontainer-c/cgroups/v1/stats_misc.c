/* runc's stats event "pids", "blkio" and "hugetlb" parts from the v1 controllers. */
#include "cgroup_v1.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../cgroup_internal.h"
#include "cradle/cleanup.h"

int cgroup_v1_stats_pids(const char *dir, struct json_object *data, cradle_error **err)
{
    uint64_t current = 0, limit = 0;
    if (cgroup_v1_read_u64(dir, "pids.current", &current, err) < 0 ||
        cgroup_v1_read_u64(dir, "pids.max", &limit, err) < 0)
        return -1;
    struct json_object *pids = json_object_new_object();
    if (current != 0)
        json_object_object_add(pids, "current", json_object_new_uint64(current));
    if (limit != 0 && limit != UINT64_MAX) /* "max" is no limit: 0, omitted */
        json_object_object_add(pids, "limit", json_object_new_uint64(limit));
    json_object_object_add(data, "pids", pids);
    return 0;
}

struct blkio_file {
    const char *file;
    const char *key; /* in runc's events JSON */
};

#define BFQ_SERVICED                                                                               \
    {                                                                                              \
        "blkio.bfq.io_serviced_recursive", "ioServicedRecursive"                                   \
    }
#define BFQ_BYTES                                                                                  \
    {                                                                                              \
        "blkio.bfq.io_service_bytes_recursive", "ioServiceBytesRecursive"                          \
    }
#define BLKIO_GROUP_END                                                                            \
    {                                                                                              \
        NULL, NULL                                                                                 \
    }

/* runc's order of preference: the first group whose first file has entries wins. */
static const struct blkio_file blkio_groups[][9] = {
    {{"blkio.bfq.sectors_recursive", "sectorsRecursive"},
     {"blkio.bfq.io_service_time_recursive", "ioServiceTimeRecursive"},
     {"blkio.bfq.io_wait_time_recursive", "ioWaitTimeRecursive"},
     {"blkio.bfq.io_merged_recursive", "ioMergedRecursive"},
     {"blkio.bfq.io_queued_recursive", "ioQueueRecursive"},
     {"blkio.bfq.time_recursive", "ioTimeRecursive"},
     BFQ_SERVICED,
     BFQ_BYTES,
     BLKIO_GROUP_END},
    {BFQ_SERVICED, BFQ_BYTES, BLKIO_GROUP_END},
    {{"blkio.sectors_recursive", "sectorsRecursive"},
     {"blkio.io_service_time_recursive", "ioServiceTimeRecursive"},
     {"blkio.io_wait_time_recursive", "ioWaitTimeRecursive"},
     {"blkio.io_merged_recursive", "ioMergedRecursive"},
     {"blkio.io_queued_recursive", "ioQueueRecursive"},
     {"blkio.time_recursive", "ioTimeRecursive"},
     {"blkio.io_serviced_recursive", "ioServicedRecursive"},
     {"blkio.io_service_bytes_recursive", "ioServiceBytesRecursive"},
     BLKIO_GROUP_END},
    {{"blkio.throttle.io_serviced_recursive", "ioServicedRecursive"},
     {"blkio.throttle.io_service_bytes_recursive", "ioServiceBytesRecursive"},
     BLKIO_GROUP_END},
    {{"blkio.throttle.io_serviced", "ioServicedRecursive"},
     {"blkio.throttle.io_service_bytes", "ioServiceBytesRecursive"},
     BLKIO_GROUP_END},
};

/* Entries of dir/file: NULL (and success) when the file is missing or empty. */
static int blkio_entries(const char *dir, const char *file, struct json_object **out,
                         cradle_error **err)
{
    *out = NULL;
    _cleanup_free_ char *path = cgroup_path_join(dir, file);
    _cleanup_free_ char *text = NULL;
    if (path == NULL)
        return cradle_error_set(err, ENOMEM, "blkio stats");
    if (access(path, F_OK) < 0)
        return 0;
    if (cgroup_read_text(path, &text, err) < 0)
        return -1;
    struct json_object *list = cgroup_v1_parse_blkio_entries(text);
    if (list == NULL)
        return cradle_error_set(err, EINVAL, "unable to parse %s", path);
    if (json_object_array_length(list) == 0)
        json_object_put(list);
    else
        *out = list;
    return 0;
}

int cgroup_v1_stats_blkio(const char *dir, struct json_object *data, cradle_error **err)
{
    _cleanup_json_ struct json_object *blkio = json_object_new_object();
    for (size_t g = 0; g < sizeof(blkio_groups) / sizeof(blkio_groups[0]); g++) {
        size_t i = 0;
        for (; blkio_groups[g][i].file; i++) {
            struct json_object *list = NULL;
            if (blkio_entries(dir, blkio_groups[g][i].file, &list, err) < 0)
                return -1;
            if (list == NULL)
                break;
            json_object_object_add(blkio, blkio_groups[g][i].key, list);
        }
        /* As runc: a group whose first file has nothing gives way to the next one;
         * otherwise it is the answer, even when a later file of it is empty. */
        if (i > 0)
            break;
    }
    json_object_object_add(data, "blkio", TAKE_PTR(blkio));
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int hugetlb_entry(const char *dir, const char *size, struct json_object **out,
                         cradle_error **err)
{
    static const char *const suffixes[] = {"usage_in_bytes", "max_usage_in_bytes", "failcnt"};
    static const char *const keys[] = {"usage", "max", "failcnt"};
    _cleanup_json_ struct json_object *entry = json_object_new_object();
    for (size_t i = 0; i < 3; i++) {
        char file[64];
        uint64_t v = 0;
        snprintf(file, sizeof(file), "hugetlb.%s.%s", size, suffixes[i]);
        if (cgroup_v1_read_u64(dir, file, &v, err) < 0)
            return -1;
        if (v != 0 || i == 2) /* usage and max are omitempty */
            json_object_object_add(entry, keys[i], json_object_new_uint64(v));
    }
    *out = TAKE_PTR(entry);
    return 0;
}

int cgroup_v1_stats_hugetlb(const char *dir, struct json_object *data, cradle_error **err)
{
    _cleanup_strv_ char **sizes = cgroup_host_hugepage_sizes();
    if (sizes == NULL)
        return cradle_error_set(err, ENOMEM, "hugetlb stats");
    size_t n = 0;
    while (sizes[n])
        n++;
    /* Sorted as Go marshals a map: "1GB" before "2MB". */
    qsort(sizes, n, sizeof(sizes[0]), by_name);
    _cleanup_json_ struct json_object *hugetlb = json_object_new_object();
    for (size_t i = 0; i < n; i++) {
        struct json_object *entry = NULL;
        if (hugetlb_entry(dir, sizes[i], &entry, err) < 0)
            return -1;
        json_object_object_add(hugetlb, sizes[i], entry);
    }
    json_object_object_add(data, "hugetlb", TAKE_PTR(hugetlb));
    return 0;
}
