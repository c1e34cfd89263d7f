/* Pure logic of the systemd cgroup driver: cgroupsPath "slice:prefix:name", slice
 * expansion, unit names, and the unit properties made from linux.resources (runc 1.1's
 * conversions). */
#include "harness.h"

#include <stdint.h>
#include <stdlib.h>

#include "../../libcontainer-c/cgroups/devices.h"
#include "../../libcontainer-c/cgroups/systemd/systemd_internal.h"
#include "cradle/cleanup.h"

static char *expand(const char *slice)
{
    char *out = NULL;
    _cleanup_error_ cradle_error *err = NULL;
    if (systemd_expand_slice(slice, &out, &err) < 0) {
        CHECK(err && strstr(err->msg, "invalid slice name: "));
        return NULL;
    }
    return out;
}

static void test_expand_slice(void)
{
    const char *cases[][2] = {
        {"system.slice", "/system.slice"},
        {"test-a-b.slice", "/test.slice/test-a.slice/test-a-b.slice"},
        {"machine-pod1.slice", "/machine.slice/machine-pod1.slice"},
        {"-.slice", "/"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        _cleanup_free_ char *path = expand(cases[i][0]);
        CHECK_STREQ(path, cases[i][1]);
    }
    const char *bad[] = {"system",      ".slice",      "a/b.slice", "test--a.slice",
                         "-test.slice", "test-.slice", "slice"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        _cleanup_free_ char *path = expand(bad[i]);
        CHECK(path == NULL);
    }
}

static void test_default_name(void)
{
    struct systemd_cgroup_name n;
    _cleanup_error_ cradle_error *err = NULL;
    CHECK(systemd_cgroup_name_parse(NULL, "ctr1", &n, &err) == 0);
    CHECK_STREQ(n.slice, "system.slice");
    CHECK_STREQ(n.unit, "cradle-ctr1.scope");
    CHECK_STREQ(n.path, "/system.slice/cradle-ctr1.scope");
    systemd_cgroup_name_free(&n);
    CHECK(systemd_cgroup_name_parse("", "x", &n, &err) == 0);
    CHECK_STREQ(n.unit, "cradle-x.scope");
    systemd_cgroup_name_free(&n);
}

static void test_slice_prefix_name(void)
{
    struct systemd_cgroup_name n;
    _cleanup_error_ cradle_error *err = NULL;
    CHECK(systemd_cgroup_name_parse("machine-pod1.slice:libpod:abc", "id", &n, &err) == 0);
    CHECK_STREQ(n.slice, "machine-pod1.slice");
    CHECK_STREQ(n.unit, "libpod-abc.scope");
    CHECK_STREQ(n.path, "/machine.slice/machine-pod1.slice/libpod-abc.scope");
    systemd_cgroup_name_free(&n);

    /* an empty slice is system.slice, as in runc */
    CHECK(systemd_cgroup_name_parse(":docker:1234", "id", &n, &err) == 0);
    CHECK_STREQ(n.path, "/system.slice/docker-1234.scope");
    systemd_cgroup_name_free(&n);

    /* the root slice */
    CHECK(systemd_cgroup_name_parse("-.slice:p:n", "id", &n, &err) == 0);
    CHECK_STREQ(n.path, "/p-n.scope");
    systemd_cgroup_name_free(&n);

    /* a name ending in .slice asks for a slice unit, placed by its own name */
    CHECK(systemd_cgroup_name_parse("system.slice:p:system-pods.slice", "id", &n, &err) == 0);
    CHECK_STREQ(n.unit, "system-pods.slice");
    CHECK_STREQ(n.path, "/system.slice/system-pods.slice");
    systemd_cgroup_name_free(&n);
}

static void test_bad_paths(void)
{
    const char *bad_format[] = {"/ctr", "a:b", "a:b:c:d", "system.slice"};
    for (size_t i = 0; i < sizeof(bad_format) / sizeof(bad_format[0]); i++) {
        struct systemd_cgroup_name n;
        _cleanup_error_ cradle_error *err = NULL;
        CHECK(systemd_cgroup_name_parse(bad_format[i], "id", &n, &err) < 0);
        CHECK_CONTAINS(err ? err->msg : NULL,
                       "expected cgroupsPath to be of format \"slice:prefix:name\" for systemd "
                       "cgroups, got \"");
    }
    /* names that would leave the slice's directory, or that systemd refuses */
    const char *bad_names[] = {
        "system.slice:p:../../x", "system.slice:a/b:c",          "system.slice:p:",
        "system.slice:p:a b",     "system.slice/../x.slice:p:n", "nope:p:n"};
    for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
        struct systemd_cgroup_name n;
        _cleanup_error_ cradle_error *err = NULL;
        CHECK(systemd_cgroup_name_parse(bad_names[i], "id", &n, &err) < 0);
        CHECK(err != NULL);
    }
}

static void test_range_to_bits(void)
{
    _cleanup_free_ uint8_t *bits = NULL;
    size_t n = 0;
    _cleanup_error_ cradle_error *err = NULL;
    CHECK(systemd_range_to_bits("0-3,8,10-11", "f", &bits, &n, &err) == 0);
    CHECK(n == 2 && bits[0] == 0x0f && bits[1] == 0x0d);
    free(bits);
    bits = NULL;
    CHECK(systemd_range_to_bits("1", "f", &bits, &n, &err) == 0);
    CHECK(n == 1 && bits[0] == 0x02);
    const char *bad[] = {"", "a", "3-1", "1,", "1-", "-1", "0 1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        _cleanup_error_ cradle_error *e = NULL;
        uint8_t *b = NULL;
        CHECK(systemd_range_to_bits(bad[i], "linux.resources.cpu.cpus", &b, &n, &e) < 0);
        CHECK_CONTAINS(e ? e->msg : NULL, "linux.resources.cpu.cpus");
        free(b);
    }
}

static const struct systemd_prop *find(const struct systemd_props *p, const char *name)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->items[i].name, name) == 0)
            return &p->items[i];
    return NULL;
}

static uint64_t u64_of(const struct systemd_props *p, const char *name)
{
    const struct systemd_prop *prop = find(p, name);
    CHECK(prop != NULL);
    return prop ? prop->u64 : 0;
}

static void test_v2_props(void)
{
    struct cradle_resources res = {0};
    res.memory.limit = (struct cradle_opt_i64){true, 64 << 20};
    res.memory.reservation = (struct cradle_opt_i64){true, 32 << 20};
    res.memory.swap = (struct cradle_opt_i64){true, 96 << 20};
    res.cpu.shares = (struct cradle_opt_u64){true, 1024};
    res.cpu.quota = (struct cradle_opt_i64){true, 50000};
    res.cpu.period = (struct cradle_opt_u64){true, 100000};
    res.pids.limit = (struct cradle_opt_i64){true, 20};
    char cpus[] = "0-1";
    res.cpu.cpus = cpus;
    struct systemd_props p = {0};
    _cleanup_error_ cradle_error *err = NULL;
    CHECK(systemd_resource_props(&res, true, 252, &p, &err) == 0);
    CHECK(u64_of(&p, "MemoryMax") == 64 << 20);
    CHECK(u64_of(&p, "MemoryLow") == 32 << 20);
    CHECK(u64_of(&p, "MemorySwapMax") == 32 << 20);
    CHECK(u64_of(&p, "CPUWeight") == 39); /* runc: 1 + (1022 * 9999) / 262142 */
    CHECK(u64_of(&p, "CPUQuotaPerSecUSec") == 500000);
    CHECK(u64_of(&p, "CPUQuotaPeriodUSec") == 100000);
    CHECK(u64_of(&p, "TasksMax") == 20);
    const struct systemd_prop *allowed = find(&p, "AllowedCPUs");
    CHECK(allowed && allowed->n_bits == 1 && allowed->bits[0] == 0x03);
    CHECK(find(&p, "MemoryLimit") == NULL && find(&p, "CPUShares") == NULL);
    systemd_props_free(&p);

    /* an old systemd: no period nor AllowedCPUs properties (the files still get them) */
    CHECK(systemd_resource_props(&res, true, 239, &p, &err) == 0);
    CHECK(find(&p, "CPUQuotaPeriodUSec") == NULL && find(&p, "AllowedCPUs") == NULL);
    CHECK(find(&p, "CPUQuotaPerSecUSec") != NULL);
    systemd_props_free(&p);
}

static void test_v2_props_limits_and_rounding(void)
{
    struct cradle_resources res = {0};
    res.memory.limit = (struct cradle_opt_i64){true, -1};
    res.pids.limit = (struct cradle_opt_i64){true, 0}; /* Podman's "no limit" */
    res.cpu.quota = (struct cradle_opt_i64){true, 33333};
    struct systemd_props p = {0};
    _cleanup_error_ cradle_error *err = NULL;
    CHECK(systemd_resource_props(&res, true, 252, &p, &err) == 0);
    CHECK(u64_of(&p, "MemoryMax") == SYSTEMD_INFINITY);
    CHECK(u64_of(&p, "MemorySwapMax") == SYSTEMD_INFINITY); /* memory -1, swap unset */
    CHECK(u64_of(&p, "TasksMax") == SYSTEMD_INFINITY);
    /* 33333/100000 of a CPU rounds up to 34% */
    CHECK(u64_of(&p, "CPUQuotaPerSecUSec") == 340000);
    CHECK(find(&p, "CPUQuotaPeriodUSec") == NULL);
    systemd_props_free(&p);

    /* nothing asked, nothing sent */
    struct cradle_resources none = {0};
    CHECK(systemd_resource_props(&none, true, 252, &p, &err) == 0);
    CHECK(p.n == 0);
    systemd_props_free(&p);
}

static void test_swap_errors(void)
{
    struct cradle_resources res = {0};
    res.memory.swap = (struct cradle_opt_i64){true, 1 << 20};
    struct systemd_props p = {0};
    _cleanup_error_ cradle_error *err = NULL;
    CHECK(systemd_resource_props(&res, true, 252, &p, &err) < 0);
    CHECK_CONTAINS(err ? err->msg : NULL, "unable to set swap limit without memory limit");
    systemd_props_free(&p);

    _cleanup_error_ cradle_error *err2 = NULL;
    res.memory.limit = (struct cradle_opt_i64){true, 2 << 20};
    CHECK(systemd_resource_props(&res, true, 252, &p, &err2) < 0);
    CHECK_CONTAINS(err2 ? err2->msg : NULL, "memory+swap limit should be >= memory limit");
    systemd_props_free(&p);
}

static void test_v1_props(void)
{
    struct cradle_resources res = {0};
    res.memory.limit = (struct cradle_opt_i64){true, 64 << 20};
    res.cpu.shares = (struct cradle_opt_u64){true, 512};
    res.blkio.weight = (struct cradle_opt_u64){true, 300};
    res.pids.limit = (struct cradle_opt_i64){true, 50};
    struct systemd_props p = {0};
    _cleanup_error_ cradle_error *err = NULL;
    CHECK(systemd_resource_props(&res, false, 252, &p, &err) == 0);
    CHECK(u64_of(&p, "MemoryLimit") == 64 << 20);
    CHECK(u64_of(&p, "CPUShares") == 512);
    CHECK(u64_of(&p, "BlockIOWeight") == 300);
    CHECK(u64_of(&p, "TasksMax") == 50);
    CHECK(find(&p, "MemoryMax") == NULL && find(&p, "CPUWeight") == NULL);
    systemd_props_free(&p);
}

static void test_unified_props(void)
{
    struct cradle_resources res = {0};
    struct cradle_unified_entry entries[] = {
        {"memory.high", "1048576"}, {"pids.max", "max"},          {"cpu.max", "max 50000"},
        {"cpu.weight", " 200\n"},   {"io.weight", "default 100"},
    };
    res.unified = entries;
    res.n_unified = sizeof(entries) / sizeof(entries[0]);
    struct systemd_props p = {0};
    _cleanup_error_ cradle_error *err = NULL;
    CHECK(systemd_resource_props(&res, true, 252, &p, &err) == 0);
    CHECK(u64_of(&p, "MemoryHigh") == 1048576);
    CHECK(u64_of(&p, "TasksMax") == SYSTEMD_INFINITY);
    CHECK(u64_of(&p, "CPUQuotaPerSecUSec") == SYSTEMD_INFINITY);
    CHECK(u64_of(&p, "CPUQuotaPeriodUSec") == 50000);
    CHECK(u64_of(&p, "CPUWeight") == 200);
    CHECK(p.n == 5); /* io.weight is only written to the file */
    systemd_props_free(&p);

    struct cradle_unified_entry bad[] = {{"memory.max", "lots"}};
    res.unified = bad;
    res.n_unified = 1;
    CHECK(systemd_resource_props(&res, true, 252, &p, &err) < 0);
    CHECK_CONTAINS(err ? err->msg : NULL, "linux.resources.unified.memory.max");
    systemd_props_free(&p);
}

static const char proc_devices[] = "Character devices:\n"
                                   "  1 mem\n"
                                   "  5 /dev/tty\n"
                                   "136 pts\n"
                                   "\n"
                                   "Block devices:\n"
                                   "  7 loop\n"
                                   "136 notpts\n";

/* The DeviceAllow entries of p (the last DeviceAllow property), as "path access;" text. */
static void device_allow_text(const struct systemd_props *p, char *buf, size_t size)
{
    const struct systemd_prop *allow = NULL;
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->items[i].name, "DeviceAllow") == 0)
            allow = &p->items[i];
    buf[0] = '\0';
    for (size_t i = 0; allow && i < allow->n_pairs; i++) {
        size_t len = strlen(buf);
        snprintf(buf + len, size - len, "%s %s;", allow->pairs[2 * i], allow->pairs[2 * i + 1]);
    }
}

static void props_for_rules(const struct cradle_device_rule *rules, size_t n,
                            struct systemd_props *p)
{
    _cleanup_device_set_ struct device_set set = {0};
    _cleanup_error_ cradle_error *err = NULL;
    CHECK(device_set_from_rules(rules, n, &set, &err) == 0);
    CHECK(systemd_device_props(&set, proc_devices, 252, p, &err) == 0);
}

static void test_device_props_allow_list(void)
{
    char rwm[] = "rwm", m[] = "m", rw[] = "rw";
    const struct cradle_device_rule rules[] = {
        {.allow = false, .type = 'a', .major = -1, .minor = -1, .access = rwm},
        {.allow = true, .type = 'c', .major = -1, .minor = -1, .access = m},
        {.allow = true, .type = 'c', .major = 1, .minor = 3, .access = rwm},
        {.allow = true, .type = 'c', .major = 136, .minor = -1, .access = rwm},
        {.allow = true, .type = 'b', .major = 7, .minor = 0, .access = rw},
    };
    struct systemd_props p = {0};
    props_for_rules(rules, sizeof(rules) / sizeof(rules[0]), &p);
    const struct systemd_prop *policy = find(&p, "DevicePolicy");
    CHECK(policy && strcmp(policy->str, "strict") == 0);
    /* the empty DeviceAllow first (clears the unit's list), then the entries */
    CHECK(p.n == 3 && p.items[1].n_pairs == 0);
    char text[256];
    device_allow_text(&p, text, sizeof(text));
    CHECK_CONTAINS(text, "char-* m;");
    CHECK_CONTAINS(text, "/dev/char/1:3 rwm;");
    CHECK_CONTAINS(text, "char-pts rwm;");
    CHECK_CONTAINS(text, "/dev/block/7:0 rw;");
    systemd_props_free(&p);
}

static void test_device_props_allow_all_and_deny_list(void)
{
    char rwm[] = "rwm";
    const struct cradle_device_rule allow_all[] = {
        {.allow = true, .type = 'a', .major = -1, .minor = -1, .access = rwm},
    };
    struct systemd_props p = {0};
    props_for_rules(allow_all, 1, &p);
    const struct systemd_prop *policy = find(&p, "DevicePolicy");
    CHECK(policy && strcmp(policy->str, "auto") == 0);
    systemd_props_free(&p);

    /* systemd has no deny lists: deny-all for systemd, cradle's own rules do the rest */
    const struct cradle_device_rule deny_one[] = {
        {.allow = true, .type = 'a', .major = -1, .minor = -1, .access = rwm},
        {.allow = false, .type = 'c', .major = 1, .minor = 3, .access = rwm},
    };
    props_for_rules(deny_one, 2, &p);
    policy = find(&p, "DevicePolicy");
    CHECK(policy && strcmp(policy->str, "strict") == 0);
    char text[64];
    device_allow_text(&p, text, sizeof(text));
    CHECK_STREQ(text, "");
    systemd_props_free(&p);

    /* a major without a name in /proc/devices, and "*:N", are left out */
    const struct cradle_device_rule unnamed[] = {
        {.allow = true, .type = 'c', .major = 99, .minor = -1, .access = rwm},
        {.allow = true, .type = 'c', .major = -1, .minor = 5, .access = rwm},
    };
    props_for_rules(unnamed, 2, &p);
    device_allow_text(&p, text, sizeof(text));
    CHECK_STREQ(text, "");
    systemd_props_free(&p);
}

/* systemd < 240 stat()s the path: a device the host does not have is left out. */
static void test_device_props_old_systemd(void)
{
    char rwm[] = "rwm";
    const struct cradle_device_rule rules[] = {
        {.allow = true, .type = 'c', .major = 1, .minor = 3, .access = rwm},
        {.allow = true, .type = 'c', .major = 4095, .minor = 4095, .access = rwm},
    };
    _cleanup_device_set_ struct device_set set = {0};
    _cleanup_error_ cradle_error *err = NULL;
    struct systemd_props p = {0};
    CHECK(device_set_from_rules(rules, 2, &set, &err) == 0);
    CHECK(systemd_device_props(&set, proc_devices, 239, &p, &err) == 0);
    char text[128];
    device_allow_text(&p, text, sizeof(text));
    CHECK_STREQ(text, "/dev/char/1:3 rwm;");
    systemd_props_free(&p);
}

RUN_TESTS(test_expand_slice, test_default_name, test_slice_prefix_name, test_bad_paths,
          test_range_to_bits, test_v2_props, test_v2_props_limits_and_rounding, test_swap_errors,
          test_v1_props, test_unified_props, test_device_props_allow_list,
          test_device_props_allow_all_and_deny_list, test_device_props_old_systemd)
