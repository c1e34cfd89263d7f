/* Unit tests for policy files: every syntax and semantic error names file:line, rules are
 * parsed field by field, later files override earlier ones, "remove" deletes a rule,
 * --proc-policy replaces the system files, and each gate decides as written. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cradle/proc_policy.h"
#include "harness.h"
#include "../../libcontainer-c/rootfs/rootfs_internal.h"

#define CAP_CHECKPOINT_RESTORE_NUMBER 40
#define N_ELEMS(a)                    (sizeof(a) / sizeof((a)[0]))

static int apply(struct pp_policy *policy, const char *text, char *why, size_t size)
{
    return pp_policy_apply_text(policy, text, strlen(text), "site.conf", why, size);
}

static const struct pp_rule *find(const struct pp_policy *policy, const char *name)
{
    for (size_t i = 0; i < policy->n_rules; i++)
        if (strcmp(policy->rules[i].name, name) == 0)
            return &policy->rules[i];
    return NULL;
}

/* A bind from procfs has as its source the procfs's own file at the destination. */
static bool decide(const struct pp_policy *policy, const char *dest, enum pp_kind kind,
                   bool readonly, const struct pp_context *ctx)
{
    struct pp_request req = {.destination = dest,
                             .kind = kind,
                             .readonly = readonly,
                             .source = kind == PP_KIND_BIND_PROCFS ? dest : NULL};
    struct pp_decision d;
    pp_decide(policy, &req, ctx, &d);
    return d.allowed;
}

/* A read-only bind from procfs of SOURCE onto DEST. */
static bool decide_from(const struct pp_policy *policy, const char *dest, const char *source)
{
    struct pp_request req = {
        .destination = dest, .kind = PP_KIND_BIND_PROCFS, .readonly = true, .source = source};
    struct pp_decision d;
    pp_decide(policy, &req, NULL, &d);
    return d.allowed;
}

static void test_errors_name_file_and_line(void)
{
    static const struct {
        const char *text, *message;
    } cases[] = {
        {"rule a\n  destination /proc/a\n  kinds proc\n  require capp:CAP_X\n",
         "site.conf:4: unknown gate \"capp:CAP_X\""},
        {"# c\nrule a\n destination /proc/a\n kinds proc\n require cap:CAP_NOPE\n",
         "site.conf:5: unknown capability \"CAP_NOPE\" in gate \"cap:CAP_NOPE\""},
        {"\n\nfrobnicate x\n", "site.conf:3: unknown keyword \"frobnicate\""},
        {"destination /proc/a\n", "site.conf:1: \"destination\" outside a rule"},
        {"rule a\n destination proc/a\n kinds proc\n",
         "site.conf:2: destination \"proc/a\" is not an absolute path"},
        {"rule a\n destination /proc/./a\n kinds proc\n",
         "site.conf:2: destination \"/proc/./a\" is not normalised (write \"/proc/a\")"},
        {"rule a\n destination /proc/a/\n kinds proc\n",
         "site.conf:2: destination \"/proc/a/\" is not normalised"},
        {"rule a\n destination /sys/a\n kinds tmpfs\n",
         "site.conf:1: rule \"a\": destination /sys/a is not under /proc, where only kinds proc "
         "and bind-procfs are judged"},
        {"rule a\n destination /procfoo\n kinds proc bind-fuse\n",
         "site.conf:1: rule \"a\": destination /procfoo is not under /proc"},
        {"rule a\n destination /proc/a\n kinds bind-fuse\n source /proc/a\n",
         "site.conf:1: rule \"a\" has a source but does not allow bind-procfs"},
        {"rule a\n destination /a\n kinds bind-procfs\n source /sys/a\n",
         "site.conf:4: source \"/sys/a\" is not under /proc"},
        {"rule a\n destination /a\n kinds bind-procfs\n source /proc/a/\n",
         "site.conf:4: source \"/proc/a/\" is not normalised (write \"/proc/a\")"},
        {"rule a\n destination /a\n kinds bind-procfs\n source /proc/a\n source /proc/b\n",
         "site.conf:5: rule \"a\" has a second source"},
        {"deny a\n destination /proc/a\n source /proc/a\n",
         "site.conf:3: deny rule \"a\" takes no \"source\""},
        {"rule a\n kinds proc\n", "site.conf:1: rule \"a\" has no destination"},
        {"rule a\n destination /proc/a\nrule b\n", "site.conf:1: rule \"a\" allows no kind"},
        {"rule a\n destination /proc/a\n kinds proc\nrule a\n",
         "site.conf:4: rule \"a\" is already defined at line 1"},
        {"rule a\n destination /proc/a\n kinds proc\ndeny a\n",
         "site.conf:4: rule \"a\" is already defined at line 1"},
        {"rule a\n destination /proc/a\n kinds proc fresh\n",
         "site.conf:3: unknown kind \"fresh\""},
        {"rule a\n destination /proc/a\n kinds proc\n access rx\n",
         "site.conf:4: unknown access \"rx\""},
        {"rule a\n destination /proc/a\n destination /proc/b\n",
         "site.conf:3: rule \"a\" has a second destination"},
        {"rule a\n destination /proc/a\n kinds proc\n kinds tmpfs\n",
         "site.conf:4: rule \"a\" has a second \"kinds\" line"},
        {"rule a b\n", "site.conf:1: \"rule\" takes exactly one name"},
        {"rule\n", "site.conf:1: \"rule\" takes exactly one name"},
        {"rule a/b\n", "site.conf:1: invalid rule name \"a/b\""},
        {"deny a\n destination /proc/a\n kinds proc\n",
         "site.conf:3: deny rule \"a\" takes no \"kinds\""},
        {"rule a\n destination /proc/a\n kinds proc\n require annotation:=x\n",
         "site.conf:4: gate \"annotation:=x\" has an empty annotation key"},
        {"rule a\n destination /proc/a\n kinds\n", "site.conf:3: \"kinds\" needs at least one"},
        {"rule a\n destination /proc/a\n kinds proc\n require\n",
         "site.conf:4: \"require\" needs at least one gate"},
        {"remove\n", "site.conf:1: \"remove\" takes exactly one name"},
        {"remove no-such-rule\n", "site.conf:1: remove: there is no rule \"no-such-rule\""},
    };
    for (size_t i = 0; i < N_ELEMS(cases); i++) {
        struct pp_policy policy;
        char why[512] = "";
        CHECK(pp_policy_builtin(&policy) == 0);
        size_t before = policy.n_rules;
        CHECK(apply(&policy, cases[i].text, why, sizeof(why)) == -1);
        CHECK(errno == EINVAL);
        CHECK_CONTAINS(why, cases[i].message);
        CHECK(policy.n_rules == before);
        pp_policy_free(&policy);
    }
}

static void test_nul_byte_is_an_error(void)
{
    static const char text[] = "rule a\n destination /proc/a\0x\n kinds proc\n";
    struct pp_policy policy = {0};
    char why[512];
    CHECK(pp_policy_apply_text(&policy, text, sizeof(text) - 1, "bin.conf", why, sizeof(why)) ==
          -1);
    CHECK_CONTAINS(why, "bin.conf:2: NUL byte");
}

static void test_full_rule_parses(void)
{
    static const char text[] = "# site policy\n"
                               "rule ns_last_pid\n"
                               "  destination /proc/sys/kernel/ns_last_pid\n"
                               "  kinds bind-procfs\n"
                               "  access ro rw\n"
                               "  require cap:CAP_CHECKPOINT_RESTORE userns\n"
                               "  require annotation:io.cradle.checkpoint=true\n"
                               "\n"
                               "\trule\tnet\t\r\n"
                               "\tdestination-prefix /proc/sys/net\n"
                               "\tkinds tmpfs proc bind-fuse\n"
                               "deny sysrq\n"
                               "  destination /proc/sysrq-trigger\n"
                               "rule flag\n"
                               "  destination /proc/flag\n"
                               "  kinds proc\n"
                               "  require annotation:present";
    struct pp_policy policy = {0};
    char why[512] = "";
    CHECK(apply(&policy, text, why, sizeof(why)) == 0);
    CHECK_STREQ(why, "");
    CHECK(policy.n_rules == 4);

    const struct pp_rule *r = find(&policy, "ns_last_pid");
    CHECK(r && !r->prefix && !r->deny);
    CHECK(r && r->kinds == PP_KIND_BIND_PROCFS);
    CHECK(r && r->access == (PP_ACCESS_RO | PP_ACCESS_RW));
    CHECK(r && r->n_gates == 3);
    CHECK_STREQ(r ? r->origin : NULL, "site.conf:2");
    char gate[128];
    pp_format_gate(&r->gates[0], gate, sizeof(gate));
    CHECK_STREQ(gate, "cap:CAP_CHECKPOINT_RESTORE");
    CHECK(r->gates[1].type == PP_GATE_USERNS);
    CHECK_STREQ(r->gates[2].key, "io.cradle.checkpoint");
    CHECK_STREQ(r->gates[2].value, "true");

    r = find(&policy, "net");
    CHECK(r && r->prefix);
    CHECK_STREQ(r ? r->destination : NULL, "/proc/sys/net");
    CHECK(r && r->kinds == (PP_KIND_TMPFS | PP_KIND_PROC | PP_KIND_BIND_FUSE));
    CHECK(r && r->access == PP_ACCESS_RO); /* the default */
    CHECK_STREQ(r ? r->origin : NULL, "site.conf:9");

    r = find(&policy, "sysrq");
    CHECK(r && r->deny && r->kinds == 0);

    r = find(&policy, "flag");
    CHECK(r && r->n_gates == 1 && r->gates[0].value == NULL);
    pp_format_gate(&r->gates[0], gate, sizeof(gate));
    CHECK_STREQ(gate, "annotation:present");
    pp_policy_free(&policy);
}

static void test_later_rule_replaces_and_remove_deletes(void)
{
    struct pp_policy policy;
    char why[512];
    CHECK(pp_policy_builtin(&policy) == 0);
    size_t builtins = policy.n_rules;
    /* ns_last_pid opened to everyone, read-only, by a site file. */
    CHECK(apply(&policy,
                "rule ns_last_pid\n destination /proc/sys/kernel/ns_last_pid\n kinds bind-procfs\n",
                why, sizeof(why)) == 0);
    CHECK(policy.n_rules == builtins);
    const struct pp_rule *r = find(&policy, "ns_last_pid");
    CHECK(r && r->n_gates == 0 && r->access == PP_ACCESS_RO);
    CHECK_STREQ(r ? r->origin : NULL, "site.conf:1");
    CHECK(decide(&policy, "/proc/sys/kernel/ns_last_pid", PP_KIND_BIND_PROCFS, true, NULL));
    CHECK(!decide(&policy, "/proc/sys/kernel/ns_last_pid", PP_KIND_BIND_PROCFS, false, NULL));

    CHECK(pp_policy_apply_text(&policy, "remove ns_last_pid\n", 19, "later.conf", why,
                               sizeof(why)) == 0);
    CHECK(policy.n_rules == builtins - 1);
    CHECK(find(&policy, "ns_last_pid") == NULL);
    struct pp_context all_caps = {.bounding = ~UINT64_C(0)};
    CHECK(!decide(&policy, "/proc/sys/kernel/ns_last_pid", PP_KIND_BIND_PROCFS, false, &all_caps));

    /* Removing it again is an error that names the rule, and changes nothing. */
    CHECK(pp_policy_apply_text(&policy, "\nremove ns_last_pid\n", 20, "again.conf", why,
                               sizeof(why)) == -1);
    CHECK_CONTAINS(why, "again.conf:2: remove: there is no rule \"ns_last_pid\" to remove");
    CHECK(policy.n_rules == builtins - 1);
    pp_policy_free(&policy);
}

static void test_failed_file_changes_nothing(void)
{
    struct pp_policy policy;
    char why[512];
    CHECK(pp_policy_builtin(&policy) == 0);
    /* The first statement would remove a rule; the third fails: all or nothing. */
    CHECK(apply(&policy, "remove lxcfs-swaps\nrule x\nremove y\n", why, sizeof(why)) == -1);
    CHECK(find(&policy, "lxcfs-swaps") != NULL);
    CHECK(apply(&policy, "remove lxcfs-swaps\nremove lxcfs-swaps\n", why, sizeof(why)) == -1);
    CHECK_CONTAINS(why, "site.conf:2: remove: there is no rule \"lxcfs-swaps\"");
    CHECK(find(&policy, "lxcfs-swaps") != NULL);
    pp_policy_free(&policy);
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char *path = NULL;
    CHECK(asprintf(&path, "%s/%s", dir, name) > 0);
    FILE *f = path ? fopen(path, "we") : NULL;
    free(path);
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void remove_tree(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}

static void test_system_files_in_order(void)
{
    char dir[] = "/tmp/cradle-policy-test.XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char sub[600];
    snprintf(sub, sizeof(sub), "%s/proc-policy.d", dir);
    CHECK(mkdir(sub, 0700) == 0);
    write_file(dir, "proc-policy.conf",
               "rule extra\n destination /proc/extra\n kinds proc\n access ro\n");
    /* 20 after 10 (lexical): the later definition of "extra" wins; *.conf only. */
    write_file(sub, "20-b.conf", "rule extra\n destination /proc/extra\n kinds tmpfs\n");
    write_file(sub, "10-a.conf",
               "rule extra\n destination /proc/extra\n kinds bind-fuse\n"
               "remove lxcfs-swaps\n");
    write_file(sub, "30-c.conf.disabled", "this is not parsed\n");
    write_file(sub, ".hidden.conf", "neither is this\n");

    struct pp_policy policy;
    char why[512] = "";
    CHECK(pp_policy_load_from(&policy, dir, NULL, why, sizeof(why)) == 0);
    CHECK_STREQ(why, "");
    const struct pp_rule *r = find(&policy, "extra");
    CHECK(r && r->kinds == PP_KIND_TMPFS);
    CHECK_CONTAINS(r ? r->origin : NULL, "proc-policy.d/20-b.conf:1");
    CHECK(find(&policy, "lxcfs-swaps") == NULL);
    CHECK(find(&policy, "ns_last_pid") != NULL);
    pp_policy_free(&policy);

    /* --proc-policy: built-ins plus that file only. */
    char own[700];
    snprintf(own, sizeof(own), "%s/own.policy", dir);
    write_file(dir, "own.policy", "rule mine\n destination /proc/mine\n kinds proc\n");
    CHECK(pp_policy_load_from(&policy, dir, own, why, sizeof(why)) == 0);
    CHECK(find(&policy, "mine") != NULL);
    CHECK(find(&policy, "extra") == NULL);
    CHECK(find(&policy, "lxcfs-swaps") != NULL);
    pp_policy_free(&policy);

    /* A broken file fails the whole load, naming file:line; the policy is empty. */
    write_file(sub, "40-bad.conf", "rule bad\n destination /proc/bad\n kinds proc\n require x\n");
    CHECK(pp_policy_load_from(&policy, dir, NULL, why, sizeof(why)) == -1);
    CHECK_CONTAINS(why, "proc-policy.d/40-bad.conf:4: unknown gate \"x\"");
    CHECK(policy.n_rules == 0 && policy.rules == NULL);

    /* A missing --proc-policy file is an error; a missing system directory is not. */
    snprintf(own, sizeof(own), "%s/missing.policy", dir);
    CHECK(pp_policy_load_from(&policy, dir, own, why, sizeof(why)) == -1);
    CHECK_CONTAINS(why, "missing.policy");
    remove_tree(dir);
    CHECK(pp_policy_load_from(&policy, dir, NULL, why, sizeof(why)) == 0);
    CHECK(find(&policy, "ns_last_pid") != NULL);
    pp_policy_free(&policy);
}

/* Only a CRADLE_TESTING build lets the environment move the policy directory (issue 6
 * item 6): an installed cradle ignores the variable. */
static void test_env_overrides_system_dir_only_when_testing(void)
{
    char dir[] = "/tmp/cradle-policy-test.XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    write_file(dir, "proc-policy.conf", "remove ns_last_pid\n");
    setenv(PP_SYSTEM_DIR_ENV, dir, 1);
    struct pp_policy policy;
    char why[512];
    CHECK(pp_policy_load(&policy, NULL, why, sizeof(why)) == 0);
#ifdef CRADLE_TESTING
    CHECK(find(&policy, "ns_last_pid") == NULL);
#else
    CHECK(find(&policy, "ns_last_pid") != NULL);
#endif
    pp_policy_free(&policy);
    unsetenv(PP_SYSTEM_DIR_ENV);
    remove_tree(dir);
}

/* Issue 6 item 6: whatever is at a policy path is read or refused, never skipped, and
 * nothing there can make the load block. */
static void test_unreadable_policy_paths_fail_closed(void)
{
    static const struct {
        const char *what; /* "conf", "dir" or "d-conf": which name is made odd */
        const char *kind; /* "dangling", "fifo" or "directory" */
        const char *message;
    } cases[] = {
        {"conf", "dangling", "proc-policy.conf is a dangling symlink"},
        {"dir", "dangling", "proc-policy.d is a dangling symlink"},
        {"d-conf", "dangling", "proc-policy.d/10-site.conf is a dangling symlink"},
        {"conf", "fifo", "proc-policy.conf is not a regular file"},
        {"d-conf", "fifo", "proc-policy.d/10-site.conf is not a regular file"},
        {"conf", "directory", "proc-policy.conf is not a regular file"},
        {"d-conf", "directory", "proc-policy.d/10-site.conf is not a regular file"},
    };
    for (size_t i = 0; i < N_ELEMS(cases); i++) {
        char dir[] = "/tmp/cradle-policy-test.XXXXXX", path[256];
        CHECK(mkdtemp(dir) != NULL);
        const char *name = strcmp(cases[i].what, "conf") == 0  ? "proc-policy.conf"
                           : strcmp(cases[i].what, "dir") == 0 ? "proc-policy.d"
                                                               : "proc-policy.d/10-site.conf";
        if (strcmp(cases[i].what, "d-conf") == 0) {
            snprintf(path, sizeof(path), "%s/proc-policy.d", dir);
            CHECK(mkdir(path, 0755) == 0);
        }
        snprintf(path, sizeof(path), "%s/%s", dir, name);
        if (strcmp(cases[i].kind, "dangling") == 0)
            CHECK(symlink("/nonexistent/cradle-policy", path) == 0);
        else if (strcmp(cases[i].kind, "fifo") == 0)
            CHECK(mkfifo(path, 0644) == 0);
        else
            CHECK(mkdir(path, 0755) == 0);
        struct pp_policy policy;
        char why[512] = "";
        CHECK(pp_policy_load_from(&policy, dir, NULL, why, sizeof(why)) == -1);
        CHECK_CONTAINS(why, cases[i].message);
        CHECK(policy.rules == NULL && policy.n_rules == 0);
        remove_tree(dir);
    }

    /* A symlink to a regular file is followed, as before. */
    char dir[] = "/tmp/cradle-policy-test.XXXXXX", link[256], target[256];
    CHECK(mkdtemp(dir) != NULL);
    write_file(dir, "real.policy", "remove ns_last_pid\n");
    snprintf(target, sizeof(target), "%s/real.policy", dir);
    snprintf(link, sizeof(link), "%s/proc-policy.conf", dir);
    CHECK(symlink(target, link) == 0);
    struct pp_policy policy;
    char why[512];
    CHECK(pp_policy_load_from(&policy, dir, NULL, why, sizeof(why)) == 0);
    CHECK(find(&policy, "ns_last_pid") == NULL);
    pp_policy_free(&policy);

    /* --proc-policy FILE: a FIFO is refused at once, not waited on. */
    char fifo[256];
    snprintf(fifo, sizeof(fifo), "%s/site.fifo", dir);
    CHECK(mkfifo(fifo, 0644) == 0);
    CHECK(pp_policy_load_from(&policy, dir, fifo, why, sizeof(why)) == -1);
    CHECK_CONTAINS(why, "site.fifo is not a regular file");
    remove_tree(dir);
}

/* Issue 6 item 5: a rule may let a bind from procfs go outside /proc, but only of the
 * procfs file it names in "source"; without one, only the file at its destination. */
static void test_source_rules(void)
{
    struct pp_policy policy;
    char why[512];
    CHECK(pp_policy_builtin(&policy) == 0);
    CHECK(!decide_from(&policy, "/host/proc", "/proc"));
    CHECK(apply(&policy,
                "rule host-proc\n destination /host/proc\n kinds bind-procfs\n source /proc\n", why,
                sizeof(why)) == 0);
    const struct pp_rule *r = find(&policy, "host-proc");
    CHECK_STREQ(r ? r->source : NULL, "/proc");
    CHECK(decide_from(&policy, "/host/proc", "/proc"));
    CHECK(!decide_from(&policy, "/host/proc", "/proc/sys"));
    CHECK(!decide_from(&policy, "/host/proc", NULL));
    CHECK(!decide_from(&policy, "/host/proc/sys", "/proc/sys"));

    /* A fresh procfs outside /proc, allowed by name. */
    CHECK(!decide(&policy, "/myproc", PP_KIND_PROC, false, NULL));
    CHECK(apply(&policy, "rule myproc\n destination /myproc\n kinds proc\n", why, sizeof(why)) ==
          0);
    CHECK(decide(&policy, "/myproc", PP_KIND_PROC, true, NULL));
    CHECK(!decide(&policy, "/myproc", PP_KIND_PROC, false, NULL)); /* access ro by default */

    /* A rule without "source" admits only the procfs's own file at its destination. */
    CHECK(apply(&policy,
                "rule hostname\n destination /proc/sys/kernel/hostname\n"
                " kinds bind-procfs\n",
                why, sizeof(why)) == 0);
    CHECK(decide_from(&policy, "/proc/sys/kernel/hostname", "/proc/sys/kernel/hostname"));
    CHECK(!decide_from(&policy, "/proc/sys/kernel/hostname", "/proc/sys/kernel/core_pattern"));
    pp_policy_free(&policy);
}

static struct pp_policy gated(const char *gate)
{
    struct pp_policy policy = {0};
    char text[256], why[512];
    snprintf(text, sizeof(text),
             "rule g\n destination /proc/g\n kinds bind-procfs\n access rw\n require %s\n", gate);
    CHECK(apply(&policy, text, why, sizeof(why)) == 0);
    return policy;
}

static void test_each_gate(void)
{
    struct pp_policy policy = gated("cap:cap_checkpoint_restore");
    struct pp_context ctx = {0};
    CHECK(!decide(&policy, "/proc/g", PP_KIND_BIND_PROCFS, false, &ctx));
    ctx.bounding = UINT64_C(1) << CAP_CHECKPOINT_RESTORE_NUMBER;
    CHECK(decide(&policy, "/proc/g", PP_KIND_BIND_PROCFS, false, &ctx));
    CHECK(!decide(&policy, "/proc/g", PP_KIND_BIND_FUSE, false, &ctx));
    CHECK(!decide(&policy, "/proc/g", PP_KIND_BIND_PROCFS, true, &ctx)); /* access rw only */
    pp_policy_free(&policy);

    policy = gated("userns");
    ctx = (struct pp_context){0};
    CHECK(!decide(&policy, "/proc/g", PP_KIND_BIND_PROCFS, false, &ctx));
    ctx.own_userns = true;
    CHECK(decide(&policy, "/proc/g", PP_KIND_BIND_PROCFS, false, &ctx));
    pp_policy_free(&policy);

    policy = gated("pidns");
    ctx = (struct pp_context){.own_userns = true};
    CHECK(!decide(&policy, "/proc/g", PP_KIND_BIND_PROCFS, false, &ctx));
    ctx.own_pidns = true;
    CHECK(decide(&policy, "/proc/g", PP_KIND_BIND_PROCFS, false, &ctx));
    pp_policy_free(&policy);

    const char *keys[] = {"io.cradle.checkpoint"};
    const char *yes[] = {"true"};
    const char *no[] = {"false"};
    policy = gated("annotation:io.cradle.checkpoint=true");
    ctx = (struct pp_context){0};
    CHECK(!decide(&policy, "/proc/g", PP_KIND_BIND_PROCFS, false, &ctx));
    ctx = (struct pp_context){.annotation_keys = keys, .annotation_values = no, .n_annotations = 1};
    CHECK(!decide(&policy, "/proc/g", PP_KIND_BIND_PROCFS, false, &ctx));
    ctx.annotation_values = yes;
    CHECK(decide(&policy, "/proc/g", PP_KIND_BIND_PROCFS, false, &ctx));
    pp_policy_free(&policy);

    policy = gated("annotation:io.cradle.checkpoint");
    ctx = (struct pp_context){.annotation_keys = keys, .annotation_values = no, .n_annotations = 1};
    CHECK(decide(&policy, "/proc/g", PP_KIND_BIND_PROCFS, false, &ctx));
    pp_policy_free(&policy);
}

static void test_deny_rule_beats_builtin(void)
{
    struct pp_policy policy;
    char why[512];
    CHECK(pp_policy_builtin(&policy) == 0);
    CHECK(decide(&policy, "/proc/cpuinfo", PP_KIND_BIND_FUSE, true, NULL));
    CHECK(apply(&policy, "deny no-cpuinfo\n destination /proc/cpuinfo\n", why, sizeof(why)) == 0);
    CHECK(!decide(&policy, "/proc/cpuinfo", PP_KIND_BIND_FUSE, true, NULL));
    pp_policy_free(&policy);
}

static void test_kind_keywords(void)
{
    CHECK_STREQ(pp_kind_keyword(PP_KIND_PROC), "proc");
    CHECK_STREQ(pp_kind_keyword(PP_KIND_BIND_PROCFS), "bind-procfs");
    CHECK_STREQ(pp_kind_keyword(PP_KIND_BIND_FUSE), "bind-fuse");
    CHECK_STREQ(pp_kind_keyword(PP_KIND_TMPFS), "tmpfs");
}

static void test_bind_source_kind_uses_the_fd(void)
{
    int proc_fd = open("/proc/self/stat", O_PATH | O_CLOEXEC);
    int tmp_fd = open("/", O_PATH | O_CLOEXEC);
    CHECK(pp_bind_source_kind(proc_fd) == PP_KIND_BIND_PROCFS);
    CHECK(pp_bind_source_kind(tmp_fd) != PP_KIND_BIND_PROCFS);
    CHECK(pp_bind_source_kind(-1) == PP_KIND_OTHER);
    close(proc_fd);
    close(tmp_fd);
}

/* Which procfs file an fd is, from the fd: written as under /proc, whatever the path it
 * was opened by. */
static void test_procfs_path_of_fd(void)
{
    static const struct {
        const char *open, *want;
    } cases[] = {
        {"/proc/sys/kernel/ns_last_pid", "/proc/sys/kernel/ns_last_pid"},
        {"/proc/sys/kernel/../kernel/core_pattern", "/proc/sys/kernel/core_pattern"},
        {"/proc", "/proc"},
        {"/proc/", "/proc"},
    };
    for (size_t i = 0; i < N_ELEMS(cases); i++) {
        int fd = open(cases[i].open, O_PATH | O_CLOEXEC);
        char *path = NULL;
        CHECK(rootfs_procfs_path(fd, &path) == 0);
        CHECK_STREQ(path, cases[i].want);
        free(path);
        close(fd);
    }
    /* /proc/self is a symlink to the pid's directory: the fd is that directory. */
    int fd = open("/proc/self/status", O_PATH | O_CLOEXEC);
    char *path = NULL, want[64];
    snprintf(want, sizeof(want), "/proc/%d/status", (int)getpid());
    CHECK(rootfs_procfs_path(fd, &path) == 0);
    CHECK_STREQ(path, want);
    free(path);
    close(fd);
    CHECK(rootfs_procfs_path(-1, &path) == -1 && path == NULL);
}

RUN_TESTS(test_procfs_path_of_fd, test_errors_name_file_and_line, test_nul_byte_is_an_error,
          test_full_rule_parses, test_later_rule_replaces_and_remove_deletes,
          test_failed_file_changes_nothing, test_system_files_in_order,
          test_env_overrides_system_dir_only_when_testing, test_unreadable_policy_paths_fail_closed,
          test_source_rules, test_each_gate, test_deny_rule_beats_builtin, test_kind_keywords,
          test_bind_source_kind_uses_the_fd)
