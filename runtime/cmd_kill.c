#include <getopt.h>
#include <stddef.h>
#include <signal.h>
#include <string.h>

#include "commands.h"
#include "cradle/container.h"
#include "cradle/signals.h"

static const char usage[] =
    "Usage: cradle kill [command options] <container-id> [signal]\n\n"
    "Where \"<signal>\" is the name or number of the signal (default: SIGTERM).\n\n"
    "OPTIONS:\n"
    "   --all, -a  send the specified signal to all processes inside the container\n";

/* As runc, 0 is a signal too: engines send it to ask whether the container is alive. */
static int parse_kill_signal(const char *text)
{
    if (text[0] != '\0' && text[strspn(text, "0")] == '\0')
        return 0;
    return cradle_signal_parse(text);
}

int cmd_kill(const struct global_opts *g, int argc, char **argv, cradle_error **err)
{
    if (wants_help(argc, argv, usage))
        return 0;
    static const struct option opts[] = {{"all", no_argument, NULL, 'a'}, {0, 0, 0, 0}};
    bool all = false;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+a", opts, NULL)) != -1) {
        if (c != 'a')
            return cradle_error_set(err, 0, "flag provided but not defined: %s", argv[optind - 1]),
                   1;
        all = true;
    }
    int n = argc - optind;
    if (n < 1 || n > 2)
        return cradle_error_set(err, 0,
                                "\"kill\" requires a minimum of 1 and a maximum of 2 "
                                "arguments"),
               1;
    int sig = SIGTERM;
    if (n == 2 && (sig = parse_kill_signal(argv[optind + 1])) < 0)
        return cradle_error_set(err, 0, "unknown signal \"%s\"", argv[optind + 1]), 1;
    return cradle_container_kill(g->root, argv[optind], sig, all, err) < 0 ? 1 : 0;
}
