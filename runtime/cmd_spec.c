#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "cradle/cleanup.h"
#include "cradle/spec.h"

static const char usage[] =
    "Usage: cradle spec [command options]\n\n"
    "Creates a new config.json in the bundle directory.\n\n"
    "OPTIONS:\n"
    "   --bundle value, -b value  path to the root of the bundle directory\n"
    "   --rootless                generate a configuration for a rootless container\n";

int cmd_spec(const struct global_opts *g, int argc, char **argv, cradle_error **err)
{
    (void)g;
    if (wants_help(argc, argv, usage))
        return 0;
    enum { OPT_ROOTLESS = 256 };
    static const struct option opts[] = {{"bundle", required_argument, NULL, 'b'},
                                         {"rootless", no_argument, NULL, OPT_ROOTLESS},
                                         {0, 0, 0, 0}};
    const char *bundle = ".";
    bool rootless = false;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+b:", opts, NULL)) != -1) {
        if (c == 'b')
            bundle = optarg;
        else if (c == OPT_ROOTLESS)
            rootless = true;
        else
            return cradle_error_set(err, 0, "flag provided but not defined: %s", argv[optind - 1]),
                   1;
    }
    _cleanup_close_ int dir = open(bundle, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (dir < 0)
        return cradle_error_sys(err, "bundle %s", bundle), 1;
    if (faccessat(dir, "config.json", F_OK, 0) == 0)
        return cradle_error_set(err, EEXIST, "File config.json exists. Remove it first"), 1;
    _cleanup_free_ char *json = cradle_spec_default_json(rootless);
    if (json == NULL)
        return cradle_error_set(err, ENOMEM, "default spec"), 1;
    _cleanup_close_ int fd =
        openat(dir, "config.json", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    size_t len = strlen(json);
    if (fd < 0 || write(fd, json, len) != (ssize_t)len)
        return cradle_error_sys(err, "write %s/config.json", bundle), 1;
    return 0;
}
