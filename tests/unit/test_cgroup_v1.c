/* cgroup v1 resources: which file gets which text (over a scratch directory of plain
 * files standing in for a cgroup), the memory/swap order, huge page size names, and the
 * parsers behind the stats in runc's event shape. */
#include "harness.h"

#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../libcontainer-c/cgroups/v1/cgroup_v1.h"
#include "cradle/cleanup.h"
#include "cradle/fileutil.h"

/* A scratch "cgroup" holding the named empty files. */
static char *fake_cgroup(const char *const *files)
{
    char *dir = strdup("/tmp/test_cgroup_v1.XXXXXX");
    if (dir == NULL || mkdtemp(dir) == NULL)
        return NULL;
    for (const char *const *f = files; *f; f++) {
        char path[256];
        snprintf(path, sizeof(path), "%s/%s", dir, *f);
        int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (fd >= 0)
            close(fd);
    }
    return dir;
}

static void remove_fake_cgroup(char *dir)
{
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    free(dir);
}

/* The text written to dir/file ("" when nothing was). */
static char *written(const char *dir, const char *file)
{
    char path[256];
    char *text = NULL;
    snprintf(path, sizeof(path), "%s/%s", dir, file);
    if (cradle_read_file_at(AT_FDCWD, path, &text, NULL) < 0)
        return strdup("(missing)");
    return text;
}

#define CHECK_WRITTEN(dir, file, text)                                                             \
    do {                                                                                           \
        _cleanup_free_ char *_w = written(dir, file);                                              \
        CHECK_STREQ(_w, text);                                                                     \
    } while (0)

static void test_swap_order(void)
{
    /* Raising both: swap first (memsw must stay >= limit). */
    CHECK(cgroup_v1_swap_goes_first(64 << 20, 256 << 20));
    /* Lowering both: limit first. */
    CHECK(!cgroup_v1_swap_goes_first(256 << 20, 128 << 20));
    /* Unlimited swap always first. */
    CHECK(cgroup_v1_swap_goes_first(64 << 20, -1));
    CHECK(!cgroup_v1_swap_goes_first(64 << 20, 64 << 20));
}

static void test_memory_files(void)
{
    static const char *const files[] = {"memory.limit_in_bytes", "memory.soft_limit_in_bytes",
                                        "memory.swappiness",     "memory.oom_control",
                                        "memory.use_hierarchy",  NULL};
    char *dir = fake_cgroup(files);
    CHECK(dir != NULL);
    struct cradle_resources res = {0};
    res.memory.limit = (struct cradle_opt_i64){true, 67108864};
    res.memory.reservation = (struct cradle_opt_i64){true, 33554432};
    res.memory.swappiness = (struct cradle_opt_u64){true, 10};
    res.memory.disable_oom_killer = true;
    res.memory.use_hierarchy = (struct cradle_opt_bool){true, true};
    CHECK(cgroup_v1_wants_memory(&res));
    cradle_error *err = NULL;
    CHECK(cgroup_v1_apply_memory(dir, &res, false, &err) == 0);
    cradle_error_free(&err);
    CHECK_WRITTEN(dir, "memory.limit_in_bytes", "67108864");
    CHECK_WRITTEN(dir, "memory.soft_limit_in_bytes", "33554432");
    CHECK_WRITTEN(dir, "memory.swappiness", "10");
    CHECK_WRITTEN(dir, "memory.oom_control", "1");
    CHECK_WRITTEN(dir, "memory.use_hierarchy", "1");

    /* A swap limit without memory.memsw.* (no swap accounting): the field and file. */
    struct cradle_resources swap_only = {0};
    swap_only.memory.swap = (struct cradle_opt_i64){true, 134217728};
    CHECK(cgroup_v1_apply_memory(dir, &swap_only, false, &err) < 0);
    CHECK(err != NULL);
    if (err) {
        CHECK_CONTAINS(err->msg, "linux.resources.memory.swap");
        CHECK_CONTAINS(err->msg, "memory.memsw.limit_in_bytes");
    }
    cradle_error_free(&err);
    remove_fake_cgroup(dir);
}

static void test_docker_zero_values_ask_nothing(void)
{
    struct cradle_resources res = {0};
    res.memory.limit = (struct cradle_opt_i64){true, 0};
    res.memory.kernel_set = true;
    res.cpu.shares = (struct cradle_opt_u64){true, 0};
    res.cpu.quota = (struct cradle_opt_i64){true, 0};
    res.blkio.weight = (struct cradle_opt_u64){true, 0};
    res.network.class_id = (struct cradle_opt_u64){true, 0};
    CHECK(!cgroup_v1_wants_memory(&res));
    CHECK(!cgroup_v1_wants_cpu(&res));
    CHECK(!cgroup_v1_wants_cpuset(&res));
    CHECK(!cgroup_v1_wants_pids(&res));
    CHECK(!cgroup_v1_wants_blkio(&res));
    CHECK(!cgroup_v1_wants_hugetlb(&res));
    CHECK(!cgroup_v1_wants_net_cls(&res));
    CHECK(!cgroup_v1_wants_net_prio(&res));
    CHECK(!cgroup_v1_wants_rdma(&res));
}

static void test_cpu_files(void)
{
    static const char *const files[] = {"cpu.shares",        "cpu.cfs_quota_us",
                                        "cpu.cfs_period_us", "cpu.rt_period_us",
                                        "cpu.rt_runtime_us", NULL};
    char *dir = fake_cgroup(files);
    CHECK(dir != NULL);
    struct cradle_resources res = {0};
    res.cpu.shares = (struct cradle_opt_u64){true, 512};
    res.cpu.quota = (struct cradle_opt_i64){true, 50000};
    res.cpu.period = (struct cradle_opt_u64){true, 100000};
    res.cpu.realtime_period = (struct cradle_opt_u64){true, 1000000};
    res.cpu.realtime_runtime = (struct cradle_opt_i64){true, 95000};
    res.cpu.burst = (struct cradle_opt_u64){true, 1000}; /* no cpu.cfs_burst_us: ignored */
    cradle_error *err = NULL;
    CHECK(cgroup_v1_apply_cpu(dir, &res, &err) == 0);
    cradle_error_free(&err);
    CHECK_WRITTEN(dir, "cpu.shares", "512");
    CHECK_WRITTEN(dir, "cpu.cfs_quota_us", "50000");
    CHECK_WRITTEN(dir, "cpu.cfs_period_us", "100000");
    CHECK_WRITTEN(dir, "cpu.rt_period_us", "1000000");
    CHECK_WRITTEN(dir, "cpu.rt_runtime_us", "95000");
    CHECK_WRITTEN(dir, "cpu.cfs_burst_us", "(missing)");
    remove_fake_cgroup(dir);
}

static void test_cpuset_and_pids_files(void)
{
    static const char *const files[] = {"cpuset.cpus", "cpuset.mems", "pids.max", NULL};
    char *dir = fake_cgroup(files);
    CHECK(dir != NULL);
    struct cradle_resources res = {0};
    char cpus[] = "0-1", mems[] = "0";
    res.cpu.cpus = cpus;
    res.cpu.mems = mems;
    res.pids.limit = (struct cradle_opt_i64){true, -1};
    cradle_error *err = NULL;
    CHECK(cgroup_v1_apply_cpuset(dir, &res, &err) == 0);
    CHECK(cgroup_v1_apply_pids(dir, &res, &err) == 0);
    cradle_error_free(&err);
    CHECK_WRITTEN(dir, "cpuset.cpus", "0-1");
    CHECK_WRITTEN(dir, "cpuset.mems", "0");
    CHECK_WRITTEN(dir, "pids.max", "max"); /* <= 0 is no limit, as in runc */
    remove_fake_cgroup(dir);
}

static void test_blkio_files(void)
{
    static const char *const bfq[] = {"blkio.bfq.weight", "blkio.bfq.weight_device",
                                      "blkio.throttle.read_bps_device",
                                      "blkio.throttle.write_iops_device", NULL};
    char *dir = fake_cgroup(bfq);
    CHECK(dir != NULL);
    struct cradle_throttle_device read_bps = {8, 0, 1048576}, write_iops = {8, 16, 100};
    struct cradle_weight_device wd = {.major = 8, .minor = 0, .weight = {true, 300}};
    struct cradle_resources res = {0};
    res.blkio.weight = (struct cradle_opt_u64){true, 500};
    res.blkio.weight_devices = &wd;
    res.blkio.n_weight_devices = 1;
    res.blkio.read_bps = (struct cradle_throttle_list){&read_bps, 1};
    res.blkio.write_iops = (struct cradle_throttle_list){&write_iops, 1};
    cradle_error *err = NULL;
    CHECK(cgroup_v1_apply_blkio(dir, &res, &err) == 0);
    cradle_error_free(&err);
    /* Without blkio.weight (no CFQ), BFQ's files take the weights, as in runc. */
    CHECK_WRITTEN(dir, "blkio.bfq.weight", "500");
    CHECK_WRITTEN(dir, "blkio.bfq.weight_device", "8:0 300");
    CHECK_WRITTEN(dir, "blkio.throttle.read_bps_device", "8:0 1048576");
    CHECK_WRITTEN(dir, "blkio.throttle.write_iops_device", "8:16 100");

    /* leafWeight needs CFQ's blkio.leaf_weight: one error naming the field and file. */
    struct cradle_resources leaf = {0};
    leaf.blkio.leaf_weight = (struct cradle_opt_u64){true, 300};
    CHECK(cgroup_v1_apply_blkio(dir, &leaf, &err) < 0);
    CHECK(err != NULL);
    if (err) {
        CHECK_CONTAINS(err->msg, "linux.resources.blockIO.leafWeight");
        CHECK_CONTAINS(err->msg, "blkio.leaf_weight does not exist");
    }
    cradle_error_free(&err);
    remove_fake_cgroup(dir);

    static const char *const none[] = {NULL};
    dir = fake_cgroup(none);
    CHECK(cgroup_v1_apply_blkio(dir, &res, &err) < 0);
    if (err) {
        CHECK_CONTAINS(err->msg, "linux.resources.blockIO.weight");
        CHECK_CONTAINS(err->msg, "blkio.bfq.weight does not exist");
    }
    cradle_error_free(&err);
    remove_fake_cgroup(dir);
}

static void test_hugetlb_net_rdma_files(void)
{
    static const char *const files[] = {"hugetlb.2MB.limit_in_bytes", "net_cls.classid",
                                        "net_prio.ifpriomap", "rdma.max", NULL};
    char *dir = fake_cgroup(files);
    CHECK(dir != NULL);
    char two_mb[] = "2MB", three_mb[] = "3MB", eth0[] = "eth0", mlx[] = "mlx5_1";
    struct cradle_hugepage_limit pages = {two_mb, 4194304};
    struct cradle_net_priority prio = {eth0, 5};
    struct cradle_rdma_limit rdma = {mlx, {true, 3}, {true, 1000}};
    struct cradle_resources res = {0};
    res.hugepages = &pages;
    res.n_hugepages = 1;
    res.network.class_id = (struct cradle_opt_u64){true, 0x100001};
    res.network.priorities = &prio;
    res.network.n_priorities = 1;
    res.rdma = &rdma;
    res.n_rdma = 1;
    cradle_error *err = NULL;
    CHECK(cgroup_v1_apply_hugetlb(dir, &res, &err) == 0);
    CHECK(cgroup_v1_apply_net_cls(dir, &res, &err) == 0);
    CHECK(cgroup_v1_apply_net_prio(dir, &res, &err) == 0);
    CHECK(cgroup_v1_apply_rdma(dir, &res, &err) == 0);
    cradle_error_free(&err);
    CHECK_WRITTEN(dir, "hugetlb.2MB.limit_in_bytes", "4194304");
    CHECK_WRITTEN(dir, "net_cls.classid", "1048577");
    CHECK_WRITTEN(dir, "net_prio.ifpriomap", "eth0 5");
    CHECK_WRITTEN(dir, "rdma.max", "mlx5_1 hca_handle=3 hca_object=1000");

    pages.page_size = three_mb;
    CHECK(cgroup_v1_apply_hugetlb(dir, &res, &err) < 0);
    if (err) {
        CHECK_CONTAINS(err->msg, "linux.resources.hugepageLimits[0]");
        CHECK_CONTAINS(err->msg, "hugetlb.3MB.limit_in_bytes");
    }
    cradle_error_free(&err);
    remove_fake_cgroup(dir);
}

static void check_json(struct json_object *o, const char *expected)
{
    CHECK_STREQ(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN), expected);
}

static void test_stats_parsers(void)
{
    struct json_object *raw = json_object_new_object();
    CHECK(cgroup_v1_parse_flat_keyed("rss 53248\ncache 0\nactive_anon 4096\n", raw) == 0);
    check_json(raw, "{\"active_anon\":4096,\"cache\":0,\"rss\":53248}");
    json_object_put(raw);
    raw = json_object_new_object();
    CHECK(cgroup_v1_parse_flat_keyed("rss x\n", raw) < 0);
    CHECK(cgroup_v1_parse_flat_keyed("oom_kill_disable 0\nunder_oom 0\noom_kill 2\n", raw) == 0);
    check_json(raw, "{\"oom_kill\":2,\"oom_kill_disable\":0,\"under_oom\":0}");
    json_object_put(raw);

    struct json_object *list = cgroup_v1_parse_number_list("1488263 8029928 \n");
    check_json(list, "[1488263,8029928]");
    json_object_put(list);
    CHECK(cgroup_v1_parse_number_list("12 abc\n") == NULL);

    struct json_object *kernel = NULL, *user = NULL;
    CHECK(cgroup_v1_parse_usage_all("cpu user system\n0 10 20\n1 30 40\n", &kernel, &user) == 0);
    check_json(kernel, "[20,40]");
    check_json(user, "[10,30]");
    json_object_put(kernel);
    json_object_put(user);
    CHECK(cgroup_v1_parse_usage_all("cpu user system\n0 10\n", &kernel, &user) < 0);

    list = cgroup_v1_parse_cpu_list("0-3,8\n");
    check_json(list, "[0,1,2,3,8]");
    json_object_put(list);
    list = cgroup_v1_parse_cpu_list("\n");
    check_json(list, "[]");
    json_object_put(list);
    CHECK(cgroup_v1_parse_cpu_list("3-1\n") == NULL);
    CHECK(cgroup_v1_parse_cpu_list("0;1\n") == NULL);

    list = cgroup_v1_parse_blkio_entries("8:0 Read 1282048\n8:0 Write 0\n8:16 6792\nTotal 3\n");
    check_json(list, "[{\"major\":8,\"op\":\"Read\",\"value\":1282048},{\"major\":8,\"op\":"
                     "\"Write\"},{\"major\":8,\"minor\":16,\"value\":6792}]");
    json_object_put(list);
    CHECK(cgroup_v1_parse_blkio_entries("8-0 Read 1\n") == NULL);
}

RUN_TESTS(test_swap_order, test_memory_files, test_docker_zero_values_ask_nothing, test_cpu_files,
          test_cpuset_and_pids_files, test_blkio_files, test_hugetlb_net_rdma_files,
          test_stats_parsers)
