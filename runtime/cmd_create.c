#include <getopt.h>
#include <stdlib.h>
#include <unistd.h>

#include "commands.h"
#include "cradle/container.h"
#include "create_flags.h"

static const char usage[] =
    "Usage: cradle create [command options] <container-id>\n\n"
    "OPTIONS:\n"
    "   --bundle value, -b value  path to the root of the bundle directory (default: \".\")\n"
    "   --console-socket value    path to an AF_UNIX socket which will receive a file descriptor "
    "referencing the master end of the console's pseudoterminal\n"
    "   --pid-file value          specify the file to write the process id to\n"
    "   --no-pivot                do not use pivot root to jail process inside rootfs\n"
    "   --no-new-keyring          do not create a new session keyring for the container\n"
    "   --preserve-fds value      pass N additional file descriptors to the container\n";

int cmd_create(const struct global_opts *g, int argc, char **argv, cradle_error **err)
{
    if (wants_help(argc, argv, usage))
        return 0;
    struct cradle_create_opts opts = {.root = g->root,
                                      .record_exit = true,
                                      .detach = true,
                                      .proc_policy_file = g->proc_policy_file,
                                      .systemd_cgroup = g->systemd_cgroup};
    int first = parse_create_flags(argc, argv, &opts, NULL, err);
    if (first < 0 || one_container_id(argc, argv, first, "create", &opts.id, err) < 0)
        return 1;
    struct cradle_created c = {.pidfd = -1, .console_fd = -1};
    if (cradle_container_create(&opts, &c, err) < 0)
        return 1;
    close(c.pidfd);
    return 0;
}
