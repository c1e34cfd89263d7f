/* process.scheduler, process.ioPriority and process.execCPUAffinity: names to the kernel's
 * numbers and CPU lists to masks, with runc 1.2's names (configs.ToSchedAttr,
 * IOPrioClassMapping, toCPUSet). Values against each other: spec/validate_sched.c. */
#include "spec_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"

/* The kernel's numbers (uapi linux/sched.h); SCHED_ISO was reserved and never merged. */
static const struct spec_named_value policies[] = {
    {"SCHED_OTHER", 0}, {"SCHED_FIFO", 1}, {"SCHED_RR", 2},       {"SCHED_BATCH", 3},
    {"SCHED_ISO", 4},   {"SCHED_IDLE", 5}, {"SCHED_DEADLINE", 6},
};

static const struct spec_named_value sched_flags[] = {
    {"SCHED_FLAG_RESET_ON_FORK", 0x01},  {"SCHED_FLAG_RECLAIM", 0x02},
    {"SCHED_FLAG_DL_OVERRUN", 0x04},     {"SCHED_FLAG_KEEP_POLICY", 0x08},
    {"SCHED_FLAG_KEEP_PARAMS", 0x10},    {"SCHED_FLAG_UTIL_CLAMP_MIN", 0x20},
    {"SCHED_FLAG_UTIL_CLAMP_MAX", 0x40},
};

static const struct spec_named_value io_classes[] = {
    {"IOPRIO_CLASS_RT", 1}, {"IOPRIO_CLASS_BE", 2}, {"IOPRIO_CLASS_IDLE", 3}};

const char *cradle_sched_policy_name(int policy)
{
    for (size_t i = 0; i < SPEC_N_ELEMS(policies); i++)
        if (policies[i].value == (uint64_t)policy)
            return policies[i].name;
    return NULL;
}

static int parse_policy(struct json_object *sched, struct cradle_spec_scheduler *s,
                        cradle_error **err)
{
    const char *path = "process.scheduler";
    _cleanup_free_ char *name = NULL;
    int r = spec_get_string(sched, path, "policy", &name, err);
    if (r < 0)
        return -1;
    if (r == 0 || *name == '\0')
        return cradle_error_set(err, 0, "%s.policy: scheduler policy is required", path);
    const struct spec_named_value *policy =
        spec_named_value_find(policies, SPEC_N_ELEMS(policies), name);
    if (policy == NULL)
        return cradle_error_set(err, 0, "%s.policy: invalid scheduler policy: %s", path, name);
    s->policy = (int)policy->value;
    return 0;
}

static int parse_sched_flags(struct json_object *sched, struct cradle_spec_scheduler *s,
                             cradle_error **err)
{
    const char *path = "process.scheduler";
    _cleanup_strv_ char **flags = NULL;
    size_t n = 0;
    if (spec_get_strv(sched, path, "flags", &flags, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const struct spec_named_value *flag =
            spec_named_value_find(sched_flags, SPEC_N_ELEMS(sched_flags), flags[i]);
        if (flag == NULL) {
            char where[SPEC_PATH_MAX];
            return cradle_error_set(err, 0, "%s: invalid scheduler flag: %s",
                                    spec_path_index(where, "process.scheduler.flags", i), flags[i]);
        }
        s->flags |= flag->value;
    }
    return 0;
}

static int parse_scheduler(struct json_object *proc, struct cradle_spec_process *p,
                           cradle_error **err)
{
    const char *path = "process.scheduler";
    struct cradle_spec_scheduler *s = &p->scheduler;
    struct json_object *sched = NULL;
    int present = spec_get_object(proc, "process", "scheduler", &sched, err);
    if (present <= 0)
        return present;
    if (parse_policy(sched, s, err) < 0 || parse_sched_flags(sched, s, err) < 0 ||
        spec_get_int(sched, path, "nice", &s->nice, err) < 0 ||
        spec_get_int(sched, path, "priority", &s->priority, err) < 0 ||
        spec_get_u64(sched, path, "runtime", &s->runtime, err) < 0 ||
        spec_get_u64(sched, path, "deadline", &s->deadline, err) < 0 ||
        spec_get_u64(sched, path, "period", &s->period, err) < 0)
        return -1;
    p->has_scheduler = true;
    return 0;
}

static int parse_io_priority(struct json_object *proc, struct cradle_spec_process *p,
                             cradle_error **err)
{
    const char *path = "process.ioPriority";
    struct json_object *obj = NULL;
    int present = spec_get_object(proc, "process", "ioPriority", &obj, err);
    if (present <= 0)
        return present;
    _cleanup_free_ char *name = NULL;
    int r = spec_get_string(obj, path, "class", &name, err);
    if (r < 0)
        return -1;
    if (r == 0)
        return spec_missing(path, "class", err);
    const struct spec_named_value *class =
        spec_named_value_find(io_classes, SPEC_N_ELEMS(io_classes), name);
    if (class == NULL)
        return cradle_error_set(err, 0, "%s.class: invalid io priority class: %s", path, name);
    p->io_priority.class = (int)class->value;
    if (spec_get_int(obj, path, "priority", &p->io_priority.priority, err) < 0)
        return -1;
    p->has_io_priority = true;
    return 0;
}

/* A CPU number as runc's toCPUSet reads it (strconv.ParseUint: decimal digits only). */
static int parse_cpu(const char *text, size_t len, const char *where, unsigned *cpu,
                     cradle_error **err)
{
    const unsigned max_cpu = 8 * sizeof(struct cradle_cpu_mask);
    unsigned long v = 0;
    if (len == 0)
        return cradle_error_set(err, 0, "%s: invalid CPU number \"\"", where);
    for (size_t i = 0; i < len; i++) {
        if (text[i] < '0' || text[i] > '9')
            return cradle_error_set(err, 0, "%s: invalid CPU number \"%.*s\"", where, (int)len,
                                    text);
        v = v * 10 + (unsigned long)(text[i] - '0');
        if (v >= max_cpu)
            return cradle_error_set(err, 0, "%s: values larger than %u are not supported", where,
                                    max_cpu - 1);
    }
    *cpu = (unsigned)v;
    return 0;
}

static void mask_set(struct cradle_cpu_mask *m, unsigned cpu)
{
    const unsigned word_bits = 8 * sizeof(m->bits[0]);
    m->bits[cpu / word_bits] |= 1UL << (cpu % word_bits);
}

/* One element of a CPU list, "N" or "N-M", already trimmed and not empty. */
static int parse_cpu_range(const char *elem, size_t len, const char *where,
                           struct cradle_cpu_mask *m, cradle_error **err)
{
    const char *dash = memchr(elem, '-', len);
    unsigned first = 0, last = 0;
    if (dash == NULL) {
        if (parse_cpu(elem, len, where, &first, err) < 0)
            return -1;
        mask_set(m, first);
        return 0;
    }
    if (parse_cpu(elem, (size_t)(dash - elem), where, &first, err) < 0 ||
        parse_cpu(dash + 1, len - (size_t)(dash - elem) - 1, where, &last, err) < 0)
        return -1;
    if (first > last)
        return cradle_error_set(err, 0, "%s: invalid range: %.*s", where, (int)len, elem);
    for (unsigned cpu = first; cpu <= last; cpu++)
        mask_set(m, cpu);
    return 0;
}

/* "0-3,7": elements separated by commas, white space around them and empty ones allowed,
 * at least one CPU in all, as runc's toCPUSet. */
static int parse_cpu_list(const char *list, const char *where, struct cradle_cpu_mask *m,
                          cradle_error **err)
{
    bool any = false;
    for (const char *elem = list; *elem;) {
        size_t len = strcspn(elem, ",");
        const char *next = elem + len + (elem[len] == ',');
        while (len > 0 && strchr(" \t\n\v\f\r", *elem)) {
            elem++;
            len--;
        }
        while (len > 0 && strchr(" \t\n\v\f\r", elem[len - 1]))
            len--;
        if (len > 0) {
            if (parse_cpu_range(elem, len, where, m, err) < 0)
                return -1;
            any = true;
        }
        elem = next;
    }
    if (!any)
        return cradle_error_set(err, 0, "%s: no CPUs found in \"%s\"", where, list);
    return 0;
}

/* An absent or empty list leaves the affinity as it is. */
static int parse_affinity_list(struct json_object *obj, const char *key, bool *has,
                               struct cradle_cpu_mask *m, cradle_error **err)
{
    const char *path = "process.execCPUAffinity";
    char where[SPEC_PATH_MAX];
    _cleanup_free_ char *list = NULL;
    int r = spec_get_string(obj, path, key, &list, err);
    if (r <= 0 || *list == '\0')
        return r < 0 ? -1 : 0;
    if (parse_cpu_list(list, spec_path_join(where, path, key), m, err) < 0)
        return -1;
    *has = true;
    return 0;
}

static int parse_exec_affinity(struct json_object *proc, struct cradle_spec_process *p,
                               cradle_error **err)
{
    struct cradle_spec_exec_affinity *a = &p->exec_affinity;
    struct json_object *obj = NULL;
    int present = spec_get_object(proc, "process", "execCPUAffinity", &obj, err);
    if (present <= 0)
        return present;
    if (parse_affinity_list(obj, "initial", &a->has_initial, &a->initial, err) < 0 ||
        parse_affinity_list(obj, "final", &a->has_final, &a->final, err) < 0)
        return -1;
    return 0;
}

int spec_parse_process_sched(struct json_object *proc, struct cradle_spec_process *p,
                             cradle_error **err)
{
    if (parse_scheduler(proc, p, err) < 0 || parse_io_priority(proc, p, err) < 0 ||
        parse_exec_affinity(proc, p, err) < 0)
        return -1;
    return 0;
}
