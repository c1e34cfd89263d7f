/* exec's process: config.process with runc exec's flags on top (runc's getProcess), the
 * --process file instead, and the --cgroup arguments as runc 1.1 parses them. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../libcontainer-c/container/exec_internal.h"
#include "cradle/cleanup.h"
#include "cradle/lsm.h"

static const char config[] =
    "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},"
    "\"process\":{\"args\":[\"sleep\",\"1\"],\"cwd\":\"/srv\","
    "\"env\":[\"PATH=/bin\",\"KEEP=config\",\"TERM=xterm\"],"
    "\"user\":{\"uid\":5,\"gid\":6,\"additionalGids\":[7]},"
    "\"capabilities\":{\"bounding\":[\"CAP_KILL\"],\"effective\":[\"CAP_KILL\"],"
    "\"permitted\":[\"CAP_KILL\"],\"ambient\":[\"CAP_KILL\"]},"
    "\"terminal\":true}}";

static struct cradle_spec *parsed_config(void)
{
    struct cradle_spec *spec = NULL;
    _cleanup_error_ cradle_error *err = NULL;
    CHECK(cradle_spec_parse(config, &spec, &err) == 0);
    return spec;
}

/* Builds the process for opts; returns the error text ("" on success). */
static char *build(const struct cradle_exec_opts *opts, struct cradle_spec *spec)
{
    _cleanup_error_ cradle_error *err = NULL;
    if (cradle_exec_build_process(opts, spec, &err) == 0)
        return strdup("");
    return cradle_error_text(err);
}

static void test_flags_on_top_of_config(void)
{
    _cleanup_spec_ struct cradle_spec *spec = parsed_config();
    char *args[] = {"ls", "-l", NULL};
    char *env[] = {"PATH=/x", "NEW=1", NULL};
    long long gids[] = {8, 9};
    struct cradle_exec_opts o = {.args = args,
                                 .cwd = "/tmp",
                                 .env = env,
                                 .user = "1000:1001",
                                 .additional_gids = gids,
                                 .n_additional_gids = 2,
                                 .no_new_privs = true};
    _cleanup_free_ char *msg = build(&o, spec);
    CHECK_STREQ(msg, "");
    struct cradle_spec_process *p = &spec->process;
    CHECK(p->n_args == 2);
    CHECK_STREQ(p->args[0], "ls");
    CHECK(p->args[2] == NULL);
    CHECK_STREQ(p->cwd, "/tmp");
    /* Replaced where it stands, appended when new (Go's os.Setenv). */
    CHECK(p->n_env == 4);
    CHECK_STREQ(p->env[0], "PATH=/x");
    CHECK_STREQ(p->env[1], "KEEP=config");
    CHECK_STREQ(p->env[3], "NEW=1");
    CHECK(p->env[4] == NULL);
    CHECK(p->user.uid == 1000 && p->user.gid == 1001);
    CHECK(p->user.n_additional_gids == 3 && p->user.additional_gids[2] == 9);
    CHECK(p->no_new_privileges);
    /* runc: terminal is -t's, whatever the config says. */
    CHECK(!p->terminal);
    /* Not inheritable: the config's ambient CAP_KILL cannot be raised and goes. */
    CHECK(p->capabilities.ambient == 0);
}

static void test_user_without_gid_keeps_config_gid(void)
{
    _cleanup_spec_ struct cradle_spec *spec = parsed_config();
    char *args[] = {"id", NULL};
    struct cradle_exec_opts o = {.args = args, .user = "42", .tty = true};
    _cleanup_free_ char *msg = build(&o, spec);
    CHECK_STREQ(msg, "");
    CHECK(spec->process.user.uid == 42 && spec->process.user.gid == 6);
    CHECK(spec->process.terminal);
    CHECK_STREQ(spec->process.cwd, "/srv");
}

static void test_caps_as_runc_adds_them(void)
{
    _cleanup_spec_ struct cradle_spec *spec = parsed_config();
    char *args[] = {"true", NULL};
    char *caps[] = {"CAP_SYS_ADMIN", "CAP_BOGUS", "sys_admin", NULL};
    struct cradle_exec_opts o = {.args = args, .caps = caps};
    _cleanup_free_ char *msg = build(&o, spec);
    CHECK_STREQ(msg, "");
    const struct cradle_spec_capabilities *c = &spec->process.capabilities;
    uint64_t admin = 1ULL << 21, kill = 1ULL << 5;
    CHECK(c->bounding == (admin | kill));
    CHECK(c->effective == (admin | kill));
    CHECK(c->permitted == (admin | kill));
    /* No inheritable set: runc 1.1 adds neither inheritable nor ambient. */
    CHECK(c->inheritable == 0 && c->ambient == 0);
}

static void test_errors_in_runcs_words(void)
{
    static const struct {
        const char *user, *cwd, *env;
        long long gid;
        const char *want;
    } cases[] = {
        {"x", NULL, NULL, 0, "parsing x as int for uid failed: strconv.Atoi: parsing \"x\""},
        {"1:2:3", NULL, NULL, 0, "parsing 2:3 as int for gid failed"},
        {"1:", NULL, NULL, 0, "parsing  as int for gid failed"},
        {NULL, "rel", NULL, 0, "Cwd must be an absolute path"},
        {NULL, NULL, "FOO", 0, "invalid environment variable: \"FOO\""},
        {NULL, NULL, "=x", 0, "environment variable name can't be empty: \"=x\""},
        {NULL, NULL, NULL, -1, "additional-gids must be a positive number -1"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        _cleanup_spec_ struct cradle_spec *spec = parsed_config();
        char *args[] = {"true", NULL};
        char *env[] = {(char *)cases[i].env, NULL};
        struct cradle_exec_opts o = {.args = args,
                                     .user = cases[i].user,
                                     .cwd = cases[i].cwd,
                                     .env = cases[i].env ? env : NULL,
                                     .additional_gids = &cases[i].gid,
                                     .n_additional_gids = cases[i].gid ? 1 : 0};
        _cleanup_free_ char *msg = build(&o, spec);
        CHECK_CONTAINS(msg, cases[i].want);
    }
}

#define SELINUX_DISABLED                                                                           \
    "selinux label is specified in config, but selinux is disabled or not supported"

/* --apparmor sets the profile the process setup writes; --process-label is validated as
 * runc's exec does (refused on a host without SELinux, as the hosts the tests run on). */
static void test_lsm_flags(void)
{
    char *args[] = {"true", NULL};
    struct cradle_exec_opts apparmor = {.args = args, .apparmor = "unconfined"};
    struct cradle_exec_opts label = {.args = args, .process_label = "system_u:x"};
    _cleanup_spec_ struct cradle_spec *a = parsed_config();
    _cleanup_spec_ struct cradle_spec *b = parsed_config();
    _cleanup_free_ char *msg_a = build(&apparmor, a);
    _cleanup_free_ char *msg_b = build(&label, b);
    CHECK_STREQ(msg_a, "");
    CHECK_STREQ(a->process.apparmor_profile, "unconfined");
    if (!cradle_selinux_enabled())
        CHECK_STREQ(msg_b, SELINUX_DISABLED);
}

static char *write_temp(const char *text)
{
    char *path = strdup("/tmp/test_exec_process.XXXXXX");
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void test_process_file_replaces_whole(void)
{
    _cleanup_spec_ struct cradle_spec *spec = parsed_config();
    _cleanup_free_ char *path =
        write_temp("{\"args\":[\"cat\"],\"cwd\":\"/\",\"env\":[\"A=1\"],\"user\":{\"uid\":3,"
                   "\"gid\":4},\"noNewPrivileges\":true}");
    char *ignored[] = {"ignored", NULL};
    struct cradle_exec_opts o = {.process_file = path, .args = ignored, .user = "99"};
    _cleanup_free_ char *msg = build(&o, spec);
    unlink(path);
    CHECK_STREQ(msg, "");
    const struct cradle_spec_process *p = &spec->process;
    CHECK(p->n_args == 1);
    CHECK_STREQ(p->args[0], "cat");
    CHECK(p->n_env == 1);
    CHECK(p->user.uid == 3 && p->user.gid == 4);
    CHECK(p->user.n_additional_gids == 0);
    CHECK(p->no_new_privileges);
    CHECK(!p->has_capabilities);
}

static void test_process_file_errors(void)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"{\"args\":[]}", "process.args: must be a non-empty array"},
        {"[1]", "process: expected object, got array"},
        {"{", "process: invalid JSON"},
        {"{\"args\":[\"x\"],\"cwd\":\"rel\"}", "process.cwd: must be an absolute path"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        _cleanup_spec_ struct cradle_spec *spec = parsed_config();
        _cleanup_free_ char *path = write_temp(cases[i].text);
        struct cradle_exec_opts o = {.process_file = path};
        _cleanup_free_ char *msg = build(&o, spec);
        unlink(path);
        CHECK_CONTAINS(msg, cases[i].want);
    }
}

static char *subs_text(char **args)
{
    struct cradle_exec_subcgroup *subs = NULL;
    size_t n = 0;
    _cleanup_error_ cradle_error *err = NULL;
    if (cradle_exec_parse_subcgroups(args, &subs, &n, &err) < 0)
        return cradle_error_text(err);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%s=%s", i ? " " : "", subs[i].controller, subs[i].path);
    fclose(f);
    cradle_exec_subcgroups_free(subs, n);
    return out;
}

static void test_subcgroups_as_runc(void)
{
    static const struct {
        char *args[4];
        const char *want;
    } cases[] = {
        {{NULL}, ""},
        {{"sub", NULL}, "=sub"},
        {{":sub", NULL}, "=sub"},
        {{"cpu,memory:a/b", "pids:c", NULL}, "cpu=a/b memory=a/b pids=c"},
        {{"memory:x", "memory:y", NULL}, "memory=y"},
        {{"a:b:c", NULL}, "invalid --cgroup argument: a:b:c"},
        {{"a", "b", NULL}, "invalid --cgroup argument: a (missing <controller>: prefix)"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        _cleanup_free_ char *got = subs_text((char **)cases[i].args);
        CHECK_STREQ(got, cases[i].want);
    }
}

RUN_TESTS(test_flags_on_top_of_config, test_user_without_gid_keeps_config_gid,
          test_caps_as_runc_adds_them, test_errors_in_runcs_words, test_lsm_flags,
          test_process_file_replaces_whole, test_process_file_errors, test_subcgroups_as_runc)
