/* One reader of mountinfo (proc(5)) for every module:
 * ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS */
#ifndef CRADLE_MOUNTINFO_H
#define CRADLE_MOUNTINFO_H

#include <stdbool.h>

#include "cradle/error.h"

/* The fields of one line; the strings point into the line. The kernel writes a space,
 * tab, newline or backslash in root, mountpoint, fstype and source as \040, \011, \012,
 * \134: those fields are decoded (a mount point "/tmp/my dir" reads as it is). */
struct cradle_mountinfo {
    int id;
    int parent;   /* the id of the mount this one is mounted on */
    char *device; /* "MAJ:MIN" */
    char *root;   /* the mount's root inside its filesystem */
    char *mountpoint;
    bool readonly;  /* "ro" among the per-mount options */
    char *optional; /* "shared:1 master:2" or "" */
    char *fstype;
    char *source;
    char *super_options;
};

/* Splits one line in place; false when it does not have the expected shape (the fields
 * found before the fault stay set, the others NULL). */
bool cradle_mountinfo_parse_line(char *line, struct cradle_mountinfo *mi);

/* Decodes mountinfo's octal escapes (\ooo) in place. */
void cradle_mountinfo_unescape(char *s);

/* Calls fn for each line of the mountinfo file at path until fn returns non-zero (that
 * value is returned); 0 after the last line, -1 with *err when reading fails or a line
 * is malformed. */
typedef int (*cradle_mountinfo_fn)(const struct cradle_mountinfo *mi, void *data);
int cradle_mountinfo_foreach(const char *path, cradle_mountinfo_fn fn, void *data,
                             cradle_error **err);

#endif
