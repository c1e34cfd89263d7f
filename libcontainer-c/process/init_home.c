#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "init_stages.h"

/* The home field of uid's first entry in /etc/passwd (name:pw:uid:gid:gecos:home:shell),
 * or NULL. A missing or unreadable file, or one that is not a regular file (a FIFO
 * planted there must not block the init), has no entry. */
static char *home_from_passwd(uid_t uid)
{
    int fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    struct stat st;
    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return NULL;
    }
    _cleanup_fclose_ FILE *f = fdopen(fd, "r");
    if (f == NULL) {
        close(fd);
        return NULL;
    }
    _cleanup_free_ char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        line[strcspn(line, "\n")] = '\0';
        char *fields[7], *rest = line;
        int n = 0;
        while (n < 7 && (fields[n] = strsep(&rest, ":")) != NULL)
            n++;
        char *end;
        if (n < 6 || fields[2][0] == '\0')
            continue;
        unsigned long id = strtoul(fields[2], &end, 10);
        if (*end == '\0' && id == uid)
            return strdup(fields[5]);
    }
    return NULL;
}

int cradle_init_set_home(uid_t uid, cradle_error **err)
{
    const char *home = getenv("HOME");
    if (home != NULL && home[0] != '\0')
        return 0;
    _cleanup_free_ char *from_passwd = home_from_passwd(uid);
    if (setenv("HOME", from_passwd ? from_passwd : "/", 1) < 0)
        return cradle_error_sys(err, "setting HOME");
    return 0;
}
