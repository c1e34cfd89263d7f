/* linux.seccomp parsing (spec/parse_seccomp.c) and building the filter from it
 * (security/seccomp.c, without loading it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"
#include "cradle/seccomp.h"
#include "cradle/spec.h"
#include "harness.h"
#include "spec_documents.h"

/* A minimal document whose linux.seccomp is `seccomp`. */
static char *document(const char *seccomp)
{
    _cleanup_free_ char *linux_ = NULL;
    if (asprintf(&linux_, "\"linux\": {\"seccomp\": %s}", seccomp) < 0)
        return NULL;
    return spec_document(linux_);
}

static struct cradle_spec *parse_ok(const char *seccomp)
{
    _cleanup_free_ char *doc = document(seccomp);
    return spec_parse_text_ok(doc);
}

/* The parse error for this linux.seccomp, or NULL when it parses. Caller frees. */
static char *error_of(const char *seccomp)
{
    _cleanup_free_ char *doc = document(seccomp);
    return spec_error_of_text(doc);
}

#define CHECK_ERROR(seccomp, expected)                                                             \
    do {                                                                                           \
        _cleanup_free_ char *_msg = error_of(seccomp);                                             \
        CHECK_CONTAINS(_msg, expected);                                                            \
    } while (0)

/* The build error for this linux.seccomp, or NULL when the filter builds. Caller frees. */
static char *build_error_of(const char *seccomp)
{
    _cleanup_spec_ struct cradle_spec *spec = parse_ok(seccomp);
    _cleanup_seccomp_filter_ struct cradle_seccomp_filter *filter = NULL;
    _cleanup_error_ cradle_error *err = NULL;
    if (spec == NULL)
        return strdup("(did not parse)");
    if (cradle_seccomp_build(&spec->linux_.seccomp, &filter, &err) == 0)
        return NULL;
    return cradle_error_text(err);
}

static void test_full_profile(void)
{
    _cleanup_spec_ struct cradle_spec *spec = parse_ok(
        "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38,"
        " \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"],"
        " \"flags\": [\"SECCOMP_FILTER_FLAG_TSYNC\", \"SECCOMP_FILTER_FLAG_SPEC_ALLOW\"],"
        " \"syscalls\": ["
        "  {\"names\": [\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\"},"
        "  {\"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1},"
        "  {\"names\": [\"kill\"], \"action\": \"SCMP_ACT_TRACE\", \"args\": ["
        "   {\"index\": 1, \"value\": 10, \"op\": \"SCMP_CMP_EQ\"},"
        "   {\"index\": 0, \"value\": 255, \"valueTwo\": 7, \"op\": \"SCMP_CMP_MASKED_EQ\"}]}]}");
    CHECK(spec != NULL);
    if (spec == NULL)
        return;
    const struct cradle_spec_seccomp *sc = &spec->linux_.seccomp;
    CHECK(spec->linux_.has_seccomp);
    CHECK(sc->default_action == CRADLE_SECCOMP_ACT_ERRNO);
    CHECK(sc->has_default_errno_ret && sc->default_errno_ret == 38);
    CHECK(sc->n_architectures == 3 && sc->architectures[3] == NULL);
    CHECK_STREQ(sc->architectures[1], "SCMP_ARCH_X86");
    CHECK(sc->flags == (CRADLE_SECCOMP_FLAG_TSYNC | CRADLE_SECCOMP_FLAG_SPEC_ALLOW));
    CHECK(sc->n_syscalls == 3);
    CHECK(sc->syscalls[0].n_names == 2 && sc->syscalls[0].names[2] == NULL);
    CHECK_STREQ(sc->syscalls[0].names[1], "write");
    CHECK(sc->syscalls[0].action == CRADLE_SECCOMP_ACT_ALLOW && !sc->syscalls[0].has_errno_ret);
    CHECK(sc->syscalls[1].has_errno_ret && sc->syscalls[1].errno_ret == 1);
    const struct cradle_spec_seccomp_syscall *kill = &sc->syscalls[2];
    CHECK(kill->action == CRADLE_SECCOMP_ACT_TRACE && kill->n_args == 2);
    CHECK(kill->args[0].index == 1 && kill->args[0].value == 10 && kill->args[0].value_two == 0);
    CHECK(kill->args[0].op == CRADLE_SECCOMP_OP_EQ);
    CHECK(kill->args[1].op == CRADLE_SECCOMP_OP_MASKED_EQ && kill->args[1].value_two == 7);
}

static void test_every_action_and_operator(void)
{
    static const struct {
        const char *name;
        enum cradle_seccomp_action action;
    } actions[] = {
        {"SCMP_ACT_KILL", CRADLE_SECCOMP_ACT_KILL_THREAD},
        {"SCMP_ACT_KILL_THREAD", CRADLE_SECCOMP_ACT_KILL_THREAD},
        {"SCMP_ACT_KILL_PROCESS", CRADLE_SECCOMP_ACT_KILL_PROCESS},
        {"SCMP_ACT_TRAP", CRADLE_SECCOMP_ACT_TRAP},
        {"SCMP_ACT_ERRNO", CRADLE_SECCOMP_ACT_ERRNO},
        {"SCMP_ACT_TRACE", CRADLE_SECCOMP_ACT_TRACE},
        {"SCMP_ACT_ALLOW", CRADLE_SECCOMP_ACT_ALLOW},
        {"SCMP_ACT_LOG", CRADLE_SECCOMP_ACT_LOG},
    };
    for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
        char text[128];
        snprintf(text, sizeof(text), "{\"defaultAction\": \"%s\"}", actions[i].name);
        _cleanup_spec_ struct cradle_spec *spec = parse_ok(text);
        CHECK(spec != NULL && spec->linux_.seccomp.default_action == actions[i].action);
    }
    static const struct {
        const char *name;
        enum cradle_seccomp_op op;
    } ops[] = {
        {"SCMP_CMP_NE", CRADLE_SECCOMP_OP_NE},
        {"SCMP_CMP_LT", CRADLE_SECCOMP_OP_LT},
        {"SCMP_CMP_LE", CRADLE_SECCOMP_OP_LE},
        {"SCMP_CMP_EQ", CRADLE_SECCOMP_OP_EQ},
        {"SCMP_CMP_GE", CRADLE_SECCOMP_OP_GE},
        {"SCMP_CMP_GT", CRADLE_SECCOMP_OP_GT},
        {"SCMP_CMP_MASKED_EQ", CRADLE_SECCOMP_OP_MASKED_EQ},
    };
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        char text[256];
        snprintf(text, sizeof(text),
                 "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"kill\"],"
                 " \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 5, \"value\": 1,"
                 " \"op\": \"%s\"}]}]}",
                 ops[i].name);
        _cleanup_spec_ struct cradle_spec *spec = parse_ok(text);
        CHECK(spec != NULL && spec->linux_.seccomp.syscalls[0].args[0].op == ops[i].op);
    }
}

/* As runc: a seccomp object with neither defaultAction nor syscalls means no filter. */
static void test_empty_means_no_filter(void)
{
    static const char *const empties[] = {"{}", "{\"defaultAction\": \"\"}",
                                          "{\"syscalls\": [], \"architectures\": []}"};
    for (size_t i = 0; i < sizeof(empties) / sizeof(empties[0]); i++) {
        _cleanup_spec_ struct cradle_spec *spec = parse_ok(empties[i]);
        CHECK(spec != NULL && !spec->linux_.has_seccomp);
    }
}

static void test_errors_name_the_path(void)
{
    CHECK_ERROR("{\"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]}",
                "linux.seccomp.defaultAction: missing");
    CHECK_ERROR("{\"defaultAction\": \"SCMP_ACT_DENY\"}",
                "linux.seccomp.defaultAction: unknown action \"SCMP_ACT_DENY\"");
    CHECK_ERROR("{\"defaultAction\": 1}", "linux.seccomp.defaultAction: expected string");
    CHECK_ERROR("{\"defaultAction\": \"SCMP_ACT_NOTIFY\"}",
                "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action");
    CHECK_ERROR("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
                "{\"names\": [\"a\"], \"action\": \"SCMP_ACT_ERRNO\"},"
                "{\"names\": [\"b\"], \"action\": \"SCMP_ACT_ERRNO\"},"
                "{\"names\": [\"c\"], \"action\": \"SCMP_ACT_ERRNO\"},"
                "{\"names\": [\"d\"], \"action\": \"SCMP_ACT_BLOCK\"}]}",
                "linux.seccomp.syscalls[3].action: unknown action \"SCMP_ACT_BLOCK\"");
    CHECK_ERROR("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"kill\"],"
                " \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"value\": 1,"
                " \"op\": \"SCMP_CMP_LIKE\"}]}]}",
                "linux.seccomp.syscalls[0].args[0].op: unknown operator \"SCMP_CMP_LIKE\"");
    CHECK_ERROR("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"kill\"],"
                " \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 6, \"value\": 1,"
                " \"op\": \"SCMP_CMP_EQ\"}]}]}",
                "linux.seccomp.syscalls[0].args[0].index: 6 is not a syscall argument index");
    CHECK_ERROR("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"kill\"],"
                " \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"op\": "
                "\"SCMP_CMP_EQ\"}]}]}",
                "linux.seccomp.syscalls[0].args[0].value: missing");
    CHECK_ERROR("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"kill\"],"
                " \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"value\": -1,"
                " \"op\": \"SCMP_CMP_EQ\"}]}]}",
                "linux.seccomp.syscalls[0].args[0].value: expected an unsigned 64-bit integer");
    CHECK_ERROR("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"action\": "
                "\"SCMP_ACT_ERRNO\"}]}",
                "linux.seccomp.syscalls[0].names: missing");
    CHECK_ERROR("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"\"],"
                " \"action\": \"SCMP_ACT_ERRNO\"}]}",
                "linux.seccomp.syscalls[0].names[0]: empty syscall name");
    CHECK_ERROR("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"kill\"],"
                " \"action\": \"SCMP_ACT_KILL\", \"errnoRet\": 1}]}",
                "linux.seccomp.syscalls[0].errnoRet: only valid with SCMP_ACT_ERRNO or "
                "SCMP_ACT_TRACE");
    CHECK_ERROR("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 70000}",
                "linux.seccomp.defaultErrnoRet: 70000 is larger than 65535");
    CHECK_ERROR("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"defaultErrnoRet\": 1}",
                "linux.seccomp.defaultErrnoRet: only valid with");
    CHECK_ERROR("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86_64\","
                " \"SCMP_ARCH_Z80\"]}",
                "linux.seccomp.architectures[1]: unknown architecture \"SCMP_ARCH_Z80\"");
    CHECK_ERROR(
        "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"SECCOMP_FILTER_FLAG_FAST\"]}",
        "linux.seccomp.flags[0]: unknown flag \"SECCOMP_FILTER_FLAG_FAST\"");
    CHECK_ERROR("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": {}}",
                "linux.seccomp.syscalls: expected array, got object");
    CHECK_ERROR("[]", "linux.seccomp: expected object, got array");
}

static void test_listener(void)
{
    _cleanup_spec_ struct cradle_spec *spec =
        parse_ok("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"/run/agent.sock\","
                 " \"listenerMetadata\": \"meta\","
                 " \"syscalls\": [{\"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}");
    CHECK(spec != NULL);
    if (spec == NULL)
        return;
    const struct cradle_spec_seccomp *sc = &spec->linux_.seccomp;
    CHECK_STREQ(sc->listener_path, "/run/agent.sock");
    CHECK_STREQ(sc->listener_metadata, "meta");
    CHECK(sc->syscalls[0].action == CRADLE_SECCOMP_ACT_NOTIFY);
    CHECK(cradle_seccomp_notifies(sc));
    /* An empty listenerPath is none, as in runc; no notify rule, no listener. */
    _cleanup_spec_ struct cradle_spec *empty =
        parse_ok("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"\", \"syscalls\": ["
                 "{\"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_ERRNO\"}]}");
    CHECK(empty != NULL && empty->linux_.seccomp.listener_path == NULL &&
          !cradle_seccomp_notifies(&empty->linux_.seccomp));
    CHECK_ERROR("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": 1}",
                "linux.seccomp.listenerPath");
    /* The filter builds with a notify rule (the listener flag goes to the kernel at load). */
    _cleanup_free_ char *built = build_error_of(
        "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"/a\","
        " \"flags\": [\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\", \"SECCOMP_FILTER_FLAG_TSYNC\"],"
        " \"syscalls\": [{\"names\": [\"mkdir\", \"mkdirat\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}");
    CHECK(built == NULL);
}

static void test_build(void)
{
    /* Unknown names are skipped; a rule equal to the default action is skipped; repeated
     * argument indexes become separate rules (runc); native arch listed again is fine. */
    _cleanup_free_ char *ok = build_error_of(
        "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38,"
        " \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"],"
        " \"flags\": [\"SECCOMP_FILTER_FLAG_TSYNC\", \"SECCOMP_FILTER_FLAG_LOG\"],"
        " \"syscalls\": ["
        "  {\"names\": [\"read\", \"no_such_syscall_at_all\"], \"action\": \"SCMP_ACT_ALLOW\"},"
        "  {\"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38},"
        "  {\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": ["
        "   {\"index\": 1, \"value\": 9, \"op\": \"SCMP_CMP_NE\"},"
        "   {\"index\": 1, \"value\": 15, \"op\": \"SCMP_CMP_NE\"}]},"
        "  {\"names\": [\"personality\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": ["
        "   {\"index\": 0, \"value\": 255, \"valueTwo\": 8, \"op\": \"SCMP_CMP_MASKED_EQ\"}]}]}");
    CHECK(ok == NULL);
    if (ok != NULL)
        fprintf(stderr, "unexpected build error: %s\n", ok);

    _cleanup_free_ char *waitkill =
        build_error_of("{\"defaultAction\": \"SCMP_ACT_ALLOW\","
                       " \"flags\": [\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"]}");
    CHECK(waitkill == NULL ||
          strstr(waitkill, "linux.seccomp.flags: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV") != NULL);
}

RUN_TESTS(test_full_profile, test_every_action_and_operator, test_empty_means_no_filter,
          test_errors_name_the_path, test_listener, test_build)
