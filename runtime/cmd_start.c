#include <getopt.h>
#include <stddef.h>

#include "commands.h"
#include "cradle/container.h"

static const char usage[] = "Usage: cradle start <container-id>\n\n"
                            "Executes the user defined process in a created container.\n";

int cmd_start(const struct global_opts *g, int argc, char **argv, cradle_error **err)
{
    if (wants_help(argc, argv, usage))
        return 0;
    const char *id;
    if (one_container_id(argc, argv, 1, "start", &id, err) < 0)
        return 1;
    return cradle_container_start(g->root, id, err) < 0 ? 1 : 0;
}
