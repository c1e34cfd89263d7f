#include "cradle/mountinfo.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"

void cradle_mountinfo_unescape(char *s)
{
    char *out = s;
    for (const char *in = s; *in; out++) {
        if (in[0] == '\\' && in[1] >= '0' && in[1] <= '3' && in[2] >= '0' && in[2] <= '7' &&
            in[3] >= '0' && in[3] <= '7') {
            *out = (char)((in[1] - '0') * 64 + (in[2] - '0') * 8 + (in[3] - '0'));
            in += 4;
        } else {
            *out = *in++;
        }
    }
    *out = '\0';
}

/* "rw,nosuid,relatime" holds "ro" as a word. */
static bool has_ro(const char *options)
{
    for (const char *p = options; *p;) {
        size_t len = strcspn(p, ",");
        if (len == 2 && strncmp(p, "ro", 2) == 0)
            return true;
        p += len + (p[len] == ',');
    }
    return false;
}

bool cradle_mountinfo_parse_line(char *line, struct cradle_mountinfo *mi)
{
    char *save = NULL;
    char *fields[6];
    *mi = (struct cradle_mountinfo){0};
    for (int i = 0; i < 6; i++)
        if ((fields[i] = strtok_r(i == 0 ? line : NULL, " \n", &save)) == NULL)
            return false;
    mi->id = atoi(fields[0]);
    mi->parent = atoi(fields[1]);
    mi->device = fields[2];
    mi->root = fields[3];
    mi->mountpoint = fields[4];
    mi->readonly = has_ro(fields[5]);
    cradle_mountinfo_unescape(mi->root);
    cradle_mountinfo_unescape(mi->mountpoint);
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
    if (!mi->fstype || !mi->source || !mi->super_options)
        return false;
    cradle_mountinfo_unescape(mi->fstype);
    cradle_mountinfo_unescape(mi->source);
    return true;
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
