/* Cgroup path arithmetic: normalizing cgroupsPath and mapping it into a hierarchy. */
#include "cgroup_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"
#include "cradle/pathsafe.h"

/* Validation (spec/validate.c) refused ".." components: they are not resolved here. */
char *cgroup_path_normalize(const char *path)
{
    bool absolute = path[0] == '/';
    _cleanup_free_ char *copy = strdup(path);
    _cleanup_free_ char *result = calloc(1, strlen(path) + 2);
    if (copy == NULL || result == NULL)
        return NULL;

    char *save = NULL;
    for (char *part = strtok_r(copy, "/", &save); part; part = strtok_r(NULL, "/", &save)) {
        if (strcmp(part, ".") == 0)
            continue;
        if (absolute || *result)
            strcat(result, "/");
        strcat(result, part);
    }
    if (absolute && *result == '\0')
        strcpy(result, "/");
    return TAKE_PTR(result);
}

char *cgroup_path_join(const char *a, const char *b)
{
    size_t a_len = strlen(a);
    while (a_len > 0 && a[a_len - 1] == '/')
        a_len--;
    while (*b == '/')
        b++;
    char *joined = NULL;
    if (*b == '\0' && a_len == 0)
        return strdup("/");
    if (*b == '\0')
        return strndup(a, a_len);
    if (asprintf(&joined, "%.*s/%s", (int)a_len, a, b) < 0)
        return NULL;
    return joined;
}

/* The caller's cgroup as a path inside the mount: a mount of a subtree (root != "/")
 * shows the caller's full path in /proc/self/cgroup, so the mounted part is cut off. */
static const char *own_path_in_mount(const struct cgroup_hierarchy *h, const char *own)
{
    if (strcmp(h->root, "/") == 0 || !cradle_path_below(own, h->root))
        return own;
    return own + strlen(h->root);
}

int cgroup_container_dir(const struct cgroup_hierarchy *h, const char *rel, const char *own,
                         char **out, cradle_error **err)
{
    _cleanup_free_ char *base = NULL;
    if (rel[0] == '/') {
        base = strdup(h->mountpoint);
    } else {
        if (own == NULL)
            return cradle_error_set(err, EINVAL,
                                    "relative cgroup path \"%s\" needs the caller's cgroup in %s",
                                    rel, h->mountpoint);
        /* As runc's fs2: on cgroup2 a relative path is below the parent of the caller's
         * cgroup, which holds the caller (a leaf) and so cannot enable controllers for a
         * child; its parent is, for a user, the delegated subtree. */
        _cleanup_free_ char *in_mount = strdup(own_path_in_mount(h, own));
        if (in_mount != NULL && h->unified) {
            char *slash = strrchr(in_mount, '/');
            if (slash != NULL)
                slash[slash == in_mount ? 1 : 0] = '\0';
        }
        base = in_mount ? cgroup_path_join(h->mountpoint, in_mount) : NULL;
    }
    char *dir = base ? cgroup_path_join(base, rel) : NULL;
    if (dir == NULL)
        return cradle_error_set(err, ENOMEM, "cgroup path \"%s\" in %s", rel, h->mountpoint);
    *out = dir;
    return 0;
}
