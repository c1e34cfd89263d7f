/* config.json parsing: fields, defaults, every error form, the runtime-spec 1.2 fields. */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>

#include "cradle/cleanup.h"
#include "cradle/spec.h"
#include "harness.h"
#include "spec_documents.h"

static struct cradle_spec *parse_ok(const char *extra)
{
    _cleanup_free_ char *doc = spec_document(extra);
    return spec_parse_text_ok(doc);
}

static char *error_of(const char *extra)
{
    _cleanup_free_ char *doc = spec_document(extra);
    return spec_error_of_text(doc);
}

#define CHECK_ERROR(extra, expected)                                                               \
    do {                                                                                           \
        _cleanup_free_ char *_msg = error_of(extra);                                               \
        CHECK_CONTAINS(_msg, expected);                                                            \
    } while (0)

static void test_minimal_document(void)
{
    _cleanup_spec_ struct cradle_spec *spec = parse_ok("");
    CHECK(spec != NULL);
    if (spec == NULL)
        return;
    CHECK_STREQ(spec->oci_version, "1.0.2");
    CHECK_STREQ(spec->root_path, "rootfs");
    CHECK(!spec->root_readonly);
    CHECK(!spec->has_process);
    CHECK(!spec->has_linux);
    CHECK(spec->hostname == NULL);
    CHECK(spec->n_mounts == 0);
}

static void test_process_fields_and_defaults(void)
{
    _cleanup_spec_ struct cradle_spec *spec =
        parse_ok("\"process\": {\"terminal\": true, \"args\": [\"sh\", \"-c\", \"true\"],"
                 " \"env\": [\"A=1\"], \"user\": {\"additionalGids\": [5, 6], \"umask\": 18},"
                 " \"consoleSize\": {\"height\": 24, \"width\": 80}, \"oomScoreAdj\": -500,"
                 " \"noNewPrivileges\": true, \"futureField\": {\"x\": 1},"
                 " \"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"soft\": 1024, \"hard\": 4096}],"
                 " \"capabilities\": {\"bounding\": [\"CAP_CHOWN\", \"CAP_KILL\"],"
                 "   \"ambient\": [\"CAP_NET_BIND_SERVICE\"]}}");
    CHECK(spec != NULL);
    if (spec == NULL)
        return;
    const struct cradle_spec_process *p = &spec->process;
    CHECK(spec->has_process);
    CHECK(p->terminal);
    CHECK(p->n_args == 3 && p->args[3] == NULL);
    CHECK_STREQ(p->args[2], "true");
    CHECK(p->n_env == 1);
    CHECK_STREQ(p->cwd, "/");
    CHECK(p->user.uid == 0 && p->user.gid == 0);
    CHECK(p->user.n_additional_gids == 2 && p->user.additional_gids[1] == 6);
    CHECK(p->user.has_umask && p->user.umask == 18);
    CHECK(p->has_console_size && p->console_height == 24 && p->console_width == 80);
    CHECK(p->has_oom_score_adj && p->oom_score_adj == -500);
    CHECK(p->no_new_privileges);
    CHECK(p->n_rlimits == 1 && p->rlimits[0].resource == RLIMIT_NOFILE);
    CHECK(p->rlimits[0].soft == 1024 && p->rlimits[0].hard == 4096);
    CHECK_STREQ(p->rlimits[0].name, "RLIMIT_NOFILE");
    CHECK(p->has_capabilities);
    CHECK(p->capabilities.bounding == ((1ULL << 0) | (1ULL << 5)));
    CHECK(p->capabilities.ambient == (1ULL << 10));
    CHECK(p->capabilities.effective == 0);
}

static void test_env_defaults_to_empty_array(void)
{
    _cleanup_spec_ struct cradle_spec *spec = parse_ok("\"process\": {\"args\": [\"sh\"]}");
    CHECK(spec && spec->process.env && spec->process.env[0] == NULL);
    CHECK(spec && spec->process.n_env == 0);
}

static void test_invalid_json(void)
{
    _cleanup_free_ char *msg = spec_error_of_text("{\n\"ociVersion\": \"1\",\n\"root\": [1,,]}");
    CHECK_CONTAINS(msg, "config.json: invalid JSON: ");
    CHECK_CONTAINS(msg, "at line 3");
    _cleanup_free_ char *truncated = spec_error_of_text("{\"ociVersion\": ");
    CHECK_CONTAINS(truncated, "config.json: invalid JSON: unexpected end of input");
    _cleanup_free_ char *trailing = spec_error_of_text("{\"ociVersion\": \"1\"} x");
    CHECK_CONTAINS(trailing, "config.json: invalid JSON: ");
    _cleanup_free_ char *array = spec_error_of_text("[]");
    CHECK_CONTAINS(array, "config.json: expected object, got array");
}

static void test_required_fields(void)
{
    _cleanup_free_ char *no_version = spec_error_of_text("{\"root\": {\"path\": \"r\"}}");
    CHECK_CONTAINS(no_version, "ociVersion: missing");
    _cleanup_free_ char *no_root = spec_error_of_text("{\"ociVersion\": \"1\"}");
    CHECK_CONTAINS(no_root, "root: missing");
    _cleanup_free_ char *no_path = spec_error_of_text("{\"ociVersion\": \"1\", \"root\": {}}");
    CHECK_CONTAINS(no_path, "root.path: missing");
    _cleanup_free_ char *bad_version = spec_error_of_text("{\"ociVersion\": 1, \"root\": {}}");
    CHECK_CONTAINS(bad_version, "ociVersion: expected string, got number");
}

static void test_type_errors_name_the_path(void)
{
    CHECK_ERROR("\"process\": {\"args\": [\"sh\"], \"user\": {\"uid\": \"0\"}}",
                "process.user.uid: expected an unsigned 32-bit integer, got string");
    CHECK_ERROR("\"process\": {\"args\": [\"sh\"], \"user\": {\"gid\": -1}}",
                "process.user.gid: expected an unsigned 32-bit integer, got -1");
    CHECK_ERROR("\"process\": {\"args\": [\"sh\"], \"user\": {\"uid\": 4294967296}}",
                "process.user.uid: expected an unsigned 32-bit integer");
    CHECK_ERROR("\"process\": {\"args\": [\"sh\"], \"terminal\": 1}",
                "process.terminal: expected boolean, got number");
    CHECK_ERROR("\"mounts\": [{\"destination\": \"/a\"}, {\"destination\": \"/b\"},"
                " {\"destination\": \"/c\", \"options\": [7]}]",
                "mounts[2].options[0]: expected string, got number");
    CHECK_ERROR("\"process\": {\"args\": [\"sh\", false]}",
                "process.args[1]: expected string, got boolean");
    CHECK_ERROR("\"hostname\": {}", "hostname: expected string, got object");
    CHECK_ERROR("\"linux\": []", "linux: expected object, got array");
}

static void test_process_rules(void)
{
    CHECK_ERROR("\"process\": {}", "process.args: missing");
    CHECK_ERROR("\"process\": {\"args\": []}", "process.args: must be a non-empty array");
    CHECK_ERROR("\"process\": {\"args\": [\"sh\"], \"cwd\": \"tmp\"}",
                "process.cwd: must be an absolute path");
}

static void test_capability_errors(void)
{
    CHECK_ERROR("\"process\": {\"args\": [\"sh\"], \"capabilities\": {\"bounding\":"
                " [\"CAP_CHOWN\", \"CAP_KILL\", \"CAP_SYS_ADMIN\", \"CAP_FOO\"]}}",
                "process.capabilities.bounding[3]: unknown capability \"CAP_FOO\"");
    CHECK_ERROR("\"process\": {\"args\": [\"sh\"], \"capabilities\": {\"effective\": \"x\"}}",
                "process.capabilities.effective: expected array, got string");

    /* Only testable on a kernel older than cradle's table. */
    int last = cradle_cap_last_cap();
    if (last < 40) {
        char extra[256];
        snprintf(extra, sizeof(extra),
                 "\"process\": {\"args\": [\"sh\"], \"capabilities\": {\"permitted\": [\"%s\"]}}",
                 cradle_cap_name(last + 1));
        CHECK_ERROR(extra, "not supported by the running kernel");
    }
}

static void test_capability_names(void)
{
    CHECK(cradle_cap_from_name("CAP_CHOWN") == 0);
    CHECK(cradle_cap_from_name("CAP_SYS_ADMIN") == 21);
    CHECK(cradle_cap_from_name("CAP_CHECKPOINT_RESTORE") == 40);
    CHECK(cradle_cap_from_name("CAP_NOPE") == -1);
    CHECK_STREQ(cradle_cap_name(38), "CAP_PERFMON");
    CHECK(cradle_cap_name(41) == NULL);
    CHECK(cradle_cap_name(-1) == NULL);
    for (int cap = 0; cap <= 40; cap++)
        CHECK(cradle_cap_from_name(cradle_cap_name(cap)) == cap);
    CHECK(cradle_cap_last_cap() >= 0);
}

static void test_rlimit_errors(void)
{
    CHECK_ERROR(
        "\"process\": {\"args\": [\"sh\"], \"rlimits\": [{\"type\": \"RLIMIT_CPU\","
        " \"soft\": 1, \"hard\": 1}, {\"type\": \"RLIMIT_FOO\", \"soft\": 1, \"hard\": 1}]}",
        "process.rlimits[1].type: unknown rlimit type \"RLIMIT_FOO\"");
    CHECK_ERROR("\"process\": {\"args\": [\"sh\"], \"rlimits\": [{\"type\": \"RLIMIT_AS\","
                " \"hard\": 5}]}",
                "process.rlimits[0].soft: missing");
}

static void test_rlimit_infinity(void)
{
    _cleanup_spec_ struct cradle_spec *spec =
        parse_ok("\"process\": {\"args\": [\"sh\"], \"rlimits\": [{\"type\": \"RLIMIT_RTTIME\","
                 " \"soft\": 18446744073709551615, \"hard\": 18446744073709551615}]}");
    CHECK(spec && spec->process.rlimits[0].hard == UINT64_MAX);
    CHECK(spec && spec->process.rlimits[0].resource == RLIMIT_RTTIME);
}

static void test_namespaces(void)
{
    _cleanup_spec_ struct cradle_spec *spec =
        parse_ok("\"linux\": {\"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"network\","
                 " \"path\": \"/proc/1/ns/net\"}, {\"type\": \"time\"}, {\"type\": \"cgroup\"}]}");
    CHECK(spec != NULL);
    if (spec == NULL)
        return;
    CHECK(spec->has_linux);
    const struct cradle_spec_namespace *net = cradle_spec_find_namespace(spec, CLONE_NEWNET);
    CHECK(net && net->path && strcmp(net->path, "/proc/1/ns/net") == 0);
    CHECK(cradle_spec_find_namespace(spec, CLONE_NEWPID) != NULL);
    CHECK(cradle_spec_find_namespace(spec, CLONE_NEWTIME) != NULL);
    CHECK(cradle_spec_find_namespace(spec, CLONE_NEWCGROUP) != NULL);
    CHECK(cradle_spec_find_namespace(spec, CLONE_NEWUSER) == NULL);

    CHECK_ERROR("\"linux\": {\"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"foo\"}]}",
                "linux.namespaces[1].type: unknown namespace type \"foo\"");
    CHECK_ERROR("\"linux\": {\"namespaces\": [{\"type\": \"uts\", \"path\": \"ns/uts\"}]}",
                "linux.namespaces[0].path: must be an absolute path");
}

static void test_id_mappings(void)
{
    _cleanup_spec_ struct cradle_spec *spec =
        parse_ok("\"linux\": {\"uidMappings\": [{\"containerID\": 0, \"hostID\": 1000,"
                 " \"size\": 65536}], \"gidMappings\": [{\"containerID\": 0, \"hostID\": 100,"
                 " \"size\": 1}, {\"containerID\": 1, \"hostID\": 200000, \"size\": 10}]}");
    CHECK(spec && spec->linux_.n_uid_mappings == 1);
    CHECK(spec && spec->linux_.uid_mappings[0].host_id == 1000);
    CHECK(spec && spec->linux_.uid_mappings[0].size == 65536);
    CHECK(spec && spec->linux_.n_gid_mappings == 2);
    CHECK(spec && spec->linux_.gid_mappings[1].container_id == 1);
    CHECK_ERROR("\"linux\": {\"uidMappings\": [{\"containerID\": 0, \"hostID\": 0}]}",
                "linux.uidMappings[0].size: missing");
}

static void test_devices(void)
{
    _cleanup_spec_ struct cradle_spec *spec = parse_ok(
        "\"linux\": {\"devices\": [{\"path\": \"/dev/fuse\", \"type\": \"c\", \"major\": 10,"
        " \"minor\": 229, \"fileMode\": 438, \"uid\": 0}, {\"path\": \"/dev/fifo\","
        " \"type\": \"p\"}]}");
    CHECK(spec != NULL);
    if (spec == NULL)
        return;
    const struct cradle_spec_device *fuse = &spec->linux_.devices[0];
    CHECK(spec->linux_.n_devices == 2);
    CHECK(fuse->type == 'c' && fuse->major == 10 && fuse->minor == 229);
    CHECK(fuse->has_file_mode && fuse->file_mode == 0666);
    CHECK(fuse->has_uid && !fuse->has_gid);
    CHECK(spec->linux_.devices[1].type == 'p');

    CHECK_ERROR("\"linux\": {\"devices\": [{\"path\": \"/dev/x\", \"type\": \"z\", \"major\": 1,"
                " \"minor\": 1}]}",
                "linux.devices[0].type: unknown device type \"z\"");
    CHECK_ERROR("\"linux\": {\"devices\": [{\"path\": \"dev/x\", \"type\": \"c\"}]}",
                "linux.devices[0].path: must be an absolute path");
    CHECK_ERROR("\"linux\": {\"devices\": [{\"path\": \"/dev/x\", \"type\": \"b\","
                " \"major\": 8}]}",
                "linux.devices[0].minor: missing");
}

static void test_device_rules(void)
{
    _cleanup_spec_ struct cradle_spec *spec =
        parse_ok("\"linux\": {\"resources\": {\"devices\": [{\"allow\": false},"
                 " {\"allow\": true, \"type\": \"c\", \"major\": 1, \"access\": \"rw\"}]}}");
    CHECK(spec != NULL);
    if (spec == NULL)
        return;
    const struct cradle_device_rule *deny = &spec->linux_.resources.devices[0];
    const struct cradle_device_rule *allow = &spec->linux_.resources.devices[1];
    CHECK(spec->linux_.resources.has_devices && spec->linux_.resources.n_devices == 2);
    CHECK(!deny->allow && deny->type == 'a' && deny->major == -1 && deny->minor == -1);
    CHECK_STREQ(deny->access, "rwm");
    CHECK(allow->allow && allow->type == 'c' && allow->major == 1 && allow->minor == -1);
    CHECK_STREQ(allow->access, "rw");

    _cleanup_spec_ struct cradle_spec *none = parse_ok("\"linux\": {\"resources\": {}}");
    CHECK(none && !none->linux_.resources.has_devices);

    CHECK_ERROR("\"linux\": {\"resources\": {\"devices\": [{\"allow\": true, \"type\": \"b\", "
                "\"access\": \"x\"}]}}",
                "linux.resources.devices[0].access: \"x\" has none of r, w or m");
    CHECK_ERROR("\"linux\": {\"resources\": {\"devices\": [{\"allow\": true, \"type\": \"u\"}]}}",
                "linux.resources.devices[0].type: unknown device type \"u\"");
}

static void test_rootfs_propagation(void)
{
    _cleanup_spec_ struct cradle_spec *rslave =
        parse_ok("\"linux\": {\"rootfsPropagation\": \"rslave\"}");
    CHECK(rslave && rslave->linux_.has_rootfs_propagation);
    CHECK(rslave && rslave->linux_.rootfs_propagation == (MS_SLAVE | MS_REC));
    _cleanup_spec_ struct cradle_spec *shared =
        parse_ok("\"linux\": {\"rootfsPropagation\": \"shared\"}");
    CHECK(shared && shared->linux_.rootfs_propagation == MS_SHARED);
    CHECK_ERROR("\"linux\": {\"rootfsPropagation\": \"bogus\"}",
                "linux.rootfsPropagation: unknown propagation \"bogus\"");
}

static void test_sysctl_and_annotations(void)
{
    _cleanup_spec_ struct cradle_spec *spec =
        parse_ok("\"annotations\": {\"org.example/a\": \"1\", \"b\": \"two\"},"
                 " \"linux\": {\"sysctl\": {\"net.ipv4.ip_forward\": \"1\"},"
                 " \"cgroupsPath\": \"/x/y\", \"maskedPaths\": [\"/proc/kcore\"],"
                 " \"readonlyPaths\": [\"/proc/sys\"]}");
    CHECK(spec != NULL);
    if (spec == NULL)
        return;
    CHECK_STREQ(cradle_spec_annotation(spec, "b"), "two");
    CHECK_STREQ(cradle_spec_annotation(spec, "org.example/a"), "1");
    CHECK(cradle_spec_annotation(spec, "c") == NULL);
    CHECK(spec->linux_.n_sysctls == 1);
    CHECK_STREQ(spec->linux_.sysctls[0].key, "net.ipv4.ip_forward");
    CHECK_STREQ(spec->linux_.sysctls[0].value, "1");
    CHECK_STREQ(spec->linux_.cgroups_path, "/x/y");
    CHECK(spec->linux_.n_masked_paths == 1 && spec->linux_.n_readonly_paths == 1);

    CHECK_ERROR("\"annotations\": {\"a\": 1}", "annotations.a: expected string, got number");
    CHECK_ERROR("\"linux\": {\"sysctl\": {\"kernel.x\": true}}",
                "linux.sysctl.kernel.x: expected string, got boolean");
}

static void test_hooks(void)
{
    _cleanup_spec_ struct cradle_spec *spec =
        parse_ok("\"hooks\": {\"prestart\": [{\"path\": \"/bin/a\"}], \"poststop\": [{\"path\":"
                 " \"/bin/b\", \"args\": [\"b\", \"x\"], \"env\": [\"E=1\"], \"timeout\": 5}]}");
    CHECK(spec != NULL);
    if (spec == NULL)
        return;
    CHECK(spec->hooks.prestart.n_hooks == 1 && !spec->hooks.prestart.hooks[0].has_timeout);
    CHECK(spec->hooks.prestart.hooks[0].args && spec->hooks.prestart.hooks[0].n_args == 0);
    const struct cradle_spec_hook *h = &spec->hooks.poststop.hooks[0];
    CHECK(h->n_args == 2 && h->n_env == 1 && h->has_timeout && h->timeout == 5);
    CHECK(spec->hooks.create_runtime.n_hooks == 0);

    CHECK_ERROR("\"hooks\": {\"createRuntime\": [{\"path\": \"hook\"}]}",
                "hooks.createRuntime[0].path: must be an absolute path");
    CHECK_ERROR("\"hooks\": {\"poststart\": [{\"path\": \"/h\", \"timeout\": 0}]}",
                "hooks.poststart[0].timeout: must be greater than zero");
    CHECK_ERROR("\"hooks\": {\"startContainer\": [{}]}", "hooks.startContainer[0].path: missing");
}

static void test_mount_errors(void)
{
    CHECK_ERROR("\"mounts\": [{\"destination\": \"/a\"}, {\"destination\": \"/b\"},"
                " {\"destination\": \"/c\"}, {\"destination\": \"d\"}]",
                "mounts[3].destination: must be an absolute path");
    CHECK_ERROR("\"mounts\": [{\"type\": \"tmpfs\"}]", "mounts[0].destination: missing");
    CHECK_ERROR("\"mounts\": [{\"destination\": \"/a\"}, {\"destination\": \"/b\"},"
                " {\"destination\": \"/t\", \"type\": \"tmpfs\", \"options\": [\"foo\"]}]",
                "mounts[2]: unknown mount option \"foo\"");
}

static void test_mounts_parsed(void)
{
    _cleanup_spec_ struct cradle_spec *spec =
        parse_ok("\"mounts\": [{\"destination\": \"/data\", \"type\": \"bind\", \"source\":"
                 " \"/srv\", \"options\": [\"rbind\", \"ro\", \"rprivate\"]}]");
    CHECK(spec && spec->n_mounts == 1);
    if (spec == NULL)
        return;
    const struct cradle_spec_mount *m = &spec->mounts[0];
    CHECK(m->is_bind);
    CHECK(m->flags == (MS_BIND | MS_REC | MS_RDONLY));
    CHECK(m->propagation == (MS_PRIVATE | MS_REC));
    CHECK_STREQ(m->source, "/srv");
    CHECK(m->n_options == 3 && m->options[3] == NULL);
}

/* Every runtime-spec 1.2 field is parsed (and applied): a document with many of them. */
static void test_runtime_spec_1_2_fields_parsed(void)
{
    _cleanup_spec_ struct cradle_spec *spec = parse_ok(
        "\"process\": {\"args\": [\"sh\"], \"terminal\": true, \"apparmorProfile\": \"p\","
        " \"selinuxLabel\": \"l\", \"scheduler\": {\"policy\": \"SCHED_OTHER\"},"
        " \"ioPriority\": {\"class\": \"IOPRIO_CLASS_IDLE\"}},"
        " \"mounts\": [{\"destination\": \"/m\", \"type\": \"bind\", \"source\": \"/s\","
        " \"options\": [\"rbind\", \"idmap\"], \"uidMappings\": [], \"gidMappings\": []}],"
        " \"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ALLOW\"},"
        " \"resources\": {\"memory\": {\"limit\": 1}, \"cpu\": {\"shares\": 2}, \"pids\": "
        "{\"limit\": 5},"
        " \"devices\": [], \"unified\": {\"memory.max\": \"1\"}, \"hugepageLimits\": null},"
        " \"mountLabel\": \"m\", \"intelRdt\": {}, \"netDevices\": {}}");
    CHECK(spec != NULL);
    if (spec == NULL)
        return;
    CHECK(spec->linux_.resources.memory.limit.set && spec->linux_.resources.n_unified == 1);
    CHECK_STREQ(spec->process.apparmor_profile, "p");
    CHECK_STREQ(spec->linux_.mount_label, "m");
}

/* What Docker and Podman send on every container asks for nothing, as runc and crun read it:
 * parsed, and nothing in it set. */
static void test_zero_resources_ask_for_nothing(void)
{
    _cleanup_spec_ struct cradle_spec *spec = parse_ok(
        "\"linux\": {\"resources\": {\"memory\": {\"disableOOMKiller\": false},"
        " \"cpu\": {\"shares\": 0}, \"blockIO\": {\"weight\": 0}, \"pids\": {\"limit\": 0},"
        " \"hugepageLimits\": [], \"unified\": {}}}");
    CHECK(spec != NULL);
    if (spec == NULL)
        return;
    const struct cradle_resources *res = &spec->linux_.resources;
    CHECK(!res->memory.disable_oom_killer && !res->cpu.shares.set && !res->blkio.weight.set &&
          !res->pids.limit.set && res->n_hugepages == 0 && res->n_unified == 0);
    _cleanup_spec_ struct cradle_spec *unlimited =
        parse_ok("\"linux\": {\"resources\": {\"pids\": {\"limit\": -1}}}");
    CHECK(unlimited != NULL);
    CHECK(unlimited && unlimited->linux_.resources.pids.limit.set &&
          unlimited->linux_.resources.pids.limit.value == -1);
}

static void test_load_missing_file(void)
{
    struct cradle_spec *spec = NULL;
    _cleanup_error_ cradle_error *err = NULL;
    CHECK(cradle_spec_load("/nonexistent/cradle-bundle", &spec, &err) < 0);
    CHECK(spec == NULL);
    _cleanup_free_ char *text = err ? cradle_error_text(err) : NULL;
    CHECK_STREQ(text, "open /nonexistent/cradle-bundle/config.json: No such file or directory");
}

RUN_TESTS(test_minimal_document, test_process_fields_and_defaults, test_env_defaults_to_empty_array,
          test_invalid_json, test_required_fields, test_type_errors_name_the_path,
          test_process_rules, test_capability_errors, test_capability_names, test_rlimit_errors,
          test_rlimit_infinity, test_namespaces, test_id_mappings, test_devices, test_device_rules,
          test_rootfs_propagation, test_sysctl_and_annotations, test_hooks, test_mount_errors,
          test_mounts_parsed, test_runtime_spec_1_2_fields_parsed,
          test_zero_resources_ask_for_nothing, test_load_missing_file)
