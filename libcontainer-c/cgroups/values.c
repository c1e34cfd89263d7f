/* Texts the v1 and cgroup2 controllers' files share: numbers and "KEY VALUE" lines as
 * runc's fscommon reads them, huge page size names and rdma.max lines. */
#include "cgroup_internal.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"

char *cgroup_rdma_line(const struct cradle_rdma_limit *limit)
{
    char handles[40] = "", objects[40] = "";
    if (limit->hca_handles.set)
        snprintf(handles, sizeof(handles), " hca_handle=%" PRIu64, limit->hca_handles.value);
    if (limit->hca_objects.set)
        snprintf(objects, sizeof(objects), " hca_object=%" PRIu64, limit->hca_objects.value);
    char *line;
    if (asprintf(&line, "%s%s%s", limit->device, handles, objects) < 0)
        return NULL;
    return line;
}

int cgroup_hugepage_size_name(const char *entry, char *buf, size_t size)
{
    static const char prefix[] = "hugepages-";
    static const char *const units[] = {"B", "KB", "MB", "GB", "TB", "PB"};
    if (strncmp(entry, prefix, sizeof(prefix) - 1) != 0)
        return -1;
    char *end;
    errno = 0;
    unsigned long long kb = strtoull(entry + sizeof(prefix) - 1, &end, 10);
    if (errno || end == entry + sizeof(prefix) - 1 || strcmp(end, "kB") != 0)
        return -1;
    /* As runc's units.CustomSize("%g%s", bytes, 1024, ...). */
    double value = (double)kb * 1024;
    size_t unit = 0;
    while (value >= 1024 && unit + 1 < sizeof(units) / sizeof(units[0])) {
        value /= 1024;
        unit++;
    }
    int n = snprintf(buf, size, "%g%s", value, units[unit]);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

char **cgroup_host_hugepage_sizes(void)
{
    _cleanup_closedir_ DIR *d = opendir("/sys/kernel/mm/hugepages");
    _cleanup_strv_ char **sizes = calloc(1, sizeof(*sizes));
    size_t n = 0;
    struct dirent *de;
    while (sizes && d && (de = readdir(d)) != NULL) {
        char name[32];
        if (cgroup_hugepage_size_name(de->d_name, name, sizeof(name)) < 0)
            continue;
        char **grown = realloc(sizes, (n + 2) * sizeof(*sizes));
        if (grown == NULL)
            return NULL;
        sizes = grown;
        sizes[n + 1] = NULL;
        if ((sizes[n] = strdup(name)) == NULL)
            return NULL;
        sizes[++n] = NULL;
    }
    return TAKE_PTR(sizes);
}

int cgroup_parse_uint(const char *text, uint64_t *out)
{
    while (*text == ' ' || *text == '\t')
        text++;
    if (strncmp(text, "max", 3) == 0 && (text[3] == '\0' || text[3] == '\n')) {
        *out = UINT64_MAX;
        return 0;
    }
    if (*text < '0' || *text > '9')
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || (*end != '\0' && *end != '\n'))
        return -1;
    *out = v;
    return 0;
}

int cgroup_next_key_value(const char **pos, char *key, size_t key_size, uint64_t *value)
{
    const char *line = *pos;
    while (*line == '\n')
        line++;
    if (*line == '\0')
        return 0;
    const char *eol = strchr(line, '\n');
    size_t len = eol ? (size_t)(eol - line) : strlen(line);
    *pos = line + len;
    const char *space = memchr(line, ' ', len);
    if (space == NULL || space == line || (size_t)(space - line) >= key_size)
        return -1;
    memcpy(key, line, (size_t)(space - line));
    key[space - line] = '\0';
    char *end;
    errno = 0;
    if (space[1] < '0' || space[1] > '9')
        return -1;
    *value = strtoull(space + 1, &end, 10);
    if (errno || end != line + len)
        return -1;
    return 1;
}

int cgroup_value_by_key(const char *text, const char *wanted, uint64_t *out)
{
    char key[128];
    uint64_t value;
    int r;
    *out = 0;
    while ((r = cgroup_next_key_value(&text, key, sizeof(key), &value)) > 0) {
        if (strcmp(key, wanted) == 0) {
            *out = value;
            return 0;
        }
    }
    return r;
}

void cgroup_json_putp(struct json_object **o)
{
    json_object_put(*o);
}
