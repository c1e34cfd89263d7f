/* Unit tests for proc-policy: normalisation, the built-in rules, gates, precedence,
 * kinds and access. Pure logic: no mounts, no namespaces. */
#include <stdlib.h>

#include "cradle/proc_policy.h"
#include "harness.h"
#include "../../proc-policy/src/proc_policy_internal.h"

#define CAP_BIT(n)                    (UINT64_C(1) << (n))
#define CAP_CHECKPOINT_RESTORE_NUMBER 40
#define N_ELEMS(a)                    (sizeof(a) / sizeof((a)[0]))

/* A bind from procfs has as its source the procfs's own file at the destination. */
static struct pp_decision decide(const struct pp_policy *policy, const char *dest,
                                 enum pp_kind kind, bool readonly, const struct pp_context *ctx)
{
    struct pp_decision d;
    struct pp_request req = {.destination = dest,
                             .kind = kind,
                             .readonly = readonly,
                             .source = kind == PP_KIND_BIND_PROCFS ? dest : NULL};
    pp_decide(policy, &req, ctx, &d);
    return d;
}

/* A bind from procfs of SOURCE (NULL: a procfs file that could not be told) onto DEST. */
static struct pp_decision decide_bind(const struct pp_policy *policy, const char *dest,
                                      const char *source, const struct pp_context *ctx)
{
    struct pp_decision d;
    struct pp_request req = {.destination = dest, .kind = PP_KIND_BIND_PROCFS, .source = source};
    pp_decide(policy, &req, ctx, &d);
    return d;
}

static struct pp_rule allow_rule(char *name, char *dest, bool prefix)
{
    return (struct pp_rule){.name = name,
                            .destination = dest,
                            .prefix = prefix,
                            .kinds = PP_KIND_BIND_PROCFS,
                            .access = PP_ACCESS_RO | PP_ACCESS_RW,
                            .origin = "test"};
}

static struct pp_rule deny_rule(char *name, char *dest, bool prefix)
{
    struct pp_rule rule = allow_rule(name, dest, prefix);
    rule.deny = true;
    return rule;
}

static void test_normalize_table(void)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"/proc/./sys/../sys/kernel/ns_last_pid", "/proc/sys/kernel/ns_last_pid"},
        {"/proc//cpuinfo/", "/proc/cpuinfo"},
        {"/../proc", "/proc"},
        {"/", "/"},
        {"//", "/"},
        {"/.", "/"},
        {"/..", "/"},
        {"/proc/", "/proc"},
        {"/proc///", "/proc"},
        {"///proc//sys///kernel", "/proc/sys/kernel"},
        {"/proc/sys/..", "/proc"},
        {"/proc/sys/../..", "/"},
        {"/a/b/../../../c", "/c"},
        {"/proc/./.", "/proc"},
        {"/proc/..foo", "/proc/..foo"},
        {"/proc/.hidden", "/proc/.hidden"},
        {"/proc/.../x", "/proc/.../x"},
    };
    for (size_t i = 0; i < N_ELEMS(cases); i++) {
        char *out = pp_normalize_path(cases[i].in);
        CHECK_STREQ(out, cases[i].out);
        free(out);
    }
    CHECK(pp_normalize_path("proc/cpuinfo") == NULL);
    CHECK(pp_normalize_path("./proc") == NULL);
    CHECK(pp_normalize_path("") == NULL);
    CHECK(pp_normalize_path(NULL) == NULL);
}

static void test_normalize_into_too_small(void)
{
    char small[6];
    CHECK(pp_normalize_into("/proc/cpuinfo", small, sizeof(small)) == -1);
    CHECK(pp_normalize_into("/proc", small, sizeof(small)) == 0);
    CHECK_STREQ(small, "/proc");
}

static void test_path_is_under_proc(void)
{
    CHECK(pp_path_is_under_proc("/proc"));
    CHECK(pp_path_is_under_proc("/proc/cpuinfo"));
    CHECK(pp_path_is_under_proc("/proc/sys/kernel/ns_last_pid"));
    CHECK(!pp_path_is_under_proc("/procfoo"));
    CHECK(!pp_path_is_under_proc("/"));
    CHECK(!pp_path_is_under_proc("/pro"));
    CHECK(!pp_path_is_under_proc("/sys/proc"));
}

static void test_builtin_rules_shape(void)
{
    static const char *const names[] = {
        "proc",           "lxcfs-cpuinfo", "lxcfs-diskstats", "lxcfs-meminfo",
        "lxcfs-stat",     "lxcfs-swaps",   "lxcfs-uptime",    "lxcfs-loadavg",
        "lxcfs-slabinfo", "lxcfs-net-dev", "fips_enabled",    "ns_last_pid",
    };
    struct pp_policy policy;
    CHECK(pp_policy_builtin(&policy) == 0);
    CHECK(policy.n_rules == N_ELEMS(names));
    for (size_t i = 0; i < policy.n_rules && i < N_ELEMS(names); i++) {
        const struct pp_rule *rule = &policy.rules[i];
        CHECK_STREQ(rule->name, names[i]);
        CHECK_STREQ(rule->origin, "built-in");
        CHECK(!rule->prefix);
        CHECK(!rule->deny);
        CHECK(rule->access == (PP_ACCESS_RO | PP_ACCESS_RW));
        CHECK(pp_path_is_under_proc(rule->destination));
    }
    const struct pp_rule *ns_last_pid = &policy.rules[policy.n_rules - 1];
    CHECK_STREQ(ns_last_pid->destination, "/proc/sys/kernel/ns_last_pid");
    CHECK(ns_last_pid->kinds == PP_KIND_BIND_PROCFS);
    CHECK(ns_last_pid->n_gates == 1);
    CHECK(ns_last_pid->gates[0].type == PP_GATE_CAP_BOUNDING);
    CHECK(ns_last_pid->gates[0].cap == CAP_CHECKPOINT_RESTORE_NUMBER);
    pp_policy_free(&policy);
    CHECK(policy.rules == NULL && policy.n_rules == 0);
    pp_policy_free(&policy);
}

static void test_builtin_proc(void)
{
    struct pp_policy policy;
    CHECK(pp_policy_builtin(&policy) == 0);
    struct pp_decision d = decide(&policy, "/proc", PP_KIND_PROC, false, NULL);
    CHECK(d.allowed);
    CHECK_STREQ(d.reason, "mount of /proc allowed by rule proc");
    CHECK(decide(&policy, "/proc/", PP_KIND_PROC, true, NULL).allowed);

    /* runc allows a bind from procfs on /proc: the root of a procfs (the host's /proc for
     * a container without a pid namespace), never a subdirectory of one. */
    d = decide_bind(&policy, "/proc", "/proc", NULL);
    CHECK(d.allowed);
    CHECK_STREQ(d.reason, "mount of /proc allowed by rule proc");
    d = decide_bind(&policy, "/proc", "/proc/sys", NULL);
    CHECK(!d.allowed);
    CHECK_STREQ(d.reason, "mount of /proc denied: rule proc allows a bind from procfs only of "
                          "/proc there, not of /proc/sys");
    d = decide_bind(&policy, "/proc", NULL, NULL);
    CHECK(!d.allowed);
    CHECK_CONTAINS(d.reason, "which procfs file the source is could not be told");
    d = decide(&policy, "/proc", PP_KIND_TMPFS, false, NULL);
    CHECK(!d.allowed);
    CHECK_STREQ(d.rule->name, "proc");
    d = decide(&policy, "/proc/sys", PP_KIND_PROC, false, NULL);
    CHECK(!d.allowed);
    CHECK(d.rule == NULL);
    pp_policy_free(&policy);
}

static void test_builtin_lxcfs_files(void)
{
    static const struct {
        const char *dest, *rule;
    } files[] = {
        {"/proc/cpuinfo", "lxcfs-cpuinfo"}, {"/proc/diskstats", "lxcfs-diskstats"},
        {"/proc/meminfo", "lxcfs-meminfo"}, {"/proc/stat", "lxcfs-stat"},
        {"/proc/swaps", "lxcfs-swaps"},     {"/proc/uptime", "lxcfs-uptime"},
        {"/proc/loadavg", "lxcfs-loadavg"}, {"/proc/slabinfo", "lxcfs-slabinfo"},
        {"/proc/net/dev", "lxcfs-net-dev"}, {"/proc/sys/crypto/fips_enabled", "fips_enabled"},
    };
    struct pp_policy policy;
    CHECK(pp_policy_builtin(&policy) == 0);
    for (size_t i = 0; i < N_ELEMS(files); i++) {
        char expected[256];
        struct pp_decision d = decide(&policy, files[i].dest, PP_KIND_BIND_FUSE, true, NULL);
        CHECK(d.allowed);
        CHECK(d.rule && strcmp(d.rule->name, files[i].rule) == 0);
        snprintf(expected, sizeof(expected), "mount of %s allowed by rule %s", files[i].dest,
                 files[i].rule);
        CHECK_STREQ(d.reason, expected);
        /* Issue 6 item 5: a lxcfs rule admits FUSE only, never a procfs file (not even
         * the procfs's own, and surely not ns_last_pid or core_pattern). */
        CHECK(!decide(&policy, files[i].dest, PP_KIND_BIND_PROCFS, false, NULL).allowed);
        d = decide_bind(&policy, files[i].dest, "/proc/sys/kernel/core_pattern", NULL);
        CHECK(!d.allowed);
        snprintf(expected, sizeof(expected),
                 "mount of %s denied: rule %s allows only bind from FUSE there, not bind from "
                 "procfs",
                 files[i].dest, files[i].rule);
        CHECK_STREQ(d.reason, expected);

        d = decide(&policy, files[i].dest, PP_KIND_TMPFS, false, NULL);
        CHECK(!d.allowed);
        snprintf(expected, sizeof(expected),
                 "mount of %s denied: rule %s allows only bind from FUSE there, not tmpfs",
                 files[i].dest, files[i].rule);
        CHECK_STREQ(d.reason, expected);
        CHECK(!decide(&policy, files[i].dest, PP_KIND_PROC, false, NULL).allowed);
    }
    pp_policy_free(&policy);
}

static void test_builtin_ns_last_pid(void)
{
    struct pp_policy policy;
    struct pp_context with_cap = {.bounding = CAP_BIT(CAP_CHECKPOINT_RESTORE_NUMBER)};
    struct pp_context without_cap = {.bounding = ~CAP_BIT(CAP_CHECKPOINT_RESTORE_NUMBER)};
    CHECK(pp_policy_builtin(&policy) == 0);

    struct pp_decision d =
        decide(&policy, "/proc/sys/kernel/ns_last_pid", PP_KIND_BIND_PROCFS, false, &with_cap);
    CHECK(d.allowed);
    CHECK_STREQ(d.reason, "mount of /proc/sys/kernel/ns_last_pid allowed by rule ns_last_pid");
    CHECK(decide(&policy, "/proc/sys/kernel/ns_last_pid", PP_KIND_BIND_PROCFS, true, &with_cap)
              .allowed);

    d = decide(&policy, "/proc/sys/kernel/ns_last_pid", PP_KIND_BIND_PROCFS, false, &without_cap);
    CHECK(!d.allowed);
    CHECK_STREQ(d.reason, "mount of /proc/sys/kernel/ns_last_pid denied: rule ns_last_pid "
                          "requires CAP_CHECKPOINT_RESTORE in process.capabilities.bounding");
    d = decide(&policy, "/proc/sys/kernel/ns_last_pid", PP_KIND_BIND_PROCFS, false, NULL);
    CHECK(!d.allowed);
    CHECK_CONTAINS(d.reason, "requires CAP_CHECKPOINT_RESTORE");

    d = decide(&policy, "/proc/./sys/../sys/kernel/ns_last_pid", PP_KIND_BIND_PROCFS, false,
               &with_cap);
    CHECK(d.allowed);
    CHECK_STREQ(d.rule->name, "ns_last_pid");

    d = decide(&policy, "/proc/sys/kernel/ns_last_pid", PP_KIND_BIND_FUSE, false, &with_cap);
    CHECK(!d.allowed);
    CHECK_STREQ(d.reason, "mount of /proc/sys/kernel/ns_last_pid denied: rule ns_last_pid allows "
                          "only bind from procfs there, not bind from FUSE");
    pp_policy_free(&policy);
}

static void test_builtin_denies_unlisted(void)
{
    struct pp_policy policy;
    struct pp_context all_caps = {.bounding = UINT64_MAX, .own_userns = true, .own_pidns = true};
    CHECK(pp_policy_builtin(&policy) == 0);
    struct pp_decision d =
        decide(&policy, "/proc/sys/kernel/core_pattern", PP_KIND_BIND_PROCFS, false, &all_caps);
    CHECK(!d.allowed);
    CHECK(d.rule == NULL);
    CHECK_STREQ(d.reason, "mount of /proc/sys/kernel/core_pattern denied: no proc-policy rule "
                          "allows /proc/sys/kernel/core_pattern");
    CHECK(!decide(&policy, "/proc/sys", PP_KIND_TMPFS, false, &all_caps).allowed);
    CHECK(!decide(&policy, "/proc/cpuinfo/x", PP_KIND_BIND_FUSE, false, &all_caps).allowed);
    CHECK(!decide(&policy, "/proc/sys/kernel/ns_last_pid/x", PP_KIND_BIND_PROCFS, false, &all_caps)
               .allowed);
    pp_policy_free(&policy);
}

static void test_destinations_outside_proc(void)
{
    struct pp_policy empty = {0};
    struct pp_decision d = decide(&empty, "/etc/hosts", PP_KIND_OTHER, false, NULL);
    CHECK(d.allowed);
    CHECK(!d.judged);
    CHECK(d.rule == NULL);
    CHECK_STREQ(d.reason, "mount of /etc/hosts allowed: /etc/hosts is not under /proc and the "
                          "mount does not reach procfs");
    CHECK(decide(&empty, "/procfoo", PP_KIND_TMPFS, false, NULL).allowed);
    CHECK(decide(&empty, "/proc/../etc", PP_KIND_TMPFS, false, NULL).allowed);
    CHECK(decide(&empty, "/srv", PP_KIND_BIND_FUSE, false, NULL).allowed);

    d = decide(&empty, "proc/cpuinfo", PP_KIND_BIND_FUSE, false, NULL);
    CHECK(!d.allowed);
    CHECK_STREQ(d.reason, "mount of proc/cpuinfo denied: destination is not an absolute path");
}

/* Issue 6 item 5: procfs is judged by what it is, wherever it is mounted. */
static void test_procfs_outside_proc(void)
{
    struct pp_policy policy;
    struct pp_context all_caps = {.bounding = UINT64_MAX, .own_userns = true, .own_pidns = true};
    CHECK(pp_policy_builtin(&policy) == 0);

    struct pp_decision d = decide_bind(&policy, "/nslp", "/proc/sys/kernel/ns_last_pid", &all_caps);
    CHECK(!d.allowed);
    CHECK(d.judged);
    CHECK_STREQ(d.reason, "mount of /nslp denied: its source /proc/sys/kernel/ns_last_pid is on "
                          "procfs, and no proc-policy rule allows it at /nslp (a rule with "
                          "\"destination /nslp\", \"kinds bind-procfs\" and \"source "
                          "/proc/sys/kernel/ns_last_pid\" would)");
    d = decide_bind(&policy, "/srv/kernel", NULL, &all_caps);
    CHECK(!d.allowed);
    CHECK_CONTAINS(d.reason, "its source is on procfs (which file could not be told)");

    d = decide(&policy, "/myproc", PP_KIND_PROC, false, &all_caps);
    CHECK(!d.allowed);
    CHECK(d.judged);
    CHECK_STREQ(d.reason, "mount of /myproc denied: a procfs outside /proc gets none of the "
                          "read-only and masked paths of /proc, and no proc-policy rule allows "
                          "one at /myproc (a rule with \"destination /myproc\" and \"kinds "
                          "proc\" would)");

    /* With the capability, ns_last_pid's rule still admits only ns_last_pid itself. */
    d = decide_bind(&policy, "/proc/sys/kernel/ns_last_pid", "/proc/sys/kernel/core_pattern",
                    &all_caps);
    CHECK(!d.allowed);
    CHECK_STREQ(d.reason, "mount of /proc/sys/kernel/ns_last_pid denied: rule ns_last_pid allows "
                          "a bind from procfs only of /proc/sys/kernel/ns_last_pid there, not of "
                          "/proc/sys/kernel/core_pattern");
    d = decide_bind(&policy, "/proc/sys/kernel/ns_last_pid", "/proc/sys/kernel", &all_caps);
    CHECK(!d.allowed);
    d = decide_bind(&policy, "/proc/sys/kernel/ns_last_pid", "/proc/./sys/kernel/ns_last_pid",
                    &all_caps);
    CHECK(d.allowed);
    pp_policy_free(&policy);

    CHECK(pp_mount_is_judged("/proc/x", PP_KIND_TMPFS));
    CHECK(pp_mount_is_judged("/x", PP_KIND_PROC));
    CHECK(pp_mount_is_judged("/x", PP_KIND_BIND_PROCFS));
    CHECK(!pp_mount_is_judged("/x", PP_KIND_BIND_FUSE));
    CHECK(!pp_mount_is_judged("/x", PP_KIND_OTHER));
}

/* A prefix rule at / matches every path (not only "/" itself). */
static void test_prefix_rule_at_root(void)
{
    struct pp_rule rule = allow_rule("anywhere", "/", true);
    rule.kinds = PP_KIND_PROC;
    struct pp_policy policy = {.rules = &rule, .n_rules = 1};
    CHECK(decide(&policy, "/myproc", PP_KIND_PROC, false, NULL).allowed);
    CHECK(decide(&policy, "/proc", PP_KIND_PROC, false, NULL).allowed);
}

static void test_gate_userns(void)
{
    struct pp_gate gate = {.type = PP_GATE_USERNS};
    struct pp_rule rule = allow_rule("sysnet", "/proc/sys/net", true);
    rule.gates = &gate;
    rule.n_gates = 1;
    struct pp_policy policy = {.rules = &rule, .n_rules = 1};
    struct pp_context yes = {.own_userns = true}, no = {.own_pidns = true, .bounding = UINT64_MAX};

    CHECK(decide(&policy, "/proc/sys/net/core", PP_KIND_BIND_PROCFS, false, &yes).allowed);
    struct pp_decision d = decide(&policy, "/proc/sys/net/core", PP_KIND_BIND_PROCFS, false, &no);
    CHECK(!d.allowed);
    CHECK_STREQ(d.reason, "mount of /proc/sys/net/core denied: rule sysnet requires the "
                          "container to have its own user namespace");
}

static void test_gate_pidns(void)
{
    struct pp_gate gate = {.type = PP_GATE_PIDNS};
    struct pp_rule rule = allow_rule("pid-max", "/proc/sys/kernel/pid_max", false);
    rule.gates = &gate;
    rule.n_gates = 1;
    struct pp_policy policy = {.rules = &rule, .n_rules = 1};
    struct pp_context yes = {.own_pidns = true}, no = {.own_userns = true};

    CHECK(decide(&policy, "/proc/sys/kernel/pid_max", PP_KIND_BIND_PROCFS, true, &yes).allowed);
    struct pp_decision d =
        decide(&policy, "/proc/sys/kernel/pid_max", PP_KIND_BIND_PROCFS, true, &no);
    CHECK(!d.allowed);
    CHECK_STREQ(d.reason, "mount of /proc/sys/kernel/pid_max denied: rule pid-max requires the "
                          "container to have its own pid namespace");
}

static void test_gate_annotation_key_only(void)
{
    struct pp_gate gate = {.type = PP_GATE_ANNOTATION, .key = "io.cradle.criu"};
    struct pp_rule rule = allow_rule("criu", "/proc/sys/kernel/ns_last_pid", false);
    rule.gates = &gate;
    rule.n_gates = 1;
    struct pp_policy policy = {.rules = &rule, .n_rules = 1};
    const char *keys[] = {"other", "io.cradle.criu"};
    const char *values[] = {"x", ""};
    struct pp_context present = {
        .annotation_keys = keys, .annotation_values = values, .n_annotations = 2};
    struct pp_context absent = {
        .annotation_keys = keys, .annotation_values = values, .n_annotations = 1};

    CHECK(decide(&policy, "/proc/sys/kernel/ns_last_pid", PP_KIND_BIND_PROCFS, false, &present)
              .allowed);
    struct pp_decision d =
        decide(&policy, "/proc/sys/kernel/ns_last_pid", PP_KIND_BIND_PROCFS, false, &absent);
    CHECK(!d.allowed);
    CHECK_STREQ(d.reason, "mount of /proc/sys/kernel/ns_last_pid denied: rule criu requires "
                          "annotation io.cradle.criu");
}

static void test_gate_annotation_with_value(void)
{
    struct pp_gate gate = {.type = PP_GATE_ANNOTATION, .key = "io.cradle.criu", .value = "yes"};
    struct pp_rule rule = allow_rule("criu", "/proc/sys/kernel/ns_last_pid", false);
    rule.gates = &gate;
    rule.n_gates = 1;
    struct pp_policy policy = {.rules = &rule, .n_rules = 1};
    const char *keys[] = {"io.cradle.criu"};
    const char *yes_values[] = {"yes"}, *no_values[] = {"no"};
    struct pp_context yes = {
        .annotation_keys = keys, .annotation_values = yes_values, .n_annotations = 1};
    struct pp_context no = {
        .annotation_keys = keys, .annotation_values = no_values, .n_annotations = 1};

    CHECK(
        decide(&policy, "/proc/sys/kernel/ns_last_pid", PP_KIND_BIND_PROCFS, false, &yes).allowed);
    struct pp_decision d =
        decide(&policy, "/proc/sys/kernel/ns_last_pid", PP_KIND_BIND_PROCFS, false, &no);
    CHECK(!d.allowed);
    CHECK_STREQ(d.reason, "mount of /proc/sys/kernel/ns_last_pid denied: rule criu requires "
                          "annotation io.cradle.criu=yes");
}

static void test_gates_all_must_hold(void)
{
    struct pp_gate gates[] = {
        {.type = PP_GATE_CAP_BOUNDING, .cap = 21},
        {.type = PP_GATE_USERNS},
        {.type = PP_GATE_CAP_BOUNDING, .cap = 63},
    };
    struct pp_rule rule = allow_rule("strict", "/proc/sys/vm", true);
    rule.gates = gates;
    rule.n_gates = 2;
    struct pp_policy policy = {.rules = &rule, .n_rules = 1};
    struct pp_context both = {.bounding = CAP_BIT(21), .own_userns = true};
    struct pp_context cap_only = {.bounding = CAP_BIT(21)};
    struct pp_context userns_only = {.own_userns = true};

    CHECK(decide(&policy, "/proc/sys/vm/x", PP_KIND_BIND_PROCFS, false, &both).allowed);
    CHECK_CONTAINS(decide(&policy, "/proc/sys/vm/x", PP_KIND_BIND_PROCFS, false, &cap_only).reason,
                   "rule strict requires the container to have its own user namespace");
    CHECK_CONTAINS(
        decide(&policy, "/proc/sys/vm/x", PP_KIND_BIND_PROCFS, false, &userns_only).reason,
        "rule strict requires CAP_SYS_ADMIN in process.capabilities.bounding");

    rule.n_gates = 3;
    both.bounding = UINT64_MAX;
    struct pp_decision d = decide(&policy, "/proc/sys/vm/x", PP_KIND_BIND_PROCFS, false, &both);
    CHECK(d.allowed);
    both.bounding = CAP_BIT(21);
    d = decide(&policy, "/proc/sys/vm/x", PP_KIND_BIND_PROCFS, false, &both);
    CHECK(!d.allowed);
    CHECK_CONTAINS(d.reason, "requires capability 63 in process.capabilities.bounding");
}

static void test_precedence_exact_beats_prefix(void)
{
    struct pp_rule rules[] = {
        allow_rule("kernel-ns-last-pid", "/proc/sys/kernel/ns_last_pid", false),
        deny_rule("no-sys", "/proc/sys", true),
    };
    struct pp_policy policy = {.rules = rules, .n_rules = N_ELEMS(rules)};
    struct pp_decision d =
        decide(&policy, "/proc/sys/kernel/ns_last_pid", PP_KIND_BIND_PROCFS, false, NULL);
    CHECK(d.allowed);
    CHECK_STREQ(d.rule->name, "kernel-ns-last-pid");

    d = decide(&policy, "/proc/sys/kernel/hostname", PP_KIND_BIND_PROCFS, false, NULL);
    CHECK(!d.allowed);
    CHECK_STREQ(d.reason, "mount of /proc/sys/kernel/hostname denied: rule no-sys denies it");

    /* An exact rule also beats a prefix rule on the prefix rule's own destination. */
    struct pp_rule same_dest[] = {
        deny_rule("exact-deny", "/proc/sys", false),
        allow_rule("prefix-allow", "/proc/sys", true),
    };
    struct pp_policy same = {.rules = same_dest, .n_rules = N_ELEMS(same_dest)};
    d = decide(&same, "/proc/sys", PP_KIND_BIND_PROCFS, false, NULL);
    CHECK(!d.allowed);
    CHECK_STREQ(d.rule->name, "exact-deny");
    CHECK(decide(&same, "/proc/sys/x", PP_KIND_BIND_PROCFS, false, NULL).allowed);
}

static void test_precedence_longer_prefix_wins(void)
{
    struct pp_rule rules[] = {
        deny_rule("no-kernel", "/proc/sys/kernel", true),
        allow_rule("sys", "/proc/sys", true),
    };
    struct pp_policy policy = {.rules = rules, .n_rules = N_ELEMS(rules)};
    struct pp_decision d = decide(&policy, "/proc/sys/kernel/x", PP_KIND_BIND_PROCFS, false, NULL);
    CHECK(!d.allowed);
    CHECK_STREQ(d.rule->name, "no-kernel");
    d = decide(&policy, "/proc/sys/vm/swappiness", PP_KIND_BIND_PROCFS, false, NULL);
    CHECK(d.allowed);
    CHECK_STREQ(d.rule->name, "sys");
    CHECK(decide(&policy, "/proc/sys", PP_KIND_BIND_PROCFS, false, NULL).allowed);
    /* A prefix rule matches whole components only. */
    d = decide(&policy, "/proc/sysfoo", PP_KIND_BIND_PROCFS, false, NULL);
    CHECK(!d.allowed);
    CHECK(d.rule == NULL);
    d = decide(&policy, "/proc/sys/kernelfoo", PP_KIND_BIND_PROCFS, false, NULL);
    CHECK(d.allowed);
    CHECK_STREQ(d.rule->name, "sys");
}

static void test_precedence_deny_wins_ties(void)
{
    struct pp_rule allow_first[] = {
        allow_rule("allow", "/proc/uptime", false),
        deny_rule("deny", "/proc/uptime", false),
    };
    struct pp_rule deny_first[] = {
        deny_rule("deny", "/proc/sys", true),
        allow_rule("allow", "/proc/sys", true),
    };
    struct pp_policy a = {.rules = allow_first, .n_rules = 2};
    struct pp_policy b = {.rules = deny_first, .n_rules = 2};
    struct pp_decision d = decide(&a, "/proc/uptime", PP_KIND_BIND_PROCFS, false, NULL);
    CHECK(!d.allowed);
    CHECK_STREQ(d.reason, "mount of /proc/uptime denied: rule deny denies it");
    d = decide(&b, "/proc/sys/net", PP_KIND_BIND_PROCFS, false, NULL);
    CHECK(!d.allowed);
    CHECK_STREQ(d.rule->name, "deny");
}

static void test_precedence_later_allow_overrides(void)
{
    struct pp_rule rules[] = {
        allow_rule("first", "/proc/uptime", false),
        allow_rule("second", "/proc/uptime", false),
    };
    rules[1].kinds = PP_KIND_TMPFS;
    struct pp_policy policy = {.rules = rules, .n_rules = 2};
    struct pp_decision d = decide(&policy, "/proc/uptime", PP_KIND_TMPFS, false, NULL);
    CHECK(d.allowed);
    CHECK_STREQ(d.rule->name, "second");
    d = decide(&policy, "/proc/uptime", PP_KIND_BIND_PROCFS, false, NULL);
    CHECK(!d.allowed);
    CHECK_STREQ(d.rule->name, "second");
}

static void test_no_rule_matches(void)
{
    struct pp_rule rule = allow_rule("uptime", "/proc/uptime", false);
    struct pp_policy policy = {.rules = &rule, .n_rules = 1};
    struct pp_decision d = decide(&policy, "/proc/foo", PP_KIND_BIND_PROCFS, false, NULL);
    CHECK(!d.allowed);
    CHECK(d.rule == NULL);
    CHECK_STREQ(d.reason, "mount of /proc/foo denied: no proc-policy rule allows /proc/foo");
    struct pp_policy empty = {0};
    CHECK(!decide(&empty, "/proc", PP_KIND_PROC, false, NULL).allowed);
}

static void test_kinds(void)
{
    struct pp_rule rule = allow_rule("mixed", "/proc/driver", true);
    rule.kinds = PP_KIND_PROC | PP_KIND_BIND_PROCFS | PP_KIND_TMPFS;
    struct pp_policy policy = {.rules = &rule, .n_rules = 1};
    CHECK(decide(&policy, "/proc/driver", PP_KIND_TMPFS, false, NULL).allowed);
    CHECK(decide(&policy, "/proc/driver/rtc", PP_KIND_PROC, false, NULL).allowed);
    struct pp_decision d = decide(&policy, "/proc/driver", PP_KIND_BIND_FUSE, false, NULL);
    CHECK(!d.allowed);
    CHECK_STREQ(d.reason, "mount of /proc/driver denied: rule mixed allows only proc, bind from "
                          "procfs or tmpfs there, not bind from FUSE");

    rule.kinds = 0;
    CHECK_STREQ(decide(&policy, "/proc/driver", PP_KIND_TMPFS, false, NULL).reason,
                "mount of /proc/driver denied: rule mixed allows no kind of mount there");

    /* "other" is never allowed under /proc, even by a rule that lists it. */
    rule.kinds = PP_KIND_OTHER;
    d = decide(&policy, "/proc/driver", PP_KIND_OTHER, false, NULL);
    CHECK(!d.allowed);
    CHECK_CONTAINS(d.reason, "never allowed under /proc");

    CHECK_STREQ(pp_kind_name(PP_KIND_PROC), "proc");
    CHECK_STREQ(pp_kind_name(PP_KIND_BIND_PROCFS), "bind from procfs");
    CHECK_STREQ(pp_kind_name(PP_KIND_BIND_FUSE), "bind from FUSE");
    CHECK_STREQ(pp_kind_name(PP_KIND_TMPFS), "tmpfs");
    CHECK_STREQ(pp_kind_name(PP_KIND_OTHER), "other");
}

static void test_access(void)
{
    struct pp_rule rule = allow_rule("uptime", "/proc/uptime", false);
    struct pp_policy policy = {.rules = &rule, .n_rules = 1};

    rule.access = PP_ACCESS_RO;
    CHECK(decide(&policy, "/proc/uptime", PP_KIND_BIND_PROCFS, true, NULL).allowed);
    struct pp_decision d = decide(&policy, "/proc/uptime", PP_KIND_BIND_PROCFS, false, NULL);
    CHECK(!d.allowed);
    CHECK_STREQ(d.reason, "mount of /proc/uptime denied: rule uptime allows only read-only mounts");

    rule.access = PP_ACCESS_RW;
    CHECK(decide(&policy, "/proc/uptime", PP_KIND_BIND_PROCFS, false, NULL).allowed);
    d = decide(&policy, "/proc/uptime", PP_KIND_BIND_PROCFS, true, NULL);
    CHECK(!d.allowed);
    CHECK_STREQ(d.reason,
                "mount of /proc/uptime denied: rule uptime allows only read-write mounts");

    rule.access = 0;
    CHECK_CONTAINS(decide(&policy, "/proc/uptime", PP_KIND_BIND_PROCFS, true, NULL).reason,
                   "allows neither read-only nor read-write mounts");
}

static void test_capability_names(void)
{
    CHECK_STREQ(pp_cap_name(0), "CAP_CHOWN");
    CHECK_STREQ(pp_cap_name(21), "CAP_SYS_ADMIN");
    CHECK_STREQ(pp_cap_name(40), "CAP_CHECKPOINT_RESTORE");
    CHECK(pp_cap_name(41) == NULL);
    CHECK(pp_cap_name(-1) == NULL);
    for (int cap = 0; cap <= 40; cap++)
        CHECK(pp_cap_name(cap) != NULL && pp_cap_from_name(pp_cap_name(cap)) == cap);
    CHECK(pp_cap_from_name("cap_checkpoint_restore") == 40);
    CHECK(pp_cap_from_name("CAP_NOPE") == -1);
}

RUN_TESTS(test_procfs_outside_proc, test_prefix_rule_at_root, test_normalize_table,
          test_normalize_into_too_small, test_path_is_under_proc, test_builtin_rules_shape,
          test_builtin_proc, test_builtin_lxcfs_files, test_builtin_ns_last_pid,
          test_builtin_denies_unlisted, test_destinations_outside_proc, test_gate_userns,
          test_gate_pidns, test_gate_annotation_key_only, test_gate_annotation_with_value,
          test_gates_all_must_hold, test_precedence_exact_beats_prefix,
          test_precedence_longer_prefix_wins, test_precedence_deny_wins_ties,
          test_precedence_later_allow_overrides, test_no_rule_matches, test_kinds, test_access,
          test_capability_names)
