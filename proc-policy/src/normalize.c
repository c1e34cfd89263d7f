/* Lexical path normalisation: no filesystem access, so ".." is resolved textually. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proc_policy_internal.h"

/* Drops the last component of the normalised prefix out[0..*len), never above "/". */
static void drop_last_component(char *out, size_t *len)
{
    while (*len > 0 && out[*len - 1] != '/')
        (*len)--;
    if (*len > 0)
        (*len)--;
    out[*len] = '\0';
}

int pp_normalize_into(const char *path, char *out, size_t size)
{
    if (path == NULL || path[0] != '/') {
        errno = EINVAL;
        return -1;
    }
    if (size < 2) {
        errno = ENAMETOOLONG;
        return -1;
    }

    size_t len = 0;
    out[0] = '\0';
    const char *p = path;
    while (*p) {
        while (*p == '/')
            p++;
        const char *start = p;
        while (*p && *p != '/')
            p++;
        size_t component = (size_t)(p - start);

        if (component == 0 || (component == 1 && start[0] == '.'))
            continue;
        if (component == 2 && start[0] == '.' && start[1] == '.') {
            drop_last_component(out, &len);
            continue;
        }
        if (len + 1 + component + 1 > size) {
            errno = ENAMETOOLONG;
            return -1;
        }
        out[len++] = '/';
        memcpy(out + len, start, component);
        len += component;
        out[len] = '\0';
    }

    if (len == 0) {
        out[0] = '/';
        out[1] = '\0';
    }
    return 0;
}

char *pp_normalize_path(const char *path)
{
    if (path == NULL || path[0] != '/') {
        errno = EINVAL;
        return NULL;
    }
    size_t size = strlen(path) + 1;
    char *out = malloc(size);
    if (out == NULL)
        return NULL;
    if (pp_normalize_into(path, out, size) < 0) {
        int saved = errno;
        free(out);
        errno = saved;
        return NULL;
    }
    return out;
}

bool pp_path_is_under_proc(const char *normalized)
{
    return strncmp(normalized, "/proc", 5) == 0 && (normalized[5] == '\0' || normalized[5] == '/');
}
