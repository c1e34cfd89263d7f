/* runc's stats event parts from the v1 controllers' files (runc 1.1's fs GetStats and
 * its conversion to types/events.go: omitempty fields are left out when zero). */
#include "cgroup_v1.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../cgroup_internal.h"
#include "cradle/cleanup.h"

#define NANOSECONDS_PER_SECOND 1000000000ULL

/* The text of dir/file, or NULL (and success) when the file or dir does not exist. */
static int read_optional(const char *dir, const char *file, char **out, cradle_error **err)
{
    *out = NULL;
    if (dir == NULL) /* no such controller on this host */
        return 0;
    _cleanup_free_ char *path = cgroup_path_join(dir, file);
    if (path == NULL)
        return cradle_error_set(err, ENOMEM, "reading %s/%s", dir, file);
    if (access(path, F_OK) < 0 && errno == ENOENT)
        return 0;
    return cgroup_read_text(path, out, err);
}

static int malformed(const char *dir, const char *file, cradle_error **err)
{
    return cradle_error_set(err, EINVAL, "unable to parse %s/%s", dir, file);
}

static void add_u64(struct json_object *o, const char *key, uint64_t v, bool omitempty)
{
    if (v != 0 || !omitempty)
        json_object_object_add(o, key, json_object_new_uint64(v));
}

/* A file of one number; 0 when it does not exist (optional controllers and kernels). */
static int read_u64_or_zero(const char *dir, const char *file, uint64_t *out, cradle_error **err)
{
    *out = 0;
    if (dir == NULL || !cgroup_v1_has_file(dir, file))
        return 0;
    return cgroup_v1_read_u64(dir, file, out, err);
}

static int cpu_usage(const char *dir, struct json_object *usage, cradle_error **err)
{
    uint64_t total = 0, user = 0, system = 0;
    _cleanup_free_ char *percpu = NULL, *all = NULL, *stat = NULL;
    if (read_u64_or_zero(dir, "cpuacct.usage", &total, err) < 0 ||
        read_optional(dir, "cpuacct.usage_percpu", &percpu, err) < 0 ||
        read_optional(dir, "cpuacct.usage_all", &all, err) < 0 ||
        read_optional(dir, "cpuacct.stat", &stat, err) < 0)
        return -1;
    add_u64(usage, "total", total, true);
    if (percpu) {
        struct json_object *list = cgroup_v1_parse_number_list(percpu);
        if (list == NULL)
            return malformed(dir, "cpuacct.usage_percpu", err);
        json_object_object_add(usage, "percpu", list);
    }
    if (all) {
        struct json_object *kernel = NULL, *user_list = NULL;
        if (cgroup_v1_parse_usage_all(all, &kernel, &user_list) < 0)
            return malformed(dir, "cpuacct.usage_all", err);
        json_object_object_add(usage, "percpu_kernel", kernel);
        json_object_object_add(usage, "percpu_user", user_list);
    }
    if (stat) {
        /* cpuacct.stat counts clock ticks. */
        uint64_t per_tick = NANOSECONDS_PER_SECOND / (uint64_t)sysconf(_SC_CLK_TCK);
        if (cgroup_value_by_key(stat, "user", &user) < 0 ||
            cgroup_value_by_key(stat, "system", &system) < 0)
            return malformed(dir, "cpuacct.stat", err);
        user *= per_tick;
        system *= per_tick;
    }
    add_u64(usage, "kernel", system, false);
    add_u64(usage, "user", user, false);
    return 0;
}

static int cpu_throttling(const char *dir, struct json_object *throttling, cradle_error **err)
{
    _cleanup_free_ char *text = NULL;
    if (dir == NULL || read_optional(dir, "cpu.stat", &text, err) < 0 || text == NULL)
        return dir == NULL || text == NULL ? 0 : -1;
    static const char *const keys[][2] = {{"nr_periods", "periods"},
                                          {"nr_throttled", "throttledPeriods"},
                                          {"throttled_time", "throttledTime"}};
    for (size_t i = 0; i < 3; i++) {
        uint64_t v = 0;
        if (cgroup_value_by_key(text, keys[i][0], &v) < 0)
            return malformed(dir, "cpu.stat", err);
        add_u64(throttling, keys[i][1], v, true);
    }
    return 0;
}

int cgroup_v1_stats_cpu(const char *cpu_dir, const char *cpuacct_dir, struct json_object *data,
                        cradle_error **err)
{
    _cleanup_json_ struct json_object *cpu = json_object_new_object();
    struct json_object *usage = json_object_new_object(), *throttling = json_object_new_object();
    json_object_object_add(cpu, "usage", usage);
    json_object_object_add(cpu, "throttling", throttling);
    if (cpuacct_dir && cpu_usage(cpuacct_dir, usage, err) < 0)
        return -1;
    if (cpu_throttling(cpu_dir, throttling, err) < 0)
        return -1;
    json_object_object_add(data, "cpu", TAKE_PTR(cpu));
    return 0;
}

static int add_list(const char *dir, const char *file, const char *key, struct json_object *o,
                    cradle_error **err)
{
    _cleanup_free_ char *text = NULL;
    if (read_optional(dir, file, &text, err) < 0)
        return -1;
    if (text == NULL)
        return 0;
    struct json_object *list = cgroup_v1_parse_cpu_list(text);
    if (list == NULL)
        return malformed(dir, file, err);
    if (json_object_array_length(list) > 0)
        json_object_object_add(o, key, list);
    else
        json_object_put(list);
    return 0;
}

static int add_flag(const char *dir, const char *file, const char *key, struct json_object *o,
                    cradle_error **err)
{
    uint64_t v = 0;
    if (read_u64_or_zero(dir, file, &v, err) < 0)
        return -1;
    add_u64(o, key, v, false);
    return 0;
}

/* dir NULL: runc's zero values. */
int cgroup_v1_stats_cpuset(const char *dir, struct json_object *data, cradle_error **err)
{
    static const char *const flags[][2] = {
        {"mem_hardwall", "cpuset.mem_hardwall"},
        {"mem_exclusive", "cpuset.mem_exclusive"},
        {"memory_migrate", "cpuset.memory_migrate"},
        {"memory_spread_page", "cpuset.memory_spread_page"},
        {"memory_spread_slab", "cpuset.memory_spread_slab"},
        {"memory_pressure", "cpuset.memory_pressure"},
        {"sched_load_balance", "cpuset.sched_load_balance"},
    };
    _cleanup_json_ struct json_object *cpuset = json_object_new_object();
    if (add_list(dir, "cpuset.cpus", "cpus", cpuset, err) < 0 ||
        add_flag(dir, "cpuset.cpu_exclusive", "cpu_exclusive", cpuset, err) < 0 ||
        add_list(dir, "cpuset.mems", "mems", cpuset, err) < 0)
        return -1;
    for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
        if (add_flag(dir, flags[i][1], flags[i][0], cpuset, err) < 0)
            return -1;
    _cleanup_free_ char *relax = NULL;
    if (read_optional(dir, "cpuset.sched_relax_domain_level", &relax, err) < 0)
        return -1;
    json_object_object_add(cpuset, "sched_relax_domain_level",
                           json_object_new_int64(relax ? strtoll(relax, NULL, 10) : 0));
    json_object_object_add(data, "cpuset", TAKE_PTR(cpuset));
    return 0;
}
