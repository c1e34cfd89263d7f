/* Unit properties: the list sent over D-Bus, and the resource properties systemd owns,
 * converted from linux.resources as runc 1.1 converts them (v1.go, v2.go, common.go). */
#include "systemd_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"

#define DEFAULT_CPU_QUOTA_PERIOD 100000ULL /* µs, the kernel's default on v1 and v2 */

/* The systemd versions that first have these properties. */
#define SYSTEMD_HAS_CPU_QUOTA_PERIOD 242
#define SYSTEMD_HAS_ALLOWED_CPUS     244

static struct systemd_prop *props_grow(struct systemd_props *p, const char *name,
                                       enum systemd_prop_type type, cradle_error **err)
{
    struct systemd_prop *items = realloc(p->items, (p->n + 1) * sizeof(*items));
    if (items == NULL) {
        cradle_error_set(err, ENOMEM, "systemd property %s", name);
        return NULL;
    }
    p->items = items;
    struct systemd_prop *prop = &items[p->n++];
    *prop = (struct systemd_prop){.name = name, .type = type};
    return prop;
}

int systemd_props_add_u64(struct systemd_props *p, const char *name, uint64_t value,
                          cradle_error **err)
{
    struct systemd_prop *prop = props_grow(p, name, SYSTEMD_PROP_U64, err);
    if (prop == NULL)
        return -1;
    prop->u64 = value;
    return 0;
}

int systemd_props_add_bool(struct systemd_props *p, const char *name, bool value,
                           cradle_error **err)
{
    struct systemd_prop *prop = props_grow(p, name, SYSTEMD_PROP_BOOL, err);
    if (prop == NULL)
        return -1;
    prop->u64 = value;
    return 0;
}

int systemd_props_add_string(struct systemd_props *p, const char *name, const char *value,
                             cradle_error **err)
{
    struct systemd_prop *prop = props_grow(p, name, SYSTEMD_PROP_STRING, err);
    if (prop == NULL)
        return -1;
    if ((prop->str = strdup(value)) == NULL)
        return cradle_error_set(err, ENOMEM, "systemd property %s", name);
    return 0;
}

int systemd_props_add_pid(struct systemd_props *p, const char *name, pid_t pid, cradle_error **err)
{
    struct systemd_prop *prop = props_grow(p, name, SYSTEMD_PROP_PIDS, err);
    if (prop == NULL)
        return -1;
    prop->u64 = (uint64_t)pid;
    return 0;
}

static int props_add_bits(struct systemd_props *p, const char *name, const char *list,
                          const char *field, cradle_error **err)
{
    struct systemd_prop *prop = props_grow(p, name, SYSTEMD_PROP_BITS, err);
    if (prop == NULL)
        return -1;
    return systemd_range_to_bits(list, field, &prop->bits, &prop->n_bits, err);
}

int systemd_props_add_pairs(struct systemd_props *p, const char *name, cradle_error **err)
{
    return props_grow(p, name, SYSTEMD_PROP_PAIRS, err) ? 0 : -1;
}

int systemd_prop_add_pair(struct systemd_prop *prop, const char *first, const char *second,
                          cradle_error **err)
{
    char **pairs = realloc(prop->pairs, (prop->n_pairs + 1) * 2 * sizeof(char *));
    if (pairs == NULL)
        return cradle_error_set(err, ENOMEM, "systemd property %s", prop->name);
    prop->pairs = pairs;
    pairs[2 * prop->n_pairs] = strdup(first);
    pairs[2 * prop->n_pairs + 1] = strdup(second);
    prop->n_pairs++;
    if (pairs[2 * prop->n_pairs - 2] == NULL || pairs[2 * prop->n_pairs - 1] == NULL)
        return cradle_error_set(err, ENOMEM, "systemd property %s", prop->name);
    return 0;
}

void systemd_props_free(struct systemd_props *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->items[i].str);
        free(p->items[i].bits);
        for (size_t j = 0; j < 2 * p->items[i].n_pairs; j++)
            free(p->items[i].pairs[j]);
        free(p->items[i].pairs);
    }
    free(p->items);
    *p = (struct systemd_props){0};
}

static int parse_cpu_number(const char **s, unsigned long *out)
{
    char *end;
    if (**s < '0' || **s > '9')
        return -1;
    errno = 0;
    *out = strtoul(*s, &end, 10);
    /* A sane bound: systemd's own CPU sets stop at 8192 CPUs. */
    if (errno || *out >= 8192)
        return -1;
    *s = end;
    return 0;
}

int systemd_range_to_bits(const char *list, const char *field, uint8_t **bits, size_t *n_bits,
                          cradle_error **err)
{
    _cleanup_free_ uint8_t *mask = NULL;
    size_t n = 0;
    for (const char *s = list; *s;) {
        unsigned long lo, hi;
        if (parse_cpu_number(&s, &lo) < 0)
            goto invalid;
        hi = lo;
        if (*s == '-') {
            s++;
            if (parse_cpu_number(&s, &hi) < 0 || hi < lo)
                goto invalid;
        }
        if (*s == ',' && s[1] != '\0')
            s++;
        else if (*s != '\0')
            goto invalid;
        if (hi / 8 + 1 > n) {
            uint8_t *grown = realloc(mask, hi / 8 + 1);
            if (grown == NULL)
                return cradle_error_set(err, ENOMEM, "%s", field);
            memset(grown + n, 0, hi / 8 + 1 - n);
            mask = grown;
            n = hi / 8 + 1;
        }
        for (unsigned long cpu = lo; cpu <= hi; cpu++)
            mask[cpu / 8] |= (uint8_t)(1u << (cpu % 8));
    }
    if (n == 0)
        goto invalid;
    *bits = TAKE_PTR(mask);
    *n_bits = n;
    return 0;
invalid:
    return cradle_error_set(err, EINVAL, "%s: invalid CPU or node list \"%s\"", field, list);
}

static uint64_t limit_value(int64_t v)
{
    return v < 0 ? SYSTEMD_INFINITY : (uint64_t)v;
}

/* runc's ConvertCPUSharesToCgroupV2Value: [2, 262144] onto [1, 10000]. */
static uint64_t cpu_shares_to_weight(uint64_t shares)
{
    if (shares < 2)
        shares = 2;
    if (shares > 262144)
        shares = 262144;
    return 1 + ((shares - 2) * 9999) / 262142;
}

/* runc's addCpuQuota: systemd takes the quota as CPU time per second, in whole percents
 * of a CPU (rounded up so that the cgroup's own cpu.max can be what was asked). */
static int add_cpu_quota(struct systemd_props *p, int64_t quota, uint64_t period, int version,
                         cradle_error **err)
{
    if (period != 0 && version >= SYSTEMD_HAS_CPU_QUOTA_PERIOD &&
        systemd_props_add_u64(p, "CPUQuotaPeriodUSec", period, err) < 0)
        return -1;
    if (quota == 0 && period == 0)
        return 0;
    uint64_t per_sec = SYSTEMD_INFINITY;
    if (quota > 0) {
        if (period == 0)
            period = DEFAULT_CPU_QUOTA_PERIOD;
        per_sec = (uint64_t)quota * 1000000 / period;
        if (per_sec % 10000 != 0)
            per_sec = (per_sec / 10000 + 1) * 10000;
    }
    return systemd_props_add_u64(p, "CPUQuotaPerSecUSec", per_sec, err);
}

static int add_cpuset(struct systemd_props *p, const struct cradle_resources_cpu *cpu, int version,
                      cradle_error **err)
{
    /* An older systemd leaves them to the cgroup files alone. */
    if (version < SYSTEMD_HAS_ALLOWED_CPUS)
        return 0;
    if (cpu->cpus && *cpu->cpus &&
        props_add_bits(p, "AllowedCPUs", cpu->cpus, "linux.resources.cpu.cpus", err) < 0)
        return -1;
    if (cpu->mems && *cpu->mems &&
        props_add_bits(p, "AllowedMemoryNodes", cpu->mems, "linux.resources.cpu.mems", err) < 0)
        return -1;
    return 0;
}

/* runc's ConvertMemorySwapToCgroupV2Value: memory.swap is memory+swap, MemorySwapMax is
 * swap alone. 0 = not set, -1 = unlimited. */
static int swap_for_v2(int64_t swap, int64_t memory, int64_t *out, cradle_error **err)
{
    if (memory == -1 && swap == 0)
        *out = -1;
    else if (swap == -1 || swap == 0)
        *out = swap;
    else if (memory == 0 || memory == -1)
        return cradle_error_set(err, EINVAL,
                                "linux.resources.memory.swap: unable to set swap "
                                "limit without memory limit");
    else if (swap < memory)
        return cradle_error_set(err, EINVAL,
                                "linux.resources.memory.swap: memory+swap limit "
                                "should be >= memory limit");
    else
        *out = swap - memory;
    return 0;
}

static int parse_u64_or_max(const char *key, const char *value, uint64_t *out, cradle_error **err)
{
    char *end;
    if (strcmp(value, "max") == 0) {
        *out = SYSTEMD_INFINITY;
        return 0;
    }
    errno = 0;
    *out = strtoull(value, &end, 10);
    if (errno || end == value || *end != '\0' || *value == '-')
        return cradle_error_set(err, EINVAL, "linux.resources.unified.%s: invalid value \"%s\"",
                                key, value);
    return 0;
}

/* runc's unifiedResToSystemdProps: the raw cgroup v2 files systemd has a property for;
 * the others are only written to the files (cradle_cgroup_apply). */
static int add_unified_entry(struct systemd_props *p, const char *key, const char *raw, int version,
                             cradle_error **err)
{
    static const struct {
        const char *file, *prop;
    } u64_files[] = {
        {"memory.high", "MemoryHigh"},        {"memory.low", "MemoryLow"},
        {"memory.min", "MemoryMin"},          {"memory.max", "MemoryMax"},
        {"memory.swap.max", "MemorySwapMax"}, {"pids.max", "TasksMax"},
        {"cpu.weight", "CPUWeight"},
    };
    _cleanup_free_ char *value = strdup(raw + strspn(raw, " \t\n"));
    if (value == NULL)
        return cradle_error_set(err, ENOMEM, "linux.resources.unified.%s", key);
    for (size_t len = strlen(value); len && strchr(" \t\n", value[len - 1]); len--)
        value[len - 1] = '\0';
    uint64_t v;
    for (size_t i = 0; i < sizeof(u64_files) / sizeof(u64_files[0]); i++) {
        if (strcmp(key, u64_files[i].file) != 0)
            continue;
        if (parse_u64_or_max(key, value, &v, err) < 0)
            return -1;
        return systemd_props_add_u64(p, u64_files[i].prop, v, err);
    }
    if (strcmp(key, "cpu.max") == 0) {
        /* "QUOTA [PERIOD]", QUOTA "max" for none */
        uint64_t quota = 0, period = DEFAULT_CPU_QUOTA_PERIOD;
        char *space = strpbrk(value, " \t");
        if (space) {
            *space = '\0';
            if (parse_u64_or_max(key, space + 1 + strspn(space + 1, " \t"), &period, err) < 0)
                return -1;
        }
        if (strcmp(value, "max") != 0 && parse_u64_or_max(key, value, &quota, err) < 0)
            return -1;
        return add_cpu_quota(p, (int64_t)quota, period, version, err);
    }
    if ((strcmp(key, "cpuset.cpus") == 0 || strcmp(key, "cpuset.mems") == 0) &&
        version >= SYSTEMD_HAS_ALLOWED_CPUS) {
        const char *prop = strcmp(key, "cpuset.cpus") == 0 ? "AllowedCPUs" : "AllowedMemoryNodes";
        return props_add_bits(p, prop, value, "linux.resources.unified", err);
    }
    return 0;
}

static int add_v2(const struct cradle_resources *res, struct systemd_props *p, cradle_error **err)
{
    const struct cradle_resources_memory *mem = &res->memory;
    int64_t memory = mem->limit.set ? mem->limit.value : 0, swap = 0;
    if (memory != 0 && systemd_props_add_u64(p, "MemoryMax", limit_value(memory), err) < 0)
        return -1;
    if (mem->reservation.set && mem->reservation.value != 0 &&
        systemd_props_add_u64(p, "MemoryLow", limit_value(mem->reservation.value), err) < 0)
        return -1;
    if (swap_for_v2(mem->swap.set ? mem->swap.value : 0, memory, &swap, err) < 0)
        return -1;
    if (swap != 0 && systemd_props_add_u64(p, "MemorySwapMax", limit_value(swap), err) < 0)
        return -1;
    if (res->cpu.shares.set && res->cpu.shares.value != 0 &&
        systemd_props_add_u64(p, "CPUWeight", cpu_shares_to_weight(res->cpu.shares.value), err) < 0)
        return -1;
    return 0;
}

static int add_v1(const struct cradle_resources *res, struct systemd_props *p, cradle_error **err)
{
    const struct cradle_resources_memory *mem = &res->memory;
    if (mem->limit.set && mem->limit.value != 0 &&
        systemd_props_add_u64(p, "MemoryLimit", limit_value(mem->limit.value), err) < 0)
        return -1;
    if (res->cpu.shares.set && res->cpu.shares.value != 0 &&
        systemd_props_add_u64(p, "CPUShares", res->cpu.shares.value, err) < 0)
        return -1;
    if (res->blkio.weight.set && res->blkio.weight.value != 0 &&
        systemd_props_add_u64(p, "BlockIOWeight", res->blkio.weight.value, err) < 0)
        return -1;
    return 0;
}

int systemd_resource_props(const struct cradle_resources *res, bool unified, int version,
                           struct systemd_props *out, cradle_error **err)
{
    if ((unified ? add_v2(res, out, err) : add_v1(res, out, err)) < 0)
        return -1;
    const struct cradle_resources_cpu *cpu = &res->cpu;
    if (add_cpu_quota(out, cpu->quota.set ? cpu->quota.value : 0,
                      cpu->period.set ? cpu->period.value : 0, version, err) < 0)
        return -1;
    /* A pids limit <= 0 is "no limit" (Podman's 0 included). */
    int64_t pids = res->pids.limit.value;
    if (res->pids.limit.set &&
        systemd_props_add_u64(out, "TasksMax", pids > 0 ? (uint64_t)pids : SYSTEMD_INFINITY, err) <
            0)
        return -1;
    if (add_cpuset(out, cpu, version, err) < 0)
        return -1;
    /* Last, as in runc: a raw v2 file overrides the field it duplicates. */
    for (size_t i = 0; unified && i < res->n_unified; i++)
        if (add_unified_entry(out, res->unified[i].key, res->unified[i].value, version, err) < 0)
            return -1;
    return 0;
}
