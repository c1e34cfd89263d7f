/* A minimal reader of /proc/self/mountinfo (proc(5)):
 * ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"
#include "rootfs_internal.h"

#define MOUNTINFO "/proc/self/mountinfo"

/* Splits one line in place; false when it does not have the expected shape. */
static bool parse_line(char *line, struct rootfs_mountinfo *mi)
{
    char *save = NULL;
    char *fields[6];
    for (int i = 0; i < 6; i++)
        if ((fields[i] = strtok_r(i == 0 ? line : NULL, " \n", &save)) == NULL)
            return false;
    mi->id = atoi(fields[0]);
    mi->root = fields[3];
    mi->mountpoint = fields[4];
    /* The optional fields run up to the lone "-"; keep them as one string. */
    char *optional = save;
    char *dash = strstr(optional, " - ");
    if (strncmp(optional, "- ", 2) == 0) {
        mi->optional = "";
        save = optional + 2;
    } else if (dash != NULL) {
        *dash = '\0';
        mi->optional = optional;
        save = dash + 3;
    } else {
        return false;
    }
    mi->fstype = strtok_r(NULL, " \n", &save);
    const char *source = strtok_r(NULL, " \n", &save);
    mi->super_options = strtok_r(NULL, " \n", &save);
    return mi->fstype && source && mi->super_options;
}

int rootfs_mountinfo_foreach(int (*fn)(const struct rootfs_mountinfo *mi, void *data), void *data,
                             cradle_error **err)
{
    _cleanup_fclose_ FILE *f = fopen(MOUNTINFO, "re");
    if (f == NULL)
        return cradle_error_sys(err, "opening %s", MOUNTINFO);
    _cleanup_free_ char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) >= 0) {
        struct rootfs_mountinfo mi;
        if (!parse_line(line, &mi))
            return cradle_error_set(err, EINVAL, "%s: unexpected line", MOUNTINFO);
        int r = fn(&mi, data);
        if (r != 0)
            return r;
    }
    if (ferror(f))
        return cradle_error_sys(err, "reading %s", MOUNTINFO);
    return 0;
}
