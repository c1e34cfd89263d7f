#include "cradle/passwd.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cradle/cleanup.h"

char *cradle_passwd_field(uid_t uid, enum cradle_passwd_field field)
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
            return strdup(fields[field]);
    }
    return NULL;
}
