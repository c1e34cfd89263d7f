/* The systemd driver's names: cgroupsPath "slice:prefix:name" -> unit and cgroup path. */
#include "systemd_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"

#define DEFAULT_SLICE        "system.slice"
#define DEFAULT_SCOPE_PREFIX "cradle"
#define SLICE_SUFFIX         ".slice"
#define UNIT_NAME_MAX        255 /* systemd's limit for a unit name */

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

int systemd_expand_slice(const char *slice, char **out, cradle_error **err)
{
    size_t len = strlen(slice);
    if (len < strlen(SLICE_SUFFIX) || !ends_with(slice, SLICE_SUFFIX) || strchr(slice, '/'))
        return cradle_error_set(err, EINVAL, "invalid slice name: %s", slice);
    if (strcmp(slice, "-" SLICE_SUFFIX) == 0)
        return (*out = strdup("/")) ? 0 : cradle_error_set(err, ENOMEM, "slice %s", slice);

    /* Each "-" opens a level: a-b.slice lives in a.slice. "a--b", "-a" and "a-" are
     * refused, as runc and systemd do. */
    size_t name_len = len - strlen(SLICE_SUFFIX);
    _cleanup_free_ char *path = malloc(name_len * (name_len + strlen(SLICE_SUFFIX) + 1) + 2);
    if (path == NULL)
        return cradle_error_set(err, ENOMEM, "slice %s", slice);
    char *end = path;
    for (size_t i = 0; i <= name_len; i++) {
        if (i < name_len && slice[i] != '-')
            continue;
        if (i == 0 || slice[i - 1] == '-' || (i == name_len && slice[i - 1] == '-'))
            return cradle_error_set(err, EINVAL, "invalid slice name: %s", slice);
        end += sprintf(end, "/%.*s" SLICE_SUFFIX, (int)i, slice);
    }
    *out = TAKE_PTR(path);
    return 0;
}

/* The characters systemd accepts in a unit name (unit_name_is_valid); '/' in particular
 * would let the name leave its slice's directory. */
static bool valid_unit_part(const char *s)
{
    for (; *s; s++)
        if (!(('a' <= *s && *s <= 'z') || ('A' <= *s && *s <= 'Z') || ('0' <= *s && *s <= '9') ||
              strchr(":-_.\\", *s)))
            return false;
    return true;
}

static int split_cgroups_path(const char *cgroups_path, char **slice, char **prefix, char **name,
                              cradle_error **err)
{
    const char *first = strchr(cgroups_path, ':');
    const char *second = first ? strchr(first + 1, ':') : NULL;
    if (second == NULL || strchr(second + 1, ':'))
        return cradle_error_set(err, EINVAL,
                                "expected cgroupsPath to be of format \"slice:prefix:name\" for "
                                "systemd cgroups, got \"%s\" instead",
                                cgroups_path);
    *slice = strndup(cgroups_path, (size_t)(first - cgroups_path));
    *prefix = strndup(first + 1, (size_t)(second - first - 1));
    *name = strdup(second + 1);
    if (*slice == NULL || *prefix == NULL || *name == NULL)
        return cradle_error_set(err, ENOMEM, "cgroupsPath %s", cgroups_path);
    return 0;
}

/* runc's getUnitName: a scope "PREFIX-NAME.scope" unless NAME asks for a slice. */
static int unit_name(const char *prefix, const char *name, char **out, cradle_error **err)
{
    if (*name == '\0' || !valid_unit_part(prefix) || !valid_unit_part(name))
        return cradle_error_set(
            err, EINVAL, "invalid systemd unit name: prefix \"%s\", name \"%s\"", prefix, name);
    int n = ends_with(name, SLICE_SUFFIX) ? asprintf(out, "%s", name)
                                          : asprintf(out, "%s-%s.scope", prefix, name);
    if (n < 0)
        return cradle_error_set(err, ENOMEM, "systemd unit name");
    if (n > UNIT_NAME_MAX)
        return cradle_error_set(err, EINVAL, "systemd unit name %s is too long", *out);
    return 0;
}

/* A scope sits in its slice's directory; a slice unit's directory follows from its own
 * name (runc joins it below the parent, which is the same for "system-x.slice" in
 * "system.slice" and wrong otherwise). */
static int unit_path(struct systemd_cgroup_name *n, cradle_error **err)
{
    _cleanup_free_ char *slice_path = NULL;
    if (ends_with(n->unit, SLICE_SUFFIX))
        return systemd_expand_slice(n->unit, &n->path, err);
    if (systemd_expand_slice(n->slice, &slice_path, err) < 0)
        return -1;
    const char *sep = strcmp(slice_path, "/") == 0 ? "" : "/";
    if (asprintf(&n->path, "%s%s%s", slice_path, sep, n->unit) < 0)
        return cradle_error_set(err, ENOMEM, "systemd unit path");
    return 0;
}

int systemd_cgroup_name_parse(const char *cgroups_path, const char *id,
                              struct systemd_cgroup_name *out, cradle_error **err)
{
    struct systemd_cgroup_name n = {0};
    _cleanup_free_ char *prefix = NULL, *name = NULL;
    int r;
    if (cgroups_path == NULL || *cgroups_path == '\0') {
        n.slice = strdup(DEFAULT_SLICE);
        prefix = strdup(DEFAULT_SCOPE_PREFIX);
        name = strdup(id ? id : "");
        r = n.slice && prefix && name ? 0 : cradle_error_set(err, ENOMEM, "systemd unit name");
    } else {
        r = split_cgroups_path(cgroups_path, &n.slice, &prefix, &name, err);
    }
    /* An empty slice is the default one, as in runc. */
    if (r == 0 && *n.slice == '\0') {
        free(n.slice);
        r = (n.slice = strdup(DEFAULT_SLICE)) ? 0 : cradle_error_set(err, ENOMEM, "slice");
    }
    if (r == 0)
        r = unit_name(prefix, name, &n.unit, err);
    if (r == 0)
        r = unit_path(&n, err);
    if (r < 0) {
        systemd_cgroup_name_free(&n);
        return -1;
    }
    *out = n;
    return 0;
}

void systemd_cgroup_name_free(struct systemd_cgroup_name *name)
{
    free(name->slice);
    free(name->unit);
    free(name->path);
    *name = (struct systemd_cgroup_name){0};
}
