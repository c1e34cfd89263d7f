/* Device rules: runc's emulator (the set rules build, devices.list parsing, the v1
 * transition) and the eBPF filter generated for cgroup2, whose instruction stream is run
 * here through a small interpreter and compared with the v1 kernel's decision. */
#include "harness.h"

#include <errno.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../libcontainer-c/cgroups/cgroup_internal.h"
#include "../../libcontainer-c/cgroups/devices.h"
#include "cradle/cleanup.h"

#define ANY (-1)

static struct device_set build(const struct cradle_device_rule *rules, size_t n)
{
    _cleanup_error_ cradle_error *err = NULL;
    struct device_set set = {0};
    CHECK(device_set_from_rules(rules, n, &set, &err) == 0);
    return set;
}

/* The config of `runc spec` (deny all) followed by the defaults. */
static struct device_set default_spec_set(void)
{
    static const struct cradle_device_rule deny_all = {
        .type = 'a', .major = ANY, .minor = ANY, .access = "rwm"};
    struct cradle_resources res = {
        .has_devices = true, .devices = (struct cradle_device_rule *)&deny_all, .n_devices = 1};
    _cleanup_error_ cradle_error *err = NULL;
    _cleanup_free_ struct cradle_device_rule *rules = NULL;
    size_t n = 0;
    CHECK(cgroup_devices_effective(&res, &rules, &n, &err) == 0);
    CHECK(n == 12);
    return build(rules, n);
}

static void test_default_rules_set(void)
{
    _cleanup_device_set_ struct device_set set = default_spec_set();
    CHECK(!set.default_allow);
    CHECK(set.n == 11);
    /* Sorted by (major, minor, type), wildcards first, as devices.list shows them. */
    CHECK(set.n == 11 && set.items[0].type == 'b' && set.items[0].major == ANY &&
          set.items[0].access == DEVICE_ACCESS_MKNOD);
    CHECK(set.n == 11 && set.items[1].type == 'c' && set.items[1].major == ANY);
    CHECK(set.n == 11 && set.items[2].major == 1 && set.items[2].minor == 3 &&
          set.items[2].access == DEVICE_ACCESS_ALL);
    CHECK(set.n == 11 && set.items[10].major == 136 && set.items[10].minor == ANY);

    /* Without linux.resources: the same rules (the inherited default is deny-all). */
    _cleanup_error_ cradle_error *err = NULL;
    _cleanup_free_ struct cradle_device_rule *rules = NULL;
    size_t n = 0;
    CHECK(cgroup_devices_effective(NULL, &rules, &n, &err) == 0);
    _cleanup_device_set_ struct device_set same = build(rules, n);
    CHECK(device_set_equal(&set, &same));
}

static void test_allow_all_and_deny_exceptions(void)
{
    const struct cradle_device_rule rules[] = {
        {.allow = true, .type = 'a', .major = ANY, .minor = ANY, .access = "rwm"},
        {.allow = false, .type = 'b', .major = 7, .minor = 0, .access = "w"},
        {.allow = false, .type = 'b', .major = 7, .minor = 0, .access = "r"},
        {.allow = true, .type = 'c', .major = 1, .minor = 3, .access = "rwm"},
    };
    _cleanup_device_set_ struct device_set set = build(rules, 4);
    CHECK(set.default_allow);
    CHECK(set.n == 1 && set.items[0].type == 'b' &&
          set.items[0].access == (DEVICE_ACCESS_READ | DEVICE_ACCESS_WRITE));

    /* A later 'a' rule resets everything, whatever its numbers. */
    const struct cradle_device_rule reset[] = {
        rules[1], {.allow = false, .type = 'a', .major = 4, .minor = 4, .access = "r"}};
    _cleanup_device_set_ struct device_set none = build(reset, 2);
    CHECK(!none.default_allow && none.n == 0);
}

static void test_punching_hole_in_wildcard_fails(void)
{
    const struct cradle_device_rule rules[] = {
        {.allow = false, .type = 'a', .major = ANY, .minor = ANY, .access = "rwm"},
        {.allow = true, .type = 'c', .major = ANY, .minor = ANY, .access = "rwm"},
        {.allow = false, .type = 'c', .major = 1, .minor = 3, .access = "r"},
    };
    _cleanup_error_ cradle_error *err = NULL;
    struct device_set set = {0};
    CHECK(device_set_from_rules(rules, 3, &set, &err) < 0);
    CHECK(err && strstr(err->msg, "cannot punch hole in existing wildcard rule [c *:* rwm]"));
    CHECK(set.items == NULL);
}

static void test_parse_list(void)
{
    _cleanup_error_ cradle_error *err = NULL;
    _cleanup_device_set_ struct device_set all = {0};
    CHECK(device_set_parse_list("a *:* rwm\n", &all, &err) == 0);
    CHECK(all.default_allow && all.n == 0);

    _cleanup_device_set_ struct device_set listed = {0};
    CHECK(device_set_parse_list("c 136:* rwm\nb *:* m\nc 1:3 rwm\nc *:* m\nc 1:5 rwm\n"
                                "c 1:7 rwm\nc 1:8 rwm\nc 1:9 rwm\nc 5:0 rwm\nc 5:2 rwm\n"
                                "c 10:200 rwm\n",
                                &listed, &err) == 0);
    _cleanup_device_set_ struct device_set want = default_spec_set();
    CHECK(device_set_equal(&listed, &want));

    _cleanup_device_set_ struct device_set empty = {0};
    CHECK(device_set_parse_list("", &empty, &err) == 0);
    CHECK(!empty.default_allow && empty.n == 0);

    struct device_set bad = {0};
    CHECK(device_set_parse_list("c 1:x rwm\n", &bad, &err) < 0);
    CHECK(err && strstr(err->msg, "c 1:x rwm"));
}

static size_t transition(const struct device_set *from, const struct device_set *to,
                         struct device_write **writes)
{
    _cleanup_error_ cradle_error *err = NULL;
    size_t n = 0;
    CHECK(device_set_transition(from, to, writes, &n, &err) == 0);
    return n;
}

static void test_transition(void)
{
    _cleanup_device_set_ struct device_set target = default_spec_set();
    _cleanup_device_set_ struct device_set all = {.default_allow = true};
    _cleanup_free_ struct device_write *w = NULL;

    /* From a fresh cgroup (allow-all): deny all first, then the allows. */
    size_t n = transition(&all, &target, &w);
    CHECK(n == 12);
    CHECK(n == 12 && !w[0].allow);
    CHECK_STREQ(n ? w[0].line : NULL, "a *:* rwm");
    CHECK(n == 12 && w[1].allow);
    CHECK_STREQ(n == 12 ? w[1].line : NULL, "b *:* m");
    CHECK_STREQ(n == 12 ? w[11].line : NULL, "c 136:* rwm");
    free(w);
    w = NULL;

    /* Same state: nothing to write. */
    CHECK(transition(&target, &target, &w) == 0);
    free(w);
    w = NULL;

    /* One more device allowed, then taken back; c 1:3 narrowed to rm. */
    _cleanup_device_set_ struct device_set more = default_spec_set();
    const struct cradle_device_rule loop = {
        .allow = true, .type = 'b', .major = 7, .minor = 0, .access = "rw"};
    const struct cradle_device_rule null_write = {
        .allow = false, .type = 'c', .major = 1, .minor = 3, .access = "w"};
    _cleanup_error_ cradle_error *err = NULL;
    CHECK(device_set_apply(&more, &loop, &err) == 0);
    n = transition(&target, &more, &w);
    CHECK(n == 1 && w[0].allow);
    CHECK_STREQ(n == 1 ? w[0].line : NULL, "b 7:0 rw");
    free(w);
    w = NULL;
    CHECK(device_set_apply(&more, &null_write, &err) == 0);
    n = transition(&more, &target, &w);
    CHECK(n == 2);
    /* Removals (denies) come before additions. */
    CHECK(n == 2 && !w[0].allow && w[1].allow);
    CHECK_STREQ(n == 2 ? w[0].line : NULL, "b 7:0 rw");
    CHECK_STREQ(n == 2 ? w[1].line : NULL, "c 1:3 w");
    free(w);
    w = NULL;

    /* To allow-all (privileged): one allow-all write. */
    n = transition(&target, &all, &w);
    CHECK(n == 1 && w[0].allow);
    CHECK_STREQ(n == 1 ? w[0].line : NULL, "a *:* rwm");
}

/* Runs the subset of eBPF the filter uses over a struct bpf_cgroup_dev_ctx. */
static int run_filter(const struct bpf_insn *insns, size_t n, uint32_t type, uint32_t access,
                      uint32_t major, uint32_t minor)
{
    uint32_t ctx[3] = {type | (access << 16), major, minor};
    uint64_t r[11] = {0};
    for (size_t pc = 0; pc < n; pc++) {
        const struct bpf_insn *i = &insns[pc];
        uint64_t src = (i->code & BPF_X) ? r[i->src_reg] : (uint64_t)(int64_t)i->imm;
        switch (i->code) {
        case BPF_LDX | BPF_MEM | BPF_W:
            if (i->src_reg != 1 || i->off % 4 || i->off < 0 || i->off > 8)
                return -1;
            r[i->dst_reg] = ctx[i->off / 4];
            break;
        case BPF_ALU | BPF_AND | BPF_K:
            r[i->dst_reg] = (uint32_t)(r[i->dst_reg] & src);
            break;
        case BPF_ALU | BPF_RSH | BPF_K:
            r[i->dst_reg] = (uint32_t)r[i->dst_reg] >> i->imm;
            break;
        case BPF_ALU | BPF_MOV | BPF_K:
        case BPF_ALU | BPF_MOV | BPF_X:
            r[i->dst_reg] = (uint32_t)src;
            break;
        case BPF_JMP | BPF_JNE | BPF_K:
        case BPF_JMP | BPF_JNE | BPF_X:
            if (r[i->dst_reg] != src)
                pc += i->off;
            break;
        case BPF_JMP | BPF_JEQ | BPF_K:
            if (r[i->dst_reg] == src)
                pc += i->off;
            break;
        case BPF_JMP | BPF_EXIT:
            return (int)r[0];
        default:
            return -1;
        }
    }
    return -1;
}

static bool exception_matches(const struct device_exception *e, char type, int64_t major,
                              int64_t minor)
{
    return e->type == type && (e->major == ANY || e->major == major) &&
           (e->minor == ANY || e->minor == minor);
}

/* The v1 kernel's decision: deny-all needs one exception covering the whole request;
 * allow-all refuses when any exception overlaps it. */
static int v1_decision(const struct device_set *set, char type, int64_t major, int64_t minor,
                       unsigned access)
{
    for (size_t i = 0; i < set->n; i++) {
        const struct device_exception *e = &set->items[i];
        if (!exception_matches(e, type, major, minor))
            continue;
        if (!set->default_allow && (access & ~e->access) == 0)
            return 1;
        if (set->default_allow && (access & e->access) != 0)
            return 0;
    }
    return set->default_allow ? 1 : 0;
}

static unsigned to_bpf_access(unsigned a)
{
    return (a & DEVICE_ACCESS_READ ? BPF_DEVCG_ACC_READ : 0) |
           (a & DEVICE_ACCESS_WRITE ? BPF_DEVCG_ACC_WRITE : 0) |
           (a & DEVICE_ACCESS_MKNOD ? BPF_DEVCG_ACC_MKNOD : 0);
}

/* Every request over a small grid of devices gets the v1 kernel's answer from the filter. */
static void check_filter_agrees(const struct device_set *set)
{
    _cleanup_error_ cradle_error *err = NULL;
    _cleanup_free_ struct bpf_insn *insns = NULL;
    size_t n = 0;
    CHECK(device_filter_program(set, &insns, &n, &err) == 0);
    const int64_t majors[] = {1, 5, 7, 10, 98, 136}, minors[] = {0, 2, 3, 5, 200};
    int mismatches = 0;
    for (int t = 0; t < 2; t++)
        for (size_t a = 0; a < sizeof(majors) / sizeof(majors[0]); a++)
            for (size_t b = 0; b < sizeof(minors) / sizeof(minors[0]); b++)
                for (unsigned acc = 1; acc <= DEVICE_ACCESS_ALL; acc++) {
                    char type = t ? 'c' : 'b';
                    int want = v1_decision(set, type, majors[a], minors[b], acc);
                    int got =
                        run_filter(insns, n, t ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK,
                                   to_bpf_access(acc), (uint32_t)majors[a], (uint32_t)minors[b]);
                    if (got != want && mismatches++ < 5)
                        fprintf(stderr, "%c %lld:%lld access %u: filter %d, v1 %d\n", type,
                                (long long)majors[a], (long long)minors[b], acc, got, want);
                }
    CHECK(mismatches == 0);
}

static void test_filter_default_rules(void)
{
    _cleanup_device_set_ struct device_set set = default_spec_set();
    _cleanup_error_ cradle_error *err = NULL;
    _cleanup_free_ struct bpf_insn *insns = NULL;
    size_t n = 0;
    CHECK(device_filter_program(&set, &insns, &n, &err) == 0);
    /* Prologue 6; "b *:* m" and "c *:* m" 6 each; eight rwm devices 5 each; c 136:* 4;
     * the default 2. */
    CHECK(n == 6 + 6 + 6 + 8 * 5 + 4 + 2);
    if (n != 64)
        return;
    CHECK(insns[0].code == (BPF_LDX | BPF_MEM | BPF_W) && insns[0].dst_reg == 2 &&
          insns[0].src_reg == 1 && insns[0].off == 0);
    CHECK(insns[1].code == (BPF_ALU | BPF_AND | BPF_K) && insns[1].imm == 0xFFFF);
    CHECK(insns[3].code == (BPF_ALU | BPF_RSH | BPF_K) && insns[3].dst_reg == 3 &&
          insns[3].imm == 16);
    CHECK(insns[4].off == 4 && insns[4].dst_reg == 4 && insns[5].off == 8 && insns[5].dst_reg == 5);
    /* b *:* m: type check, access subset check, allow. */
    CHECK(insns[6].code == (BPF_JMP | BPF_JNE | BPF_K) && insns[6].dst_reg == 2 &&
          insns[6].imm == BPF_DEVCG_DEV_BLOCK && insns[6].off == 5);
    CHECK(insns[7].code == (BPF_ALU | BPF_MOV | BPF_X) && insns[7].dst_reg == 1 &&
          insns[7].src_reg == 3);
    CHECK(insns[8].code == (BPF_ALU | BPF_AND | BPF_K) && insns[8].imm == BPF_DEVCG_ACC_MKNOD);
    CHECK(insns[9].code == (BPF_JMP | BPF_JNE | BPF_X) && insns[9].src_reg == 3 &&
          insns[9].off == 2);
    CHECK(insns[10].code == (BPF_ALU | BPF_MOV | BPF_K) && insns[10].dst_reg == 0 &&
          insns[10].imm == 1);
    CHECK(insns[11].code == (BPF_JMP | BPF_EXIT));
    /* c 1:3 rwm: no access check, major and minor. */
    CHECK(insns[18].imm == BPF_DEVCG_DEV_CHAR && insns[18].off == 4);
    CHECK(insns[19].dst_reg == 4 && insns[19].imm == 1 && insns[19].off == 3);
    CHECK(insns[20].dst_reg == 5 && insns[20].imm == 3 && insns[20].off == 2);
    /* The default: deny. */
    CHECK(insns[62].code == (BPF_ALU | BPF_MOV | BPF_K) && insns[62].imm == 0);
    CHECK(insns[63].code == (BPF_JMP | BPF_EXIT));

    CHECK(run_filter(insns, n, BPF_DEVCG_DEV_CHAR, BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE, 1,
                     3) == 1);
    CHECK(run_filter(insns, n, BPF_DEVCG_DEV_BLOCK, BPF_DEVCG_ACC_READ, 7, 0) == 0);
    CHECK(run_filter(insns, n, BPF_DEVCG_DEV_BLOCK, BPF_DEVCG_ACC_MKNOD, 98, 0) == 1);
    CHECK(run_filter(insns, n, BPF_DEVCG_DEV_CHAR, BPF_DEVCG_ACC_READ, 136, 7) == 1);
    check_filter_agrees(&set);
}

static void test_filter_agrees_with_v1(void)
{
    const struct cradle_device_rule blacklist[] = {
        {.allow = true, .type = 'a', .major = ANY, .minor = ANY, .access = "rwm"},
        {.allow = false, .type = 'b', .major = 7, .minor = ANY, .access = "w"},
        {.allow = false, .type = 'c', .major = ANY, .minor = 5, .access = "rwm"},
        {.allow = false, .type = 'c', .major = 10, .minor = 200, .access = "rm"},
    };
    _cleanup_device_set_ struct device_set deny_some = build(blacklist, 4);
    check_filter_agrees(&deny_some);

    const struct cradle_device_rule whitelist[] = {
        {.allow = false, .type = 'a', .major = ANY, .minor = ANY, .access = "rwm"},
        {.allow = true, .type = 'b', .major = 7, .minor = 0, .access = "r"},
        {.allow = true, .type = 'b', .major = 7, .minor = 0, .access = "w"},
        {.allow = true, .type = 'c', .major = 98, .minor = ANY, .access = "rm"},
        {.allow = true, .type = 'c', .major = ANY, .minor = 2, .access = "w"},
    };
    _cleanup_device_set_ struct device_set allow_some = build(whitelist, 5);
    check_filter_agrees(&allow_some);

    _cleanup_device_set_ struct device_set all = {.default_allow = true};
    _cleanup_device_set_ struct device_set nothing = {0};
    check_filter_agrees(&all);
    check_filter_agrees(&nothing);
}

/* The kernel's verifier accepts the program (needs CAP_BPF or root; skipped otherwise). */
static void test_filter_loads(void)
{
    _cleanup_device_set_ struct device_set set = default_spec_set();
    _cleanup_error_ cradle_error *err = NULL;
    _cleanup_close_ int fd = device_filter_load(&set, &err);
    if (fd < 0 && err && (err->errnum == EPERM || err->errnum == ENOSYS)) {
        printf("skipped loading: %s\n", err->msg);
        return;
    }
    CHECK(fd >= 0);
    if (fd < 0)
        fprintf(stderr, "%s\n", err ? err->msg : "?");
}

RUN_TESTS(test_default_rules_set, test_allow_all_and_deny_exceptions,
          test_punching_hole_in_wildcard_fails, test_parse_list, test_transition,
          test_filter_default_rules, test_filter_agrees_with_v1, test_filter_loads)
