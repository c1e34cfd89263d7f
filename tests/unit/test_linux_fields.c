/* linux.personality, linux.timeOffsets and linux.memoryPolicy: what the parser reads, the
 * errors it names, and the validation pass's checks that need no host state. */
#include <sys/personality.h>

#include "cradle/cleanup.h"
#include "cradle/spec.h"
#include "harness.h"
#include "spec_documents.h"

static struct cradle_spec *parse_linux(const char *linux_members)
{
    _cleanup_free_ char *extra = NULL;
    if (asprintf(&extra, "\"linux\": {%s}", linux_members) < 0)
        return NULL;
    _cleanup_free_ char *doc = spec_document(extra);
    return spec_parse_text_ok(doc);
}

static char *parse_error(const char *linux_members)
{
    _cleanup_free_ char *extra = NULL;
    if (asprintf(&extra, "\"linux\": {%s}", linux_members) < 0)
        return NULL;
    _cleanup_free_ char *doc = spec_document(extra);
    return spec_error_of_text(doc);
}

/* The validation pass's message for a document that parses, or NULL when it passes. */
static char *validate_error(const char *linux_members)
{
    _cleanup_spec_ struct cradle_spec *spec = parse_linux(linux_members);
    _cleanup_error_ cradle_error *err = NULL;
    if (spec == NULL)
        return strdup("(did not parse)");
    if (cradle_spec_validate(spec, &err) == 0)
        return NULL;
    return strdup(err->msg);
}

#define CHECK_PARSE_ERROR(members, expected)                                                       \
    do {                                                                                           \
        _cleanup_free_ char *_msg = parse_error(members);                                          \
        CHECK_CONTAINS(_msg, expected);                                                            \
    } while (0)

#define CHECK_VALIDATE_ERROR(members, expected)                                                    \
    do {                                                                                           \
        _cleanup_free_ char *_msg = validate_error(members);                                       \
        CHECK_CONTAINS(_msg, expected);                                                            \
    } while (0)

static bool node_set(const struct cradle_spec_memory_policy *mp, unsigned node)
{
    const unsigned bits = 8 * sizeof(unsigned long);
    return (mp->nodemask[node / bits] >> (node % bits)) & 1;
}

static void test_personality(void)
{
    _cleanup_spec_ struct cradle_spec *spec =
        parse_linux("\"personality\": {\"domain\": \"LINUX32\", \"flags\": [\"X\", \"Y\"]}");
    CHECK(spec != NULL);
    if (spec == NULL)
        return;
    CHECK(spec->linux_.personality.set);
    CHECK(spec->linux_.personality.domain == PER_LINUX32);
    CHECK(spec->linux_.personality.n_flags == 2);
    _cleanup_spec_ struct cradle_spec *plain =
        parse_linux("\"personality\": {\"domain\": \"LINUX\"}");
    CHECK(plain != NULL && plain->linux_.personality.set &&
          plain->linux_.personality.domain == PER_LINUX);
    _cleanup_spec_ struct cradle_spec *none = parse_linux("");
    CHECK(none != NULL && !none->linux_.personality.set);
    CHECK_PARSE_ERROR("\"personality\": {\"domain\": \"LINUX64\"}",
                      "linux.personality.domain: invalid personality domain LINUX64");
    CHECK_PARSE_ERROR("\"personality\": {}",
                      "linux.personality.domain: invalid personality domain");
    CHECK_PARSE_ERROR("\"personality\": \"LINUX\"", "linux.personality: expected object");
    CHECK_PARSE_ERROR("\"personality\": {\"domain\": \"LINUX\", \"flags\": \"x\"}",
                      "linux.personality.flags: expected array");
}

static void test_time_offsets(void)
{
    _cleanup_spec_ struct cradle_spec *spec =
        parse_linux("\"timeOffsets\": {\"monotonic\": {\"secs\": -5, \"nanosecs\": 7},"
                    " \"boottime\": {\"secs\": 86400}}");
    CHECK(spec != NULL);
    if (spec == NULL)
        return;
    const struct cradle_spec_time_offset *mono =
        &spec->linux_.time_offsets[CRADLE_TIMENS_MONOTONIC];
    const struct cradle_spec_time_offset *boot = &spec->linux_.time_offsets[CRADLE_TIMENS_BOOTTIME];
    CHECK(spec->linux_.has_time_offsets);
    CHECK(mono->set && mono->secs == -5 && mono->nanosecs == 7);
    CHECK(boot->set && boot->secs == 86400 && boot->nanosecs == 0);
    _cleanup_spec_ struct cradle_spec *empty = parse_linux("\"timeOffsets\": {}");
    CHECK(empty != NULL && empty->linux_.has_time_offsets && !empty->linux_.time_offsets[0].set &&
          !empty->linux_.time_offsets[1].set);
    CHECK_PARSE_ERROR("\"timeOffsets\": {\"realtime\": {\"secs\": 1}}",
                      "linux.timeOffsets.realtime: unknown clock");
    CHECK_PARSE_ERROR("\"timeOffsets\": {\"boottime\": {\"nanosecs\": -1}}",
                      "linux.timeOffsets.boottime.nanosecs: expected");
    CHECK_PARSE_ERROR("\"timeOffsets\": []", "linux.timeOffsets: expected object");
}

static void test_time_offsets_need_a_new_time_namespace(void)
{
    _cleanup_free_ char *ok =
        validate_error("\"namespaces\": [{\"type\": \"time\"}],"
                       " \"timeOffsets\": {\"monotonic\": {\"secs\": 1, \"nanosecs\": 999999999}}");
    CHECK(ok == NULL);
    CHECK_VALIDATE_ERROR("\"timeOffsets\": {}",
                         "linux.timeOffsets: time namespace offsets specified, but time namespace "
                         "isn't enabled in the config");
    CHECK_VALIDATE_ERROR("\"namespaces\": [{\"type\": \"time\", \"path\": \"/proc/self/ns/time\"}],"
                         " \"timeOffsets\": {}",
                         "both namespace path and time offsets specified -- you may only provide "
                         "one");
    CHECK_VALIDATE_ERROR("\"namespaces\": [{\"type\": \"time\"}],"
                         " \"timeOffsets\": {\"boottime\": {\"nanosecs\": 1000000000}}",
                         "linux.timeOffsets.boottime.nanosecs: 1000000000 is not below one second");
}

static void test_memory_policy(void)
{
    _cleanup_spec_ struct cradle_spec *spec =
        parse_linux("\"memoryPolicy\": {\"mode\": \"MPOL_INTERLEAVE\", \"nodes\": \" 0-2, ,5 \","
                    " \"flags\": [\"MPOL_F_STATIC_NODES\", \"MPOL_F_NUMA_BALANCING\"]}");
    CHECK(spec != NULL);
    if (spec == NULL)
        return;
    const struct cradle_spec_memory_policy *mp = &spec->linux_.memory_policy;
    CHECK(mp->set && mp->mode == 3 /* MPOL_INTERLEAVE */);
    CHECK(mp->flags == ((1 << 15) | (1 << 13)));
    CHECK_STREQ(mp->nodes, " 0-2, ,5 ");
    CHECK(node_set(mp, 0) && node_set(mp, 1) && node_set(mp, 2) && !node_set(mp, 3) &&
          !node_set(mp, 4) && node_set(mp, 5) && !node_set(mp, 6));
    _cleanup_spec_ struct cradle_spec *local =
        parse_linux("\"memoryPolicy\": {\"mode\": \"MPOL_LOCAL\", \"nodes\": \"\"}");
    CHECK(local != NULL && local->linux_.memory_policy.set &&
          local->linux_.memory_policy.mode == 4 && local->linux_.memory_policy.nodes == NULL);
    _cleanup_spec_ struct cradle_spec *last =
        parse_linux("\"memoryPolicy\": {\"mode\": \"MPOL_BIND\", \"nodes\": \"1023\"}");
    CHECK(last != NULL && node_set(&last->linux_.memory_policy, 1023));
}

static void test_memory_policy_errors(void)
{
    CHECK_PARSE_ERROR("\"memoryPolicy\": {}", "linux.memoryPolicy.mode: missing");
    CHECK_PARSE_ERROR("\"memoryPolicy\": {\"mode\": \"bind\"}",
                      "linux.memoryPolicy.mode: invalid memory policy mode \"bind\"");
    CHECK_PARSE_ERROR("\"memoryPolicy\": {\"mode\": \"MPOL_BIND\", \"flags\": [\"MPOL_F_X\"]}",
                      "linux.memoryPolicy.flags[0]: invalid memory policy flag \"MPOL_F_X\"");
    CHECK_PARSE_ERROR("\"memoryPolicy\": {\"mode\": \"MPOL_BIND\", \"nodes\": \"2-1\"}",
                      "invalid memory policy nodes \"2-1\": invalid range: 2-1");
    CHECK_PARSE_ERROR("\"memoryPolicy\": {\"mode\": \"MPOL_BIND\", \"nodes\": \"1024\"}",
                      "values larger than 1023 are not supported");
    CHECK_PARSE_ERROR("\"memoryPolicy\": {\"mode\": \"MPOL_BIND\", \"nodes\": \"-1\"}",
                      "invalid node number \"\"");
    CHECK_PARSE_ERROR("\"memoryPolicy\": {\"mode\": \"MPOL_BIND\", \"nodes\": \"0x1\"}",
                      "invalid node number \"0x1\"");
    CHECK_PARSE_ERROR("\"memoryPolicy\": {\"mode\": \"MPOL_BIND\", \"nodes\": \" , \"}",
                      "no nodes found in \" , \"");
    CHECK_PARSE_ERROR("\"memoryPolicy\": {\"mode\": \"MPOL_BIND\", \"nodes\": 0}",
                      "linux.memoryPolicy.nodes: expected string");
    CHECK_VALIDATE_ERROR("\"memoryPolicy\": {\"mode\": \"MPOL_DEFAULT\", \"nodes\": \"0\"}",
                         "linux.memoryPolicy.nodes: MPOL_DEFAULT takes no nodes");
    CHECK_VALIDATE_ERROR("\"memoryPolicy\": {\"mode\": \"MPOL_PREFERRED_MANY\"}",
                         "linux.memoryPolicy.nodes: MPOL_PREFERRED_MANY needs at least one node");
    CHECK_VALIDATE_ERROR("\"memoryPolicy\": {\"mode\": \"MPOL_BIND\", \"nodes\": \"0\","
                         " \"flags\": [\"MPOL_F_RELATIVE_NODES\", \"MPOL_F_STATIC_NODES\"]}",
                         "MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES are mutually exclusive");
    /* Static nodes may name nodes the host does not have (yet): the kernel decides. */
    _cleanup_free_ char *ok =
        validate_error("\"memoryPolicy\": {\"mode\": \"MPOL_BIND\","
                       " \"nodes\": \"1000\", \"flags\": [\"MPOL_F_STATIC_NODES\"]}");
    CHECK(ok == NULL);
}

static void test_mode_and_flag_names(void)
{
    size_t n = 0;
    while (cradle_mempolicy_mode_name(n) != NULL)
        n++;
    CHECK(n == 7);
    CHECK_STREQ(cradle_mempolicy_mode_name(0), "MPOL_DEFAULT");
    CHECK_STREQ(cradle_mempolicy_mode_name(6), "MPOL_WEIGHTED_INTERLEAVE");
    CHECK_STREQ(cradle_mempolicy_flag_name(2), "MPOL_F_STATIC_NODES");
    CHECK(cradle_mempolicy_flag_name(3) == NULL);
}

RUN_TESTS(test_personality, test_time_offsets, test_time_offsets_need_a_new_time_namespace,
          test_memory_policy, test_memory_policy_errors, test_mode_and_flag_names)
