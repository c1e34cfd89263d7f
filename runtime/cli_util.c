#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

bool wants_help(int argc, char **argv, const char *usage)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(usage, stdout);
            return true;
        }
    }
    return false;
}

int one_container_id(int argc, char **argv, int optind_, const char *cmd, const char **id,
                     cradle_error **err)
{
    for (int i = optind_; i < argc; i++)
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            return cradle_error_set(err, 0, "flag provided but not defined: %s", argv[i]);
    if (argc - optind_ != 1)
        return cradle_error_set(err, 0, "\"%s\" requires exactly 1 argument(s)", cmd);
    *id = argv[optind_];
    return 0;
}

int parse_preserve_fds(const char *text, int *out, cradle_error **err)
{
    char *end = NULL;
    errno = 0;
    long n = strtol(text, &end, 10);
    if (text[0] == '\0' || *end != '\0' || errno != 0 || n > 65536)
        return cradle_error_set(err, EINVAL,
                                "invalid value \"%s\" for flag -preserve-fds: parse error", text);
    *out = n < 0 ? 0 : (int)n; /* runc passes none for a negative count */
    return 0;
}
