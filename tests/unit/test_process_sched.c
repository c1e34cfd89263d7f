/* process.scheduler, process.ioPriority and process.execCPUAffinity: parsing into the
 * kernel's numbers and masks, and runc 1.2's validation, each error naming its field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"
#include "cradle/spec.h"
#include "harness.h"
#include "spec_documents.h"

/* A document whose process has the members `members` besides args. */
static char *process_document(const char *members)
{
    char *extra = NULL;
    if (asprintf(&extra, "\"process\": {\"args\": [\"sh\"]%s%s}", *members ? ", " : "", members) <
        0)
        return NULL;
    char *doc = spec_document(extra);
    free(extra);
    return doc;
}

static struct cradle_spec *parse_ok(const char *members)
{
    _cleanup_free_ char *doc = process_document(members);
    return spec_parse_text_ok(doc);
}

/* The parser's or the validation's error for the members, or NULL when both pass. */
static char *error_of(const char *members)
{
    _cleanup_free_ char *doc = process_document(members);
    return spec_validate_error_of_text(doc);
}

#define CHECK_ERROR(members, expected)                                                             \
    do {                                                                                           \
        _cleanup_free_ char *_msg = error_of(members);                                             \
        CHECK_CONTAINS(_msg, expected);                                                            \
    } while (0)

#define CHECK_ACCEPTED(members)                                                                    \
    do {                                                                                           \
        _cleanup_free_ char *_msg = error_of(members);                                             \
        if (_msg)                                                                                  \
            fprintf(stderr, "unexpected: %s\n", _msg);                                             \
        CHECK(_msg == NULL);                                                                       \
    } while (0)

static bool cpu_in(const struct cradle_cpu_mask *m, unsigned cpu)
{
    const unsigned word_bits = 8 * sizeof(m->bits[0]);
    return (m->bits[cpu / word_bits] >> (cpu % word_bits)) & 1;
}

static unsigned cpu_count(const struct cradle_cpu_mask *m)
{
    unsigned n = 0;
    for (unsigned cpu = 0; cpu < 8 * sizeof(m->bits); cpu++)
        n += cpu_in(m, cpu);
    return n;
}

static void test_scheduler_policies(void)
{
    static const struct {
        const char *name;
        int number;
    } policies[] = {{"SCHED_OTHER", 0}, {"SCHED_FIFO", 1}, {"SCHED_RR", 2},      {"SCHED_BATCH", 3},
                    {"SCHED_ISO", 4},   {"SCHED_IDLE", 5}, {"SCHED_DEADLINE", 6}};
    for (size_t i = 0; i < sizeof(policies) / sizeof(policies[0]); i++) {
        char members[128];
        snprintf(members, sizeof(members), "\"scheduler\": {\"policy\": \"%s\"}", policies[i].name);
        _cleanup_spec_ struct cradle_spec *spec = parse_ok(members);
        CHECK(spec && spec->process.has_scheduler);
        CHECK(spec && spec->process.scheduler.policy == policies[i].number);
        CHECK_STREQ(cradle_sched_policy_name(policies[i].number), policies[i].name);
    }
    CHECK(cradle_sched_policy_name(7) == NULL);
}

static void test_scheduler_fields(void)
{
    _cleanup_spec_ struct cradle_spec *spec = parse_ok(
        "\"scheduler\": {\"policy\": \"SCHED_DEADLINE\", \"runtime\": 42000, \"deadline\": "
        "1000000, \"period\": 2000000, \"flags\": [\"SCHED_FLAG_RESET_ON_FORK\", "
        "\"SCHED_FLAG_RECLAIM\", \"SCHED_FLAG_DL_OVERRUN\", \"SCHED_FLAG_KEEP_POLICY\", "
        "\"SCHED_FLAG_KEEP_PARAMS\", \"SCHED_FLAG_UTIL_CLAMP_MIN\", "
        "\"SCHED_FLAG_UTIL_CLAMP_MAX\"]}");
    CHECK(spec != NULL);
    if (spec == NULL)
        return;
    const struct cradle_spec_scheduler *s = &spec->process.scheduler;
    CHECK(s->runtime == 42000 && s->deadline == 1000000 && s->period == 2000000);
    CHECK(s->flags == 0x7f);
    CHECK(!spec->process.has_io_priority);
    CHECK(!spec->process.exec_affinity.has_initial && !spec->process.exec_affinity.has_final);

    _cleanup_spec_ struct cradle_spec *batch =
        parse_ok("\"scheduler\": {\"policy\": \"SCHED_BATCH\", \"nice\": -20}");
    CHECK(batch && batch->process.scheduler.nice == -20 && batch->process.scheduler.flags == 0);
    _cleanup_spec_ struct cradle_spec *fifo =
        parse_ok("\"scheduler\": {\"policy\": \"SCHED_FIFO\", \"priority\": 99}");
    CHECK(fifo && fifo->process.scheduler.priority == 99);
}

static void test_scheduler_parse_errors(void)
{
    CHECK_ERROR("\"scheduler\": {}", "process.scheduler.policy: scheduler policy is required");
    CHECK_ERROR("\"scheduler\": {\"policy\": \"\"}",
                "process.scheduler.policy: scheduler policy is required");
    CHECK_ERROR("\"scheduler\": {\"policy\": \"SCHED_NORMAL\"}",
                "process.scheduler.policy: invalid scheduler policy: SCHED_NORMAL");
    CHECK_ERROR("\"scheduler\": {\"policy\": 1}", "process.scheduler.policy: expected string");
    CHECK_ERROR("\"scheduler\": {\"policy\": \"SCHED_OTHER\", \"flags\": [\"SCHED_FLAG_RECLAIM\", "
                "\"SCHED_FLAG_X\"]}",
                "process.scheduler.flags[1]: invalid scheduler flag: SCHED_FLAG_X");
    CHECK_ERROR("\"scheduler\": {\"policy\": \"SCHED_OTHER\", \"nice\": 2147483648}",
                "process.scheduler.nice: expected a 32-bit integer");
    CHECK_ERROR("\"scheduler\": {\"policy\": \"SCHED_DEADLINE\", \"runtime\": -1}",
                "process.scheduler.runtime");
    CHECK_ERROR("\"scheduler\": \"SCHED_OTHER\"", "process.scheduler: expected object");
}

/* runc 1.2's configs/validate scheduler(): nice only for SCHED_OTHER and SCHED_BATCH. */
static void test_scheduler_validation(void)
{
    CHECK_ERROR("\"scheduler\": {\"policy\": \"SCHED_OTHER\", \"nice\": 20}",
                "process.scheduler.nice: invalid scheduler.nice: 20 when scheduler.policy is "
                "SCHED_OTHER");
    CHECK_ERROR("\"scheduler\": {\"policy\": \"SCHED_BATCH\", \"nice\": -21}",
                "invalid scheduler.nice: -21 when scheduler.policy is SCHED_BATCH");
    CHECK_ACCEPTED("\"scheduler\": {\"policy\": \"SCHED_OTHER\", \"nice\": 19}");
    CHECK_ACCEPTED("\"scheduler\": {\"policy\": \"SCHED_IDLE\", \"nice\": 30}");
    CHECK_ERROR("\"scheduler\": {\"policy\": \"SCHED_OTHER\", \"priority\": 1}",
                "process.scheduler.priority: scheduler.priority can only be specified for "
                "SchedFIFO or SchedRR policy");
    CHECK_ACCEPTED("\"scheduler\": {\"policy\": \"SCHED_RR\", \"priority\": 1}");
    CHECK_ERROR("\"scheduler\": {\"policy\": \"SCHED_FIFO\", \"priority\": 1, \"period\": 1}",
                "process.scheduler: scheduler runtime/deadline/period can only be specified for "
                "SchedDeadline policy");
    CHECK_ACCEPTED("\"scheduler\": {\"policy\": \"SCHED_DEADLINE\", \"runtime\": 1000}");
}

static void test_io_priority(void)
{
    static const struct {
        const char *name;
        int number;
    } classes[] = {{"IOPRIO_CLASS_RT", 1}, {"IOPRIO_CLASS_BE", 2}, {"IOPRIO_CLASS_IDLE", 3}};
    for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
        char members[128];
        snprintf(members, sizeof(members), "\"ioPriority\": {\"class\": \"%s\", \"priority\": 7}",
                 classes[i].name);
        _cleanup_spec_ struct cradle_spec *spec = parse_ok(members);
        CHECK(spec && spec->process.has_io_priority);
        CHECK(spec && spec->process.io_priority.class == classes[i].number);
        CHECK(spec && spec->process.io_priority.priority == 7);
    }
    CHECK_ERROR("\"ioPriority\": {\"priority\": 1}", "process.ioPriority.class: missing");
    CHECK_ERROR("\"ioPriority\": {\"class\": \"IOPRIO_CLASS_NONE\"}",
                "process.ioPriority.class: invalid io priority class: IOPRIO_CLASS_NONE");
    CHECK_ERROR("\"ioPriority\": {\"class\": \"IOPRIO_CLASS_BE\", \"priority\": 8}",
                "process.ioPriority.priority: invalid ioPriority.Priority: 8");
    CHECK_ERROR("\"ioPriority\": {\"class\": \"IOPRIO_CLASS_BE\", \"priority\": -1}",
                "process.ioPriority.priority: invalid ioPriority.Priority: -1");
    CHECK_ACCEPTED("\"ioPriority\": {\"class\": \"IOPRIO_CLASS_IDLE\"}");
}

static void test_exec_affinity_lists(void)
{
    _cleanup_spec_ struct cradle_spec *spec =
        parse_ok("\"execCPUAffinity\": {\"initial\": \"0-3,7\", \"final\": \" 1 ,, 1023,\"}");
    CHECK(spec != NULL);
    if (spec == NULL)
        return;
    const struct cradle_spec_exec_affinity *a = &spec->process.exec_affinity;
    CHECK(a->has_initial && a->has_final);
    CHECK(cpu_count(&a->initial) == 5);
    CHECK(cpu_in(&a->initial, 0) && cpu_in(&a->initial, 3) && cpu_in(&a->initial, 7));
    CHECK(!cpu_in(&a->initial, 4));
    CHECK(cpu_count(&a->final) == 2 && cpu_in(&a->final, 1) && cpu_in(&a->final, 1023));

    /* Empty or absent: the affinity is left alone. */
    _cleanup_spec_ struct cradle_spec *empty =
        parse_ok("\"execCPUAffinity\": {\"initial\": \"\", \"final\": \"1\"}");
    CHECK(empty && !empty->process.exec_affinity.has_initial);
    CHECK(empty && empty->process.exec_affinity.has_final);
    _cleanup_spec_ struct cradle_spec *none = parse_ok("\"execCPUAffinity\": {}");
    CHECK(none && !none->process.exec_affinity.has_initial);
    CHECK(none && !none->process.exec_affinity.has_final);
}

static void test_exec_affinity_errors(void)
{
    static const struct {
        const char *list, *expected;
    } cases[] = {
        {"3-1", "process.execCPUAffinity.initial: invalid range: 3-1"},
        {"a", "process.execCPUAffinity.initial: invalid CPU number \"a\""},
        {"1-", "process.execCPUAffinity.initial: invalid CPU number \"\""},
        {"-1", "process.execCPUAffinity.initial: invalid CPU number \"\""},
        {"+1", "process.execCPUAffinity.initial: invalid CPU number \"+1\""},
        {"0 - 1", "process.execCPUAffinity.initial: invalid CPU number \"0 \""},
        {"1024", "process.execCPUAffinity.initial: values larger than 1023 are not supported"},
        {"0-99999999999999999999", "values larger than 1023 are not supported"},
        {",", "process.execCPUAffinity.initial: no CPUs found in \",\""},
        {" ", "process.execCPUAffinity.initial: no CPUs found in \" \""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char members[128];
        snprintf(members, sizeof(members), "\"execCPUAffinity\": {\"initial\": \"%s\"}",
                 cases[i].list);
        CHECK_ERROR(members, cases[i].expected);
    }
    CHECK_ERROR("\"execCPUAffinity\": {\"final\": \"2-1\"}",
                "process.execCPUAffinity.final: invalid range: 2-1");
    CHECK_ERROR("\"execCPUAffinity\": {\"final\": 1}",
                "process.execCPUAffinity.final: expected string");
}

/* exec --process FILE: the same parser, and the validation exec runs. */
static void test_process_file(void)
{
    _cleanup_spec_ struct cradle_spec *spec = NULL;
    _cleanup_error_ cradle_error *err = NULL;
    CHECK(cradle_spec_parse_process(
              "{\"args\": [\"sh\"], \"cwd\": \"/\", \"scheduler\": {\"policy\": \"SCHED_BATCH\", "
              "\"nice\": 5}, \"ioPriority\": {\"class\": \"IOPRIO_CLASS_BE\", \"priority\": 9}, "
              "\"execCPUAffinity\": {\"initial\": \"0\", \"final\": \"1\"}}",
              &spec, &err) == 0);
    CHECK(spec);
    CHECK(spec && spec->process.has_scheduler && spec->process.scheduler.nice == 5);
    CHECK(spec && spec->process.exec_affinity.has_initial && spec->process.exec_affinity.has_final);
    CHECK(spec && cradle_spec_validate_process(spec, &err) < 0);
    CHECK_CONTAINS(err ? err->msg : NULL,
                   "process.ioPriority.priority: invalid ioPriority.Priority: 9");
}

RUN_TESTS(test_scheduler_policies, test_scheduler_fields, test_scheduler_parse_errors,
          test_scheduler_validation, test_io_priority, test_exec_affinity_lists,
          test_exec_affinity_errors, test_process_file)
