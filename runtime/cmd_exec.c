/* exec: runc's flags, its exit statuses (the process's; 255 when exec itself fails; 0 at
 * once with --detach) and the foreground loop shared with run. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "commands.h"
#include "cradle/container.h"
#include "foreground.h"

static const char usage[] =
    "Usage: cradle exec [command options] <container-id> <command> [command options]  || -p "
    "process.json <container-id>\n\n"
    "Where \"<container-id>\" is the name for the instance of the container and\n"
    "\"<command>\" is the command to be executed in the container.\n"
    "\"<command>\" can't be empty unless a \"-p\" flag provided.\n\n"
    "OPTIONS:\n"
    "   --console-socket value             path to an AF_UNIX socket which will receive a file "
    "descriptor referencing the master end of the console's pseudoterminal\n"
    "   --cwd value                        current working directory in the container\n"
    "   --env value, -e value              set environment variables\n"
    "   --tty, -t                          allocate a pseudo-TTY\n"
    "   --user value, -u value             UID (format: <uid>[:<gid>])\n"
    "   --additional-gids value, -g value  additional gids\n"
    "   --process value, -p value          path to the process.json\n"
    "   --detach, -d                       detach from the container's process\n"
    "   --pid-file value                   specify the file to write the process id to\n"
    "   --process-label value              set the asm process label for the process commonly "
    "used with selinux\n"
    "   --apparmor value                   set the apparmor profile for the process\n"
    "   --no-new-privs                     set the no new privileges value for the process\n"
    "   --cap value, -c value              add a capability to the bounding set for the process\n"
    "   --preserve-fds value               Pass N additional file descriptors to the container "
    "(stdio + $LISTEN_FDS + N in total) (default: 0)\n"
    "   --cgroup value                     run the process in an (existing) sub-cgroup(s). "
    "Format is [<controller>:]<cgroup>.\n"
    "   --ignore-paused                    allow exec in a paused container\n";

/* runc's status when exec itself fails (fatalWithCode(..., 255)). */
#define EXEC_FAILED 255

enum {
    OPT_CONSOLE = 256,
    OPT_CWD,
    OPT_PID_FILE,
    OPT_LABEL,
    OPT_APPARMOR,
    OPT_NNP,
    OPT_PRESERVE,
    OPT_CGROUP,
    OPT_IGNORE_PAUSED,
};

/* The repeatable flags, in the order given; NULL-terminated. */
struct exec_lists {
    char **env, **caps, **cgroups;
    size_t n_env, n_caps, n_cgroups;
    long long *gids;
    size_t n_gids;
};

static int push(char ***list, size_t *n, char *value, cradle_error **err)
{
    char **grown = realloc(*list, (*n + 2) * sizeof(char *));
    if (grown == NULL)
        return cradle_error_set(err, ENOMEM, "exec flags");
    grown[(*n)++] = value;
    grown[*n] = NULL;
    *list = grown;
    return 0;
}

/* -g is an integer flag in runc: a value that is not one is a usage error (status 1). */
static int push_gid(struct exec_lists *l, const char *text, cradle_error **err)
{
    char *end = NULL;
    errno = 0;
    long long gid = strtoll(text, &end, 10);
    if (text[0] == '\0' || *end != '\0' || errno != 0)
        return cradle_error_set(err, EINVAL,
                                "invalid value \"%s\" for flag -g: strconv.ParseInt: parsing "
                                "\"%s\": invalid syntax",
                                text, text);
    long long *grown = realloc(l->gids, (l->n_gids + 1) * sizeof(*grown));
    if (grown == NULL)
        return cradle_error_set(err, ENOMEM, "exec flags");
    grown[l->n_gids++] = gid;
    l->gids = grown;
    return 0;
}

static int parse_flag(int c, const char *word, struct cradle_exec_opts *o, struct exec_lists *l,
                      cradle_error **err)
{
    switch (c) {
    case 'p':
        o->process_file = optarg;
        return 0;
    case 't':
        o->tty = true;
        return 0;
    case 'd':
        o->detach = true;
        return 0;
    case 'e':
        return push(&l->env, &l->n_env, optarg, err);
    case 'u':
        o->user = optarg;
        return 0;
    case 'g':
        return push_gid(l, optarg, err);
    case 'c':
        return push(&l->caps, &l->n_caps, optarg, err);
    case OPT_CONSOLE:
        o->console_socket = optarg;
        return 0;
    case OPT_CWD:
        o->cwd = optarg;
        return 0;
    case OPT_PID_FILE:
        o->pid_file = optarg;
        return 0;
    case OPT_LABEL:
        o->process_label = optarg;
        return 0;
    case OPT_APPARMOR:
        o->apparmor = optarg;
        return 0;
    case OPT_NNP:
        o->no_new_privs = true;
        return 0;
    case OPT_PRESERVE:
        return parse_preserve_fds(optarg, &o->preserve_fds, err);
    case OPT_CGROUP:
        return push(&l->cgroups, &l->n_cgroups, optarg, err);
    case OPT_IGNORE_PAUSED:
        o->ignore_paused = true;
        return 0;
    default:
        return cradle_error_set(err, EINVAL, "flag provided but not defined: %s", word);
    }
}

/* 0 with the id and the command, 1 when --help was shown, -1 on a usage error. */
static int parse_exec_flags(int argc, char **argv, struct cradle_exec_opts *o, struct exec_lists *l,
                            cradle_error **err)
{
    static const struct option long_opts[] = {
        {"console-socket", required_argument, NULL, OPT_CONSOLE},
        {"cwd", required_argument, NULL, OPT_CWD},
        {"env", required_argument, NULL, 'e'},
        {"tty", no_argument, NULL, 't'},
        {"user", required_argument, NULL, 'u'},
        {"additional-gids", required_argument, NULL, 'g'},
        {"process", required_argument, NULL, 'p'},
        {"detach", no_argument, NULL, 'd'},
        {"pid-file", required_argument, NULL, OPT_PID_FILE},
        {"process-label", required_argument, NULL, OPT_LABEL},
        {"apparmor", required_argument, NULL, OPT_APPARMOR},
        {"no-new-privs", no_argument, NULL, OPT_NNP},
        {"cap", required_argument, NULL, 'c'},
        {"preserve-fds", required_argument, NULL, OPT_PRESERVE},
        {"cgroup", required_argument, NULL, OPT_CGROUP},
        {"ignore-paused", no_argument, NULL, OPT_IGNORE_PAUSED},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    int c;
    opterr = 0;
    /* "+": the first word that is not a flag is the id; what follows, --help included, is
     * the command's. */
    while ((c = getopt_long(argc, argv, "+p:tde:u:g:c:h", long_opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(usage, stdout);
            return 1;
        }
        if (parse_flag(c, argv[optind - 1], o, l, err) < 0)
            return -1;
    }
    if (optind >= argc)
        return cradle_error_set(err, EINVAL, "\"exec\" requires a minimum of 1 argument(s)");
    o->id = argv[optind];
    o->args = argv + optind + 1;
    o->env = l->env;
    o->caps = l->caps;
    o->cgroups = l->cgroups;
    o->additional_gids = l->gids;
    o->n_additional_gids = l->n_gids;
    return 0;
}

static int run_exec(const struct global_opts *g, struct cradle_exec_opts *o, cradle_error **err)
{
    o->root = g->root;
    if (!o->detach)
        block_forwarded_signals();
    struct cradle_created c = {.pidfd = -1, .console_fd = -1};
    if (cradle_container_exec(o, &c, err) < 0) {
        cradle_error_wrap(err, "exec failed");
        return EXEC_FAILED;
    }
    int status = 0;
    if (!o->detach && cradle_container_wait_forwarding(&c, &status, err) < 0)
        status = EXEC_FAILED;
    close(c.pidfd);
    if (c.console_fd >= 0)
        close(c.console_fd);
    return status;
}

int cmd_exec(const struct global_opts *g, int argc, char **argv, cradle_error **err)
{
    struct cradle_exec_opts o = {0};
    struct exec_lists l = {0};
    int parsed = parse_exec_flags(argc, argv, &o, &l, err);
    int status = parsed < 0 ? 1 : parsed > 0 ? 0 : run_exec(g, &o, err);
    free(l.env);
    free(l.caps);
    free(l.cgroups);
    free(l.gids);
    return status;
}
