/* `cradle features`: the OCI features document in the shape runc 1.1.5 prints, with
 * cradle's own values, plus the effective proc-mount policy under the annotation
 * "org.cradle.proc-policy" (a JSON array, as a string: annotations are strings). */
#include <errno.h>
#include <json-c/json.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "cradle/cgroups.h"
#include "cradle/cleanup.h"
#include "cradle/proc_policy.h"
#include "cradle/seccomp.h"
#include "cradle/spec.h"
#include "features_mempolicy.h"
#include "features_idmap.h"

#define OCI_VERSION_MIN "1.0.0"
/* The runtime-spec whose every field cradle applies (runc 1.2 reports the same). */
#define OCI_VERSION_MAX "1.2.0"

static const char usage[] = "Usage: cradle features\n\n"
                            "Show the enabled features, as JSON.\n";

/* runc 1.1.5's list; cradle reports those its own option parser accepts. */
static const char *const candidate_mount_options[] = {
    "acl",          "async",       "atime",          "bind",
    "defaults",     "dev",         "diratime",       "dirsync",
    "exec",         "iversion",    "lazytime",       "loud",
    "mand",         "noacl",       "noatime",        "nodev",
    "nodiratime",   "noexec",      "noiversion",     "nolazytime",
    "nomand",       "norelatime",  "nostrictatime",  "nosuid",
    "nosymfollow",  "private",     "ratime",         "rbind",
    "rdev",         "rdiratime",   "relatime",       "remount",
    "rexec",        "rnoatime",    "rnodev",         "rnodiratime",
    "rnoexec",      "rnorelatime", "rnostrictatime", "rnosuid",
    "rnosymfollow", "ro",          "rprivate",       "rrelatime",
    "rro",          "rrw",         "rshared",        "rslave",
    "rstrictatime", "rsuid",       "rsymfollow",     "runbindable",
    "rw",           "shared",      "silent",         "slave",
    "strictatime",  "suid",        "symfollow",      "sync",
    "tmpcopyup",    "unbindable",
};

static const char *const hooks[] = {"prestart",       "createRuntime", "createContainer",
                                    "startContainer", "poststart",     "poststop"};

static const char *const namespaces[] = {"cgroup", "ipc",  "mount", "network",
                                         "pid",    "time", "user",  "uts"};

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static struct json_object *string_array(const char *const *items, size_t n)
{
    struct json_object *array = json_object_new_array();
    for (size_t i = 0; i < n; i++)
        json_object_array_add(array, json_object_new_string(items[i]));
    return array;
}

static bool mount_option_supported(const char *option)
{
    char *options[] = {(char *)option};
    struct cradle_spec_mount m = {.type = "tmpfs", .options = options, .n_options = 1};
    cradle_error *err = NULL;
    int r = cradle_mount_options_parse(&m, &err);
    free(m.data);
    cradle_error_free(&err);
    return r == 0;
}

static struct json_object *mount_options(void)
{
    struct json_object *array = json_object_new_array();
    for (size_t i = 0; i < N_ELEMS(candidate_mount_options); i++)
        if (mount_option_supported(candidate_mount_options[i]))
            json_object_array_add(array, json_object_new_string(candidate_mount_options[i]));
    return array;
}

static struct json_object *capabilities(void)
{
    struct json_object *array = json_object_new_array();
    for (int cap = 0; cap <= cradle_cap_last_cap(); cap++) {
        const char *name = cradle_cap_name(cap);
        if (name)
            json_object_array_add(array, json_object_new_string(name));
    }
    return array;
}

static struct json_object *enabled(bool on)
{
    struct json_object *obj = json_object_new_object();
    json_object_object_add(obj, "enabled", json_object_new_boolean(on));
    return obj;
}

/* Whether cradle would run a config whose linux.seccomp is SECCOMP (JSON): parsed
 * without error. Asking the parser keeps this list true as seccomp support grows. */
static bool seccomp_accepted(const char *seccomp)
{
    _cleanup_free_ char *json = NULL;
    if (asprintf(&json,
                 "{\"ociVersion\": \"1.0.2\", \"root\": {\"path\": \"rootfs\"}, "
                 "\"linux\": {\"seccomp\": %s}}",
                 seccomp) < 0)
        return false;
    struct cradle_spec *spec = NULL;
    cradle_error *err = NULL;
    bool accepted = cradle_spec_parse(json, &spec, &err) == 0;
    if (spec)
        cradle_spec_free(spec);
    cradle_error_free(&err);
    return accepted;
}

static bool seccomp_item_accepted(const char *fmt, const char *item)
{
    _cleanup_free_ char *seccomp = NULL;
    if (asprintf(&seccomp, fmt, item) < 0)
        return false;
    return seccomp_accepted(seccomp);
}

static int compare_json_strings(const void *a, const void *b)
{
    return strcmp(json_object_get_string(*(struct json_object *const *)a),
                  json_object_get_string(*(struct json_object *const *)b));
}

/* The names the parser knows (name(0), name(1), ... until NULL) that a runnable spec may
 * use; architectures also need libseccomp to know them. */
static struct json_object *accepted_items(const char *(*name)(size_t), const char *fmt,
                                          bool is_arch)
{
    struct json_object *array = json_object_new_array();
    for (size_t i = 0; name(i); i++) {
        if (is_arch && !cradle_seccomp_arch_known(name(i)))
            continue;
        if (seccomp_item_accepted(fmt, name(i)))
            json_object_array_add(array, json_object_new_string(name(i)));
    }
    json_object_array_sort(array, compare_json_strings); /* runc lists them sorted */
    return array;
}

/* linux.seccomp.flags as runc 1.2 lists them: every name the parser knows, or only those
 * the running kernel takes (supportedFlags). */
static struct json_object *seccomp_flags(bool supported_only)
{
    struct json_object *array = json_object_new_array();
    for (size_t i = 0; cradle_seccomp_flag_name(i); i++)
        if (!supported_only || cradle_seccomp_flag_supported(cradle_seccomp_flag_name(i)))
            json_object_array_add(array, json_object_new_string(cradle_seccomp_flag_name(i)));
    return array;
}

static struct json_object *seccomp_features(void)
{
    bool on = seccomp_accepted("{\"defaultAction\": \"SCMP_ACT_ALLOW\"}");
    struct json_object *obj = json_object_new_object();
    json_object_object_add(obj, "enabled", json_object_new_boolean(on));
    if (!on)
        return obj;
    json_object_object_add(obj, "actions",
                           accepted_items(cradle_seccomp_action_name,
                                          "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": "
                                          "[{\"names\": [\"getpid\"], \"action\": \"%s\"}]}",
                                          false));
    json_object_object_add(
        obj, "operators",
        accepted_items(cradle_seccomp_operator_name,
                       "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": "
                       "[\"getpid\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, "
                       "\"value\": 1, \"valueTwo\": 1, \"op\": \"%s\"}]}]}",
                       false));
    json_object_object_add(
        obj, "archs",
        accepted_items(cradle_seccomp_arch_name,
                       "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"%s\"]}",
                       true));
    json_object_object_add(obj, "knownFlags", seccomp_flags(false));
    json_object_object_add(obj, "supportedFlags", seccomp_flags(true));
    return obj;
}

static struct json_object *linux_features(void)
{
    struct json_object *linux_ = json_object_new_object();
    json_object_object_add(linux_, "namespaces", string_array(namespaces, N_ELEMS(namespaces)));
    json_object_object_add(linux_, "capabilities", capabilities());
    struct json_object *cgroup = json_object_new_object();
    json_object_object_add(cgroup, "v1", json_object_new_boolean(true));
    json_object_object_add(cgroup, "v2", json_object_new_boolean(true));
    json_object_object_add(cgroup, "systemd",
                           json_object_new_boolean(cradle_cgroup_systemd_supported()));
    json_object_object_add(cgroup, "systemdUser", json_object_new_boolean(false));
    json_object_object_add(linux_, "cgroup", cgroup);
    json_object_object_add(linux_, "seccomp", seccomp_features());
    /* As runc: the runtime applies the labels; whether the host has the LSM is another
     * matter. Intel RDT groups are not implemented (no resctrl here to test them on). */
    json_object_object_add(linux_, "apparmor", enabled(true));
    json_object_object_add(linux_, "selinux", enabled(true));
    json_object_object_add(linux_, "intelRdt", enabled(false));
    json_object_object_add(linux_, "netDevices", enabled(true));
    json_object_object_add(linux_, "memoryPolicy", features_memory_policy());
    json_object_object_add(linux_, "mountExtensions", features_mount_extensions());
    return linux_;
}

static struct json_object *rule_json(const struct pp_rule *rule)
{
    static const enum pp_kind kinds[] = {PP_KIND_PROC, PP_KIND_BIND_PROCFS, PP_KIND_BIND_FUSE,
                                         PP_KIND_TMPFS};
    struct json_object *obj = json_object_new_object();
    json_object_object_add(obj, "name", json_object_new_string(rule->name));
    json_object_object_add(obj, "destination", json_object_new_string(rule->destination));
    json_object_object_add(obj, "prefix", json_object_new_boolean(rule->prefix));
    json_object_object_add(obj, "deny", json_object_new_boolean(rule->deny));
    struct json_object *kind_list = json_object_new_array();
    for (size_t i = 0; i < N_ELEMS(kinds); i++)
        if (rule->kinds & kinds[i])
            json_object_array_add(kind_list, json_object_new_string(pp_kind_keyword(kinds[i])));
    json_object_object_add(obj, "kinds", kind_list);
    struct json_object *access = json_object_new_array();
    if (rule->access & PP_ACCESS_RO)
        json_object_array_add(access, json_object_new_string("ro"));
    if (rule->access & PP_ACCESS_RW)
        json_object_array_add(access, json_object_new_string("rw"));
    json_object_object_add(obj, "access", access);
    if (rule->source)
        json_object_object_add(obj, "source", json_object_new_string(rule->source));
    struct json_object *gates = json_object_new_array();
    for (size_t i = 0; i < rule->n_gates; i++) {
        char gate[512];
        pp_format_gate(&rule->gates[i], gate, sizeof(gate));
        json_object_array_add(gates, json_object_new_string(gate));
    }
    json_object_object_add(obj, "gates", gates);
    json_object_object_add(obj, "origin", json_object_new_string(rule->origin));
    return obj;
}

static struct json_object *policy_annotation(const struct pp_policy *policy)
{
    struct json_object *rules = json_object_new_array();
    for (size_t i = 0; i < policy->n_rules; i++)
        json_object_array_add(rules, rule_json(&policy->rules[i]));
    struct json_object *text = json_object_new_string(json_object_to_json_string_ext(
        rules, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(rules);
    return text;
}

static struct json_object *annotations(const struct pp_policy *policy)
{
    const struct scmp_version *sv = seccomp_version();
    char version[64];
    snprintf(version, sizeof(version), "%u.%u.%u", sv->major, sv->minor, sv->micro);
    struct json_object *obj = json_object_new_object();
    json_object_object_add(obj, "io.github.seccomp.libseccomp.version",
                           json_object_new_string(version));
    json_object_object_add(obj, "org.cradle.proc-policy", policy_annotation(policy));
    json_object_object_add(obj, "org.cradle.version", json_object_new_string(CRADLE_VERSION));
    return obj;
}

int cmd_features(const struct global_opts *g, int argc, char **argv, cradle_error **err)
{
    if (wants_help(argc, argv, usage))
        return 0;
    if (argc != 1)
        return cradle_error_set(err, EINVAL, "\"features\" takes no arguments");
    struct pp_policy policy;
    char why[512];
    if (pp_policy_load(&policy, g->proc_policy_file, why, sizeof(why)) < 0)
        return cradle_error_set(err, errno, "proc-policy: %s", why);

    struct json_object *features = json_object_new_object();
    json_object_object_add(features, "ociVersionMin", json_object_new_string(OCI_VERSION_MIN));
    json_object_object_add(features, "ociVersionMax", json_object_new_string(OCI_VERSION_MAX));
    json_object_object_add(features, "hooks", string_array(hooks, N_ELEMS(hooks)));
    json_object_object_add(features, "mountOptions", mount_options());
    json_object_object_add(features, "linux", linux_features());
    json_object_object_add(features, "annotations", annotations(&policy));
    puts(json_object_to_json_string_ext(features, JSON_C_TO_STRING_PRETTY |
                                                      JSON_C_TO_STRING_SPACED |
                                                      JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(features);
    pp_policy_free(&policy);
    return 0;
}
