#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"
#include "cradle/criu.h"

#define SELF_MOUNTINFO "/proc/self/mountinfo"

/* From one mountinfo line, the mountpoint (field 5) and, after " - ", the filesystem type
 * and super options; false when the line is not a cgroup v1 mount. */
static bool parse_cgroup_line(char *line, char **mountpoint, char **options)
{
    char *fields[5];
    char *save = NULL;
    char *p = line;
    for (int i = 0; i < 5; i++, p = NULL)
        if ((fields[i] = strtok_r(p, " ", &save)) == NULL)
            return false;
    char *rest = strtok_r(NULL, "\n", &save);
    char *sep = rest ? strstr(rest, "- ") : NULL;
    if (sep == NULL)
        return false;
    char *fstype = strtok_r(sep + 2, " ", &save);
    strtok_r(NULL, " ", &save); /* source */
    char *super = strtok_r(NULL, " ", &save);
    if (fstype == NULL || super == NULL || strcmp(fstype, "cgroup") != 0)
        return false;
    *mountpoint = fields[4];
    *options = super;
    return true;
}

int criu_host_hierarchies(struct criu_hierarchy **out, size_t *n, cradle_error **err)
{
    _cleanup_fclose_ FILE *f = fopen(SELF_MOUNTINFO, "re");
    if (f == NULL)
        return cradle_error_sys(err, "opening %s", SELF_MOUNTINFO);
    _cleanup_free_ char *line = NULL;
    size_t cap = 0;
    struct criu_hierarchy *list = NULL;
    size_t count = 0;
    while (getline(&line, &cap, f) >= 0) {
        char *mountpoint, *options;
        if (!parse_cgroup_line(line, &mountpoint, &options))
            continue;
        struct criu_hierarchy *grown = realloc(list, (count + 1) * sizeof(*list));
        if (grown == NULL)
            break;
        list = grown;
        list[count].mountpoint = strdup(mountpoint);
        list[count].options = strdup(options);
        count++;
        if (list[count - 1].mountpoint == NULL || list[count - 1].options == NULL)
            break;
    }
    if (!feof(f)) {
        criu_hierarchies_free(list, count);
        return cradle_error_set(err, ENOMEM, "reading %s", SELF_MOUNTINFO);
    }
    *out = list;
    *n = count;
    return 0;
}

void criu_hierarchies_free(struct criu_hierarchy *h, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(h[i].mountpoint);
        free(h[i].options);
    }
    free(h);
}

const char *criu_cgroup_dir_in(const struct cradle_cgroup *cg, const struct criu_hierarchy *h)
{
    size_t len = strlen(h->mountpoint);
    for (size_t i = 0; cg && i < cg->n_dirs; i++)
        if (strncmp(cg->dirs[i], h->mountpoint, len) == 0 &&
            (cg->dirs[i][len] == '/' || cg->dirs[i][len] == '\0'))
            return cg->dirs[i];
    return NULL;
}
