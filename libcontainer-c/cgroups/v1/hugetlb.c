/* linux.resources.hugepageLimits on the v1 hugetlb controller; the spec's pageSize is the
 * kernel's name for the size ("2MB"), used as it is (as runc). */
#include "cgroup_v1.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../cgroup_internal.h"
#include "cradle/cleanup.h"

bool cgroup_v1_wants_hugetlb(const struct cradle_resources *res)
{
    return res->n_hugepages > 0;
}

/* "2MB, 1GB" (or "none"), for the error about a size the host lacks. */
static char *host_sizes_text(void)
{
    _cleanup_strv_ char **sizes = cgroup_host_hugepage_sizes();
    size_t len = 1;
    for (char **s = sizes; s && *s; s++)
        len += strlen(*s) + 2;
    char *text = calloc(1, len + sizeof("none"));
    if (text == NULL)
        return NULL;
    for (char **s = sizes; s && *s; s++) {
        if (*text)
            strcat(text, ", ");
        strcat(text, *s);
    }
    if (*text == '\0')
        strcpy(text, "none");
    return text;
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
            _cleanup_free_ char *sizes = host_sizes_text();
            return cradle_error_set(err, EINVAL,
                                    "%s: page size \"%s\" is not one of this host's (%s): no "
                                    "hugetlb.%s.limit_in_bytes in %s",
                                    field, h->page_size, sizes ? sizes : "?", h->page_size, dir);
        }
        if (cgroup_v1_write_u64(dir, file, h->limit, field, err) < 0)
            return -1;
    }
    return 0;
}
