#include "cradle/mountinfo.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"

bool cradle_mountinfo_parse_line(char *line, struct cradle_mountinfo *mi)
{
    char *save = NULL;
    char *fields[6];
    *mi = (struct cradle_mountinfo){0};
    for (int i = 0; i < 6; i++)
        if ((fields[i] = strtok_r(i == 0 ? line : NULL, " \n", &save)) == NULL)
            return false;
    mi->id = atoi(fields[0]);
    mi->device = fields[2];
    mi->root = fields[3];
    mi->mountpoint = fields[4];
    /* The optional fields run up to the lone "-"; keep them as one string. */
    char *optional = save;
    char *dash = strstr(optional, " - ");
    if (strncmp(optional, "- ", 2) == 0) {
        mi->optional = optional + 1;
        *mi->optional = '\0';
        save = optional + 2;
    } else if (dash != NULL) {
        *dash = '\0';
        mi->optional = optional;
        save = dash + 3;
    } else {
        return false;
    }
    mi->fstype = strtok_r(NULL, " \n", &save);
    mi->source = strtok_r(NULL, " \n", &save);
    mi->super_options = strtok_r(NULL, " \n", &save);
    return mi->fstype && mi->source && mi->super_options;
}

int cradle_mountinfo_foreach(const char *path, cradle_mountinfo_fn fn, void *data,
                             cradle_error **err)
{
    _cleanup_fclose_ FILE *f = fopen(path, "re");
    if (f == NULL)
        return cradle_error_sys(err, "opening %s", path);
    _cleanup_free_ char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) >= 0) {
        struct cradle_mountinfo mi;
        if (!cradle_mountinfo_parse_line(line, &mi))
            return cradle_error_set(err, EINVAL, "%s: unexpected line", path);
        int r = fn(&mi, data);
        if (r != 0)
            return r;
    }
    if (ferror(f))
        return cradle_error_sys(err, "reading %s", path);
    return 0;
}
