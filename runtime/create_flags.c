#include "create_flags.h"

#include <getopt.h>
#include <stdlib.h>

#include "commands.h"

enum {
    OPT_CONSOLE = 256,
    OPT_PID_FILE,
    OPT_NO_PIVOT,
    OPT_NO_KEYRING,
    OPT_PRESERVE,
    OPT_KEEP,
    OPT_NO_SUBREAPER
};

int parse_create_flags(int argc, char **argv, struct cradle_create_opts *opts,
                       struct run_flags *run, cradle_error **err)
{
    static const struct option long_opts[] = {
        {"bundle", required_argument, NULL, 'b'},
        {"console-socket", required_argument, NULL, OPT_CONSOLE},
        {"pid-file", required_argument, NULL, OPT_PID_FILE},
        {"no-pivot", no_argument, NULL, OPT_NO_PIVOT},
        {"no-new-keyring", no_argument, NULL, OPT_NO_KEYRING},
        {"preserve-fds", required_argument, NULL, OPT_PRESERVE},
        {"detach", no_argument, NULL, 'd'},
        {"keep", no_argument, NULL, OPT_KEEP},
        {"no-subreaper", no_argument, NULL, OPT_NO_SUBREAPER},
        {0, 0, 0, 0},
    };
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+b:d", long_opts, NULL)) != -1) {
        switch (c) {
        case 'b':
            opts->bundle = optarg;
            break;
        case OPT_CONSOLE:
            opts->console_socket = optarg;
            break;
        case OPT_PID_FILE:
            opts->pid_file = optarg;
            break;
        case OPT_NO_PIVOT:
            opts->no_pivot = true;
            break;
        case OPT_NO_KEYRING:
            opts->no_new_keyring = true;
            break;
        case OPT_PRESERVE:
            if (parse_preserve_fds(optarg, &opts->preserve_fds, err) < 0)
                return -1;
            break;
        case 'd':
        case OPT_KEEP:
        case OPT_NO_SUBREAPER:
            if (run == NULL)
                return cradle_error_set(err, 0, "flag provided but not defined: %s",
                                        argv[optind - 1]);
            /* --keep with --detach is accepted and means nothing, as in runc 1.1: a
             * detached container is never removed by run. --no-subreaper: cradle never
             * makes itself a subreaper; nothing to turn off. */
            if (c == 'd')
                run->detach = true;
            else if (c == OPT_KEEP)
                run->keep = true;
            break;
        default:
            return cradle_error_set(err, 0, "flag provided but not defined: %s", argv[optind - 1]);
        }
    }
    opts->listen_fds = cradle_listen_fds_from_env();
    return optind;
}
