/* Reading and writing the files of one v1 controller directory, with the spec field in
 * every error. */
#include "cgroup_v1.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../cgroup_internal.h"
#include "cradle/cleanup.h"

int cgroup_v1_write(const char *dir, const char *file, const char *value, const char *field,
                    cradle_error **err)
{
    _cleanup_free_ char *path = cgroup_path_join(dir, file);
    if (path == NULL)
        return cradle_error_set(err, ENOMEM, "%s", field);
    if (cgroup_write_text(path, value, err) < 0)
        return cradle_error_wrap(err, "%s", field);
    return 0;
}

int cgroup_v1_write_u64(const char *dir, const char *file, uint64_t value, const char *field,
                        cradle_error **err)
{
    char text[24];
    snprintf(text, sizeof(text), "%" PRIu64, value);
    return cgroup_v1_write(dir, file, text, field, err);
}

int cgroup_v1_write_i64(const char *dir, const char *file, int64_t value, const char *field,
                        cradle_error **err)
{
    char text[24];
    snprintf(text, sizeof(text), "%" PRId64, value);
    return cgroup_v1_write(dir, file, text, field, err);
}

bool cgroup_v1_has_file(const char *dir, const char *file)
{
    _cleanup_free_ char *path = cgroup_path_join(dir, file);
    return path != NULL && access(path, F_OK) == 0;
}

int cgroup_v1_read_u64(const char *dir, const char *file, uint64_t *out, cradle_error **err)
{
    _cleanup_free_ char *path = cgroup_path_join(dir, file);
    if (path == NULL)
        return cradle_error_set(err, ENOMEM, "reading %s/%s", dir, file);
    _cleanup_free_ char *text = NULL;
    if (cgroup_read_text(path, &text, err) < 0)
        return -1;
    if (cgroup_parse_uint(text, out) < 0)
        return cradle_error_set(err, EINVAL, "%s: not a number: \"%s\"", path, text);
    return 0;
}
