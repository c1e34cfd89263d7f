/* runc's devices emulator: the allow/deny state of the v1 devices controller computed
 * from rules, and the writes that move a cgroup from one state to another. Pure logic
 * (unit-tested in test_devices_bpf.c); the eBPF filter is generated from the same set, so
 * cgroup v1 and v2 give a container the same devices. */
#include "cgroup_internal.h"
#include "devices.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"

#define ANY (-1)

void device_set_free(struct device_set *set)
{
    free(set->items);
    set->items = NULL;
    set->n = 0;
}

void device_access_text(unsigned access, char *buf)
{
    char *p = buf;
    if (access & DEVICE_ACCESS_READ)
        *p++ = 'r';
    if (access & DEVICE_ACCESS_WRITE)
        *p++ = 'w';
    if (access & DEVICE_ACCESS_MKNOD)
        *p++ = 'm';
    *p = '\0';
}

static int access_bits(const char *text, unsigned *out)
{
    unsigned bits = 0;
    for (const char *p = text ? text : ""; *p; p++) {
        if (*p == 'r')
            bits |= DEVICE_ACCESS_READ;
        else if (*p == 'w')
            bits |= DEVICE_ACCESS_WRITE;
        else if (*p == 'm')
            bits |= DEVICE_ACCESS_MKNOD;
        else
            return -1;
    }
    *out = bits;
    return bits != 0 ? 0 : -1;
}

/* Orders by (major, minor, type), wildcards (-1) first, as runc's orderedEntries. */
static int compare_key(char type_a, int64_t major_a, int64_t minor_a, char type_b, int64_t major_b,
                       int64_t minor_b)
{
    if (major_a != major_b)
        return major_a < major_b ? -1 : 1;
    if (minor_a != minor_b)
        return minor_a < minor_b ? -1 : 1;
    return (type_a > type_b) - (type_a < type_b);
}

/* The index of the exception with this key, or where it would be inserted (*found false). */
static size_t find(const struct device_set *set, char type, int64_t major, int64_t minor,
                   bool *found)
{
    size_t lo = 0, hi = set->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct device_exception *e = &set->items[mid];
        int c = compare_key(e->type, e->major, e->minor, type, major, minor);
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = false;
    return lo;
}

static unsigned access_of(const struct device_set *set, char type, int64_t major, int64_t minor)
{
    bool found;
    size_t i = find(set, type, major, minor, &found);
    return found ? set->items[i].access : 0;
}

static int add_exception(struct device_set *set, char type, int64_t major, int64_t minor,
                         unsigned access, cradle_error **err)
{
    bool found;
    size_t i = find(set, type, major, minor, &found);
    if (found) {
        set->items[i].access |= access;
        return 0;
    }
    struct device_exception *items = realloc(set->items, (set->n + 1) * sizeof(*items));
    if (items == NULL)
        return cradle_error_set(err, ENOMEM, "device rules");
    set->items = items;
    memmove(&items[i + 1], &items[i], (set->n - i) * sizeof(*items));
    items[i] = (struct device_exception){type, major, minor, access};
    set->n++;
    return 0;
}

static void rule_text(char type, int64_t major, int64_t minor, unsigned access, char *buf,
                      size_t size)
{
    char access_text[4];
    device_access_text(access, access_text);
    if (cgroup_device_rule_line(type, major, minor, access_text, buf, size) < 0)
        snprintf(buf, size, "%c ?:? %s", type, access_text);
}

static int remove_exception(struct device_set *set, char type, int64_t major, int64_t minor,
                            unsigned access, cradle_error **err)
{
    const int64_t wider[][2] = {{ANY, minor}, {major, ANY}, {ANY, ANY}};
    for (size_t w = 0; w < sizeof(wider) / sizeof(wider[0]); w++) {
        if (wider[w][0] == major && wider[w][1] == minor)
            continue;
        if ((access_of(set, type, wider[w][0], wider[w][1]) & access) == 0)
            continue;
        char asked[64], existing[64];
        rule_text(type, major, minor, access, asked, sizeof(asked));
        rule_text(type, wider[w][0], wider[w][1], access_of(set, type, wider[w][0], wider[w][1]),
                  existing, sizeof(existing));
        return cradle_error_set(err, EINVAL,
                                "requested rule [%s] not supported by devices cgroupv1 (cannot "
                                "punch hole in existing wildcard rule [%s])",
                                asked, existing);
    }
    bool found;
    size_t i = find(set, type, major, minor, &found);
    if (!found)
        return 0;
    set->items[i].access &= ~access;
    if (set->items[i].access == 0) {
        memmove(&set->items[i], &set->items[i + 1], (set->n - i - 1) * sizeof(set->items[i]));
        set->n--;
    }
    return 0;
}

int device_set_apply(struct device_set *set, const struct cradle_device_rule *rule,
                     cradle_error **err)
{
    if (rule->type == 'a') {
        device_set_free(set);
        set->default_allow = rule->allow;
        return 0;
    }
    unsigned access;
    if ((rule->type != 'b' && rule->type != 'c') || access_bits(rule->access, &access) < 0)
        return cradle_error_set(err, EINVAL, "invalid device rule (type '%c', access \"%s\")",
                                rule->type, rule->access ? rule->access : "");
    /* An allow rule adds an exception to deny-all and removes one from allow-all. */
    if (rule->allow != set->default_allow)
        return add_exception(set, rule->type, rule->major, rule->minor, access, err);
    return remove_exception(set, rule->type, rule->major, rule->minor, access, err);
}

int device_set_from_rules(const struct cradle_device_rule *rules, size_t n, struct device_set *out,
                          cradle_error **err)
{
    *out = (struct device_set){0};
    for (size_t i = 0; i < n; i++) {
        if (device_set_apply(out, &rules[i], err) < 0) {
            device_set_free(out);
            return -1;
        }
    }
    return 0;
}

static int parse_number(const char *text, int64_t *out)
{
    if (strcmp(text, "*") == 0) {
        *out = ANY;
        return 0;
    }
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v < 0)
        return -1;
    *out = v;
    return 0;
}

static int parse_list_line(const char *line, struct cradle_device_rule *rule, char *access,
                           size_t access_size)
{
    char type, major[24], minor[24];
    if (sscanf(line, " %c %23[^:]:%23s %3s", &type, major, minor, access) != 4 ||
        strlen(access) >= access_size)
        return -1;
    *rule = (struct cradle_device_rule){.allow = true, .type = type, .access = access};
    return parse_number(major, &rule->major) < 0 || parse_number(minor, &rule->minor) < 0 ? -1 : 0;
}

/* Applies one devices.list line (an allow rule) to set. */
static int apply_list_line(struct device_set *set, const char *line, size_t len, cradle_error **err)
{
    char buf[96], access[8];
    struct cradle_device_rule rule;
    if (len >= sizeof(buf))
        return cradle_error_set(err, EINVAL, "devices.list: malformed line \"%.*s\"", (int)len,
                                line);
    memcpy(buf, line, len);
    buf[len] = '\0';
    if (parse_list_line(buf, &rule, access, sizeof(access)) < 0)
        return cradle_error_set(err, EINVAL, "devices.list: malformed line \"%s\"", buf);
    if (device_set_apply(set, &rule, err) < 0)
        return cradle_error_wrap(err, "devices.list");
    return 0;
}

int device_set_parse_list(const char *text, struct device_set *out, cradle_error **err)
{
    *out = (struct device_set){0};
    for (const char *line = text; line && *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (len > 0 && apply_list_line(out, line, len, err) < 0) {
            device_set_free(out);
            return -1;
        }
        line = nl ? nl + 1 : NULL;
    }
    return 0;
}

bool device_set_equal(const struct device_set *a, const struct device_set *b)
{
    if (a->default_allow != b->default_allow || a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (compare_key(a->items[i].type, a->items[i].major, a->items[i].minor, b->items[i].type,
                        b->items[i].major, b->items[i].minor) != 0 ||
            a->items[i].access != b->items[i].access)
            return false;
    return true;
}

struct write_list {
    struct device_write *items;
    size_t n;
};

static int push_write(struct write_list *list, bool allow, char type, int64_t major, int64_t minor,
                      unsigned access, cradle_error **err)
{
    struct device_write *items = realloc(list->items, (list->n + 1) * sizeof(*items));
    if (items == NULL)
        return cradle_error_set(err, ENOMEM, "device rules");
    list->items = items;
    struct device_write *w = &items[list->n++];
    w->allow = allow;
    rule_text(type, major, minor, access, w->line, sizeof(w->line));
    return 0;
}

int device_set_transition(const struct device_set *from, const struct device_set *to,
                          struct device_write **out, size_t *n_out, cradle_error **err)
{
    struct write_list list = {0};
    static const struct device_set nothing;
    const struct device_set *old = from;
    int r = 0;
    if (from->default_allow || from->default_allow != to->default_allow) {
        r = push_write(&list, to->default_allow, 'a', ANY, ANY, DEVICE_ACCESS_ALL, err);
        old = &nothing;
    }
    /* Removals before additions: in a deny-all cgroup they only take access away, so no
     * device is ever allowed that the target denies. (An allow-all target cannot avoid a
     * window: v1 forgets the exceptions on the reset, and does not list them, so the
     * reset comes first and its denies after, as in runc.) */
    for (size_t i = 0; r == 0 && i < old->n; i++) {
        const struct device_exception *e = &old->items[i];
        unsigned dropped = e->access & ~access_of(to, e->type, e->major, e->minor);
        if (dropped != 0)
            r = push_write(&list, to->default_allow, e->type, e->major, e->minor, dropped, err);
    }
    for (size_t i = 0; r == 0 && i < to->n; i++) {
        const struct device_exception *e = &to->items[i];
        unsigned gained = e->access & ~access_of(old, e->type, e->major, e->minor);
        if (gained != 0)
            r = push_write(&list, !to->default_allow, e->type, e->major, e->minor, gained, err);
    }
    if (r < 0) {
        free(list.items);
        return -1;
    }
    *out = list.items;
    *n_out = list.n;
    return 0;
}
