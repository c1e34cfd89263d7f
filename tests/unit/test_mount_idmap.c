/* Id-mapped mounts in the spec: mounts[N].uidMappings/gidMappings and the "idmap"/"ridmap"
 * options parsed into the mount, and runc 1.2's rules in the validation pass. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"
#include "cradle/spec.h"
#include "harness.h"
#include "spec_documents.h"

#define MAP(c, h, s) "{\"containerID\": " #c ", \"hostID\": " #h ", \"size\": " #s "}"
#define USERNS                                                                                     \
    "\"linux\": {\"namespaces\": [{\"type\": \"user\"}, {\"type\": \"mount\"}], "                  \
    "\"uidMappings\": [" MAP(0, 100000, 65536) "], \"gidMappings\": [" MAP(0, 100000, 65536) "]}"

/* The validation error of a document with `mounts` (the mounts array's members) and
 * `extra`, NULL when it passes; "(did not parse)" when parsing fails. */
static char *error_of(const char *mounts, const char *extra)
{
    _cleanup_free_ char *members = NULL;
    if (asprintf(&members, "\"mounts\": [%s]%s%s", mounts, *extra ? ", " : "", extra) < 0)
        return NULL;
    _cleanup_free_ char *doc = spec_document(members);
    _cleanup_spec_ struct cradle_spec *spec = spec_parse_text_ok(doc);
    _cleanup_error_ cradle_error *err = NULL;
    if (spec == NULL)
        return strdup("(did not parse)");
    if (cradle_spec_validate(spec, &err) == 0)
        return NULL;
    return cradle_error_text(err);
}

#define CHECK_INVALID(mounts, extra, expected)                                                     \
    do {                                                                                           \
        _cleanup_free_ char *_msg = error_of(mounts, extra);                                       \
        CHECK_CONTAINS(_msg, expected);                                                            \
    } while (0)

#define CHECK_VALID(mounts, extra)                                                                 \
    do {                                                                                           \
        _cleanup_free_ char *_msg = error_of(mounts, extra);                                       \
        if (_msg)                                                                                  \
            fprintf(stderr, "unexpected: %s\n", _msg);                                             \
        CHECK(_msg == NULL);                                                                       \
    } while (0)

static void test_mappings_parsed_into_the_mount(void)
{
    _cleanup_free_ char *doc = spec_document(
        "\"mounts\": [{\"destination\": \"/m\", \"source\": \"/srv\", \"options\": [\"rbind\"], "
        "\"uidMappings\": [" MAP(1000, 100000, 1) ", " MAP(
            0, 200000, 10) "], "
                           "\"gidMappings\": [" MAP(1000, 100001, 2) "]}]");
    _cleanup_spec_ struct cradle_spec *spec = spec_parse_text_ok(doc);
    CHECK(spec != NULL);
    if (spec == NULL)
        return;
    const struct cradle_spec_mount *m = &spec->mounts[0];
    CHECK(m->idmap && !m->idmap_recursive);
    CHECK(m->n_uid_mappings == 2 && m->n_gid_mappings == 1);
    CHECK(m->uid_mappings[1].container_id == 0 && m->uid_mappings[1].host_id == 200000 &&
          m->uid_mappings[1].size == 10);
    CHECK(m->gid_mappings[0].container_id == 1000 && m->gid_mappings[0].host_id == 100001 &&
          m->gid_mappings[0].size == 2);
}

static void test_bad_mapping_names_the_field(void)
{
    _cleanup_free_ char *doc = spec_document(
        "\"mounts\": [{\"destination\": \"/m\", \"source\": \"/srv\", \"options\": [\"bind\"], "
        "\"uidMappings\": [{\"containerID\": 0, \"size\": 1}]}]");
    _cleanup_free_ char *msg = spec_error_of_text(doc);
    CHECK_CONTAINS(msg, "mounts[0].uidMappings[0]");
    CHECK_CONTAINS(msg, "hostID");
}

static void test_runc_rules(void)
{
    static const char both[] =
        "\"uidMappings\": [" MAP(0, 1000, 1) "], "
                                             "\"gidMappings\": [" MAP(0, 1000, 1) "]";
    char mount[512];

    /* With its own maps, with or without a user namespace (runc 1.2 allows both). */
    snprintf(mount, sizeof(mount),
             "{\"destination\": \"/m\", \"source\": \"/srv\", \"options\": [\"bind\"], %s}", both);
    CHECK_VALID(mount, "");
    CHECK_VALID(mount, USERNS);

    /* Binds only; the error names the mount. */
    CHECK_INVALID("{\"destination\": \"/a\", \"type\": \"tmpfs\"}, {\"destination\": \"/t\", "
                  "\"type\": \"tmpfs\", \"options\": [\"idmap\"]}",
                  "", "mounts[1]: id-mapped mounts are only supported for bind-mounts");
    snprintf(mount, sizeof(mount), "{\"destination\": \"/t\", \"type\": \"tmpfs\", %s}", both);
    CHECK_INVALID(mount, "", "mounts[0]: id-mapped mounts are only supported for bind-mounts");

    /* Both maps, or neither with a user namespace to take them from. */
    CHECK_INVALID("{\"destination\": \"/m\", \"source\": \"/srv\", \"options\": [\"bind\"], "
                  "\"uidMappings\": [" MAP(0, 1000, 1) "]}",
                  USERNS, "mounts[0]: id-mapped mounts must have both uid and gid mappings");
    CHECK_INVALID("{\"destination\": \"/m\", \"source\": \"/srv\", \"options\": [\"bind\"], "
                  "\"uidMappings\": [" MAP(0, 1000, 1) "], \"gidMappings\": []}",
                  "", "mounts[0]: id-mapped mounts must have both uid and gid mappings");
    CHECK_INVALID("{\"destination\": \"/m\", \"source\": \"/srv\", \"options\": [\"rbind\", "
                  "\"ridmap\"]}",
                  "", "mounts[0]: id-mapped mounts must have both uid and gid mappings");
    CHECK_VALID("{\"destination\": \"/m\", \"source\": \"/srv\", \"options\": [\"rbind\", "
                "\"ridmap\"]}",
                USERNS);
}

/* runc 1.2: data on a bind cannot apply; crun's "idmap=uids=..." would otherwise be lost. */
static void test_data_on_a_bind_refused(void)
{
    CHECK_INVALID("{\"destination\": \"/m\", \"source\": \"/srv\", \"options\": [\"rbind\", "
                  "\"idmap=uids=0-1000-1;gids=0-1000-1\"]}",
                  "", "mounts[0]: bind mounts cannot have any filesystem-specific options applied");
    CHECK_INVALID("{\"destination\": \"/m\", \"type\": \"bind\", \"source\": \"/srv\", "
                  "\"options\": [\"size=1m\"]}",
                  "", "mounts[0]: bind mounts cannot have any filesystem-specific options applied");
    CHECK_VALID("{\"destination\": \"/t\", \"type\": \"tmpfs\", \"options\": [\"size=1m\"]}", "");
}

RUN_TESTS(test_mappings_parsed_into_the_mount, test_bad_mapping_names_the_field, test_runc_rules,
          test_data_on_a_bind_refused)
