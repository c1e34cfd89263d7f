/* cradle_spec_default_json: runc's "runc spec" documents, read back through the parser. */
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>

#include "cradle/cleanup.h"
#include "cradle/spec.h"
#include "harness.h"

static struct cradle_spec *parse_default(bool rootless)
{
    _cleanup_free_ char *json = cradle_spec_default_json(rootless);
    struct cradle_spec *spec = NULL;
    _cleanup_error_ cradle_error *err = NULL;
    if (json == NULL || cradle_spec_parse(json, &spec, &err) < 0) {
        fprintf(stderr, "default spec does not parse: %s\n", err ? err->msg : "no JSON");
        return NULL;
    }
    return spec;
}

static const struct cradle_spec_mount *find_mount(const struct cradle_spec *spec,
                                                  const char *destination)
{
    for (size_t i = 0; i < spec->n_mounts; i++) {
        if (strcmp(spec->mounts[i].destination, destination) == 0)
            return &spec->mounts[i];
    }
    return NULL;
}

static void test_pretty_printed_like_runc(void)
{
    _cleanup_free_ char *json = cradle_spec_default_json(false);
    CHECK(json != NULL);
    CHECK(json && strncmp(json, "{\n\t\"ociVersion\": \"1.0.2-dev\",\n\t\"process\": {", 42) == 0);
    CHECK(json && strstr(json, "\\/") == NULL);
}

static void test_default_spec(void)
{
    _cleanup_spec_ struct cradle_spec *spec = parse_default(false);
    CHECK(spec != NULL);
    if (spec == NULL)
        return;
    const uint64_t caps = (1ULL << 29) | (1ULL << 5) | (1ULL << 10);
    CHECK_STREQ(spec->oci_version, "1.0.2-dev");
    CHECK_STREQ(spec->root_path, "rootfs");
    CHECK(spec->root_readonly);
    CHECK_STREQ(spec->hostname, "runc");
    CHECK(spec->has_process && spec->process.terminal && spec->process.no_new_privileges);
    CHECK(spec->process.n_args == 1);
    CHECK_STREQ(spec->process.args[0], "sh");
    CHECK(spec->process.n_env == 2);
    CHECK_STREQ(spec->process.env[1], "TERM=xterm");
    CHECK_STREQ(spec->process.cwd, "/");
    CHECK(spec->process.capabilities.bounding == caps);
    CHECK(spec->process.capabilities.ambient == caps);
    CHECK(spec->process.capabilities.inheritable == 0);
    CHECK(spec->process.n_rlimits == 1 && spec->process.rlimits[0].resource == RLIMIT_NOFILE);
    CHECK(spec->process.rlimits[0].soft == 1024 && spec->process.rlimits[0].hard == 1024);

    CHECK(spec->n_mounts == 7);
    const struct cradle_spec_mount *dev = find_mount(spec, "/dev");
    CHECK(dev && dev->flags == (MS_NOSUID | MS_STRICTATIME));
    CHECK(dev && dev->data && strcmp(dev->data, "mode=755,size=65536k") == 0);
    const struct cradle_spec_mount *pts = find_mount(spec, "/dev/pts");
    CHECK(pts && pts->data && strcmp(pts->data, "newinstance,ptmxmode=0666,mode=0620,gid=5") == 0);
    const struct cradle_spec_mount *sys = find_mount(spec, "/sys");
    CHECK(sys && !sys->is_bind && sys->flags == (MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY));

    CHECK(spec->linux_.n_namespaces == 5);
    CHECK(cradle_spec_find_namespace(spec, CLONE_NEWNET) != NULL);
    CHECK(cradle_spec_find_namespace(spec, CLONE_NEWUSER) == NULL);
    CHECK(spec->linux_.resources.has_devices && spec->linux_.resources.n_devices == 1);
    CHECK(!spec->linux_.resources.devices[0].allow &&
          spec->linux_.resources.devices[0].type == 'a');
    CHECK(spec->linux_.n_masked_paths == 10 && spec->linux_.n_readonly_paths == 5);
    CHECK_STREQ(spec->linux_.masked_paths[9], "/proc/scsi");
}

static void test_rootless_default_spec(void)
{
    _cleanup_spec_ struct cradle_spec *spec = parse_default(true);
    CHECK(spec != NULL);
    if (spec == NULL)
        return;
    const struct cradle_spec_mount *sys = find_mount(spec, "/sys");
    CHECK(sys && sys->is_bind &&
          sys->flags == (MS_BIND | MS_REC | MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY));
    CHECK(sys && sys->source && strcmp(sys->source, "/sys") == 0);
    const struct cradle_spec_mount *pts = find_mount(spec, "/dev/pts");
    CHECK(pts && pts->data && strstr(pts->data, "gid=5") == NULL);

    CHECK(cradle_spec_find_namespace(spec, CLONE_NEWUSER) != NULL);
    CHECK(cradle_spec_find_namespace(spec, CLONE_NEWNET) == NULL);
    CHECK(spec->linux_.n_uid_mappings == 1 && spec->linux_.n_gid_mappings == 1);
    CHECK(spec->linux_.uid_mappings[0].size == 1);
    CHECK(!spec->linux_.resources.has_devices);
}

RUN_TESTS(test_pretty_printed_like_runc, test_default_spec, test_rootless_default_spec)
