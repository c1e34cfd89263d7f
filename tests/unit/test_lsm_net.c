/* LSM labels, linux.netDevices and linux.intelRdt: runc's mount label format, the parser
 * and the validation against this host (neither LSM, nor resctrl, is enabled on the hosts
 * the tests run on; the checks that depend on it say so). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"
#include "cradle/lsm.h"
#include "cradle/spec.h"
#include "harness.h"
#include "spec_documents.h"

static char *label_of(const char *data, const char *label)
{
    char *out = NULL;
    CHECK(cradle_format_mount_label(data, label, &out) == 0);
    return out;
}

/* go-selinux's FormatMountLabel: the label quoted, after the other options. */
static void test_mount_label_format(void)
{
    _cleanup_free_ char *a = label_of("mode=755,size=65536k", "system_u:object_r:c_t:s0:c1,c2");
    CHECK_STREQ(a, "mode=755,size=65536k,context=\"system_u:object_r:c_t:s0:c1,c2\"");
    _cleanup_free_ char *b = label_of(NULL, "system_u:object_r:c_t:s0");
    CHECK_STREQ(b, "context=\"system_u:object_r:c_t:s0\"");
    _cleanup_free_ char *c = label_of("", "x");
    CHECK_STREQ(c, "context=\"x\"");
    _cleanup_free_ char *d = label_of("mode=755", "");
    CHECK_STREQ(d, "mode=755");
    _cleanup_free_ char *e = label_of("mode=755", NULL);
    CHECK_STREQ(e, "mode=755");
    CHECK(label_of(NULL, NULL) == NULL);
    CHECK(label_of("", "") == NULL);
}

static struct cradle_spec *parsed(const char *extra)
{
    _cleanup_free_ char *doc = spec_document(extra);
    return spec_parse_text_ok(doc);
}

static char *validate_error_of(const char *extra)
{
    _cleanup_free_ char *doc = spec_document(extra);
    return spec_validate_error_of_text(doc);
}

static void test_labels_parsed_and_accepted(void)
{
    _cleanup_spec_ struct cradle_spec *spec =
        parsed("\"linux\": {\"mountLabel\": \"system_u:object_r:c_t:s0\"}, \"process\": "
               "{\"args\": [\"sh\"], \"apparmorProfile\": \"p\", \"selinuxLabel\": \"\"}");
    CHECK(spec != NULL);
    if (spec == NULL)
        return;
    CHECK_STREQ(spec->linux_.mount_label, "system_u:object_r:c_t:s0");
    CHECK_STREQ(spec->process.apparmor_profile, "p");
}

static void test_selinux_label_needs_selinux(void)
{
    if (cradle_selinux_enabled())
        return; /* a host with SELinux accepts it */
    _cleanup_free_ char *msg = validate_error_of(
        "\"process\": {\"args\": [\"sh\"], \"selinuxLabel\": \"system_u:system_r:c_t:s0\"}");
    CHECK_STREQ(msg, "selinux label is specified in config, but selinux is disabled or not "
                     "supported");
    _cleanup_free_ char *empty =
        validate_error_of("\"process\": {\"args\": [\"sh\"], \"selinuxLabel\": \"\"}");
    CHECK(empty == NULL);
}

#define NET_DEVICES(devs)                                                                          \
    "\"linux\": {\"namespaces\": [{\"type\": \"network\"}], \"netDevices\": " devs "}"

static void test_net_devices_parsed(void)
{
    _cleanup_spec_ struct cradle_spec *spec =
        parsed(NET_DEVICES("{\"eth1\": {\"name\": \"ctr1\"}, \"eth2\": {}}"));
    CHECK(spec != NULL);
    if (spec == NULL)
        return;
    CHECK(spec->linux_.n_net_devices == 2);
    CHECK_STREQ(spec->linux_.net_devices[0].host_name, "eth1");
    CHECK_STREQ(spec->linux_.net_devices[0].name, "ctr1");
    CHECK_STREQ(spec->linux_.net_devices[1].host_name, "eth2");
    CHECK(spec->linux_.net_devices[1].name == NULL);
    _cleanup_free_ char *doc = spec_document(NET_DEVICES("{\"eth1\": \"ctr1\"}"));
    _cleanup_free_ char *msg = spec_error_of_text(doc);
    CHECK_CONTAINS(msg, "linux.netDevices.eth1: expected object, got string");
}

static void test_net_device_names(void)
{
    static const char *const bad[] = {
        "\"a/b\"", "\".\"", "\"..\"", "\"a:b\"", "\"a b\"", "\"\"", "\"abcdefghijklmnop\""};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char devs[128];
        snprintf(devs, sizeof(devs), "{\"eth1\": {\"name\": %s}}", bad[i]);
        _cleanup_free_ char *extra = NULL;
        CHECK(asprintf(&extra, NET_DEVICES("%s"), devs) > 0);
        _cleanup_free_ char *msg = validate_error_of(extra);
        /* "" is no name: the device keeps its own. */
        if (strcmp(bad[i], "\"\"") == 0)
            CHECK(msg == NULL || strstr(msg, "rootless"));
        else
            CHECK_CONTAINS(msg, "invalid network device name");
    }
    _cleanup_free_ char *ok =
        validate_error_of(NET_DEVICES("{\"eth1\": {\"name\": \"abcdefghijklmno\"}}"));
    CHECK(ok == NULL || strstr(ok, "rootless"));
    _cleanup_free_ char *host = validate_error_of(NET_DEVICES("{\"a/b\": {}}"));
    CHECK_CONTAINS(host, "invalid network device name \"a/b\"");
    _cleanup_free_ char *no_ns = validate_error_of("\"linux\": {\"netDevices\": {\"eth1\": {}}}");
    CHECK_STREQ(no_ns, "unable to move network devices without a private NET namespace");
}

static void test_intel_rdt(void)
{
    _cleanup_spec_ struct cradle_spec *spec =
        parsed("\"linux\": {\"intelRdt\": {\"closID\": \"c\", \"l3CacheSchema\": \"L3:0=f\", "
               "\"schemata\": [\"MB:0=20\"], \"enableMonitoring\": true}}");
    CHECK(spec != NULL);
    if (spec == NULL)
        return;
    CHECK(spec->linux_.has_intel_rdt);
    CHECK_STREQ(spec->linux_.intel_rdt.clos_id, "c");
    CHECK(spec->linux_.intel_rdt.n_schemata == 1 && spec->linux_.intel_rdt.enable_monitoring);
    /* No resctrl on the hosts the tests run on: the field is refused, as runc 1.4 does. */
    _cleanup_free_ char *msg = validate_error_of("\"linux\": {\"intelRdt\": {}}");
    CHECK_CONTAINS(msg, "intelRdt is specified in config, but Intel RDT is not enabled");
}

RUN_TESTS(test_mount_label_format, test_labels_parsed_and_accepted,
          test_selinux_label_needs_selinux, test_net_devices_parsed, test_net_device_names,
          test_intel_rdt)
