/* linux.resources.hugepageLimits on the v1 hugetlb controller, and the kernel's names
 * for huge page sizes ("2MB"), which the spec's pageSize uses as they are (as runc). */
#include "cgroup_v1.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"

#define HUGEPAGES_DIR "/sys/kernel/mm/hugepages"

int cgroup_hugepage_size_name(uint64_t bytes, char *buf, size_t size)
{
    static const char *const units[] = {"B", "KB", "MB", "GB", "TB", "PB"};
    size_t unit = 0;
    while (bytes != 0 && bytes % 1024 == 0 && unit + 1 < sizeof(units) / sizeof(units[0])) {
        bytes /= 1024;
        unit++;
    }
    int n = snprintf(buf, size, "%" PRIu64 "%s", bytes, units[unit]);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

int cgroup_hugepage_dir_to_size_name(const char *entry, char *buf, size_t size)
{
    const char *prefix = "hugepages-";
    if (strncmp(entry, prefix, strlen(prefix)) != 0)
        return -1;
    const char *digits = entry + strlen(prefix);
    char *end = NULL;
    errno = 0;
    unsigned long long kib = strtoull(digits, &end, 10);
    if (errno != 0 || end == digits || strcmp(end, "kB") != 0 || kib == 0)
        return -1;
    return cgroup_hugepage_size_name((uint64_t)kib * 1024, buf, size);
}

char *cgroup_hugepage_sizes(void)
{
    _cleanup_free_ char *list = strdup("");
    _cleanup_closedir_ DIR *d = opendir(HUGEPAGES_DIR);
    if (list == NULL || d == NULL)
        return TAKE_PTR(list);
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        char name[32];
        if (cgroup_hugepage_dir_to_size_name(e->d_name, name, sizeof(name)) < 0)
            continue;
        char *longer = NULL;
        if (asprintf(&longer, "%s%s%s", list, *list ? "," : "", name) < 0)
            return NULL;
        free(list);
        list = longer;
    }
    return TAKE_PTR(list);
}

bool cgroup_v1_wants_hugetlb(const struct cradle_resources *res)
{
    return res->n_hugepages > 0;
}

int cgroup_v1_apply_hugetlb(const char *dir, const struct cradle_resources *res, cradle_error **err)
{
    for (size_t i = 0; i < res->n_hugepages; i++) {
        const struct cradle_hugepage_limit *h = &res->hugepages[i];
        char file[64], field[64];
        snprintf(field, sizeof(field), "linux.resources.hugepageLimits[%zu]", i);
        int n = snprintf(file, sizeof(file), "hugetlb.%s.limit_in_bytes", h->page_size);
        if (n < 0 || (size_t)n >= sizeof(file) || strchr(h->page_size, '/') != NULL ||
            !cgroup_v1_has_file(dir, file)) {
            _cleanup_free_ char *sizes = cgroup_hugepage_sizes();
            return cradle_error_set(err, EINVAL,
                                    "%s: page size \"%s\" is not one of this host's (%s): no "
                                    "hugetlb.%s.limit_in_bytes in %s",
                                    field, h->page_size, sizes && *sizes ? sizes : "none",
                                    h->page_size, dir);
        }
        if (cgroup_v1_write_u64(dir, file, h->limit, field, err) < 0)
            return -1;
    }
    return 0;
}
