/* cgroup_v2_stats: runc's stats event "data" parts from cgroup2 files, with runc's JSON
 * shape (libcontainer's types/events.go: omitempty fields are left out when zero, map
 * keys sorted as Go's encoding/json sorts them). */
#include "v2_internal.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"

/* The text of file, or NULL (and success) when the file does not exist: each controller's
 * files exist only where the controller is enabled. */
static int read_optional(const struct v2_files *f, const char *file, char **out, cradle_error **err)
{
    *out = NULL;
    if (f->read(f, file, out, err) == 0)
        return 0;
    if ((*err)->errnum != ENOENT)
        return -1;
    cradle_error_free(err);
    return 0;
}

static int malformed(const struct v2_files *f, const char *file, cradle_error **err)
{
    return cradle_error_set(err, EINVAL, "unable to parse %s/%s", f->dir, file);
}

/* Adds key: value, or nothing when value is 0 and the field is omitempty in runc. */
static void add_u64(struct json_object *o, const char *key, uint64_t value, bool omitempty)
{
    if (value != 0 || !omitempty)
        json_object_object_add(o, key, json_object_new_uint64(value));
}

static int stats_cpu(const struct v2_files *f, struct json_object *out, cradle_error **err)
{
    _cleanup_free_ char *text = NULL;
    uint64_t usage = 0, user = 0, system = 0, periods = 0, throttled = 0, throttled_time = 0;
    if (read_optional(f, "cpu.stat", &text, err) < 0)
        return -1;
    const char *pos = text ? text : "";
    char key[64];
    uint64_t v;
    int r;
    while ((r = cgroup_next_key_value(&pos, key, sizeof(key), &v)) > 0) {
        if (strcmp(key, "usage_usec") == 0)
            usage = v * 1000;
        else if (strcmp(key, "user_usec") == 0)
            user = v * 1000;
        else if (strcmp(key, "system_usec") == 0)
            system = v * 1000;
        else if (strcmp(key, "nr_periods") == 0)
            periods = v;
        else if (strcmp(key, "nr_throttled") == 0)
            throttled = v;
        else if (strcmp(key, "throttled_usec") == 0)
            throttled_time = v * 1000;
    }
    if (r < 0)
        return malformed(f, "cpu.stat", err);
    struct json_object *cpu = json_object_new_object(), *u = json_object_new_object();
    struct json_object *t = json_object_new_object();
    add_u64(u, "total", usage, true);
    add_u64(u, "kernel", system, false);
    add_u64(u, "user", user, false);
    add_u64(t, "periods", periods, true);
    add_u64(t, "throttledPeriods", throttled, true);
    add_u64(t, "throttledTime", throttled_time, true);
    json_object_object_add(cpu, "usage", u);
    json_object_object_add(cpu, "throttling", t);
    json_object_object_add(out, "cpu", cpu);
    return 0;
}

/* runc's cgroup2 manager has no cpuset stats: its event carries the zero cpuset object. */
static void stats_cpuset(struct json_object *out)
{
    static const char *const flags[] = {
        "cpu_exclusive",   "mem_hardwall",       "mem_exclusive",
        "memory_migrate",  "memory_spread_page", "memory_spread_slab",
        "memory_pressure", "sched_load_balance", "sched_relax_domain_level"};
    struct json_object *c = json_object_new_object();
    for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
        add_u64(c, flags[i], 0, false);
    json_object_object_add(out, "cpuset", c);
}

struct raw_entry {
    char key[64];
    uint64_t value;
};

static int by_key(const void *a, const void *b)
{
    return strcmp(((const struct raw_entry *)a)->key, ((const struct raw_entry *)b)->key);
}

/* memory.stat as runc's "raw" map (sorted keys); *cache gets its "file" value. */
static int memory_raw(const struct v2_files *f, const char *text, struct json_object **raw,
                      uint64_t *cache, cradle_error **err)
{
    size_t n = 0, cap = 0;
    _cleanup_free_ struct raw_entry *entries = NULL;
    const char *pos = text;
    struct raw_entry e;
    int r;
    while ((r = cgroup_next_key_value(&pos, e.key, sizeof(e.key), &e.value)) > 0) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            struct raw_entry *grown = realloc(entries, cap * sizeof(*entries));
            if (grown == NULL)
                return cradle_error_set(err, ENOMEM, "reading %s/memory.stat", f->dir);
            entries = grown;
        }
        entries[n++] = e;
        if (strcmp(e.key, "file") == 0)
            *cache = e.value;
    }
    if (r < 0)
        return malformed(f, "memory.stat", err);
    qsort(entries, n, sizeof(*entries), by_key);
    *raw = json_object_new_object();
    for (size_t i = 0; i < n; i++)
        add_u64(*raw, entries[i].key, entries[i].value, false);
    return 0;
}

/* usage from NAME.current and limit from NAME.max ("max" = UINT64_MAX). */
static int usage_and_limit(const struct v2_files *f, const char *name, bool optional,
                           uint64_t *usage, uint64_t *limit, cradle_error **err)
{
    char file[64];
    _cleanup_free_ char *current = NULL, *max = NULL;
    *usage = *limit = 0;
    snprintf(file, sizeof(file), "%s.current", name);
    if (optional ? read_optional(f, file, &current, err) : f->read(f, file, &current, err))
        return -1;
    if (current == NULL) /* no swap accounting on this kernel */
        return 0;
    if (cgroup_parse_uint(current, usage) < 0)
        return malformed(f, file, err);
    snprintf(file, sizeof(file), "%s.max", name);
    if (f->read(f, file, &max, err) < 0)
        return -1;
    if (cgroup_parse_uint(max, limit) < 0)
        return malformed(f, file, err);
    return 0;
}

static struct json_object *memory_entry(uint64_t usage, uint64_t limit)
{
    struct json_object *o = json_object_new_object();
    add_u64(o, "limit", limit, false);
    add_u64(o, "usage", usage, true);
    add_u64(o, "failcnt", 0, false);
    return o;
}

static int stats_memory(const struct v2_files *f, struct json_object *out, cradle_error **err)
{
    _cleanup_free_ char *text = NULL;
    _cleanup_json_ struct json_object *raw = NULL;
    uint64_t cache = 0, usage = 0, limit = 0, swap_usage = 0, swap_limit = 0;
    if (read_optional(f, "memory.stat", &text, err) < 0)
        return -1;
    if (text) {
        if (memory_raw(f, text, &raw, &cache, err) < 0 ||
            usage_and_limit(f, "memory", false, &usage, &limit, err) < 0 ||
            usage_and_limit(f, "memory.swap", true, &swap_usage, &swap_limit, err) < 0)
            return -1;
        /* v1 reported memory+swap: runc adds memory to the cgroup2 swap values. */
        swap_usage += usage;
        if (swap_limit != UINT64_MAX)
            swap_limit += limit;
    }
    struct json_object *m = json_object_new_object();
    add_u64(m, "cache", cache, true);
    json_object_object_add(m, "usage", memory_entry(usage, limit));
    json_object_object_add(m, "swap", memory_entry(swap_usage, swap_limit));
    json_object_object_add(m, "kernel", memory_entry(0, 0));
    json_object_object_add(m, "kernelTCP", memory_entry(0, 0));
    if (raw && json_object_object_length(raw) > 0)
        json_object_object_add(m, "raw", TAKE_PTR(raw));
    json_object_object_add(out, "memory", m);
    return 0;
}

static int stats_pids(const struct v2_files *f, struct json_object *out, cradle_error **err)
{
    _cleanup_free_ char *current = NULL, *max = NULL;
    uint64_t count = 0, limit = 0;
    if (read_optional(f, "pids.current", &current, err) < 0)
        return -1;
    if (current) {
        if (cgroup_parse_uint(current, &count) < 0)
            return malformed(f, "pids.current", err);
        if (f->read(f, "pids.max", &max, err) < 0)
            return -1;
        if (cgroup_parse_uint(max, &limit) < 0)
            return malformed(f, "pids.max", err);
        /* runc reports "no limit" as 0. */
        if (limit == UINT64_MAX)
            limit = 0;
    } else {
        /* No pids controller: count cgroup.procs, as runc does. */
        _cleanup_free_ char *procs = NULL;
        _cleanup_free_ pid_t *pids = NULL;
        size_t n = 0;
        if (f->read(f, "cgroup.procs", &procs, err) < 0 ||
            cgroup_parse_pids(procs, &pids, &n, err) < 0)
            return -1;
        count = n;
    }
    struct json_object *p = json_object_new_object();
    add_u64(p, "current", count, true);
    add_u64(p, "limit", limit, true);
    json_object_object_add(out, "pids", p);
    return 0;
}

static void add_blkio_entry(struct json_object *list, uint64_t major, uint64_t minor,
                            const char *op, uint64_t value)
{
    struct json_object *e = json_object_new_object();
    add_u64(e, "major", major, true);
    add_u64(e, "minor", minor, true);
    json_object_object_add(e, "op", json_object_new_string(op));
    add_u64(e, "value", value, true);
    json_object_array_add(list, e);
}

/* One io.stat line: "MAJ:MIN rbytes=N wbytes=N rios=N wios=N dbytes=N dios=N". */
static int io_line(const char *line, size_t len, struct json_object *bytes, struct json_object *ios)
{
    _cleanup_free_ char *copy = strndup(line, len);
    if (copy == NULL)
        return -1;
    char *save = NULL, *dev = strtok_r(copy, " ", &save);
    unsigned long long major, minor;
    char tail;
    if (dev == NULL || sscanf(dev, "%llu:%llu%c", &major, &minor, &tail) != 2)
        return 0; /* not a device line: skipped, as runc skips it */
    for (char *item = strtok_r(NULL, " ", &save); item; item = strtok_r(NULL, " ", &save)) {
        char *eq = strchr(item, '=');
        uint64_t value;
        if (eq == NULL)
            continue;
        *eq = '\0';
        if (cgroup_parse_uint(eq + 1, &value) < 0)
            return -1;
        if (strcmp(item, "rbytes") == 0)
            add_blkio_entry(bytes, major, minor, "Read", value);
        else if (strcmp(item, "wbytes") == 0)
            add_blkio_entry(bytes, major, minor, "Write", value);
        else if (strcmp(item, "rios") == 0)
            add_blkio_entry(ios, major, minor, "Read", value);
        else if (strcmp(item, "wios") == 0)
            add_blkio_entry(ios, major, minor, "Write", value);
    }
    return 0;
}

static int stats_io(const struct v2_files *f, struct json_object *out, cradle_error **err)
{
    _cleanup_free_ char *text = NULL;
    if (read_optional(f, "io.stat", &text, err) < 0)
        return -1;
    _cleanup_json_ struct json_object *bytes = json_object_new_array();
    _cleanup_json_ struct json_object *ios = json_object_new_array();
    for (const char *line = text ? text : ""; *line;) {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        if (io_line(line, len, bytes, ios) < 0)
            return malformed(f, "io.stat", err);
        line += len + (eol != NULL);
    }
    struct json_object *b = json_object_new_object();
    if (json_object_array_length(bytes) > 0)
        json_object_object_add(b, "ioServiceBytesRecursive", TAKE_PTR(bytes));
    if (json_object_array_length(ios) > 0)
        json_object_object_add(b, "ioServicedRecursive", TAKE_PTR(ios));
    json_object_object_add(out, "blkio", b);
    return 0;
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int stats_hugetlb(const struct v2_files *f, char *const *page_sizes, struct json_object *out,
                         cradle_error **err)
{
    size_t n = 0;
    while (page_sizes && page_sizes[n])
        n++;
    _cleanup_free_ char **sorted = calloc(n + 1, sizeof(*sorted));
    if (sorted == NULL)
        return cradle_error_set(err, ENOMEM, "hugetlb stats");
    if (n > 0) {
        memcpy(sorted, page_sizes, n * sizeof(*sorted));
        qsort(sorted, n, sizeof(*sorted), by_string);
    }
    _cleanup_json_ struct json_object *h = json_object_new_object();
    for (size_t i = 0; i < n; i++) {
        char file[64];
        _cleanup_free_ char *current = NULL, *events = NULL;
        uint64_t usage, failcnt;
        snprintf(file, sizeof(file), "hugetlb.%s.current", sorted[i]);
        if (read_optional(f, file, &current, err) < 0)
            return -1;
        if (current == NULL) /* no hugetlb controller here */
            break;
        if (cgroup_parse_uint(current, &usage) < 0)
            return malformed(f, file, err);
        snprintf(file, sizeof(file), "hugetlb.%s.events", sorted[i]);
        if (f->read(f, file, &events, err) < 0)
            return -1;
        if (cgroup_value_by_key(events, "max", &failcnt) < 0)
            return malformed(f, file, err);
        struct json_object *e = json_object_new_object();
        add_u64(e, "usage", usage, true);
        add_u64(e, "failcnt", failcnt, false);
        json_object_object_add(h, sorted[i], e);
    }
    json_object_object_add(out, "hugetlb", TAKE_PTR(h));
    return 0;
}

int v2_stats_files(const struct v2_files *f, char *const *page_sizes, struct json_object *out,
                   cradle_error **err)
{
    /* A part already in out came from a v1 hierarchy (hybrid hosts): it stays. */
    if (!json_object_object_get_ex(out, "cpu", NULL) && stats_cpu(f, out, err) < 0)
        return -1;
    if (!json_object_object_get_ex(out, "cpuset", NULL))
        stats_cpuset(out);
    if (!json_object_object_get_ex(out, "memory", NULL) && stats_memory(f, out, err) < 0)
        return -1;
    if (!json_object_object_get_ex(out, "pids", NULL) && stats_pids(f, out, err) < 0)
        return -1;
    if (!json_object_object_get_ex(out, "blkio", NULL) && stats_io(f, out, err) < 0)
        return -1;
    if (!json_object_object_get_ex(out, "hugetlb", NULL) &&
        stats_hugetlb(f, page_sizes, out, err) < 0)
        return -1;
    return 0;
}

int cgroup_v2_stats(const char *dir, struct json_object *out, cradle_error **err)
{
    cradle_error *local = NULL;
    _cleanup_strv_ char **sizes = cgroup_host_hugepage_sizes();
    struct v2_files f = v2_files_of(dir);
    if (sizes == NULL)
        return cradle_error_set(err, ENOMEM, "hugetlb page sizes");
    if (v2_stats_files(&f, sizes, out, &local) == 0)
        return 0;
    if (err && *err == NULL)
        *err = local;
    else
        cradle_error_free(&local);
    return -1;
}
