/* linux.resources: every field parsed, runc's zero-is-unset rules, errors naming the field,
 * device access strings, merge (runc `update`) and the round trip through to_json. */
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"
#include "cradle/resources.h"
#include "harness.h"

static void cleanup_resources(struct cradle_resources *res)
{
    cradle_resources_free(res);
}

#define _cleanup_resources_ __attribute__((cleanup(cleanup_resources)))

/* Parses text as the linux.resources object; 0, or -1 with *msg set (caller frees). */
static int parse_text(const char *text, struct cradle_resources *res, char **msg)
{
    _cleanup_error_ cradle_error *err = NULL;
    struct json_object *obj = json_tokener_parse(text);
    if (obj == NULL) {
        *msg = strdup("test document is not JSON");
        return -1;
    }
    int r = cradle_resources_parse(obj, "linux.resources", res, &err);
    json_object_put(obj);
    if (r < 0)
        *msg = strdup(err->msg);
    return r;
}

static bool parse_ok(const char *text, struct cradle_resources *res)
{
    _cleanup_free_ char *msg = NULL;
    if (parse_text(text, res, &msg) < 0) {
        fprintf(stderr, "unexpected error: %s\n", msg);
        return false;
    }
    return true;
}

#define CHECK_ERROR(text, expected)                                                                \
    do {                                                                                           \
        _cleanup_resources_ struct cradle_resources _res = {0};                                    \
        _cleanup_free_ char *_msg = NULL;                                                          \
        CHECK(parse_text((text), &_res, &_msg) < 0);                                               \
        CHECK_CONTAINS(_msg, expected);                                                            \
    } while (0)

static const char full_document[] =
    "{\"devices\": [{\"allow\": false, \"access\": \"rwm\"},"
    "  {\"allow\": true, \"type\": \"c\", \"major\": 1, \"minor\": 3, \"access\": \"rw\"}],"
    " \"memory\": {\"limit\": 67108864, \"reservation\": 33554432, \"swap\": 134217728,"
    "  \"kernel\": 1024, \"kernelTCP\": 2048, \"swappiness\": 10, \"disableOOMKiller\": true,"
    "  \"useHierarchy\": false, \"checkBeforeUpdate\": true},"
    " \"cpu\": {\"shares\": 512, \"quota\": 50000, \"burst\": 1000, \"period\": 100000,"
    "  \"realtimeRuntime\": 950, \"realtimePeriod\": 1000, \"cpus\": \"0-1\", \"mems\": \"0\","
    "  \"idle\": 1},"
    " \"pids\": {\"limit\": 2048},"
    " \"blockIO\": {\"weight\": 500, \"leafWeight\": 300,"
    "  \"weightDevice\": [{\"major\": 8, \"minor\": 0, \"weight\": 600, \"leafWeight\": 200},"
    "   {\"major\": 8, \"minor\": 16, \"weight\": 700}],"
    "  \"throttleReadBpsDevice\": [{\"major\": 8, \"minor\": 0, \"rate\": 1048576}],"
    "  \"throttleWriteBpsDevice\": [{\"major\": 8, \"minor\": 0, \"rate\": 2097152}],"
    "  \"throttleReadIOPSDevice\": [{\"major\": 8, \"minor\": 0, \"rate\": 100}],"
    "  \"throttleWriteIOPSDevice\": [{\"major\": 8, \"minor\": 0, \"rate\": 200},"
    "   {\"major\": 8, \"minor\": 16, \"rate\": 0}]},"
    " \"hugepageLimits\": [{\"pageSize\": \"2MB\", \"limit\": 209715200},"
    "  {\"pageSize\": \"1GB\", \"limit\": 0}],"
    " \"network\": {\"classID\": 1048577, \"priorities\": [{\"name\": \"eth0\", \"priority\": 500},"
    "  {\"name\": \"lo\", \"priority\": 0}]},"
    " \"rdma\": {\"mlx5_1\": {\"hcaHandles\": 3, \"hcaObjects\": 10000}, \"mlx4_0\": "
    "{\"hcaObjects\": 0}},"
    " \"unified\": {\"memory.high\": \"50000000\", \"io.max\": \"8:0 rbps=1024\"}}";

static void test_every_field(void)
{
    _cleanup_resources_ struct cradle_resources res = {0};
    CHECK(parse_ok(full_document, &res));

    const struct cradle_resources_memory *mem = &res.memory;
    CHECK(mem->limit.set && mem->limit.value == 67108864);
    CHECK(mem->reservation.set && mem->reservation.value == 33554432);
    CHECK(mem->swap.set && mem->swap.value == 134217728);
    CHECK(mem->kernel_set);
    CHECK(mem->swappiness.set && mem->swappiness.value == 10);
    CHECK(mem->disable_oom_killer && mem->check_before_update);
    CHECK(mem->use_hierarchy.set && !mem->use_hierarchy.value);

    const struct cradle_resources_cpu *cpu = &res.cpu;
    CHECK(cpu->shares.set && cpu->shares.value == 512);
    CHECK(cpu->quota.set && cpu->quota.value == 50000);
    CHECK(cpu->burst.set && cpu->burst.value == 1000);
    CHECK(cpu->period.set && cpu->period.value == 100000);
    CHECK(cpu->realtime_runtime.set && cpu->realtime_runtime.value == 950);
    CHECK(cpu->realtime_period.set && cpu->realtime_period.value == 1000);
    CHECK_STREQ(cpu->cpus, "0-1");
    CHECK_STREQ(cpu->mems, "0");
    CHECK(cpu->idle.set && cpu->idle.value == 1);

    CHECK(res.pids.limit.set && res.pids.limit.value == 2048);

    const struct cradle_resources_blkio *io = &res.blkio;
    CHECK(io->weight.set && io->weight.value == 500);
    CHECK(io->leaf_weight.set && io->leaf_weight.value == 300);
    CHECK(io->n_weight_devices == 2);
    if (io->n_weight_devices == 2) {
        CHECK(io->weight_devices[0].major == 8 && io->weight_devices[0].minor == 0);
        CHECK(io->weight_devices[0].weight.set && io->weight_devices[0].weight.value == 600);
        CHECK(io->weight_devices[0].leaf_weight.set &&
              io->weight_devices[0].leaf_weight.value == 200);
        CHECK(io->weight_devices[1].minor == 16 && io->weight_devices[1].weight.value == 700);
        CHECK(!io->weight_devices[1].leaf_weight.set);
    }
    CHECK(io->read_bps.n == 1 && io->read_bps.items[0].rate == 1048576);
    CHECK(io->write_bps.n == 1 && io->write_bps.items[0].rate == 2097152);
    CHECK(io->read_iops.n == 1 && io->read_iops.items[0].rate == 100);
    CHECK(io->write_iops.n == 2 && io->write_iops.items[0].rate == 200);
    /* A rate of 0 is kept: on v1 it removes the device's limit. */
    CHECK(io->write_iops.n == 2 && io->write_iops.items[1].minor == 16 &&
          io->write_iops.items[1].rate == 0);

    CHECK(res.n_hugepages == 2);
    if (res.n_hugepages == 2) {
        CHECK_STREQ(res.hugepages[0].page_size, "2MB");
        CHECK(res.hugepages[0].limit == 209715200);
        CHECK_STREQ(res.hugepages[1].page_size, "1GB");
        CHECK(res.hugepages[1].limit == 0);
    }

    CHECK(res.network.class_id.set && res.network.class_id.value == 1048577);
    CHECK(res.network.n_priorities == 2);
    if (res.network.n_priorities == 2) {
        CHECK_STREQ(res.network.priorities[0].name, "eth0");
        CHECK(res.network.priorities[0].priority == 500);
        CHECK_STREQ(res.network.priorities[1].name, "lo");
        CHECK(res.network.priorities[1].priority == 0);
    }

    CHECK(res.n_rdma == 2);
    if (res.n_rdma == 2) {
        CHECK_STREQ(res.rdma[0].device, "mlx5_1");
        CHECK(res.rdma[0].hca_handles.set && res.rdma[0].hca_handles.value == 3);
        CHECK(res.rdma[0].hca_objects.set && res.rdma[0].hca_objects.value == 10000);
        CHECK_STREQ(res.rdma[1].device, "mlx4_0");
        CHECK(!res.rdma[1].hca_handles.set);
        CHECK(res.rdma[1].hca_objects.set && res.rdma[1].hca_objects.value == 0);
    }

    CHECK(res.n_unified == 2);
    if (res.n_unified == 2) {
        CHECK_STREQ(res.unified[0].key, "memory.high");
        CHECK_STREQ(res.unified[0].value, "50000000");
        CHECK_STREQ(res.unified[1].key, "io.max");
        CHECK_STREQ(res.unified[1].value, "8:0 rbps=1024");
    }

    CHECK(res.has_devices && res.n_devices == 2);
    if (res.n_devices == 2) {
        CHECK(!res.devices[0].allow && res.devices[0].type == 'a');
        CHECK(res.devices[0].major == -1 && res.devices[0].minor == -1);
        CHECK_STREQ(res.devices[0].access, "rwm");
        CHECK(res.devices[1].allow && res.devices[1].type == 'c');
        CHECK(res.devices[1].major == 1 && res.devices[1].minor == 3);
        CHECK_STREQ(res.devices[1].access, "rw");
    }
}

/* Where runc takes 0 for "not set" (plain values in its cgroup config), nothing is set;
 * where runc keeps a pointer (burst, idle, swappiness, rdma counts), 0 is a value. */
static void test_zero_values(void)
{
    _cleanup_resources_ struct cradle_resources res = {0};
    CHECK(
        parse_ok("{\"memory\": {\"limit\": 0, \"reservation\": 0, \"swap\": 0,"
                 "  \"swappiness\": 0, \"disableOOMKiller\": false},"
                 " \"cpu\": {\"shares\": 0, \"quota\": 0, \"period\": 0, \"burst\": 0,"
                 "  \"realtimeRuntime\": 0, \"realtimePeriod\": 0, \"cpus\": \"\", \"mems\": \"\","
                 "  \"idle\": 0},"
                 " \"pids\": {\"limit\": 0},"
                 " \"blockIO\": {\"weight\": 0, \"leafWeight\": 0,"
                 "  \"weightDevice\": [{\"major\": 8, \"minor\": 0, \"weight\": 0}]},"
                 " \"network\": {\"classID\": 0},"
                 " \"rdma\": {\"d\": {\"hcaHandles\": 0}}}",
                 &res));
    CHECK(!res.memory.limit.set && !res.memory.reservation.set && !res.memory.swap.set);
    CHECK(res.memory.swappiness.set && res.memory.swappiness.value == 0);
    CHECK(!res.memory.disable_oom_killer && !res.memory.kernel_set);
    CHECK(!res.memory.use_hierarchy.set);
    CHECK(!res.cpu.shares.set && !res.cpu.quota.set && !res.cpu.period.set);
    CHECK(res.cpu.burst.set && res.cpu.burst.value == 0);
    CHECK(!res.cpu.realtime_runtime.set && !res.cpu.realtime_period.set);
    CHECK(res.cpu.cpus == NULL && res.cpu.mems == NULL);
    CHECK(res.cpu.idle.set && res.cpu.idle.value == 0);
    CHECK(!res.pids.limit.set);
    CHECK(!res.blkio.weight.set && !res.blkio.leaf_weight.set);
    CHECK(res.blkio.n_weight_devices == 1 && !res.blkio.weight_devices[0].weight.set);
    CHECK(!res.network.class_id.set);
    CHECK(res.n_rdma == 1 && res.rdma[0].hca_handles.set && !res.rdma[0].hca_objects.set);
    CHECK(!res.has_devices && res.n_unified == 0 && res.n_hugepages == 0);

    _cleanup_resources_ struct cradle_resources empty = {0};
    CHECK(parse_ok("{}", &empty));
    CHECK(!empty.memory.swappiness.set && !empty.cpu.burst.set && !empty.cpu.idle.set);
    CHECK(!empty.has_devices && empty.devices == NULL);

    _cleanup_resources_ struct cradle_resources nulls = {0};
    CHECK(parse_ok("{\"memory\": null, \"cpu\": {\"shares\": null}, \"devices\": null}", &nulls));
    CHECK(!nulls.cpu.shares.set && !nulls.has_devices);
}

/* -1 is "unlimited" and is written; a negative pids limit is "max". */
static void test_unlimited_values(void)
{
    _cleanup_resources_ struct cradle_resources res = {0};
    CHECK(parse_ok("{\"memory\": {\"limit\": -1, \"reservation\": -1, \"swap\": -1},"
                   " \"cpu\": {\"quota\": -1}, \"pids\": {\"limit\": -5}}",
                   &res));
    CHECK(res.memory.limit.set && res.memory.limit.value == -1);
    CHECK(res.memory.reservation.set && res.memory.reservation.value == -1);
    CHECK(res.memory.swap.set && res.memory.swap.value == -1);
    CHECK(res.cpu.quota.set && res.cpu.quota.value == -1);
    CHECK(res.pids.limit.set && res.pids.limit.value == -5);
}

static void test_swappiness(void)
{
    static const char *const unset[] = {
        "{\"memory\": {}}",
        "{\"memory\": {\"swappiness\": -1}}",
        "{\"memory\": {\"swappiness\": 18446744073709551615}}",
    };
    for (size_t i = 0; i < sizeof(unset) / sizeof(unset[0]); i++) {
        _cleanup_resources_ struct cradle_resources res = {0};
        CHECK(parse_ok(unset[i], &res) && !res.memory.swappiness.set);
    }
    _cleanup_resources_ struct cradle_resources top = {0};
    CHECK(parse_ok("{\"memory\": {\"swappiness\": 100}}", &top));
    CHECK(top.memory.swappiness.set && top.memory.swappiness.value == 100);
    CHECK_ERROR("{\"memory\": {\"swappiness\": 101}}",
                "linux.resources.memory.swappiness: 101 is out of range (0-100)");
    CHECK_ERROR("{\"memory\": {\"swappiness\": -2}}", "linux.resources.memory.swappiness: ");
}

static void test_kernel_memory_recorded(void)
{
    _cleanup_resources_ struct cradle_resources kernel = {0}, tcp = {0};
    CHECK(parse_ok("{\"memory\": {\"kernel\": -1}}", &kernel) && kernel.memory.kernel_set);
    CHECK(parse_ok("{\"memory\": {\"kernelTCP\": 0}}", &tcp) && tcp.memory.kernel_set);
    CHECK(!kernel.memory.limit.set);
    CHECK_ERROR("{\"memory\": {\"kernel\": \"1G\"}}",
                "linux.resources.memory.kernel: expected a 64-bit integer, got string");
}

static void test_errors_name_the_field(void)
{
    CHECK_ERROR("[]", "linux.resources: expected object, got array");
    CHECK_ERROR("{\"memory\": 5}", "linux.resources.memory: expected object, got number");
    CHECK_ERROR("{\"memory\": {\"limit\": \"64m\"}}",
                "linux.resources.memory.limit: expected a 64-bit integer, got string");
    CHECK_ERROR("{\"memory\": {\"limit\": -2}}",
                "linux.resources.memory.limit: -2 is out of range (-1 or more)");
    CHECK_ERROR("{\"memory\": {\"swap\": 1.5}}",
                "linux.resources.memory.swap: expected a 64-bit integer, got number");
    CHECK_ERROR("{\"memory\": {\"disableOOMKiller\": 1}}",
                "linux.resources.memory.disableOOMKiller: expected boolean, got number");
    CHECK_ERROR("{\"cpu\": {\"shares\": -1}}",
                "linux.resources.cpu.shares: expected an unsigned 64-bit integer, got -1");
    CHECK_ERROR("{\"cpu\": {\"cpus\": 1}}",
                "linux.resources.cpu.cpus: expected string, got number");
    CHECK_ERROR("{\"pids\": {\"limit\": true}}",
                "linux.resources.pids.limit: expected a 64-bit integer, got boolean");
    CHECK_ERROR("{\"blockIO\": {\"weight\": 65536}}",
                "linux.resources.blockIO.weight: 65536 is out of range (0 to 65535)");
    CHECK_ERROR("{\"blockIO\": {\"weightDevice\": [{\"minor\": 0, \"weight\": 10}]}}",
                "linux.resources.blockIO.weightDevice[0].major: missing");
    CHECK_ERROR("{\"blockIO\": {\"throttleWriteIOPSDevice\": [{\"major\": 8, \"minor\": 0}]}}",
                "linux.resources.blockIO.throttleWriteIOPSDevice[0].rate: missing");
    CHECK_ERROR("{\"blockIO\": {\"throttleReadBpsDevice\": {}}}",
                "linux.resources.blockIO.throttleReadBpsDevice: expected array, got object");
    CHECK_ERROR("{\"hugepageLimits\": [{\"limit\": 1}]}",
                "linux.resources.hugepageLimits[0].pageSize: missing");
    CHECK_ERROR("{\"hugepageLimits\": [{\"pageSize\": \"2MB\", \"limit\": -1}]}",
                "linux.resources.hugepageLimits[0].limit: expected an unsigned 64-bit integer");
    CHECK_ERROR("{\"network\": {\"classID\": 4294967296}}",
                "linux.resources.network.classID: 4294967296 is out of range (0 to 4294967295)");
    CHECK_ERROR("{\"network\": {\"priorities\": [{\"name\": \"eth0\"}]}}",
                "linux.resources.network.priorities[0].priority: missing");
    CHECK_ERROR("{\"rdma\": {\"mlx5_1\": 3}}",
                "linux.resources.rdma.mlx5_1: expected object, got number");
    CHECK_ERROR("{\"rdma\": {\"mlx5_1\": {\"hcaHandles\": -1}}}",
                "linux.resources.rdma.mlx5_1.hcaHandles: expected an unsigned 64-bit integer");
    CHECK_ERROR("{\"unified\": {\"memory.max\": 5}}",
                "linux.resources.unified.memory.max: expected string, got number");
    CHECK_ERROR("{\"unified\": {\"../../memory.max\": \"1\"}}",
                "linux.resources.unified: \"../../memory.max\" is not a cgroup file name");
    CHECK_ERROR("{\"unified\": {\"..\": \"1\"}}",
                "linux.resources.unified: \"..\" is not a cgroup file name");
    CHECK_ERROR("{\"hugepageLimits\": [{\"pageSize\": \"../2MB\", \"limit\": 1}]}",
                "linux.resources.hugepageLimits[0].pageSize: \"../2MB\" is not a valid name");
    CHECK_ERROR("{\"network\": {\"priorities\": [{\"name\": \"eth0 1\\nlo\", \"priority\": 2}]}}",
                "linux.resources.network.priorities[0].name: \"eth0 1\nlo\" is not a valid name");
    CHECK_ERROR("{\"rdma\": {\"mlx5_1 hca_handle=1\": {}}}",
                "linux.resources.rdma: \"mlx5_1 hca_handle=1\" is not a valid name");
    CHECK_ERROR("{\"devices\": [{\"access\": \"rwm\"}]}",
                "linux.resources.devices[0].allow: missing");
    CHECK_ERROR("{\"devices\": [{\"allow\": true, \"type\": \"p\"}]}",
                "linux.resources.devices[0].type: unknown device type \"p\"");
}

/* The path given names the document: `update -r FILE` shows the file. */
static void test_error_path_is_the_callers(void)
{
    _cleanup_resources_ struct cradle_resources res = {0};
    _cleanup_error_ cradle_error *err = NULL;
    struct json_object *obj = json_tokener_parse("{\"pids\": {\"limit\": \"x\"}}");
    CHECK(cradle_resources_parse(obj, "update.json", &res, &err) < 0);
    CHECK(err && strstr(err->msg, "update.json.pids.limit: expected") == err->msg);
    json_object_put(obj);
}

/* runc keeps the r, w and m of an access string and ignores other letters (measured with
 * runc 1.1.5 on cgroup v1: "rwa" is written as "rw", "mrr" as "rm"). */
static void test_device_access_strings(void)
{
    static const struct {
        const char *given, *normal;
    } cases[] = {
        {"rwm", "rwm"}, {"rwa", "rw"}, {"wr", "rw"},    {"mrr", "rm"},
        {"m", "m"},     {"aw", "w"},   {"rwmx", "rwm"}, {NULL, "rwm"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char doc[128];
        if (cases[i].given)
            snprintf(doc, sizeof(doc), "{\"devices\": [{\"allow\": true, \"access\": \"%s\"}]}",
                     cases[i].given);
        else
            snprintf(doc, sizeof(doc), "{\"devices\": [{\"allow\": true}]}");
        _cleanup_resources_ struct cradle_resources res = {0};
        CHECK(parse_ok(doc, &res) && res.n_devices == 1);
        if (res.n_devices == 1)
            CHECK_STREQ(res.devices[0].access, cases[i].normal);
    }
    CHECK_ERROR("{\"devices\": [{\"allow\": true, \"access\": \"\"}]}",
                "linux.resources.devices[0].access: cannot be empty");
    CHECK_ERROR("{\"devices\": [{\"allow\": true, \"type\": \"c\", \"access\": \"a\"}]}",
                "linux.resources.devices[0].access: \"a\" has none of r, w or m");
    /* On an "a" rule the access does not matter (kernel and runc): all devices. */
    _cleanup_resources_ struct cradle_resources all = {0};
    CHECK(parse_ok("{\"devices\": [{\"allow\": false, \"access\": \"x\"}]}", &all));
    CHECK(all.n_devices == 1 && strcmp(all.devices[0].access, "rwm") == 0);

    _cleanup_resources_ struct cradle_resources typed = {0};
    CHECK(
        parse_ok("{\"devices\": [{\"allow\": false, \"type\": \"\", \"access\": \"r\"}]}", &typed));
    CHECK(typed.n_devices == 1 && typed.devices[0].type == 'a');

    _cleanup_resources_ struct cradle_resources none = {0};
    CHECK(parse_ok("{\"devices\": []}", &none) && none.has_devices && none.n_devices == 0);
}

static void test_merge(void)
{
    _cleanup_resources_ struct cradle_resources base = {0}, update = {0};
    CHECK(parse_ok(full_document, &base));
    CHECK(parse_ok("{\"memory\": {\"limit\": 134217728, \"swap\": -1},"
                   " \"cpu\": {\"shares\": 0, \"quota\": 20000, \"cpus\": \"1\"},"
                   " \"pids\": {\"limit\": -1}, \"blockIO\": {\"weight\": 100,"
                   "  \"throttleReadBpsDevice\": [{\"major\": 8, \"minor\": 16, \"rate\": 5}]},"
                   " \"unified\": {\"pids.max\": \"7\"},"
                   " \"devices\": [{\"allow\": true, \"access\": \"rwm\"}]}",
                   &update));
    _cleanup_error_ cradle_error *err = NULL;
    CHECK(cradle_resources_merge(&base, &update, &err) == 0);

    /* Replaced by the update. */
    CHECK(base.memory.limit.set && base.memory.limit.value == 134217728);
    CHECK(base.memory.swap.value == -1);
    CHECK(base.cpu.quota.value == 20000);
    CHECK_STREQ(base.cpu.cpus, "1");
    CHECK(base.pids.limit.value == -1);
    CHECK(base.blkio.weight.value == 100);
    CHECK(base.blkio.read_bps.n == 1 && base.blkio.read_bps.items[0].minor == 16);
    CHECK(base.n_unified == 1 && strcmp(base.unified[0].key, "pids.max") == 0);
    CHECK(base.n_devices == 1 && base.devices[0].allow && base.devices[0].type == 'a');
    /* Kept: what the update does not set (shares 0 is "not set"). */
    CHECK(base.memory.reservation.value == 33554432);
    CHECK(base.memory.swappiness.value == 10 && base.memory.disable_oom_killer);
    CHECK(base.cpu.shares.set && base.cpu.shares.value == 512);
    CHECK(base.cpu.period.value == 100000);
    CHECK_STREQ(base.cpu.mems, "0");
    CHECK(base.blkio.leaf_weight.value == 300 && base.blkio.n_weight_devices == 2);
    CHECK(base.blkio.write_bps.n == 1 && base.blkio.write_iops.n == 2);
    CHECK(base.n_hugepages == 2 && base.n_rdma == 2 && base.network.n_priorities == 2);
    CHECK(base.network.class_id.value == 1048577);
    /* About the request itself: taken from the update. */
    CHECK(!base.memory.check_before_update && !base.memory.kernel_set);

    /* The update still owns its own copies. */
    cradle_resources_free(&update);
    CHECK_STREQ(base.unified[0].value, "7");
    CHECK_STREQ(base.devices[0].access, "rwm");

    /* Into an empty base: everything is copied. */
    _cleanup_resources_ struct cradle_resources empty = {0}, full = {0};
    CHECK(parse_ok(full_document, &full));
    CHECK(cradle_resources_merge(&empty, &full, &err) == 0);
    cradle_resources_free(&full);
    CHECK(empty.n_hugepages == 2 && strcmp(empty.hugepages[1].page_size, "1GB") == 0);
    CHECK(empty.n_rdma == 2 && strcmp(empty.rdma[0].device, "mlx5_1") == 0);
    CHECK(empty.network.n_priorities == 2 && strcmp(empty.network.priorities[1].name, "lo") == 0);
    CHECK(empty.has_devices && empty.n_devices == 2);
}

static char *to_json_text(const struct cradle_resources *res)
{
    struct json_object *obj = cradle_resources_to_json(res);
    if (obj == NULL)
        return NULL;
    char *text = strdup(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN));
    json_object_put(obj);
    return text;
}

static void check_round_trip(const char *doc)
{
    _cleanup_resources_ struct cradle_resources first = {0}, second = {0};
    CHECK(parse_ok(doc, &first));
    _cleanup_free_ char *text = to_json_text(&first);
    CHECK(text != NULL && parse_ok(text, &second));
    _cleanup_free_ char *again = to_json_text(&second);
    CHECK_STREQ(text, again);
}

static void test_round_trip(void)
{
    check_round_trip(full_document);
    check_round_trip("{\"memory\": {\"limit\": -1, \"swappiness\": 0}, \"cpu\": {\"idle\": 0},"
                     " \"pids\": {\"limit\": -1}, \"devices\": [], \"unified\": {},"
                     " \"hugepageLimits\": []}");

    _cleanup_resources_ struct cradle_resources res = {0};
    CHECK(parse_ok(full_document, &res));
    _cleanup_free_ char *text = to_json_text(&res);
    CHECK_CONTAINS(text, "\"memory\":{\"limit\":67108864,\"reservation\":33554432,");
    CHECK_CONTAINS(text,
                   "\"devices\":[{\"allow\":false,\"type\":\"a\",\"access\":\"rwm\"},"
                   "{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":3,\"access\":\"rw\"}]");
    CHECK_CONTAINS(text, "\"rdma\":{\"mlx5_1\":{\"hcaHandles\":3,\"hcaObjects\":10000},"
                         "\"mlx4_0\":{\"hcaObjects\":0}}");

    /* Nothing set: nothing written (zero entries are not kept). */
    _cleanup_resources_ struct cradle_resources zero = {0};
    CHECK(parse_ok("{\"cpu\": {\"shares\": 0}, \"pids\": {\"limit\": 0}}", &zero));
    _cleanup_free_ char *empty = to_json_text(&zero);
    CHECK_STREQ(empty, "{}");
}

RUN_TESTS(test_every_field, test_zero_values, test_unlimited_values, test_swappiness,
          test_kernel_memory_recorded, test_errors_name_the_field, test_error_path_is_the_callers,
          test_device_access_strings, test_merge, test_round_trip)
