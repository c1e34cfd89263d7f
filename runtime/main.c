#include <getopt.h>
#include <json-c/json.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "commit.h"
#include "default_root.h"
#include "cradle/cleanup.h"
#include "cradle/fileutil.h"
#include "cradle/log.h"
#include "cradle/proc_policy.h"
#include "cradle/self_image.h"
#include "cradle/state.h"

#define OCI_SPEC_VERSION "1.0.2-dev"

static const struct command commands[] = {
    {"checkpoint", "checkpoint a running container", cmd_checkpoint},
    {"create", "create a container", cmd_create},
    {"delete", "delete any resources held by the container", cmd_delete},
    {"events",
     "display container events such as OOM notifications, cpu, memory, and IO usage statistics",
     cmd_events},
    {"exec", "execute new process inside the container", cmd_exec},
    {"features", "show the enabled features", cmd_features},
    {"kill", "kill sends the specified signal (default: SIGTERM) to the container's init process",
     cmd_kill},
    {"list", "lists containers started by cradle with the given root", cmd_list},
    {"pause", "pause suspends all processes inside the container", cmd_pause},
    {"policy", "explain the proc-mount policy decisions for a bundle", cmd_policy},
    {"ps", "ps displays the processes running inside a container", cmd_ps},
    {"restore", "restore a container from a previous checkpoint", cmd_restore},
    {"resume", "resumes all processes that have been previously paused", cmd_resume},
    {"run", "create and run a container", cmd_run},
    {"spec", "create a new specification file", cmd_spec},
    {"start", "executes the user defined process in a created container", cmd_start},
    {"state", "output the state of a container", cmd_state},
    {"update", "update container resource constraints", cmd_update},
};

static void print_version(void)
{
    const struct scmp_version *sv = seccomp_version();
    printf("cradle version %s\ncommit: %s\nspec: %s\nlibseccomp: %u.%u.%u\njson-c: %s\n",
           CRADLE_VERSION, CRADLE_COMMIT, OCI_SPEC_VERSION, sv->major, sv->minor, sv->micro,
           json_c_version());
}

static void print_usage(FILE *out)
{
    _cleanup_free_ char *owned = NULL;
    bool in_xdg;
    const char *root = default_root(&owned, &in_xdg);
    fprintf(out, "cradle: an OCI container runtime (runc-compatible)\n\n"
                 "USAGE:\n   cradle [global options] command [command options] [arguments...]\n\n"
                 "COMMANDS:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(out, "   %-11s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "   %-11s %s\n", "help, h", "Shows a list of commands or help for one command");
    fprintf(out,
            "\nGLOBAL OPTIONS:\n"
            "   --debug              enable debug logging\n"
            "   --log value          set the log file to write cradle logs to\n"
            "   --log-format value   set the log format ('text' (default), or 'json')\n"
            "   --proc-policy value  proc-mount policy file, instead of " PP_SYSTEM_DIR
            "/proc-policy.conf and proc-policy.d/\n"
            "   --root value         root directory for storage of container state "
            "(default: \"%s\")\n"
            "   --systemd-cgroup     enable systemd cgroup support, expects cgroupsPath to be "
            "of form \"slice:prefix:name\" for e.g. \"system.slice:cradle:434234\"\n"
            "   --rootless value     ignored (cradle detects rootless itself)\n"
            "   --help, -h           show help\n"
            "   --version, -v        print the version\n",
            root);
}

/* runc's "help [COMMAND]" (or "h"): the tool's usage, or what COMMAND --help prints. */
static int help_command(const struct global_opts *g, int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(commands[i].name, argv[1]) != 0)
            continue;
        char *help_argv[] = {argv[1], (char *)"--help", NULL};
        _cleanup_error_ cradle_error *err = NULL;
        optind = 0;
        return commands[i].run(g, 2, help_argv, &err);
    }
    _cleanup_error_ cradle_error *err = NULL;
    cradle_error_set(&err, 0, "No help topic for '%s'", argv[1]);
    log_error(g, err);
    return 3;
}

enum {
    OPT_ROOT = 256,
    OPT_LOG,
    OPT_LOG_FORMAT,
    OPT_DEBUG,
    OPT_SYSTEMD,
    OPT_ROOTLESS,
    OPT_PROC_POLICY
};

/* Parses the global options before the command; returns the index of the command. */
static int parse_globals(int argc, char **argv, struct global_opts *g, cradle_error **err)
{
    static const struct option opts[] = {
        {"root", required_argument, NULL, OPT_ROOT},
        {"log", required_argument, NULL, OPT_LOG},
        {"log-format", required_argument, NULL, OPT_LOG_FORMAT},
        {"debug", no_argument, NULL, OPT_DEBUG},
        {"systemd-cgroup", no_argument, NULL, OPT_SYSTEMD},
        {"rootless", required_argument, NULL, OPT_ROOTLESS},
        {"proc-policy", required_argument, NULL, OPT_PROC_POLICY},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'v'},
        {0, 0, 0, 0},
    };
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+hv", opts, NULL)) != -1) {
        switch (c) {
        case OPT_ROOT:
            g->root = optarg;
            break;
        case OPT_LOG:
            g->log_file = optarg;
            break;
        case OPT_LOG_FORMAT:
            if (strcmp(optarg, "json") != 0 && strcmp(optarg, "text") != 0)
                return cradle_error_set(err, 0, "invalid log-format: %s", optarg);
            g->log_json = strcmp(optarg, "json") == 0;
            break;
        case OPT_DEBUG:
            g->debug = true;
            break;
        case OPT_SYSTEMD:
            g->systemd_cgroup = true;
            break;
        case OPT_ROOTLESS:
            break;
        case OPT_PROC_POLICY:
            g->proc_policy_file = optarg;
            break;
        case 'h':
            print_usage(stdout);
            exit(0);
        case 'v':
            print_version();
            exit(0);
        default:
            return cradle_error_set(err, 0, "flag provided but not defined: %s", argv[optind - 1]);
        }
    }
    return optind;
}

/* The commands that make processes from this one which a container can reach (the init is
 * a clone of it; the exit monitor and hooks are forks): they run from a protected image
 * of cradle (CVE-2019-5736, see docs/security.md). The others stay cheap: no re-exec. */
static bool spawns_container_processes(const char *command)
{
    return strcmp(command, "create") == 0 || strcmp(command, "run") == 0 ||
           strcmp(command, "restore") == 0 || strcmp(command, "exec") == 0;
}

int main(int argc, char **argv)
{
    _cleanup_free_ char *xdg_root = NULL;
    bool in_xdg;
    struct global_opts g = {.root = default_root(&xdg_root, &in_xdg)};
    _cleanup_error_ cradle_error *err = NULL;
    int first = parse_globals(argc, argv, &g, &err);
    if (first < 0 || log_open(&g, &err) < 0) {
        log_error(&g, err);
        return 1;
    }
    if (in_xdg && g.root == xdg_root && default_root_prepare(g.root, &err) < 0) {
        log_error(&g, err);
        return 1;
    }
    /* Commands that build containers work from the bundle directory, as runc's do. */
    _cleanup_free_ char *root = g.root[0] == '/' ? NULL : cradle_absolute_path(g.root);
    if (root)
        g.root = root;
    if (first >= argc) {
        print_usage(stderr);
        return 1;
    }
    const char *name = argv[first];
    if (strcmp(name, "help") == 0 || strcmp(name, "h") == 0)
        return help_command(&g, argc - first, argv + first);
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(commands[i].name, name) != 0)
            continue;
        if (spawns_container_processes(name) && cradle_self_image_ensure(argv, &err) < 0) {
            log_error(&g, err);
            return 1;
        }
        optind = 0; /* reset getopt for the command's own flags */
        cradle_debug("cradle %s: command %s", CRADLE_VERSION, name);
        int status = commands[i].run(&g, argc - first, argv + first, &err);
        if (err) {
            log_error(&g, err);
            return status > 0 ? status : 1;
        }
        return status >= 0 ? status : 1;
    }
    cradle_error_set(&err, 0, "unknown command \"%s\" for \"cradle\"", name);
    log_error(&g, err);
    return 1;
}
