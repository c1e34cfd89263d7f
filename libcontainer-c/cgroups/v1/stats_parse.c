/* Parsers for the v1 stats files, producing runc's JSON pieces (pure, unit-tested). */
#include "cgroup_v1.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "../cgroup_internal.h"
#include "cradle/cleanup.h"

/* Parses an unsigned decimal at *p, moving *p past it; -1 when there is none. */
static int take_u64(const char **p, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    if (**p < '0' || **p > '9')
        return -1;
    unsigned long long v = strtoull(*p, &end, 10);
    if (errno != 0)
        return -1;
    *out = v;
    *p = end;
    return 0;
}

static void skip_blanks(const char **p)
{
    while (**p == ' ' || **p == '\t')
        (*p)++;
}

struct key_value {
    char key[64];
    uint64_t value;
};

static int by_key(const void *a, const void *b)
{
    return strcmp(((const struct key_value *)a)->key, ((const struct key_value *)b)->key);
}

int cgroup_v1_parse_flat_keyed(const char *text, struct json_object *obj)
{
    size_t n = 0, cap = 0;
    _cleanup_free_ struct key_value *kv = NULL;
    struct key_value next;
    int r;
    while ((r = cgroup_next_key_value(&text, next.key, sizeof(next.key), &next.value)) > 0) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            struct key_value *grown = realloc(kv, cap * sizeof(*kv));
            if (grown == NULL)
                return -1;
            kv = grown;
        }
        kv[n++] = next;
    }
    if (r < 0)
        return -1;
    qsort(kv, n, sizeof(*kv), by_key);
    for (size_t i = 0; i < n; i++)
        json_object_object_add(obj, kv[i].key, json_object_new_uint64(kv[i].value));
    return 0;
}

struct json_object *cgroup_v1_parse_number_list(const char *text)
{
    struct json_object *list = json_object_new_array();
    const char *p = text;
    for (;;) {
        while (*p == ' ' || *p == '\n')
            p++;
        if (*p == '\0')
            return list;
        uint64_t v;
        if (take_u64(&p, &v) < 0) {
            json_object_put(list);
            return NULL;
        }
        json_object_array_add(list, json_object_new_uint64(v));
    }
}

int cgroup_v1_parse_usage_all(const char *text, struct json_object **percpu_kernel,
                              struct json_object **percpu_user)
{
    const char *p = strchr(text, '\n'); /* skips the "cpu user system" header */
    struct json_object *kernel = json_object_new_array(), *user = json_object_new_array();
    while (p && *++p) {
        uint64_t cpu, u, s;
        if (take_u64(&p, &cpu) < 0 || (skip_blanks(&p), take_u64(&p, &u)) < 0 ||
            (skip_blanks(&p), take_u64(&p, &s)) < 0 || (*p != '\n' && *p != '\0')) {
            json_object_put(kernel);
            json_object_put(user);
            return -1;
        }
        json_object_array_add(kernel, json_object_new_uint64(s));
        json_object_array_add(user, json_object_new_uint64(u));
    }
    *percpu_kernel = kernel;
    *percpu_user = user;
    return 0;
}

struct json_object *cgroup_v1_parse_cpu_list(const char *text)
{
    struct json_object *list = json_object_new_array();
    const char *p = text;
    while (*p && *p != '\n') {
        uint64_t first, last;
        if (take_u64(&p, &first) < 0)
            goto malformed;
        last = first;
        if (*p == '-' && (p++, take_u64(&p, &last)) < 0)
            goto malformed;
        if (last < first || last - first > 65535)
            goto malformed;
        for (uint64_t i = first; i <= last; i++)
            json_object_array_add(list, json_object_new_uint64(i));
        if (*p == ',')
            p++;
        else if (*p != '\n' && *p != '\0')
            goto malformed;
    }
    return list;
malformed:
    json_object_put(list);
    return NULL;
}

static void add_nonzero(struct json_object *o, const char *key, uint64_t v)
{
    if (v != 0)
        json_object_object_add(o, key, json_object_new_uint64(v));
}

struct json_object *cgroup_v1_parse_blkio_entries(const char *text)
{
    struct json_object *list = json_object_new_array();
    for (const char *p = text; *p;) {
        const char *eol = strchrnul(p, '\n');
        uint64_t major, minor, value;
        char op[16] = "";
        if (eol == p || strncmp(p, "Total ", 6) == 0) {
            p = *eol ? eol + 1 : eol;
            continue;
        }
        const char *q = p;
        if (take_u64(&q, &major) < 0 || *q++ != ':' || take_u64(&q, &minor) < 0 || *q++ != ' ')
            goto malformed;
        if (*q < '0' || *q > '9') {
            size_t len = strcspn(q, " \n");
            if (len == 0 || len >= sizeof(op) || q[len] != ' ')
                goto malformed;
            memcpy(op, q, len);
            q += len + 1;
        }
        if (take_u64(&q, &value) < 0 || q != eol)
            goto malformed;
        struct json_object *e = json_object_new_object();
        add_nonzero(e, "major", major);
        add_nonzero(e, "minor", minor);
        if (*op)
            json_object_object_add(e, "op", json_object_new_string(op));
        add_nonzero(e, "value", value);
        json_object_array_add(list, e);
        p = *eol ? eol + 1 : eol;
    }
    return list;
malformed:
    json_object_put(list);
    return NULL;
}
