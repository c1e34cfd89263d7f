/* The files of a real cgroup2 directory, and writes that name the spec field. */
#include "v2_internal.h"

#include <errno.h>
#include <stdlib.h>

#include "cradle/cleanup.h"

static int real_write(const struct v2_files *f, const char *file, const char *value,
                      cradle_error **err)
{
    _cleanup_free_ char *path = cgroup_path_join(f->dir, file);
    if (path == NULL)
        return cradle_error_set(err, ENOMEM, "cgroup %s: %s", f->dir, file);
    return cgroup_write_text(path, value, err);
}

static int real_read(const struct v2_files *f, const char *file, char **out, cradle_error **err)
{
    _cleanup_free_ char *path = cgroup_path_join(f->dir, file);
    if (path == NULL)
        return cradle_error_set(err, ENOMEM, "cgroup %s: %s", f->dir, file);
    return cgroup_read_text(path, out, err);
}

struct v2_files v2_files_of(const char *dir)
{
    return (struct v2_files){.dir = dir, .write = real_write, .read = real_read};
}

int v2_write_field(const struct v2_files *f, const char *field, const char *file, const char *value,
                   cradle_error **err)
{
    if (f->write(f, file, value, err) < 0)
        return cradle_error_wrap(err, "%s", field);
    return 0;
}
