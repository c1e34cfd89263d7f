/* cgroups/v2/: runc's v1-to-v2 conversions, the files and values apply writes for each group
 * (over a recorded directory), its fallbacks and errors, and the stats JSON parsed from
 * cgroup2 files. */
#include "harness.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>

#include "../../libcontainer-c/cgroups/v2/v2_internal.h"
#include "cradle/cleanup.h"

/* A cgroup2 directory in memory: which files exist, what they hold, what was written. */
struct fake_file {
    const char *name;
    const char *content;
    int write_errno; /* a write fails with this errno */
    int fail_writes; /* ... this many times (0: always when write_errno is set) */
};

struct fake_dir {
    struct fake_file files[24];
    char log[2048]; /* "file=value\n" per successful write, in order */
};

static struct fake_file *fake_find(struct fake_dir *d, const char *name)
{
    for (size_t i = 0; i < sizeof(d->files) / sizeof(d->files[0]) && d->files[i].name; i++)
        if (strcmp(d->files[i].name, name) == 0)
            return &d->files[i];
    return NULL;
}

static int fake_write(const struct v2_files *f, const char *file, const char *value,
                      cradle_error **err)
{
    struct fake_dir *d = f->data;
    struct fake_file *ff = fake_find(d, file);
    if (ff == NULL) {
        errno = ENOENT;
        return cradle_error_sys(err, "opening %s/%s", f->dir, file);
    }
    if (ff->write_errno && ff->fail_writes >= 0) {
        if (ff->fail_writes > 0 && --ff->fail_writes == 0)
            ff->fail_writes = -1;
        errno = ff->write_errno;
        return cradle_error_sys(err, "writing \"%s\" to %s/%s", value, f->dir, file);
    }
    size_t len = strlen(d->log);
    snprintf(d->log + len, sizeof(d->log) - len, "%s=%s\n", file, value);
    return 0;
}

static int fake_read(const struct v2_files *f, const char *file, char **out, cradle_error **err)
{
    struct fake_file *ff = fake_find(f->data, file);
    if (ff == NULL) {
        errno = ENOENT;
        return cradle_error_sys(err, "reading %s/%s", f->dir, file);
    }
    *out = strdup(ff->content ? ff->content : "");
    return 0;
}

static struct v2_files fake_files(struct fake_dir *d)
{
    return (struct v2_files){.dir = "/cg", .write = fake_write, .read = fake_read, .data = d};
}

/* The directory of a pure cgroup2 container with every controller this test writes. */
static void fake_full(struct fake_dir *d)
{
    static const char *const names[] = {
        "memory.max",  "memory.low",        "memory.swap.max", "memory.current",  "cpu.weight",
        "cpu.max",     "cpu.max.burst",     "cpu.idle",        "cpuset.cpus",     "cpuset.mems",
        "pids.max",    "io.weight",         "io.max",          "hugetlb.2MB.max", "rdma.max",
        "memory.high", "cgroup.controllers"};
    memset(d, 0, sizeof(*d));
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        d->files[i].name = names[i];
    fake_find(d, "memory.current")->content = "1000\n";
    fake_find(d, "cgroup.controllers")->content = "cpu io memory pids\n";
}

static void add_file(struct fake_dir *d, const char *name, const char *content)
{
    size_t i = 0;
    while (d->files[i].name)
        i++;
    d->files[i] = (struct fake_file){.name = name, .content = content};
}

/* Applies res's groups in mask to d; returns the error text (or NULL) to free. */
static char *apply(struct fake_dir *d, const struct cradle_resources *res, unsigned mask,
                   bool updating)
{
    struct v2_files f = fake_files(d);
    _cleanup_error_ cradle_error *err = NULL;
    if (v2_apply_files(&f, res, mask, updating, &err) == 0)
        return NULL;
    return cradle_error_text(err);
}

#define ALL_GROUPS 0x1ffu

static void test_cpu_weight_conversion(void)
{
    CHECK(v2_cpu_weight_from_shares(0) == 0);
    CHECK(v2_cpu_weight_from_shares(2) == 1);
    CHECK(v2_cpu_weight_from_shares(1024) == 39);
    CHECK(v2_cpu_weight_from_shares(262144) == 10000);
    CHECK(v2_cpu_weight_from_shares(512) == 20);
}

static void test_io_weight_conversion(void)
{
    CHECK(v2_io_weight_from_blkio(0) == 0);
    CHECK(v2_io_weight_from_blkio(10) == 1);
    CHECK(v2_io_weight_from_blkio(500) == 4950);
    CHECK(v2_io_weight_from_blkio(1000) == 10000);
}

static void test_swap_conversion(void)
{
    int64_t out = 42;
    _cleanup_error_ cradle_error *err = NULL;
    CHECK(v2_swap_max(0, -1, &out, NULL) == 0 && out == -1);
    CHECK(v2_swap_max(-1, 100, &out, NULL) == 0 && out == -1);
    CHECK(v2_swap_max(0, 100, &out, NULL) == 0 && out == 0);
    CHECK(v2_swap_max(300, 100, &out, NULL) == 0 && out == 200);
    CHECK(v2_swap_max(100, 100, &out, NULL) == 0 && out == 0);
    CHECK(v2_swap_max(300, 0, &out, &err) < 0);
    CHECK_STREQ(err ? err->msg : NULL, "unable to set swap limit without memory limit");
    cradle_error_free(&err);
    CHECK(v2_swap_max(300, -1, &out, &err) < 0);
    cradle_error_free(&err);
    CHECK(v2_swap_max(300, -5, &out, &err) < 0);
    CHECK_STREQ(err ? err->msg : NULL, "invalid memory value: -5");
    cradle_error_free(&err);
    CHECK(v2_swap_max(50, 100, &out, &err) < 0);
    CHECK_STREQ(err ? err->msg : NULL, "memory+swap limit should be >= memory limit");
}

static void test_value_texts(void)
{
    char buf[64];
    v2_limit_str(0, buf, sizeof(buf));
    CHECK_STREQ(buf, "");
    v2_limit_str(-1, buf, sizeof(buf));
    CHECK_STREQ(buf, "max");
    v2_limit_str(67108864, buf, sizeof(buf));
    CHECK_STREQ(buf, "67108864");
    v2_cpu_max_str(50000, 0, buf, sizeof(buf));
    CHECK_STREQ(buf, "50000 100000");
    v2_cpu_max_str(-1, 20000, buf, sizeof(buf));
    CHECK_STREQ(buf, "max 20000");
    v2_cpu_max_str(0, 250000, buf, sizeof(buf));
    CHECK_STREQ(buf, "max 250000");

    struct cradle_rdma_limit r = {
        .device = "mlx5_1", .hca_handles = {true, 3}, .hca_objects = {true, 10000}};
    _cleanup_free_ char *line = cgroup_rdma_line(&r);
    CHECK_STREQ(line, "mlx5_1 hca_handle=3 hca_object=10000");
    r.hca_handles.set = false;
    _cleanup_free_ char *line2 = cgroup_rdma_line(&r);
    CHECK_STREQ(line2, "mlx5_1 hca_object=10000");

    CHECK(cgroup_hugepage_size_name("hugepages-2048kB", buf, sizeof(buf)) == 0);
    CHECK_STREQ(buf, "2MB");
    CHECK(cgroup_hugepage_size_name("hugepages-1048576kB", buf, sizeof(buf)) == 0);
    CHECK_STREQ(buf, "1GB");
    CHECK(cgroup_hugepage_size_name("hugepages-64kB", buf, sizeof(buf)) == 0);
    CHECK_STREQ(buf, "64KB");
    CHECK(cgroup_hugepage_size_name("hugepages-32768kB", buf, sizeof(buf)) == 0);
    CHECK_STREQ(buf, "32MB");
    CHECK(cgroup_hugepage_size_name("other", buf, sizeof(buf)) < 0);
    CHECK(cgroup_hugepage_size_name("hugepages-12MB", buf, sizeof(buf)) < 0);
}

static void test_parsers(void)
{
    uint64_t v;
    CHECK(cgroup_parse_uint("max\n", &v) == 0 && v == UINT64_MAX);
    CHECK(cgroup_parse_uint("123\n", &v) == 0 && v == 123);
    CHECK(cgroup_parse_uint("12a\n", &v) < 0);
    CHECK(cgroup_parse_uint("default 100\n", &v) < 0);
    const char *events = "low 0\nhigh 0\nmax 4\noom 2\noom_kill 1\n";
    CHECK(cgroup_value_by_key(events, "oom_kill", &v) == 0 && v == 1);
    CHECK(cgroup_value_by_key(events, "oom_group_kill", &v) == 0 && v == 0);
    CHECK(cgroup_value_by_key("garbage\n", "oom_kill", &v) < 0);
}

static void test_zero_values_write_nothing(void)
{
    struct fake_dir d;
    fake_full(&d);
    struct cradle_resources res = {0};
    res.memory.limit = (struct cradle_opt_i64){true, 0};
    res.memory.reservation = (struct cradle_opt_i64){true, 0};
    res.memory.swap = (struct cradle_opt_i64){true, 0};
    res.cpu.shares = (struct cradle_opt_u64){true, 0};
    res.cpu.quota = (struct cradle_opt_i64){true, 0};
    res.cpu.period = (struct cradle_opt_u64){true, 0};
    res.pids.limit = (struct cradle_opt_i64){true, 0};
    res.blkio.weight = (struct cradle_opt_u64){true, 0};
    res.cpu.cpus = "";
    res.memory.swappiness = (struct cradle_opt_u64){true, 10};
    res.memory.disable_oom_killer = true;
    res.network.class_id = (struct cradle_opt_u64){true, 5};
    _cleanup_free_ char *e = apply(&d, &res, ALL_GROUPS, false);
    CHECK(e == NULL);
    CHECK_STREQ(d.log, "");
}

static void test_every_group(void)
{
    struct fake_dir d;
    fake_full(&d);
    struct cradle_throttle_device rbps[] = {{8, 0, 1048576}, {8, 16, 2048}};
    struct cradle_throttle_device wiops[] = {{8, 0, 100}};
    struct cradle_hugepage_limit huge[] = {{"2MB", 4194304}};
    struct cradle_rdma_limit rdma[] = {{"mlx5_1", {true, 3}, {false, 0}}};
    struct cradle_unified_entry unified[] = {{"memory.high", "50000000"}};
    struct cradle_resources res = {0};
    res.pids.limit = (struct cradle_opt_i64){true, 20};
    res.memory.limit = (struct cradle_opt_i64){true, 67108864};
    res.memory.swap = (struct cradle_opt_i64){true, 134217728};
    res.memory.reservation = (struct cradle_opt_i64){true, 33554432};
    res.blkio.weight = (struct cradle_opt_u64){true, 500};
    res.blkio.read_bps = (struct cradle_throttle_list){rbps, 2};
    res.blkio.write_iops = (struct cradle_throttle_list){wiops, 1};
    res.cpu.shares = (struct cradle_opt_u64){true, 1024};
    res.cpu.quota = (struct cradle_opt_i64){true, 50000};
    res.cpu.idle = (struct cradle_opt_i64){true, 0};
    res.cpu.cpus = "0-1";
    res.cpu.mems = "0";
    res.hugepages = huge;
    res.n_hugepages = 1;
    res.rdma = rdma;
    res.n_rdma = 1;
    res.unified = unified;
    res.n_unified = 1;
    _cleanup_free_ char *e = apply(&d, &res, ALL_GROUPS, false);
    CHECK(e == NULL);
    CHECK_STREQ(d.log, "pids.max=20\n"
                       "memory.swap.max=67108864\n"
                       "memory.max=67108864\n"
                       "memory.low=33554432\n"
                       "io.weight=4950\n"
                       "io.max=8:0 rbps=1048576\n"
                       "io.max=8:16 rbps=2048\n"
                       "io.max=8:0 wiops=100\n"
                       "cpu.idle=0\n"
                       "cpu.weight=39\n"
                       "cpu.max=50000 100000\n"
                       "cpuset.cpus=0-1\n"
                       "cpuset.mems=0\n"
                       "hugetlb.2MB.max=4194304\n"
                       "rdma.max=mlx5_1 hca_handle=3\n"
                       "memory.high=50000000\n");
}

static void test_mask_selects_groups(void)
{
    struct fake_dir d;
    fake_full(&d);
    struct cradle_resources res = {0};
    res.pids.limit = (struct cradle_opt_i64){true, 20};
    res.memory.limit = (struct cradle_opt_i64){true, 1 << 20};
    _cleanup_free_ char *e = apply(&d, &res, CGROUP_GROUP_PIDS, false);
    CHECK(e == NULL);
    CHECK_STREQ(d.log, "pids.max=20\n");
}

static void test_memory_values(void)
{
    struct fake_dir d;
    struct cradle_resources res = {0};
    /* limit == swap: swap disabled with "0" (never an empty write). */
    fake_full(&d);
    res.memory.limit = (struct cradle_opt_i64){true, 1 << 20};
    res.memory.swap = (struct cradle_opt_i64){true, 1 << 20};
    _cleanup_free_ char *e1 = apply(&d, &res, CGROUP_GROUP_MEMORY, false);
    CHECK(e1 == NULL);
    CHECK_STREQ(d.log, "memory.swap.max=0\nmemory.max=1048576\n");
    /* -1: unlimited, swap too. */
    fake_full(&d);
    res.memory.limit = (struct cradle_opt_i64){true, -1};
    res.memory.swap = (struct cradle_opt_i64){false, 0};
    _cleanup_free_ char *e2 = apply(&d, &res, CGROUP_GROUP_MEMORY, false);
    CHECK(e2 == NULL);
    CHECK_STREQ(d.log, "memory.swap.max=max\nmemory.max=max\n");
    /* No swap accounting: "max" is left alone, a real swap limit fails naming the file. */
    fake_full(&d);
    fake_find(&d, "memory.swap.max")->name = "absent";
    _cleanup_free_ char *e3 = apply(&d, &res, CGROUP_GROUP_MEMORY, false);
    CHECK(e3 == NULL);
    CHECK_STREQ(d.log, "memory.max=max\n");
    res.memory.limit = (struct cradle_opt_i64){true, 100};
    res.memory.swap = (struct cradle_opt_i64){true, 300};
    _cleanup_free_ char *e4 = apply(&d, &res, CGROUP_GROUP_MEMORY, false);
    CHECK_STREQ(e4, "linux.resources.memory.swap: opening /cg/memory.swap.max: No such file or "
                    "directory");
    /* runc's swap checks. */
    fake_full(&d);
    res.memory.limit = (struct cradle_opt_i64){false, 0};
    _cleanup_free_ char *e5 = apply(&d, &res, CGROUP_GROUP_MEMORY, false);
    CHECK_STREQ(e5, "linux.resources.memory.swap: unable to set swap limit without memory limit");
    CHECK_STREQ(d.log, "");
    /* A write the kernel refuses names the field and the file. */
    fake_full(&d);
    fake_find(&d, "memory.max")->write_errno = EBUSY;
    res.memory.limit = (struct cradle_opt_i64){true, 4096};
    res.memory.swap = (struct cradle_opt_i64){false, 0};
    _cleanup_free_ char *e6 = apply(&d, &res, CGROUP_GROUP_MEMORY, false);
    CHECK_STREQ(e6, "linux.resources.memory.limit: writing \"4096\" to /cg/memory.max: Device or "
                    "resource busy");
}

static void test_check_before_update(void)
{
    struct fake_dir d;
    fake_full(&d);
    struct cradle_resources res = {0};
    res.memory.limit = (struct cradle_opt_i64){true, 500};
    res.memory.check_before_update = true;
    /* Only on update. */
    _cleanup_free_ char *e1 = apply(&d, &res, CGROUP_GROUP_MEMORY, false);
    CHECK(e1 == NULL);
    CHECK_STREQ(d.log, "memory.max=500\n");
    fake_full(&d);
    _cleanup_free_ char *e2 = apply(&d, &res, CGROUP_GROUP_MEMORY, true);
    CHECK_STREQ(e2, "linux.resources.memory.limit: rejecting memory limit 500 below usage 1000");
    CHECK_STREQ(d.log, "");
    res.memory.limit.value = 5000;
    _cleanup_free_ char *e3 = apply(&d, &res, CGROUP_GROUP_MEMORY, true);
    CHECK(e3 == NULL);
    CHECK_STREQ(d.log, "memory.max=5000\n");
}

static void test_cpu_values(void)
{
    struct fake_dir d;
    struct cradle_resources res = {0};
    /* Only a period: unlimited quota with that period. */
    fake_full(&d);
    res.cpu.period = (struct cradle_opt_u64){true, 250000};
    _cleanup_free_ char *e1 = apply(&d, &res, CGROUP_GROUP_CPU, false);
    CHECK(e1 == NULL);
    CHECK_STREQ(d.log, "cpu.max=max 250000\n");
    /* A burst the kernel refuses before the new quota is retried after it. */
    fake_full(&d);
    fake_find(&d, "cpu.max.burst")->write_errno = EINVAL;
    fake_find(&d, "cpu.max.burst")->fail_writes = 1;
    res.cpu.quota = (struct cradle_opt_i64){true, 100000};
    res.cpu.burst = (struct cradle_opt_u64){true, 50000};
    _cleanup_free_ char *e2 = apply(&d, &res, CGROUP_GROUP_CPU, false);
    CHECK(e2 == NULL);
    CHECK_STREQ(d.log, "cpu.max=100000 250000\ncpu.max.burst=50000\n");
    /* ... but not without a quota to set. */
    fake_full(&d);
    fake_find(&d, "cpu.max.burst")->write_errno = EINVAL;
    res.cpu.quota.set = res.cpu.period.set = false;
    _cleanup_free_ char *e3 = apply(&d, &res, CGROUP_GROUP_CPU, false);
    CHECK_CONTAINS(e3, "linux.resources.cpu.burst: writing \"50000\" to /cg/cpu.max.burst");
    /* Realtime scheduling has no cgroup2 files: ignored, as runc ignores it. */
    fake_full(&d);
    res.cpu.burst.set = false;
    res.cpu.realtime_runtime = (struct cradle_opt_i64){true, 1000};
    res.cpu.realtime_period = (struct cradle_opt_u64){true, 1000000};
    _cleanup_free_ char *e4 = apply(&d, &res, CGROUP_GROUP_CPU, false);
    CHECK(e4 == NULL);
    CHECK_STREQ(d.log, "");
}

static void test_pids_values(void)
{
    struct fake_dir d;
    fake_full(&d);
    struct cradle_resources res = {0};
    res.pids.limit = (struct cradle_opt_i64){true, -1};
    _cleanup_free_ char *e1 = apply(&d, &res, CGROUP_GROUP_PIDS, false);
    res.pids.limit.value = -7;
    _cleanup_free_ char *e2 = apply(&d, &res, CGROUP_GROUP_PIDS, false);
    CHECK(e1 == NULL && e2 == NULL);
    CHECK_STREQ(d.log, "pids.max=max\npids.max=max\n");
}

static void test_io_weights(void)
{
    struct fake_dir d;
    struct cradle_weight_device wd[] = {{8, 0, {true, 300}, {false, 0}},
                                        {8, 16, {false, 0}, {true, 200}}};
    struct cradle_resources res = {0};
    res.blkio.weight = (struct cradle_opt_u64){true, 500};
    res.blkio.weight_devices = wd;
    res.blkio.n_weight_devices = 2;
    /* BFQ with per-device weights: the v1 value as is, and the device lines. */
    fake_full(&d);
    add_file(&d, "io.bfq.weight", "default 100\n");
    _cleanup_free_ char *e1 = apply(&d, &res, CGROUP_GROUP_IO, false);
    CHECK(e1 == NULL);
    CHECK_STREQ(d.log, "io.bfq.weight=500\nio.bfq.weight=8:0 300\n");
    /* An older BFQ: no per-device weights. */
    fake_full(&d);
    add_file(&d, "io.bfq.weight", "100\n");
    _cleanup_free_ char *e2 = apply(&d, &res, CGROUP_GROUP_IO, false);
    CHECK(e2 == NULL);
    CHECK_STREQ(d.log, "io.bfq.weight=500\n");
    /* No BFQ: io.weight converted; device weights are ignored as runc ignores them. */
    fake_full(&d);
    _cleanup_free_ char *e3 = apply(&d, &res, CGROUP_GROUP_IO, false);
    CHECK(e3 == NULL);
    CHECK_STREQ(d.log, "io.weight=4950\n");
    /* Neither file: one error saying so. */
    fake_full(&d);
    fake_find(&d, "io.weight")->name = "absent";
    _cleanup_free_ char *e4 = apply(&d, &res, CGROUP_GROUP_IO, false);
    CHECK_STREQ(e4, "linux.resources.blockIO.weight: /cg has neither io.bfq.weight nor io.weight "
                    "(this kernel has no io weight control)");
}

static void test_unified_errors(void)
{
    struct fake_dir d;
    struct cradle_unified_entry entries[1];
    struct cradle_resources res = {0};
    res.unified = entries;
    res.n_unified = 1;
    const struct {
        const char *key, *want;
    } cases[] = {
        {"../memory.max", "unified resource \"../memory.max\" must be a file name (no slashes)"},
        {"..", "unified resource \"..\" must be a file name"},
        {"nodot", "unified resource \"nodot\" must be in the form CONTROLLER.PARAMETER"},
        {"hugetlb.2MB.max", "unified resource \"hugetlb.2MB.max\" can't be set: controller "
                            "\"hugetlb\" not available"},
        {"memory.nosuch", "unable to set unified resource \"memory.nosuch\": opening "
                          "/cg/memory.nosuch: No such file or directory"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        fake_full(&d);
        fake_find(&d, "hugetlb.2MB.max")->name = "absent";
        entries[0] = (struct cradle_unified_entry){(char *)cases[i].key, "1"};
        _cleanup_free_ char *e = apply(&d, &res, CGROUP_GROUP_UNIFIED, false);
        CHECK_STREQ(e, cases[i].want);
        CHECK_STREQ(d.log, "");
    }
    /* A value the kernel refuses. */
    fake_full(&d);
    fake_find(&d, "memory.high")->write_errno = EINVAL;
    entries[0] = (struct cradle_unified_entry){"memory.high", "lots"};
    _cleanup_free_ char *e = apply(&d, &res, CGROUP_GROUP_UNIFIED, false);
    CHECK_STREQ(e, "unable to set unified resource \"memory.high\": writing \"lots\" to "
                   "/cg/memory.high: Invalid argument");
}

/* Stats of a fake directory as JSON text. */
static char *stats_json(struct fake_dir *d, char *const *sizes)
{
    struct v2_files f = fake_files(d);
    _cleanup_error_ cradle_error *err = NULL;
    struct json_object *out = json_object_new_object();
    char *text = NULL;
    if (v2_stats_files(&f, sizes, out, &err) == 0)
        text = strdup(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN));
    else
        text = cradle_error_text(err);
    json_object_put(out);
    return text;
}

static void test_stats_shape(void)
{
    struct fake_dir d = {0};
    add_file(&d, "cpu.stat",
             "usage_usec 2000\nuser_usec 1500\nsystem_usec 500\nnr_periods 10\n"
             "nr_throttled 2\nthrottled_usec 30\nnr_bursts 0\nburst_usec 0\n");
    add_file(&d, "memory.stat", "file 4096\nanon 8192\nactive_anon 1\n");
    add_file(&d, "memory.current", "12288\n");
    add_file(&d, "memory.max", "67108864\n");
    add_file(&d, "memory.swap.current", "0\n");
    add_file(&d, "memory.swap.max", "max\n");
    add_file(&d, "pids.current", "3\n");
    add_file(&d, "pids.max", "max\n");
    add_file(&d, "io.stat", "8:0 rbytes=4096 wbytes=0 rios=1 wios=0 dbytes=0 dios=0\n");
    add_file(&d, "hugetlb.2MB.current", "0\n");
    add_file(&d, "hugetlb.2MB.events", "max 3\n");
    char *sizes[] = {"2MB", NULL};
    _cleanup_free_ char *json = stats_json(&d, sizes);
    CHECK_STREQ(json,
                "{\"cpu\":{\"usage\":{\"total\":2000000,\"kernel\":500000,\"user\":1500000},"
                "\"throttling\":{\"periods\":10,\"throttledPeriods\":2,\"throttledTime\":30000}},"
                "\"cpuset\":{\"cpu_exclusive\":0,\"mem_hardwall\":0,\"mem_exclusive\":0,"
                "\"memory_migrate\":0,\"memory_spread_page\":0,\"memory_spread_slab\":0,"
                "\"memory_pressure\":0,\"sched_load_balance\":0,\"sched_relax_domain_level\":0},"
                "\"memory\":{\"cache\":4096,"
                "\"usage\":{\"limit\":67108864,\"usage\":12288,\"failcnt\":0},"
                "\"swap\":{\"limit\":18446744073709551615,\"usage\":12288,\"failcnt\":0},"
                "\"kernel\":{\"limit\":0,\"failcnt\":0},\"kernelTCP\":{\"limit\":0,\"failcnt\":0},"
                "\"raw\":{\"active_anon\":1,\"anon\":8192,\"file\":4096}},"
                "\"pids\":{\"current\":3},"
                "\"blkio\":{\"ioServiceBytesRecursive\":[{\"major\":8,\"op\":\"Read\",\"value\":"
                "4096},{\"major\":8,\"op\":\"Write\"}],\"ioServicedRecursive\":[{\"major\":8,"
                "\"op\":\"Read\",\"value\":1},{\"major\":8,\"op\":\"Write\"}]},"
                "\"hugetlb\":{\"2MB\":{\"failcnt\":3}}}");
}

static void test_stats_without_controllers(void)
{
    /* Only what every cgroup2 directory has: zero parts, pids counted from cgroup.procs. */
    struct fake_dir d = {0};
    add_file(&d, "cpu.stat", "usage_usec 0\nuser_usec 0\nsystem_usec 0\n");
    add_file(&d, "cgroup.procs", "12\n13\n");
    char *sizes[] = {"2MB", NULL};
    _cleanup_free_ char *json = stats_json(&d, sizes);
    CHECK_STREQ(json,
                "{\"cpu\":{\"usage\":{\"kernel\":0,\"user\":0},\"throttling\":{}},"
                "\"cpuset\":{\"cpu_exclusive\":0,\"mem_hardwall\":0,\"mem_exclusive\":0,"
                "\"memory_migrate\":0,\"memory_spread_page\":0,\"memory_spread_slab\":0,"
                "\"memory_pressure\":0,\"sched_load_balance\":0,\"sched_relax_domain_level\":0},"

                "\"memory\":{\"usage\":{\"limit\":0,\"failcnt\":0},"
                "\"swap\":{\"limit\":0,\"failcnt\":0},"
                "\"kernel\":{\"limit\":0,\"failcnt\":0},"
                "\"kernelTCP\":{\"limit\":0,\"failcnt\":0}},"
                "\"pids\":{\"current\":2},\"blkio\":{},\"hugetlb\":{}}");
    /* No swap accounting: swap reads as memory's own values, as in runc. */
    add_file(&d, "memory.stat", "file 0\n");
    add_file(&d, "memory.current", "100\n");
    add_file(&d, "memory.max", "200\n");
    _cleanup_free_ char *json2 = stats_json(&d, NULL);
    CHECK_CONTAINS(json2, "\"swap\":{\"limit\":200,\"usage\":100,\"failcnt\":0}");
    /* A malformed file is an error naming it. */
    fake_find(&d, "cpu.stat")->content = "usage_usec x\n";
    _cleanup_free_ char *json3 = stats_json(&d, NULL);
    CHECK_STREQ(json3, "unable to parse /cg/cpu.stat");
}

static void test_stats_keep_v1_parts(void)
{
    struct fake_dir d = {0};
    add_file(&d, "cpu.stat", "usage_usec 7\n");
    add_file(&d, "cgroup.procs", "");
    struct v2_files f = fake_files(&d);
    _cleanup_error_ cradle_error *err = NULL;
    struct json_object *out = json_object_new_object();
    json_object_object_add(out, "cpu", json_object_new_string("from v1"));
    CHECK(v2_stats_files(&f, NULL, out, &err) == 0);
    struct json_object *cpu = NULL;
    CHECK(json_object_object_get_ex(out, "cpu", &cpu));
    CHECK_STREQ(json_object_get_string(cpu), "from v1");
    json_object_put(out);
}

RUN_TESTS(test_cpu_weight_conversion, test_io_weight_conversion, test_swap_conversion,
          test_value_texts, test_parsers, test_zero_values_write_nothing, test_every_group,
          test_mask_selects_groups, test_memory_values, test_check_before_update, test_cpu_values,
          test_pids_values, test_io_weights, test_unified_errors, test_stats_shape,
          test_stats_without_controllers, test_stats_keep_v1_parts)
