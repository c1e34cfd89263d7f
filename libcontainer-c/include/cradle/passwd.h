#pragma once
/* /etc/passwd read directly, never through NSS (getpwuid): a static cradle has no NSS
 * modules to load, and inside a container the file is the container's. */

#include <sys/types.h>

enum cradle_passwd_field {
    CRADLE_PASSWD_NAME = 0,
    CRADLE_PASSWD_HOME = 5,
};

/* Field `field` of uid's first entry in /etc/passwd (name:pw:uid:gid:gecos:home:shell) of
 * the current root, malloc'd, or NULL. A missing or unreadable file, or one that is not a
 * regular file (a FIFO planted there must not block the init), has no entry. */
char *cradle_passwd_field(uid_t uid, enum cradle_passwd_field field);
