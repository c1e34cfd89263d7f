/* linux.resources.unified: raw cgroup2 files, written after everything else so that they
 * override the converted values (runc's setUnified, with its error wording). */
#include "v2_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"

/* Whether the cgroup has controller available (its cgroup.controllers lists it). */
static bool controller_available(const struct v2_files *f, const char *controller)
{
    _cleanup_free_ char *text = NULL;
    _cleanup_error_ cradle_error *ignored = NULL;
    if (f->read(f, "cgroup.controllers", &text, &ignored) < 0)
        return false;
    size_t len = strlen(controller);
    for (char *p = text; (p = strstr(p, controller)) != NULL; p += len) {
        bool starts = p == text || p[-1] == ' ';
        bool ends = p[len] == '\0' || p[len] == ' ' || p[len] == '\n';
        if (starts && ends)
            return true;
    }
    return false;
}

/* Explains a write that failed because the file is not there (ENOENT) or may not be made
 * (EPERM): a key without a controller prefix, or a controller the cgroup lacks. */
static int explain_missing(const struct v2_files *f, const char *key, cradle_error **err)
{
    const char *dot = strchr(key, '.');
    if (dot == NULL || dot == key || dot[1] == '\0') {
        cradle_error_free(err);
        return cradle_error_set(
            err, EINVAL, "unified resource \"%s\" must be in the form CONTROLLER.PARAMETER", key);
    }
    _cleanup_free_ char *controller = strndup(key, (size_t)(dot - key));
    if (controller == NULL)
        return cradle_error_set(err, ENOMEM, "unified resource \"%s\"", key);
    if (strcmp(controller, "cgroup") != 0 && !controller_available(f, controller)) {
        cradle_error_free(err);
        return cradle_error_set(err, ENOENT,
                                "unified resource \"%s\" can't be set: controller \"%s\" not "
                                "available",
                                key, controller);
    }
    return cradle_error_wrap(err, "unable to set unified resource \"%s\"", key);
}

int v2_apply_unified(const struct v2_files *f, const struct cradle_resources *res,
                     cradle_error **err)
{
    for (size_t i = 0; i < res->n_unified; i++) {
        const char *key = res->unified[i].key;
        if (strchr(key, '/'))
            return cradle_error_set(
                err, EINVAL, "unified resource \"%s\" must be a file name (no slashes)", key);
        /* The directory itself or its parent are no files to write. */
        if (key[0] == '\0' || strcmp(key, ".") == 0 || strcmp(key, "..") == 0)
            return cradle_error_set(err, EINVAL, "unified resource \"%s\" must be a file name",
                                    key);
        if (f->write(f, key, res->unified[i].value, err) < 0) {
            if ((*err)->errnum == ENOENT || (*err)->errnum == EPERM)
                return explain_missing(f, key, err);
            return cradle_error_wrap(err, "unable to set unified resource \"%s\"", key);
        }
    }
    return 0;
}
