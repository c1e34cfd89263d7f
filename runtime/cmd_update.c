/* update: new resource limits for a running container, from flags or a linux.resources
 * JSON file (-r), with runc's flags, value syntaxes and messages. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "cradle/cleanup.h"
#include "cradle/container.h"
#include "cradle/fileutil.h"
#include "cradle/units.h"

static const char usage[] =
    "Usage: cradle update [command options] <container-id>\n\n"
    "update container resource constraints\n\n"
    "OPTIONS:\n"
    "   --resources value, -r value  path to the file containing the resources to update or '-' "
    "to read from the standard input\n\n"
    "The accepted format is as follow (unchanged values can be omitted):\n\n"
    "{\n"
    "  \"memory\": {\n"
    "    \"limit\": 0,\n"
    "    \"reservation\": 0,\n"
    "    \"swap\": 0\n"
    "  },\n"
    "  \"cpu\": {\n"
    "    \"shares\": 0,\n"
    "    \"quota\": 0,\n"
    "    \"period\": 0,\n"
    "    \"realtimeRuntime\": 0,\n"
    "    \"realtimePeriod\": 0,\n"
    "    \"cpus\": \"\",\n"
    "    \"mems\": \"\"\n"
    "  },\n"
    "  \"blockIO\": {\n"
    "    \"weight\": 0\n"
    "  }\n"
    "}\n\n"
    "Note: if data is to be read from a file or the standard input, all\n"
    "other options are ignored.\n"
    "   --blkio-weight value        Specifies per cgroup weight, range is from 10 to 1000 "
    "(default: 0)\n"
    "   --cpu-period value          CPU CFS period to be used for hardcapping (in usecs). 0 to use "
    "system default\n"
    "   --cpu-quota value           CPU CFS hardcap limit (in usecs). Allowed cpu time in a given "
    "period\n"
    "   --cpu-share value           CPU shares (relative weight vs. other containers)\n"
    "   --cpu-rt-period value       CPU realtime period to be used for hardcapping (in usecs). 0 "
    "to use system default\n"
    "   --cpu-rt-runtime value      CPU realtime hardcap limit (in usecs). Allowed cpu time in a "
    "given period\n"
    "   --cpuset-cpus value         CPU(s) to use\n"
    "   --cpuset-mems value         Memory node(s) to use\n"
    "   --memory value              Memory limit (in bytes)\n"
    "   --memory-reservation value  Memory reservation or soft_limit (in bytes)\n"
    "   --memory-swap value         Total memory usage (memory + swap); set '-1' to enable "
    "unlimited swap\n"
    "   --pids-limit value          Maximum number of pids allowed in the container (default: 0)\n";

enum {
    OPT_BLKIO_WEIGHT = 256,
    OPT_CPU_PERIOD,
    OPT_CPU_QUOTA,
    OPT_CPU_SHARE,
    OPT_CPU_RT_PERIOD,
    OPT_CPU_RT_RUNTIME,
    OPT_CPUSET_CPUS,
    OPT_CPUSET_MEMS,
    OPT_MEMORY,
    OPT_MEMORY_RESERVATION,
    OPT_MEMORY_SWAP,
    OPT_KERNEL_MEMORY,
    OPT_KERNEL_MEMORY_TCP,
    OPT_PIDS_LIMIT,
};

static const struct option opts[] = {
    {"resources", required_argument, NULL, 'r'},
    {"blkio-weight", required_argument, NULL, OPT_BLKIO_WEIGHT},
    {"cpu-period", required_argument, NULL, OPT_CPU_PERIOD},
    {"cpu-quota", required_argument, NULL, OPT_CPU_QUOTA},
    {"cpu-share", required_argument, NULL, OPT_CPU_SHARE},
    {"cpu-rt-period", required_argument, NULL, OPT_CPU_RT_PERIOD},
    {"cpu-rt-runtime", required_argument, NULL, OPT_CPU_RT_RUNTIME},
    {"cpuset-cpus", required_argument, NULL, OPT_CPUSET_CPUS},
    {"cpuset-mems", required_argument, NULL, OPT_CPUSET_MEMS},
    {"memory", required_argument, NULL, OPT_MEMORY},
    {"memory-reservation", required_argument, NULL, OPT_MEMORY_RESERVATION},
    {"memory-swap", required_argument, NULL, OPT_MEMORY_SWAP},
    {"kernel-memory", required_argument, NULL, OPT_KERNEL_MEMORY},
    {"kernel-memory-tcp", required_argument, NULL, OPT_KERNEL_MEMORY_TCP},
    {"pids-limit", required_argument, NULL, OPT_PIDS_LIMIT},
    {0, 0, 0, 0},
};

static const char *flag_name(int c)
{
    for (const struct option *o = opts; o->name; o++)
        if (o->val == c)
            return o->name;
    return "?";
}

/* Go's strconv.ParseUint / ParseInt (base 10). As in runc, 0 leaves the value as it is. */
static int parse_u64(int c, const char *text, struct cradle_opt_u64 *out, cradle_error **err)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno == ERANGE)
        return cradle_error_set(err, 0,
                                "invalid value for %s: strconv.ParseUint: parsing \"%s\": value "
                                "out of range",
                                flag_name(c), text);
    if (!*text || *end || text[0] == '-' || text[0] == '+' || text[0] == ' ')
        return cradle_error_set(err, 0,
                                "invalid value for %s: strconv.ParseUint: parsing \"%s\": invalid "
                                "syntax",
                                flag_name(c), text);
    *out = (struct cradle_opt_u64){.set = v != 0, .value = v};
    return 0;
}

static int parse_i64(int c, const char *text, struct cradle_opt_i64 *out, cradle_error **err)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno == ERANGE)
        return cradle_error_set(err, 0,
                                "invalid value for %s: strconv.ParseInt: parsing \"%s\": value "
                                "out of range",
                                flag_name(c), text);
    if (!*text || *end || text[0] == ' ')
        return cradle_error_set(err, 0,
                                "invalid value for %s: strconv.ParseInt: parsing \"%s\": invalid "
                                "syntax",
                                flag_name(c), text);
    *out = (struct cradle_opt_i64){.set = v != 0, .value = v};
    return 0;
}

/* A memory size ("64m"), or -1 for unlimited. */
static int parse_memory(int c, const char *text, struct cradle_opt_i64 *out, cradle_error **err)
{
    int64_t v = -1;
    if (strcmp(text, "-1") != 0 && cradle_parse_ram_size(text, &v) < 0)
        return cradle_error_set(err, 0, "invalid value for %s: invalid size: '%s'", flag_name(c),
                                text);
    *out = (struct cradle_opt_i64){.set = v != 0, .value = v};
    return 0;
}

/* An integer flag of runc's CLI library (Go's ParseInt with base 0). */
static int parse_int_flag(int c, const char *text, struct cradle_opt_i64 *out, cradle_error **err)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 0);
    if (errno != 0 || !*text || *end)
        return cradle_error_set(err, 0, "invalid value \"%s\" for flag -%s: parse error", text,
                                flag_name(c));
    *out = (struct cradle_opt_i64){.set = v != 0, .value = v};
    return 0;
}

static int set_string(char **field, const char *text, cradle_error **err)
{
    if (*text == '\0')
        return 0;
    free(*field);
    if ((*field = strdup(text)) == NULL)
        return cradle_error_set(err, ENOMEM, "update");
    return 0;
}

static int apply_flag(int c, const char *text, struct cradle_resources *r, cradle_error **err)
{
    struct cradle_opt_i64 weight = {0}, kernel = {0};
    switch (c) {
    case OPT_BLKIO_WEIGHT:
        if (parse_int_flag(c, text, &weight, err) < 0)
            return -1;
        r->blkio.weight =
            (struct cradle_opt_u64){.set = weight.set, .value = (uint16_t)weight.value};
        return 0;
    case OPT_CPU_PERIOD:
        return parse_u64(c, text, &r->cpu.period, err);
    case OPT_CPU_QUOTA:
        return parse_i64(c, text, &r->cpu.quota, err);
    case OPT_CPU_SHARE:
        return parse_u64(c, text, &r->cpu.shares, err);
    case OPT_CPU_RT_PERIOD:
        return parse_u64(c, text, &r->cpu.realtime_period, err);
    case OPT_CPU_RT_RUNTIME:
        return parse_i64(c, text, &r->cpu.realtime_runtime, err);
    case OPT_CPUSET_CPUS:
        return set_string(&r->cpu.cpus, text, err);
    case OPT_CPUSET_MEMS:
        return set_string(&r->cpu.mems, text, err);
    case OPT_MEMORY:
        return parse_memory(c, text, &r->memory.limit, err);
    case OPT_MEMORY_RESERVATION:
        return parse_memory(c, text, &r->memory.reservation, err);
    case OPT_MEMORY_SWAP:
        return parse_memory(c, text, &r->memory.swap, err);
    case OPT_KERNEL_MEMORY:
    case OPT_KERNEL_MEMORY_TCP:
        /* Accepted and ignored with a warning (by the cgroup code), as runc does. */
        if (parse_memory(c, text, &kernel, err) < 0)
            return -1;
        r->memory.kernel_set = r->memory.kernel_set || kernel.set;
        return 0;
    case OPT_PIDS_LIMIT:
        return parse_int_flag(c, text, &r->pids.limit, err);
    }
    return cradle_error_set(err, 0, "flag provided but not defined: %s", text);
}

/* -r FILE (or - for stdin): a linux.resources object. */
static int read_resources_file(const char *file, struct cradle_resources *r, cradle_error **err)
{
    bool stdin_ = strcmp(file, "-") == 0;
    _cleanup_free_ char *text = NULL;
    /* /dev/stdin reopens whatever stdin is: a pipe or a file. */
    if (cradle_read_file_at(AT_FDCWD, stdin_ ? "/dev/stdin" : file, &text, NULL) < 0)
        return cradle_error_sys(err, "open %s", file);
    enum json_tokener_error jerr;
    struct json_object *obj = json_tokener_parse_verbose(text, &jerr);
    if (obj == NULL)
        return cradle_error_set(err, 0, "%s: %s", stdin_ ? "stdin" : file,
                                json_tokener_error_desc(jerr));
    int ret = cradle_resources_parse(obj, stdin_ ? "stdin" : file, r, err);
    json_object_put(obj);
    return ret;
}

static void resources_freep(struct cradle_resources *r)
{
    cradle_resources_free(r);
}

int cmd_update(const struct global_opts *g, int argc, char **argv, cradle_error **err)
{
    if (wants_help(argc, argv, usage))
        return 0;
    __attribute__((cleanup(resources_freep))) struct cradle_resources changes = {0};
    const char *file = NULL;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+r:", opts, NULL)) != -1) {
        if (c == 'r')
            file = optarg;
        else if (c == '?' || c == ':')
            return cradle_error_set(err, 0, "flag provided but not defined: %s", argv[optind - 1]),
                   1;
        else if (apply_flag(c, optarg, &changes, err) < 0)
            return 1;
    }
    const char *id;
    if (one_container_id(argc, argv, optind, "update", &id, err) < 0)
        return 1;
    /* As runc: a resources file replaces every flag. */
    if (file) {
        cradle_resources_free(&changes);
        if (read_resources_file(file, &changes, err) < 0)
            return 1;
    }
    return cradle_container_update(g->root, id, &changes, err) < 0 ? 1 : 0;
}
