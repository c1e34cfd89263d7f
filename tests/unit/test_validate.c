/* cradle_spec_validate: every check of the validation pass, each error naming its field,
 * and the sysctl key forms. */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"
#include "cradle/log.h"
#include "cradle/seccomp.h"
#include "cradle/spec.h"
#include "harness.h"
#include "spec_documents.h"

/* The validation error for a document made of `extra`, or NULL when it passes. */
static char *validate_error_of(const char *extra)
{
    _cleanup_free_ char *doc = spec_document(extra);
    return spec_validate_error_of_text(doc);
}

#define CHECK_INVALID(extra, expected)                                                             \
    do {                                                                                           \
        _cleanup_free_ char *_msg = validate_error_of(extra);                                      \
        CHECK_CONTAINS(_msg, expected);                                                            \
    } while (0)

#define CHECK_VALID(extra)                                                                         \
    do {                                                                                           \
        _cleanup_free_ char *_msg = validate_error_of(extra);                                      \
        if (_msg)                                                                                  \
            fprintf(stderr, "unexpected: %s\n", _msg);                                             \
        CHECK(_msg == NULL);                                                                       \
    } while (0)

#define NS(types)        "\"linux\": {\"namespaces\": [" types "]"
#define SYSCTL(key)      ", \"sysctl\": {\"" key "\": \"1\"}}"
#define WITH(types, key) NS(types) SYSCTL(key)
#define IPC              "{\"type\": \"ipc\"}"
#define NET              "{\"type\": \"network\"}"
#define UTS              "{\"type\": \"uts\"}"
#define MNT              "{\"type\": \"mount\"}"

static void test_sysctl_key_forms(void)
{
    static const struct {
        const char *key, *name, *path;
    } cases[] = {
        {"net.ipv4.ip_forward", "net.ipv4.ip_forward", "net/ipv4/ip_forward"},
        {"net/ipv4/ip_forward", "net.ipv4.ip_forward", "net/ipv4/ip_forward"},
        {"net.ipv4.conf.eth0/100.forwarding", "net.ipv4.conf.eth0/100.forwarding",
         "net/ipv4/conf/eth0.100/forwarding"},
        {"net/ipv4/conf/eth0.100/forwarding", "net.ipv4.conf.eth0/100.forwarding",
         "net/ipv4/conf/eth0.100/forwarding"},
        {"kernel", "kernel", "kernel"},
        {"", "", ""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        _cleanup_free_ char *name = cradle_sysctl_name(cases[i].key);
        _cleanup_free_ char *path = cradle_sysctl_path(cases[i].key);
        CHECK_STREQ(name, cases[i].name);
        CHECK_STREQ(path, cases[i].path);
    }
}

/* runc's list: IPC keys need a private ipc namespace. */
static void test_sysctl_ipc(void)
{
    static const char *const keys[] = {
        "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni",          "kernel.sem",
        "kernel.shmall", "kernel.shmmax", "kernel.shm_rmid_forced", "fs.mqueue.queues_max",
    };
    char extra[256], expected[128];
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        snprintf(extra, sizeof(extra), NS(NET) ", \"sysctl\": {\"%s\": \"1\"}}", keys[i]);
        snprintf(expected, sizeof(expected),
                 "linux.sysctl: sysctl \"%s\" is not allowed in the hosts ipc namespace", keys[i]);
        CHECK_INVALID(extra, expected);
        snprintf(extra, sizeof(extra), NS(IPC) ", \"sysctl\": {\"%s\": \"1\"}}", keys[i]);
        CHECK_VALID(extra);
    }
    /* Only runc's list: other kernel.msg* or kernel.shm* keys are not namespaced. */
    CHECK_INVALID(WITH(IPC, "kernel.shm_next_id.x"),
                  "sysctl \"kernel.shm_next_id.x\" is not in a separate kernel namespace");
}

static void test_sysctl_net(void)
{
    CHECK_INVALID(WITH(IPC, "net.ipv4.ip_forward"),
                  "linux.sysctl: sysctl \"net.ipv4.ip_forward\" not allowed in host network "
                  "namespace");
    CHECK_VALID(WITH(NET, "net.ipv4.ip_forward"));
    /* A path naming the runtime's own network namespace is the host's. */
    CHECK_INVALID(
        WITH("{\"type\": \"network\", \"path\": \"/proc/self/ns/net\"}", "net.ipv4.ip_forward"),
        "not allowed in host network namespace");
    CHECK_INVALID(
        WITH("{\"type\": \"network\", \"path\": \"/nonexistent/net\"}", "net.core.somaxconn"),
        "linux.sysctl: invalid netns path: stat /nonexistent/net: No such file");
    /* Another namespace file (not the runtime's netns): runc's rule only compares. */
    CHECK_VALID(
        WITH("{\"type\": \"network\", \"path\": \"/proc/self/ns/ipc\"}", "net.ipv4.ip_forward"));
    /* Without a net.* key the path is not looked at. */
    CHECK_VALID(
        WITH("{\"type\": \"network\", \"path\": \"/nonexistent/net\"}, " IPC, "kernel.sem"));
}

static void test_sysctl_uts(void)
{
    CHECK_VALID(WITH(UTS, "kernel.domainname"));
    CHECK_INVALID(WITH(IPC, "kernel.domainname"),
                  "sysctl \"kernel.domainname\" is not in a separate kernel namespace");
    CHECK_INVALID(WITH(UTS, "kernel.hostname"),
                  "linux.sysctl: sysctl \"kernel.hostname\" is not allowed as it conflicts with "
                  "the OCI \"hostname\" field");
    CHECK_INVALID(WITH(IPC, "kernel.hostname"),
                  "sysctl \"kernel.hostname\" is not in a separate kernel namespace");
    /* A path naming the runtime's own uts or ipc namespace is the host's. */
    CHECK_INVALID(WITH("{\"type\": \"uts\", \"path\": \"/proc/self/ns/uts\"}", "kernel.domainname"),
                  "sysctl \"kernel.domainname\" is not in a separate kernel namespace");
    CHECK_INVALID(WITH("{\"type\": \"ipc\", \"path\": \"/proc/self/ns/ipc\"}", "kernel.msgmax"),
                  "sysctl \"kernel.msgmax\" is not allowed in the hosts ipc namespace");
    CHECK_VALID(WITH("{\"type\": \"ipc\", \"path\": \"/proc/self/ns/net\"}", "kernel.msgmax"));
    CHECK_INVALID(
        "\"hostname\": \"h\", " NS("{\"type\": \"uts\", \"path\": \"/proc/self/ns/uts\"}") "}",
        "hostname: unable to set hostname without a private UTS namespace");
}

static void test_sysctl_not_namespaced(void)
{
    static const char *const keys[] = {"kernel.printk_ratelimit", "kernel.core_pattern",
                                       "vm.overcommit_memory", "kernel/core_pattern", ""};
    char extra[256], expected[128];
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        snprintf(extra, sizeof(extra),
                 NS(IPC "," NET "," UTS "," MNT) ", \"sysctl\": {\"%s\": \"1\"}}", keys[i]);
        _cleanup_free_ char *name = cradle_sysctl_name(keys[i]);
        snprintf(expected, sizeof(expected),
                 "linux.sysctl: sysctl \"%s\" is not in a separate kernel namespace", name);
        CHECK_INVALID(extra, expected);
    }
}

/* Keys allowed by namespace must still name a file below /proc/sys. */
static void test_sysctl_key_paths(void)
{
    static const char *const bad[] = {
        "net.ipv4..conf", "net.ipv4.conf.", "net/../kernel/core_pattern",   "net/./ipv4/ip_forward",
        "net.",           "fs.mqueue.",     "net.ipv4.conf.lo/..forwarding"};
    char extra[256];
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(extra, sizeof(extra), NS(IPC "," NET) ", \"sysctl\": {\"%s\": \"1\"}}", bad[i]);
        CHECK_INVALID(extra, "does not name a file below /proc/sys");
    }
    CHECK_VALID(WITH(NET, "net.ipv4.conf.eth0/100.forwarding"));
    CHECK_VALID(WITH(NET, "net/ipv4/conf/eth0.100/forwarding"));
    CHECK_VALID(WITH(NET, "net.ipv4.conf.lo.forwarding"));
}

static void test_hostname_needs_uts(void)
{
    CHECK_INVALID("\"hostname\": \"h\"",
                  "hostname: unable to set hostname without a private UTS namespace");
    CHECK_INVALID("\"domainname\": \"d\", " NS(IPC) "}",
                  "domainname: unable to set domainname without a private UTS namespace");
    CHECK_VALID("\"hostname\": \"h\", \"domainname\": \"d\", " NS(UTS) "}");
    CHECK_VALID("\"hostname\": \"\"");
}

static void test_id_mappings_need_user_namespace(void)
{
    const char *map = "[{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}]";
    char extra[512];
    snprintf(extra, sizeof(extra), "\"linux\": {\"uidMappings\": %s, \"gidMappings\": %s}", map,
             map);
    CHECK_INVALID(extra, "linux.uidMappings: user namespace mappings specified, but USER "
                         "namespace isn't enabled");
    snprintf(extra, sizeof(extra),
             "\"linux\": {\"namespaces\": [{\"type\": \"user\"}], \"uidMappings\": %s}", map);
    CHECK_INVALID(extra, "linux.uidMappings/gidMappings: a new user namespace needs both");
    snprintf(extra, sizeof(extra),
             "\"linux\": {\"namespaces\": [{\"type\": \"user\"}], \"uidMappings\": %s,"
             " \"gidMappings\": %s}",
             map, map);
    CHECK_VALID(extra);
    CHECK_VALID(
        "\"linux\": {\"namespaces\": [{\"type\": \"user\", \"path\": \"/proc/1/ns/user\"}]}");
}

static void test_duplicate_namespaces(void)
{
    CHECK_INVALID(NS(IPC "," NET "," IPC) "}",
                  "linux.namespaces[2].type: duplicate namespace type \"ipc\"");
}

static void test_restricted_paths_need_mount_namespace(void)
{
    CHECK_INVALID(NS(IPC) ", \"maskedPaths\": [\"/proc/kcore\"]}",
                  "linux.maskedPaths: unable to restrict sys entries without a private MNT "
                  "namespace");
    CHECK_INVALID(NS(IPC) ", \"readonlyPaths\": [\"/proc/sys\"]}",
                  "linux.readonlyPaths: unable to restrict sys entries");
    CHECK_VALID(NS(MNT) ", \"maskedPaths\": [\"/proc/kcore\"], \"readonlyPaths\": [\"/proc\"]}");
}

static void test_rlimits(void)
{
    CHECK_INVALID("\"process\": {\"args\": [\"sh\"], \"rlimits\": [{\"type\": \"RLIMIT_AS\","
                  " \"soft\": 10, \"hard\": 5}]}",
                  "process.rlimits[0]: soft limit 10 is above hard limit 5");
    CHECK_INVALID(
        "\"process\": {\"args\": [\"sh\"], \"rlimits\": [{\"type\": \"RLIMIT_CPU\","
        " \"soft\": 1, \"hard\": 1}, {\"type\": \"RLIMIT_CPU\", \"soft\": 1, \"hard\": 1}]}",
        "process.rlimits[1].type: duplicate rlimit type \"RLIMIT_CPU\"");
    CHECK_VALID("\"process\": {\"args\": [\"sh\"], \"rlimits\": [{\"type\": \"RLIMIT_NOFILE\","
                " \"soft\": 5, \"hard\": 5}]}");
}

#define DEVICE(fields) "\"linux\": {\"devices\": [{\"path\": \"/dev/x\", " fields "}]}"

static void test_device_numbers(void)
{
    CHECK_VALID(DEVICE("\"type\": \"c\", \"major\": 4095, \"minor\": 1048575"));
    CHECK_INVALID(DEVICE("\"type\": \"c\", \"major\": 4096, \"minor\": 1"),
                  "linux.devices[0].major: 4096 is out of range (0 to 4095)");
    CHECK_INVALID(DEVICE("\"type\": \"b\", \"major\": 8, \"minor\": 1048576"),
                  "linux.devices[0].minor: 1048576 is out of range (0 to 1048575)");
    CHECK_INVALID(DEVICE("\"type\": \"c\", \"major\": -1, \"minor\": 3"),
                  "linux.devices[0].major: -1 is out of range");
    CHECK_INVALID(DEVICE("\"type\": \"u\", \"major\": 4294967297, \"minor\": 3"),
                  "linux.devices[0].major: 4294967297 is out of range");
    CHECK_VALID(DEVICE("\"type\": \"p\""));
}

static void test_device_rule_numbers(void)
{
    CHECK_VALID("\"linux\": {\"resources\": {\"devices\": [{\"allow\": false},"
                " {\"allow\": true, \"type\": \"c\", \"major\": 4095, \"minor\": -1}]}}");
    CHECK_INVALID("\"linux\": {\"resources\": {\"devices\": [{\"allow\": false},"
                  " {\"allow\": true, \"type\": \"c\", \"major\": 1, \"minor\": -5}]}}",
                  "linux.resources.devices[1].minor: -5 is out of range (0 to 1048575)");
    CHECK_INVALID("\"linux\": {\"resources\": {\"devices\": [{\"allow\": true,"
                  " \"type\": \"b\", \"major\": 4096}]}}",
                  "linux.resources.devices[0].major: 4096 is out of range");
}

static void test_device_file_mode(void)
{
    CHECK_VALID(DEVICE("\"type\": \"c\", \"major\": 1, \"minor\": 3, \"fileMode\": 438"));
    CHECK_INVALID(DEVICE("\"type\": \"c\", \"major\": 1, \"minor\": 3, \"fileMode\": 2541"),
                  "linux.devices[0].fileMode: 04755 has bits beyond 0777");
    CHECK_INVALID(DEVICE("\"type\": \"c\", \"major\": 1, \"minor\": 3, \"fileMode\": 1512"),
                  "linux.devices[0].fileMode: 02750 has bits beyond 0777");
    CHECK_INVALID(DEVICE("\"type\": \"p\", \"fileMode\": 1023"),
                  "linux.devices[0].fileMode: 01777 has bits beyond 0777");
    /* S_IFCHR | 0666 repeats the type: accepted; S_IFBLK on a char device is not. */
    CHECK_VALID(DEVICE("\"type\": \"c\", \"major\": 1, \"minor\": 3, \"fileMode\": 8630"));
    CHECK_INVALID(DEVICE("\"type\": \"c\", \"major\": 1, \"minor\": 3, \"fileMode\": 25014"),
                  "linux.devices[0].fileMode: 060666 has file type bits that are not those of "
                  "type \"c\"");
}

static void test_device_path(void)
{
    CHECK_INVALID("\"linux\": {\"devices\": [{\"path\": \"/dev/..\", \"type\": \"c\","
                  " \"major\": 1, \"minor\": 3}]}",
                  "linux.devices[0].path: \"/dev/..\" names no file");
}

static void test_cgroups_path(void)
{
    CHECK_INVALID("\"linux\": {\"cgroupsPath\": \"/a/../../etc\"}",
                  "linux.cgroupsPath \"/a/../../etc\": \"..\" is not allowed");
    CHECK_INVALID("\"linux\": {\"cgroupsPath\": \"..\"}", "\"..\" is not allowed");
    static const char *const roots[] = {"/", "//", ".", "./", "/./."};
    char extra[128];
    for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
        snprintf(extra, sizeof(extra), "\"linux\": {\"cgroupsPath\": \"%s\"}", roots[i]);
        CHECK_INVALID(extra, "names an existing cgroup that is not the container's own");
    }
    CHECK_VALID("\"linux\": {\"cgroupsPath\": \"\"}");
    CHECK_VALID("\"linux\": {\"cgroupsPath\": \"/machine/./ctr..x/\"}");
    CHECK_VALID("\"linux\": {\"cgroupsPath\": \"a/...\"}");
}

static void test_mounts(void)
{
    const char *one = "{\"destination\": \"/m\", \"type\": \"tmpfs\"},";
    _cleanup_free_ char *many = malloc(16 + (CRADLE_SPEC_MAX_MOUNTS + 1) * strlen(one));
    if (many == NULL)
        return;
    char *end = stpcpy(many, "\"mounts\": [");
    for (int i = 0; i <= CRADLE_SPEC_MAX_MOUNTS; i++)
        end = stpcpy(end, one);
    end[-1] = ']';
    CHECK_INVALID(many, "mounts: 4097 entries, more than the 4096 cradle sets up");

    CHECK_INVALID("\"mounts\": [{\"destination\": \"/a\", \"type\": \"tmpfs\"},"
                  " {\"destination\": \"/b\", \"options\": [\"rbind\"]}]",
                  "mounts[1].source: missing for a bind mount of /b");
    CHECK_INVALID("\"mounts\": [{\"destination\": \"/a\", \"source\": \"/tmp\"}]",
                  "mounts[0].type: missing, and /a is not a bind mount");
    CHECK_VALID("\"mounts\": [{\"destination\": \"/a\", \"type\": \"bind\", \"source\": \"/t\"},"
                " {\"destination\": \"/b\", \"source\": \"/t\", \"options\": [\"bind\"]},"
                " {\"destination\": \"/c\", \"type\": \"proc\"}]");
}

/* The container-level part of the pass: what the linked libseccomp supports. */
static char *seccomp_support_error_of(const char *seccomp)
{
    char extra[512];
    snprintf(extra, sizeof(extra), "\"linux\": {\"seccomp\": %s}", seccomp);
    _cleanup_free_ char *doc = spec_document(extra);
    _cleanup_spec_ struct cradle_spec *spec = spec_parse_text_ok(doc);
    _cleanup_error_ cradle_error *err = NULL;
    if (spec == NULL)
        return strdup("(did not parse)");
    if (cradle_seccomp_check_supported(&spec->linux_.seccomp, &err) == 0)
        return NULL;
    return cradle_error_text(err);
}

static void test_seccomp_support(void)
{
    _cleanup_free_ char *native = seccomp_support_error_of(
        "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86_64\","
        " \"SCMP_ARCH_X86\", \"SCMP_ARCH_AARCH64\"]}");
    CHECK(native == NULL);
    /* LoongArch came with libseccomp 2.5.5/2.6. */
    _cleanup_free_ char *loong = seccomp_support_error_of(
        "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_LOONGARCH64\"]}");
    CHECK(loong == NULL || strstr(loong, "linux.seccomp.architectures: SCMP_ARCH_LOONGARCH64 is "
                                         "not supported by libseccomp") != NULL);
    /* cradle loads the program with seccomp(2): the kernel flag needs no libseccomp 2.6. */
    _cleanup_free_ char *waitkill =
        seccomp_support_error_of("{\"defaultAction\": \"SCMP_ACT_ALLOW\","
                                 " \"flags\": [\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"]}");
    CHECK(waitkill == NULL);
}

#define NOTIFY_PROFILE(listener, names)                                                            \
    "\"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ALLOW\"" listener                     \
    ", \"syscalls\": [{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ERRNO\"},"                  \
    " {\"names\": " names ", \"action\": \"SCMP_ACT_NOTIFY\"}]}}"

/* SCMP_ACT_NOTIFY against its listener, with runc's rules (spec/validate_seccomp.c). */
static void test_seccomp_notify(void)
{
    CHECK_VALID(NOTIFY_PROFILE(", \"listenerPath\": \"/run/agent.sock\"", "[\"mkdir\"]"));
    CHECK_INVALID(NOTIFY_PROFILE("", "[\"mkdir\"]"),
                  "linux.seccomp.syscalls[1].action: SCMP_ACT_NOTIFY needs an agent, but "
                  "linux.seccomp.listenerPath is not set");
    CHECK_INVALID(NOTIFY_PROFILE(", \"listenerPath\": \"\"", "[\"mkdir\"]"),
                  "linux.seccomp.listenerPath is not set");
    CHECK_INVALID(NOTIFY_PROFILE(", \"listenerPath\": \"/a\"", "[\"mkdir\", \"write\"]"),
                  "linux.seccomp.syscalls[1].names[1]: SCMP_ACT_NOTIFY cannot be used for the "
                  "write syscall");
    CHECK_INVALID(NOTIFY_PROFILE(", \"listenerPath\": \"/a\"", "[\"sendmsg\"]"),
                  "linux.seccomp.syscalls[1].names[0]: SCMP_ACT_NOTIFY cannot be used for the "
                  "sendmsg syscall");
    CHECK_INVALID(
        NOTIFY_PROFILE(", \"listenerPath\": \"/"
                       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"",
                       "[\"mkdir\"]"),
        "is longer than a unix socket path can be (107 bytes)");
    /* A listener without a notify rule is unused (runc 1.1.5 runs it). */
    CHECK_VALID("\"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ALLOW\","
                " \"listenerPath\": \"/a\"}}");
}

static char warnings[1024];

static void collect_warning(enum cradle_log_level level, const char *msg, void *data)
{
    (void)data;
    if (level == CRADLE_LOG_WARNING)
        snprintf(warnings + strlen(warnings), sizeof(warnings) - strlen(warnings), "%s\n", msg);
}

static uint64_t validated_ambient(const char *user)
{
    char extra[512];
    snprintf(extra, sizeof(extra),
             "\"process\": {\"args\": [\"sh\"], \"user\": %s, \"capabilities\": {"
             " \"permitted\": [\"CAP_KILL\", \"CAP_CHOWN\", \"CAP_NET_RAW\"],"
             " \"inheritable\": [\"CAP_KILL\", \"CAP_NET_BIND_SERVICE\"],"
             " \"ambient\": [\"CAP_KILL\", \"CAP_CHOWN\", \"CAP_NET_BIND_SERVICE\"]}}",
             user);
    _cleanup_free_ char *doc = spec_document(extra);
    _cleanup_spec_ struct cradle_spec *spec = spec_parse_text_ok(doc);
    _cleanup_error_ cradle_error *err = NULL;
    warnings[0] = '\0';
    CHECK(spec && cradle_spec_validate(spec, &err) == 0);
    return spec ? spec->process.capabilities.ambient : 0;
}

/* runc and crun run a spec whose ambient set is not inheritable: the capabilities that
 * cannot be raised are dropped, with a warning for a non-root user. */
static void test_ambient_capabilities_dropped(void)
{
    cradle_log_set_handler(collect_warning, NULL, CRADLE_LOG_WARNING);
    uint64_t kill = UINT64_C(1) << cradle_cap_from_name("CAP_KILL");

    CHECK(validated_ambient("{\"uid\": 42}") == kill);
    CHECK_CONTAINS(warnings, "can't raise ambient capability CAP_CHOWN: it is not in "
                             "process.capabilities.inheritable");
    CHECK_CONTAINS(warnings, "can't raise ambient capability CAP_NET_BIND_SERVICE: it is not "
                             "in process.capabilities.permitted");
    CHECK(strstr(warnings, "CAP_KILL") == NULL);

    CHECK(validated_ambient("{\"uid\": 0}") == kill);
    CHECK_STREQ(warnings, "");
    cradle_log_set_handler(NULL, NULL, CRADLE_LOG_WARNING);
}

RUN_TESTS(test_sysctl_key_forms, test_sysctl_ipc, test_sysctl_net, test_sysctl_uts,
          test_sysctl_not_namespaced, test_sysctl_key_paths, test_hostname_needs_uts,
          test_id_mappings_need_user_namespace, test_duplicate_namespaces,
          test_restricted_paths_need_mount_namespace, test_rlimits, test_device_numbers,
          test_device_rule_numbers, test_device_file_mode, test_device_path, test_cgroups_path,
          test_mounts, test_seccomp_support, test_seccomp_notify, test_ambient_capabilities_dropped)
