#include "features_mempolicy.h"

#include <string.h>

#include "cradle/spec.h"

static int compare_names(const void *a, const void *b)
{
    return strcmp(json_object_get_string(*(struct json_object *const *)a),
                  json_object_get_string(*(struct json_object *const *)b));
}

static struct json_object *names(const char *(*name)(size_t))
{
    struct json_object *array = json_object_new_array();
    for (size_t i = 0; name(i) != NULL; i++)
        json_object_array_add(array, json_object_new_string(name(i)));
    json_object_array_sort(array, compare_names);
    return array;
}

struct json_object *features_memory_policy(void)
{
    struct json_object *obj = json_object_new_object();
    json_object_object_add(obj, "modes", names(cradle_mempolicy_mode_name));
    json_object_object_add(obj, "flags", names(cradle_mempolicy_flag_name));
    return obj;
}
