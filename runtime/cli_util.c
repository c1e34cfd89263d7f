#include <stdio.h>
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
