/* cradle_validate_rootless_as: runc's rootlessEUIDCheck, each error naming its field. */
#include "harness.h"

#include <stdlib.h>

#include "../../libcontainer-c/container/container_private.h"
#include "cradle/cleanup.h"
#include "spec_documents.h"

#define USERNS "\"namespaces\": [{\"type\": \"user\"}, {\"type\": \"mount\"}]"
#define MAPS                                                                                       \
    ", \"uidMappings\": [{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}, "                    \
    "{\"containerID\": 1, \"hostID\": 100000, \"size\": 65536}], "                                 \
    "\"gidMappings\": [{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}]"
#define TMPFS(o)                                                                                   \
    "\"mounts\": [{\"destination\": \"/t\", \"type\": \"tmpfs\", \"source\": "                     \
    "\"tmpfs\", \"options\": [\"" o "\"]}], "

/* The error for a document made of `extra` validated for euid, or NULL when it passes. */
static char *error_for(const char *extra, uid_t euid)
{
    _cleanup_free_ char *doc = spec_document(extra);
    _cleanup_spec_ struct cradle_spec *spec = spec_parse_text_ok(doc);
    _cleanup_error_ cradle_error *err = NULL;
    if (spec == NULL)
        return strdup("(did not parse)");
    if (cradle_validate_rootless_as(spec, euid, &err) == 0)
        return NULL;
    return cradle_error_text(err);
}

#define CHECK_ERROR(extra, euid, expected)                                                         \
    do {                                                                                           \
        _cleanup_free_ char *_msg = error_for(extra, euid);                                        \
        CHECK_CONTAINS(_msg, expected);                                                            \
    } while (0)

#define CHECK_PASSES(extra, euid)                                                                  \
    do {                                                                                           \
        _cleanup_free_ char *_msg = error_for(extra, euid);                                        \
        if (_msg)                                                                                  \
            fprintf(stderr, "unexpected: %s\n", _msg);                                             \
        CHECK(_msg == NULL);                                                                       \
    } while (0)

static void test_root_is_not_checked(void)
{
    CHECK_PASSES("\"linux\": {}", 0);
}

static void test_user_namespace_required(void)
{
    CHECK_ERROR("\"linux\": {\"namespaces\": [{\"type\": \"mount\"}]}", 1000,
                "linux.namespaces: rootless container requires user namespaces");
}

static void test_mappings_required_for_an_own_user_namespace(void)
{
    CHECK_ERROR("\"linux\": {" USERNS "}", 1000,
                "linux.uidMappings: rootless containers requires at least one UID mapping");
    CHECK_ERROR("\"linux\": {" USERNS ", \"uidMappings\": [{\"containerID\": 0, \"hostID\": "
                "1000, \"size\": 1}]}",
                1000, "linux.gidMappings: rootless containers requires at least one GID mapping");
    /* A user namespace joined by path brings its own. */
    CHECK_PASSES("\"linux\": {\"namespaces\": [{\"type\": \"user\", \"path\": "
                 "\"/proc/1/ns/user\"}]}",
                 1000);
    CHECK_PASSES("\"linux\": {" USERNS MAPS "}", 1000);
}

static void test_uid_gid_mount_options_must_be_mapped(void)
{
    CHECK_PASSES(TMPFS("uid=0") "\"linux\": {" USERNS MAPS "}", 1000);
    CHECK_PASSES(TMPFS("uid=65536") "\"linux\": {" USERNS MAPS "}", 1000);
    CHECK_ERROR(TMPFS("uid=65537") "\"linux\": {" USERNS MAPS "}", 1000,
                "mounts[0]: cannot specify uid=65537 mount option for rootless container: user "
                "65537 is not mapped in linux.uidMappings");
    CHECK_ERROR(TMPFS("gid=5") "\"linux\": {" USERNS MAPS "}", 1000,
                "mounts[0]: cannot specify gid=5 mount option for rootless container: group 5 is "
                "not mapped in linux.gidMappings");
    /* Not a number: left to the filesystem, as runc does. */
    CHECK_PASSES(TMPFS("uid=abc") "\"linux\": {" USERNS MAPS "}", 1000);
}

RUN_TESTS(test_root_is_not_checked, test_user_namespace_required,
          test_mappings_required_for_an_own_user_namespace,
          test_uid_gid_mount_options_must_be_mapped)
