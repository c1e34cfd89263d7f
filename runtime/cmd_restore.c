#include <getopt.h>
#include <signal.h>
#include <unistd.h>

#include "commands.h"
#include "foreground.h"
#include "criu_flags.h"

static const char usage[] =
    "Usage: cradle restore [command options] <container-id>\n\n"
    "OPTIONS:\n"
    "   --image-path value           path to criu image files for restoring (default: "
    "./checkpoint)\n"
    "   --work-path value            path for saving work files and logs (default: image path)\n"
    "   --tcp-established            allow open tcp connections\n"
    "   --ext-unix-sk                allow external unix sockets\n"
    "   --shell-job                  allow shell jobs\n"
    "   --file-locks                 handle file locks, for safety\n"
    "   --manage-cgroups-mode value  cgroups mode: 'soft' (default), 'full', 'strict' and "
    "'ignore'\n"
    "   --bundle value, -b value     path to the root of the bundle directory\n"
    "   --detach, -d                 detach from the container's process\n"
    "   --pid-file value             specify the file to write the process id to\n"
    "   --console-socket value       path to an AF_UNIX socket which will receive a file "
    "descriptor referencing the master end of the console's pseudoterminal\n"
    "   --no-subreaper               accepted; cradle uses no subreaper\n"
    "   --no-pivot                   accepted; criu restores the mounts itself\n"
    "   --empty-ns value             create a namespace, but don't restore its properties\n"
    "   --auto-dedup                 enable auto deduplication of memory images\n"
    "   --lazy-pages                 use userfaultfd to lazily restore memory pages\n"
    "   --lsm-profile value          Specify an LSM profile to be used during restore in the "
    "form of TYPE:NAME.\n"
    "   --lsm-mount-context value    Specify an LSM mount context to be used during restore.\n";

enum {
    OPT_PID_FILE = CRIU_OPT_LAST,
    OPT_CONSOLE,
    OPT_NO_SUBREAPER,
    OPT_NO_PIVOT,
    OPT_LSM_PROFILE,
    OPT_LSM_MOUNT_CONTEXT
};

static int parse(int argc, char **argv, struct cradle_restore_opts *opts, bool *detach,
                 cradle_error **err)
{
    static const struct option long_opts[] = {
        CRIU_COMMON_LONG_OPTS,
        {"bundle", required_argument, NULL, 'b'},
        {"detach", no_argument, NULL, 'd'},
        {"pid-file", required_argument, NULL, OPT_PID_FILE},
        {"console-socket", required_argument, NULL, OPT_CONSOLE},
        {"no-subreaper", no_argument, NULL, OPT_NO_SUBREAPER},
        {"no-pivot", no_argument, NULL, OPT_NO_PIVOT},
        {"lsm-profile", required_argument, NULL, OPT_LSM_PROFILE},
        {"lsm-mount-context", required_argument, NULL, OPT_LSM_MOUNT_CONTEXT},
        {0, 0, 0, 0},
    };
    int c;
    opterr = 0;
    /* Long flags with one dash too, as runc's flag parser takes them: containerd's shim
     * (go-runc) restores with "-no-subreaper". */
    while ((c = getopt_long_only(argc, argv, "+b:d", long_opts, NULL)) != -1) {
        int common = criu_flag(c, optarg, &opts->criu, err);
        if (common < 0)
            return -1;
        if (common > 0)
            continue;
        switch (c) {
        case 'b':
            opts->bundle = optarg;
            break;
        case 'd':
            *detach = true;
            break;
        case OPT_PID_FILE:
            opts->pid_file = optarg;
            break;
        case OPT_CONSOLE:
            opts->console_socket = optarg;
            break;
        case OPT_NO_SUBREAPER:
            break;
        case OPT_NO_PIVOT:
            opts->no_pivot = true;
            break;
        case OPT_LSM_PROFILE:
            opts->criu.lsm_profile = optarg;
            break;
        case OPT_LSM_MOUNT_CONTEXT:
            opts->criu.lsm_mount_context = optarg;
            break;
        default:
            return cradle_error_set(err, 0, "flag provided but not defined: %s", argv[optind - 1]);
        }
    }
    return one_container_id(argc, argv, optind, "restore", &opts->id, err);
}

int cmd_restore(const struct global_opts *g, int argc, char **argv, cradle_error **err)
{
    if (wants_help(argc, argv, usage))
        return 0;
    struct cradle_restore_opts opts = {.root = g->root, .proc_policy_file = g->proc_policy_file};
    bool detach = false;
    if (parse(argc, argv, &opts, &detach, err) < 0)
        return 1;
    opts.systemd_cgroup = g->systemd_cgroup;
    if (!detach)
        block_forwarded_signals();
    opts.record_exit = detach;
    struct cradle_created c = {.pidfd = -1, .console_fd = -1};
    if (cradle_container_restore(&opts, &c, err) < 0)
        return 1;
    return finish_foreground(g, opts.id, &c, detach, false, err);
}
