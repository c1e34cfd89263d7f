/* linux.sysctl keys: the dotted name runc validates and the path under /proc/sys.
 * As in sysctl(8), a key whose first separator is '/' is written in path form, and '.'
 * and '/' swap roles between the two forms, so "net.ipv4.conf.eth0/100.forwarding" and
 * "net/ipv4/conf/eth0.100/forwarding" name the same file (interface "eth0.100"). */
#include <stdlib.h>
#include <string.h>

#include "cradle/spec.h"

static bool written_as_path(const char *key)
{
    size_t first = strcspn(key, "./");
    return key[first] == '/';
}

static char *swap_separators(const char *key)
{
    char *out = strdup(key);
    if (out == NULL)
        return NULL;
    for (char *p = out; *p; p++) {
        if (*p == '.')
            *p = '/';
        else if (*p == '/')
            *p = '.';
    }
    return out;
}

char *cradle_sysctl_name(const char *key)
{
    return written_as_path(key) ? swap_separators(key) : strdup(key);
}

char *cradle_sysctl_path(const char *key)
{
    return written_as_path(key) ? strdup(key) : swap_separators(key);
}
