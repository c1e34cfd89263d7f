#include <getopt.h>
#include <stddef.h>

#include "commands.h"
#include "cradle/container.h"

static const char usage[] =
    "Usage: cradle delete [command options] <container-id>\n\n"
    "OPTIONS:\n"
    "   --force, -f  forcibly deletes the container if it is still running (uses SIGKILL)\n";

int cmd_delete(const struct global_opts *g, int argc, char **argv, cradle_error **err)
{
    if (wants_help(argc, argv, usage))
        return 0;
    static const struct option opts[] = {{"force", no_argument, NULL, 'f'}, {0, 0, 0, 0}};
    bool force = false;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+f", opts, NULL)) != -1) {
        if (c != 'f')
            return cradle_error_set(err, 0, "flag provided but not defined: %s", argv[optind - 1]),
                   1;
        force = true;
    }
    const char *id;
    if (one_container_id(argc, argv, optind, "delete", &id, err) < 0)
        return 1;
    return cradle_container_delete(g->root, id, force, err) < 0 ? 1 : 0;
}
