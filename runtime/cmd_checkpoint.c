#include <getopt.h>
#include <stdlib.h>

#include "commands.h"
#include "criu_flags.h"

static const char usage[] =
    "Usage: cradle checkpoint [command options] <container-id>\n\n"
    "OPTIONS:\n"
    "   --image-path value           path for saving criu image files (default: ./checkpoint)\n"
    "   --work-path value            path for saving work files and logs (default: image path)\n"
    "   --parent-path value          path for previous criu image files in pre-dump, relative "
    "to the image path\n"
    "   --leave-running              leave the process running after checkpointing\n"
    "   --tcp-established            allow open tcp connections\n"
    "   --ext-unix-sk                allow external unix sockets\n"
    "   --shell-job                  allow shell jobs\n"
    "   --lazy-pages                 use userfaultfd to lazily restore memory pages\n"
    "   --status-fd value            criu writes \\0 to this FD once lazy-pages is ready "
    "(default: -1)\n"
    "   --page-server value          ADDRESS:PORT of the page server\n"
    "   --file-locks                 handle file locks, for safety\n"
    "   --pre-dump                   dump the container's memory information only, leave the "
    "container running after this\n"
    "   --manage-cgroups-mode value  cgroups mode: 'soft' (default), 'full', 'strict' and "
    "'ignore'\n"
    "   --empty-ns value             create a namespace, but don't restore its properties\n"
    "   --auto-dedup                 enable auto deduplication of memory images\n";

enum {
    OPT_PARENT_PATH = CRIU_OPT_LAST,
    OPT_LEAVE_RUNNING,
    OPT_PRE_DUMP,
    OPT_PAGE_SERVER,
    OPT_STATUS_FD
};

/* An int as urfave/cli's IntFlag takes it. */
static int parse_fd(const char *arg, int *fd, cradle_error **err)
{
    char *end;
    long v = strtol(arg, &end, 10);
    if (*arg == '\0' || *end != '\0' || v < -1 || v > 1 << 20)
        return cradle_error_set(err, 0, "invalid value \"%s\" for flag -status-fd", arg);
    *fd = (int)v;
    return 0;
}

int cmd_checkpoint(const struct global_opts *g, int argc, char **argv, cradle_error **err)
{
    if (wants_help(argc, argv, usage))
        return 0;
    static const struct option long_opts[] = {
        CRIU_COMMON_LONG_OPTS,
        {"parent-path", required_argument, NULL, OPT_PARENT_PATH},
        {"leave-running", no_argument, NULL, OPT_LEAVE_RUNNING},
        {"pre-dump", no_argument, NULL, OPT_PRE_DUMP},
        {"page-server", required_argument, NULL, OPT_PAGE_SERVER},
        {"status-fd", required_argument, NULL, OPT_STATUS_FD},
        {0, 0, 0, 0},
    };
    struct cradle_checkpoint_opts opts = {.root = g->root, .status_fd = -1};
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+", long_opts, NULL)) != -1) {
        int common = criu_flag(c, optarg, &opts.criu, err);
        if (common < 0)
            return 1;
        if (common > 0)
            continue;
        switch (c) {
        case OPT_PARENT_PATH:
            opts.parent_path = optarg;
            break;
        case OPT_LEAVE_RUNNING:
            opts.leave_running = true;
            break;
        case OPT_PRE_DUMP:
            opts.pre_dump = true;
            break;
        case OPT_PAGE_SERVER:
            opts.page_server = optarg;
            break;
        case OPT_STATUS_FD:
            if (parse_fd(optarg, &opts.status_fd, err) < 0)
                return 1;
            break;
        default:
            cradle_error_set(err, 0, "flag provided but not defined: %s", argv[optind - 1]);
            return 1;
        }
    }
    if (one_container_id(argc, argv, optind, "checkpoint", &opts.id, err) < 0)
        return 1;
    return cradle_container_checkpoint(&opts, err) < 0 ? 1 : 0;
}
