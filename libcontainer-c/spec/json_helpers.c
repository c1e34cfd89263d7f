/* Typed access to json-c values with errors that say what was expected and what was found. */
#include "spec_internal.h"

#include "cradle/cleanup.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct json_object *spec_member(struct json_object *obj, const char *key)
{
    struct json_object *v = NULL;
    if (!json_object_object_get_ex(obj, key, &v))
        return NULL;
    return v; /* NULL for JSON null */
}

const char *spec_type_name(struct json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_null:
        return "null";
    case json_type_boolean:
        return "boolean";
    case json_type_double:
    case json_type_int:
        return "number";
    case json_type_object:
        return "object";
    case json_type_array:
        return "array";
    case json_type_string:
        return "string";
    }
    return "unknown";
}

static int type_error(struct json_object *v, const char *expected, cradle_error **err)
{
    return cradle_error_set(err, 0, "expected %s, got %s", expected, spec_type_name(v));
}

/* A number of the right kind but outside the range: show the number itself. */
static int range_error(struct json_object *v, const char *expected, cradle_error **err)
{
    return cradle_error_set(err, 0, "expected %s, got %s", expected,
                            json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
}

int spec_as_object(struct json_object *v, cradle_error **err)
{
    return json_object_is_type(v, json_type_object) ? 0 : type_error(v, "object", err);
}

int spec_as_array(struct json_object *v, cradle_error **err)
{
    return json_object_is_type(v, json_type_array) ? 0 : type_error(v, "array", err);
}

int spec_as_string(struct json_object *v, char **out, cradle_error **err)
{
    if (!json_object_is_type(v, json_type_string))
        return type_error(v, "string", err);
    char *copy = strdup(json_object_get_string(v));
    if (copy == NULL)
        return cradle_error_sys(err, "copying string");
    free(*out);
    *out = copy;
    return 0;
}

int spec_as_bool(struct json_object *v, bool *out, cradle_error **err)
{
    if (!json_object_is_type(v, json_type_boolean))
        return type_error(v, "boolean", err);
    *out = json_object_get_boolean(v);
    return 0;
}

/* json-c keeps integers as int64 or, above INT64_MAX, as uint64; get_int64 clamps the
 * latter to INT64_MAX, so a negative result is really negative. */
static bool is_negative(struct json_object *v)
{
    return json_object_get_int64(v) < 0;
}

int spec_as_u64(struct json_object *v, uint64_t *out, cradle_error **err)
{
    const char *expected = "an unsigned 64-bit integer";
    if (!json_object_is_type(v, json_type_int))
        return type_error(v, expected, err);
    if (is_negative(v))
        return range_error(v, expected, err);
    *out = json_object_get_uint64(v);
    return 0;
}

int spec_as_u32(struct json_object *v, uint32_t *out, cradle_error **err)
{
    const char *expected = "an unsigned 32-bit integer";
    if (!json_object_is_type(v, json_type_int))
        return type_error(v, expected, err);
    if (is_negative(v) || json_object_get_uint64(v) > UINT32_MAX)
        return range_error(v, expected, err);
    *out = (uint32_t)json_object_get_uint64(v);
    return 0;
}

int spec_as_i64(struct json_object *v, int64_t *out, cradle_error **err)
{
    const char *expected = "a 64-bit integer";
    if (!json_object_is_type(v, json_type_int))
        return type_error(v, expected, err);
    if (!is_negative(v) && json_object_get_uint64(v) > INT64_MAX)
        return range_error(v, expected, err);
    *out = json_object_get_int64(v);
    return 0;
}

int spec_as_int(struct json_object *v, int *out, cradle_error **err)
{
    const char *expected = "a 32-bit integer";
    int64_t wide = 0;
    if (!json_object_is_type(v, json_type_int))
        return type_error(v, expected, err);
    if (spec_as_i64(v, &wide, NULL) < 0 || wide < INT_MIN || wide > INT_MAX)
        return range_error(v, expected, err);
    *out = (int)wide;
    return 0;
}

const char *spec_path_format(char buf[SPEC_PATH_MAX], const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, SPEC_PATH_MAX, fmt, ap);
    va_end(ap);
    /* Only a message suffers from a path this long; show that it was cut. */
    if (n >= SPEC_PATH_MAX)
        memcpy(buf + SPEC_PATH_MAX - 4, "...", 4);
    return buf;
}

const char *spec_path_join(char buf[SPEC_PATH_MAX], const char *path, const char *key)
{
    return spec_path_format(buf, "%s%s%s", path, *path ? "." : "", key);
}

const char *spec_path_index(char buf[SPEC_PATH_MAX], const char *path, size_t index)
{
    return spec_path_format(buf, "%s[%zu]", path, index);
}

int spec_missing(const char *path, const char *key, cradle_error **err)
{
    char where[SPEC_PATH_MAX];
    return cradle_error_set(err, 0, "%s: missing", spec_path_join(where, path, key));
}

static int wrap_field(const char *path, const char *key, cradle_error **err)
{
    char where[SPEC_PATH_MAX];
    return cradle_error_wrap(err, "%s", spec_path_join(where, path, key));
}

/* Looks up obj.key and runs a value reader on it; 1 read, 0 absent, -1 error. */
#define GET_FIELD(obj, path, key, reader, ...)                                                     \
    ({                                                                                             \
        struct json_object *_v = spec_member((obj), (key));                                        \
        int _r = 0;                                                                                \
        if (_v != NULL)                                                                            \
            _r = reader(_v, ##__VA_ARGS__) < 0 ? wrap_field((path), (key), err) : 1;               \
        _r;                                                                                        \
    })

int spec_get_object(struct json_object *obj, const char *path, const char *key,
                    struct json_object **out, cradle_error **err)
{
    int r = GET_FIELD(obj, path, key, spec_as_object, err);
    if (r > 0)
        *out = spec_member(obj, key);
    return r;
}

int spec_get_array(struct json_object *obj, const char *path, const char *key,
                   struct json_object **out, cradle_error **err)
{
    int r = GET_FIELD(obj, path, key, spec_as_array, err);
    if (r > 0)
        *out = spec_member(obj, key);
    return r;
}

int spec_get_string(struct json_object *obj, const char *path, const char *key, char **out,
                    cradle_error **err)
{
    return GET_FIELD(obj, path, key, spec_as_string, out, err);
}

int spec_get_bool(struct json_object *obj, const char *path, const char *key, bool *out,
                  cradle_error **err)
{
    return GET_FIELD(obj, path, key, spec_as_bool, out, err);
}

int spec_get_u32(struct json_object *obj, const char *path, const char *key, uint32_t *out,
                 cradle_error **err)
{
    return GET_FIELD(obj, path, key, spec_as_u32, out, err);
}

int spec_get_u64(struct json_object *obj, const char *path, const char *key, uint64_t *out,
                 cradle_error **err)
{
    return GET_FIELD(obj, path, key, spec_as_u64, out, err);
}

int spec_get_i64(struct json_object *obj, const char *path, const char *key, int64_t *out,
                 cradle_error **err)
{
    return GET_FIELD(obj, path, key, spec_as_i64, out, err);
}

int spec_get_int(struct json_object *obj, const char *path, const char *key, int *out,
                 cradle_error **err)
{
    return GET_FIELD(obj, path, key, spec_as_int, out, err);
}

void *spec_alloc_array(size_t n, size_t size, const char *what, cradle_error **err)
{
    void *p = calloc(n ? n : 1, size);
    if (p == NULL)
        cradle_error_sys(err, "allocating %s", what);
    return p;
}

int spec_get_strv(struct json_object *obj, const char *path, const char *key, char ***out,
                  size_t *n_out, cradle_error **err)
{
    char where[SPEC_PATH_MAX], item[SPEC_PATH_MAX];
    struct json_object *arr = NULL;
    int present = spec_get_array(obj, path, key, &arr, err);
    if (present < 0)
        return -1;
    size_t n = present ? json_object_array_length(arr) : 0;
    spec_path_join(where, path, key);

    /* Hand the array over first so that a failure below leaves nothing unowned. */
    char **v = spec_alloc_array(n + 1, sizeof(char *), where, err);
    if (v == NULL)
        return -1;
    cleanup_strvp(&*out);
    *out = v;
    *n_out = n;
    for (size_t i = 0; i < n; i++) {
        if (spec_as_string(json_object_array_get_idx(arr, i), &v[i], err) < 0)
            return cradle_error_wrap(err, "%s", spec_path_index(item, where, i));
    }
    return present;
}

int spec_get_keyvals(struct json_object *obj, const char *path, const char *key,
                     struct cradle_spec_keyval **out, size_t *n_out, cradle_error **err)
{
    char where[SPEC_PATH_MAX];
    struct json_object *map = NULL;
    int present = spec_get_object(obj, path, key, &map, err);
    if (present <= 0)
        return present;
    spec_path_join(where, path, key);

    size_t n = (size_t)json_object_object_length(map);
    struct cradle_spec_keyval *kv = spec_alloc_array(n, sizeof(*kv), where, err);
    if (kv == NULL)
        return -1;
    spec_free_keyvals(*out, *n_out);
    *out = kv;
    *n_out = n;
    size_t i = 0;
    json_object_object_foreach(map, name, value)
    {
        kv[i].key = strdup(name);
        if (kv[i].key == NULL)
            return cradle_error_sys(err, "copying %s key", where);
        if (value == NULL)
            return cradle_error_set(err, 0, "%s.%s: expected string, got null", where, name);
        if (spec_as_string(value, &kv[i].value, err) < 0)
            return cradle_error_wrap(err, "%s.%s", where, name);
        i++;
    }
    return 1;
}

const struct spec_named_value *spec_named_value_find(const struct spec_named_value *table, size_t n,
                                                     const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(table[i].name, name) == 0)
            return &table[i];
    return NULL;
}
