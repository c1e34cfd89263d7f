/* Typed field readers with runc's "zero means not set" rule and the field's range. */
#include "resources_internal.h"

#include <inttypes.h>

int resources_get_u64(struct json_object *obj, const char *path, const char *key, uint64_t max,
                      enum resources_zero zero, struct cradle_opt_u64 *opt, cradle_error **err)
{
    char where[SPEC_PATH_MAX];
    uint64_t value = 0;
    int r = spec_get_u64(obj, path, key, &value, err);
    if (r <= 0)
        return r;
    if (value > max)
        return cradle_error_set(err, 0, "%s: %" PRIu64 " is out of range (0 to %" PRIu64 ")",
                                spec_path_join(where, path, key), value, max);
    opt->set = value != 0 || zero == ZERO_IS_SET;
    opt->value = opt->set ? value : 0;
    return 0;
}

int resources_get_i64(struct json_object *obj, const char *path, const char *key, int64_t min,
                      enum resources_zero zero, struct cradle_opt_i64 *opt, cradle_error **err)
{
    char where[SPEC_PATH_MAX];
    int64_t value = 0;
    int r = spec_get_i64(obj, path, key, &value, err);
    if (r <= 0)
        return r;
    if (value < min)
        return cradle_error_set(err, 0, "%s: %" PRId64 " is out of range (%" PRId64 " or more)",
                                spec_path_join(where, path, key), value, min);
    opt->set = value != 0 || zero == ZERO_IS_SET;
    opt->value = opt->set ? value : 0;
    return 0;
}
