/* linux.personality, linux.timeOffsets and linux.memoryPolicy, read as runc 1.2/1.3's
 * specconv reads them, with its words for unknown names. */
#include "spec_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>

#include "cradle/cleanup.h"
#include "mempolicy.h"

/* In the order of their values, so that a mode's value is its index. */
static const struct spec_named_value mpol_modes[] = {
    {"MPOL_DEFAULT", CRADLE_MPOL_DEFAULT},
    {"MPOL_PREFERRED", CRADLE_MPOL_PREFERRED},
    {"MPOL_BIND", CRADLE_MPOL_BIND},
    {"MPOL_INTERLEAVE", CRADLE_MPOL_INTERLEAVE},
    {"MPOL_LOCAL", CRADLE_MPOL_LOCAL},
    {"MPOL_PREFERRED_MANY", CRADLE_MPOL_PREFERRED_MANY},
    {"MPOL_WEIGHTED_INTERLEAVE", CRADLE_MPOL_WEIGHTED_INTERLEAVE},
};

static const struct spec_named_value mpol_flags[] = {
    {"MPOL_F_NUMA_BALANCING", CRADLE_MPOL_F_NUMA_BALANCING},
    {"MPOL_F_RELATIVE_NODES", CRADLE_MPOL_F_RELATIVE_NODES},
    {"MPOL_F_STATIC_NODES", CRADLE_MPOL_F_STATIC_NODES},
};

const char *cradle_mempolicy_mode_name(size_t index)
{
    return index < SPEC_N_ELEMS(mpol_modes) ? mpol_modes[index].name : NULL;
}

const char *cradle_mempolicy_flag_name(size_t index)
{
    return index < SPEC_N_ELEMS(mpol_flags) ? mpol_flags[index].name : NULL;
}

static int value_of(const struct spec_named_value *table, size_t n, const char *name)
{
    const struct spec_named_value *entry = spec_named_value_find(table, n, name);
    return entry ? (int)entry->value : -1;
}

static int parse_personality(struct json_object *obj, struct cradle_spec_personality *pers,
                             cradle_error **err)
{
    static const char *const where = "linux.personality";
    _cleanup_free_ char *domain = NULL;
    struct json_object *flags = NULL;
    if (spec_as_object(obj, err) < 0)
        return cradle_error_wrap(err, "%s", where);
    int r = spec_get_string(obj, where, "domain", &domain, err);
    if (r < 0)
        return -1;
    if (r == 0)
        domain = strdup("");
    if (domain == NULL)
        return cradle_error_set(err, ENOMEM, "%s.domain", where);
    if (strcmp(domain, "LINUX") == 0)
        pers->domain = PER_LINUX;
    else if (strcmp(domain, "LINUX32") == 0)
        pers->domain = PER_LINUX32;
    else
        return cradle_error_set(err, EINVAL, "%s.domain: invalid personality domain %s", where,
                                domain);
    /* No flag is defined yet: runc 1.2 warns that it ignores them (spec validation). */
    if ((r = spec_get_array(obj, where, "flags", &flags, err)) < 0)
        return -1;
    pers->n_flags = r > 0 ? json_object_array_length(flags) : 0;
    pers->set = true;
    return 0;
}

static int parse_time_offset(struct json_object *obj, const char *where,
                             struct cradle_spec_time_offset *off, cradle_error **err)
{
    if (spec_as_object(obj, err) < 0)
        return cradle_error_wrap(err, "%s", where);
    if (spec_get_i64(obj, where, "secs", &off->secs, err) < 0 ||
        spec_get_u32(obj, where, "nanosecs", &off->nanosecs, err) < 0)
        return -1;
    off->set = true;
    return 0;
}

/* The clocks a time namespace offsets (time_namespaces(7)), by CRADLE_TIMENS_*. */
static const char *const timens_clocks[] = {"monotonic", "boottime"};

static int parse_time_offsets(struct json_object *obj, struct cradle_spec_linux *lnx,
                              cradle_error **err)
{
    char where[SPEC_PATH_MAX];
    if (spec_as_object(obj, err) < 0)
        return cradle_error_wrap(err, "linux.timeOffsets");
    json_object_object_foreach(obj, clock, value)
    {
        size_t i = 0;
        while (i < SPEC_N_ELEMS(timens_clocks) && strcmp(timens_clocks[i], clock) != 0)
            i++;
        spec_path_join(where, "linux.timeOffsets", clock);
        if (i == SPEC_N_ELEMS(timens_clocks))
            return cradle_error_set(err, EINVAL,
                                    "%s: unknown clock (a time namespace offsets \"monotonic\" "
                                    "and \"boottime\")",
                                    where);
        if (value != NULL && parse_time_offset(value, where, &lnx->time_offsets[i], err) < 0)
            return -1;
    }
    lnx->has_time_offsets = true;
    return 0;
}

static int set_node(unsigned long *mask, unsigned long node, cradle_error **err)
{
    const size_t bits = 8 * sizeof(unsigned long);
    if (node >= CRADLE_MEMPOLICY_MAX_NODES)
        return cradle_error_set(err, EINVAL, "values larger than %d are not supported",
                                CRADLE_MEMPOLICY_MAX_NODES - 1);
    mask[node / bits] |= 1UL << (node % bits);
    return 0;
}

static int parse_node_number(const char *s, size_t len, unsigned long *out, cradle_error **err)
{
    char buf[24];
    char *end = NULL;
    if (len == 0 || len >= sizeof(buf))
        return cradle_error_set(err, EINVAL, "invalid node number \"%.*s\"", (int)len, s);
    memcpy(buf, s, len);
    buf[len] = '\0';
    errno = 0;
    *out = strtoul(buf, &end, 10);
    if (!isdigit((unsigned char)buf[0]) || *end != '\0' || errno != 0)
        return cradle_error_set(err, EINVAL, "invalid node number \"%s\"", buf);
    return 0;
}

/* One element of a node list: "N" or "N-M", blanks around it allowed. */
static int parse_node_range(const char *s, size_t len, unsigned long *mask, bool *any,
                            cradle_error **err)
{
    while (len > 0 && isspace((unsigned char)*s))
        s++, len--;
    while (len > 0 && isspace((unsigned char)s[len - 1]))
        len--;
    if (len == 0) /* runc allows empty elements (extra commas) */
        return 0;
    const char *dash = memchr(s, '-', len);
    unsigned long first, last;
    if (parse_node_number(s, dash ? (size_t)(dash - s) : len, &first, err) < 0 ||
        (dash && parse_node_number(dash + 1, len - (size_t)(dash + 1 - s), &last, err) < 0))
        return -1;
    if (!dash)
        last = first;
    if (first > last)
        return cradle_error_set(err, EINVAL, "invalid range: %.*s", (int)len, s);
    for (unsigned long node = first; node <= last; node++)
        if (set_node(mask, node, err) < 0)
            return -1;
    *any = true;
    return 0;
}

int spec_parse_node_list(const char *nodes, unsigned long *mask, cradle_error **err)
{
    bool any = false;
    for (const char *part = nodes;;) {
        size_t len = strcspn(part, ",");
        if (parse_node_range(part, len, mask, &any, err) < 0)
            return -1;
        if (part[len] == '\0')
            break;
        part += len + 1;
    }
    if (!any)
        return cradle_error_set(err, EINVAL, "no nodes found in \"%s\"", nodes);
    return 0;
}

static int parse_memory_policy(struct json_object *obj, struct cradle_spec_memory_policy *mp,
                               cradle_error **err)
{
    static const char *const where = "linux.memoryPolicy";
    _cleanup_free_ char *mode = NULL;
    _cleanup_strv_ char **flags = NULL;
    size_t n_flags = 0;
    if (spec_as_object(obj, err) < 0)
        return cradle_error_wrap(err, "%s", where);
    int r = spec_get_string(obj, where, "mode", &mode, err);
    if (r <= 0)
        return r < 0 ? -1 : spec_missing(where, "mode", err);
    if ((mp->mode = value_of(mpol_modes, SPEC_N_ELEMS(mpol_modes), mode)) < 0)
        return cradle_error_set(err, EINVAL, "%s.mode: invalid memory policy mode \"%s\"", where,
                                mode);
    if (spec_get_strv(obj, where, "flags", &flags, &n_flags, err) < 0)
        return -1;
    for (size_t i = 0; i < n_flags; i++) {
        int flag = value_of(mpol_flags, SPEC_N_ELEMS(mpol_flags), flags[i]);
        if (flag < 0)
            return cradle_error_set(err, EINVAL, "%s.flags[%zu]: invalid memory policy flag \"%s\"",
                                    where, i, flags[i]);
        mp->flags |= flag;
    }
    if (spec_get_string(obj, where, "nodes", &mp->nodes, err) < 0)
        return -1;
    if (mp->nodes != NULL && mp->nodes[0] == '\0') /* runc: "" means no nodes */
        mp->nodes = (free(mp->nodes), NULL);
    if (mp->nodes != NULL && spec_parse_node_list(mp->nodes, mp->nodemask, err) < 0)
        return cradle_error_wrap(err, "%s.nodes: invalid memory policy nodes \"%s\"", where,
                                 mp->nodes);
    mp->set = true;
    return 0;
}

int spec_parse_linux_fields(struct json_object *obj, struct cradle_spec_linux *lnx,
                            cradle_error **err)
{
    struct json_object *v;
    if ((v = spec_member(obj, "personality")) != NULL &&
        parse_personality(v, &lnx->personality, err) < 0)
        return -1;
    if ((v = spec_member(obj, "timeOffsets")) != NULL && parse_time_offsets(v, lnx, err) < 0)
        return -1;
    if ((v = spec_member(obj, "memoryPolicy")) != NULL &&
        parse_memory_policy(v, &lnx->memory_policy, err) < 0)
        return -1;
    return 0;
}
