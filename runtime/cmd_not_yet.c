/* runc's commands that cradle does not have yet (exec):
 * known by name, so that engines and users read "not supported yet" rather than a broken
 * install, and `--help` exits 0 as runc's does (engines probe it). */
#include <stdio.h>

#include "commands.h"

int cmd_not_yet(const struct global_opts *g, int argc, char **argv, cradle_error **err)
{
    (void)g;
    char usage[128];
    snprintf(usage, sizeof(usage), "cradle %s: not supported yet\n", argv[0]);
    if (wants_help(argc, argv, usage))
        return 0;
    return cradle_error_set(err, 0, "not supported yet: %s", argv[0]);
}
