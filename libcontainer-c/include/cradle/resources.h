/* A container's resource limits (linux.resources, and `update`'s flags or -r file), in a
 * form of their own, independent of the spec and of the cgroup version that applies them.
 *
 * "set" means "write this": engines send zero entries that mean "not set" (Docker's
 * cpu.shares 0 and blockIO.weight 0, Podman's pids.limit 0), and the parser leaves those
 * unset exactly where runc does, so that the cgroup drivers write nothing for them. */
#ifndef CRADLE_RESOURCES_H
#define CRADLE_RESOURCES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cradle/error.h"

struct json_object;

struct cradle_opt_i64 {
    bool set;
    int64_t value;
};

struct cradle_opt_u64 {
    bool set;
    uint64_t value;
};

struct cradle_opt_bool {
    bool set;
    bool value;
};

/* linux.resources.devices entry; major/minor -1 means wildcard ("*"). */
struct cradle_device_rule {
    bool allow;
    char type; /* 'a', 'c' or 'b' */
    int64_t major;
    int64_t minor;
    char *access; /* a non-empty subset of "rwm" in that order: the parser keeps the r, w and m
                   * of the config's string, as runc does ("rwa" is "rw") */
};

struct cradle_resources_memory {
    struct cradle_opt_i64 limit;       /* -1: unlimited */
    struct cradle_opt_i64 reservation; /* -1: unlimited */
    struct cradle_opt_i64 swap;        /* memory+swap, as in runc; -1: unlimited */
    struct cradle_opt_u64 swappiness;  /* 0..100; absent or -1 in the config: not set */
    bool disable_oom_killer;
    struct cradle_opt_bool use_hierarchy;
    bool check_before_update;
    bool kernel_set; /* kernel / kernelTCP were given: accepted and ignored with a warning */
    /* checkBeforeUpdate and kernel_set are about one request: merge takes the update's. */
};

struct cradle_resources_cpu {
    struct cradle_opt_u64 shares;
    struct cradle_opt_i64 quota; /* -1: unlimited */
    struct cradle_opt_u64 period;
    struct cradle_opt_u64 burst; /* set whenever given, 0 included (as idle) */
    struct cradle_opt_i64 realtime_runtime;
    struct cradle_opt_u64 realtime_period;
    char *cpus; /* NULL: not set */
    char *mems; /* NULL: not set */
    struct cradle_opt_i64 idle;
};

struct cradle_resources_pids {
    struct cradle_opt_i64 limit; /* set with value <= 0 means "max" (no limit) */
};

struct cradle_weight_device {
    int64_t major;
    int64_t minor;
    struct cradle_opt_u64 weight;
    struct cradle_opt_u64 leaf_weight;
};

struct cradle_throttle_device {
    int64_t major;
    int64_t minor;
    uint64_t rate;
};

struct cradle_throttle_list {
    struct cradle_throttle_device *items;
    size_t n;
};

struct cradle_resources_blkio {
    struct cradle_opt_u64 weight;
    struct cradle_opt_u64 leaf_weight;
    struct cradle_weight_device *weight_devices;
    size_t n_weight_devices;
    struct cradle_throttle_list read_bps, write_bps, read_iops, write_iops;
};

struct cradle_hugepage_limit {
    char *page_size; /* as in the spec: "2MB", "1GB", "64KB" */
    uint64_t limit;
};

struct cradle_net_priority {
    char *name;
    uint32_t priority;
};

struct cradle_resources_network {
    struct cradle_opt_u64 class_id;
    struct cradle_net_priority *priorities;
    size_t n_priorities;
};

struct cradle_rdma_limit {
    char *device;
    struct cradle_opt_u64 hca_handles;
    struct cradle_opt_u64 hca_objects;
};

struct cradle_unified_entry {
    char *key; /* a cgroup v2 file name, e.g. "memory.high" */
    char *value;
};

struct cradle_resources {
    struct cradle_resources_memory memory;
    struct cradle_resources_cpu cpu;
    struct cradle_resources_pids pids;
    struct cradle_resources_blkio blkio;
    struct cradle_hugepage_limit *hugepages;
    size_t n_hugepages;
    struct cradle_resources_network network;
    struct cradle_rdma_limit *rdma;
    size_t n_rdma;
    struct cradle_unified_entry *unified;
    size_t n_unified;
    bool has_devices; /* linux.resources.devices present (even empty) */
    struct cradle_device_rule *devices;
    size_t n_devices;
};

/* Parses a linux.resources object. path names the object in errors ("linux.resources",
 * or the file given to `update -r`): every error names the field at fault, e.g.
 * "linux.resources.memory.swappiness: 150 is out of range (0-100)". */
int cradle_resources_parse(struct json_object *obj, const char *path, struct cradle_resources *out,
                           cradle_error **err);

/* Frees what res holds (not res itself) and zeroes it. */
void cradle_resources_free(struct cradle_resources *res);

/* Overlays every field set in update onto base, as runc's `update` does (devices,
 * hugepages, rdma, unified and the device lists replace base's when update has them). */
int cradle_resources_merge(struct cradle_resources *base, const struct cradle_resources *update,
                           cradle_error **err);

/* The linux.resources object that parses back into res (for the copy kept in the state
 * directory). NULL when out of memory. */
struct json_object *cradle_resources_to_json(const struct cradle_resources *res);

#endif
