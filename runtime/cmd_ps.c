/* ps: the container's pids as JSON, or the host's `ps` output cut down to the container's
 * processes, as runc does. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "cradle/cleanup.h"
#include "cradle/container.h"

extern char **environ;

static const char usage[] =
    "Usage: cradle ps [command options] <container-id> [ps options]\n\n"
    "ps displays the processes running inside a container (default ps options: -ef).\n\n"
    "OPTIONS:\n"
    "   --format value, -f value  select one of: table or json (default: \"table\")\n";

/* As runc (Go's encoding of a nil slice): "null" when there is no process. */
static void print_json(const pid_t *pids, size_t n)
{
    if (n == 0) {
        printf("null\n");
        return;
    }
    for (size_t i = 0; i < n; i++)
        printf("%c%d", i ? ',' : '[', pids[i]);
    printf("]\n");
}

/* Runs `ps ARGS` with stdout and stderr into one buffer, as Go's CombinedOutput. */
static int run_ps(char **args, char **output, cradle_error **err)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0)
        return cradle_error_sys(err, "running ps");
    _cleanup_close_ int rd = fds[0];
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
    pid_t pid;
    int r = posix_spawnp(&pid, "ps", &actions, NULL, args, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    if (r != 0) {
        errno = r;
        return cradle_error_sys(err, "exec: \"ps\"");
    }
    _cleanup_free_ char *text = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            char *grown = realloc(text, cap = cap ? cap * 2 : 16384);
            if (grown == NULL)
                return cradle_error_set(err, ENOMEM, "reading ps output");
            text = grown;
        }
        ssize_t n = read(rd, text + len, cap - len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    text[len] = '\0';
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return cradle_error_set(err, 0, "exit status %d: %s",
                                WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
                                text);
    *output = TAKE_PTR(text);
    return 0;
}

/* The index of the "PID" word in ps's header line, or -1. */
static int pid_column(const char *header)
{
    int column = 0;
    for (const char *p = header; *p;) {
        p += strspn(p, " \t");
        size_t len = strcspn(p, " \t");
        if (len == 0)
            break;
        if (len == 3 && strncmp(p, "PID", 3) == 0)
            return column;
        column++;
        p += len;
    }
    return -1;
}

/* The word at column in line (fields split on blanks), as a pid; -1 when not a number. */
static long field_pid(const char *line, int column)
{
    const char *p = line;
    for (int i = 0; i <= column; i++) {
        p += strspn(p, " \t");
        if (*p == '\0')
            return -1;
        if (i < column)
            p += strcspn(p, " \t");
    }
    char *end;
    errno = 0;
    long pid = strtol(p, &end, 10);
    return errno == 0 && end != p && (*end == '\0' || *end == ' ' || *end == '\t') ? pid : -1;
}

static int print_table(char **ps_args, int n_args, const pid_t *pids, size_t n_pids,
                       cradle_error **err)
{
    _cleanup_free_ char **args = calloc((size_t)n_args + 3, sizeof(char *));
    if (args == NULL)
        return cradle_error_set(err, ENOMEM, "ps");
    args[0] = "ps";
    for (int i = 0; i < n_args; i++)
        args[i + 1] = ps_args[i];
    if (n_args == 0)
        args[1] = "-ef";
    _cleanup_free_ char *output = NULL;
    if (run_ps(args, &output, err) < 0)
        return -1;
    char *line = output, *next = strchr(line, '\n');
    if (next)
        *next++ = '\0';
    int column = pid_column(line);
    if (column < 0)
        return cradle_error_set(err, 0, "couldn't find PID field in ps output");
    printf("%s\n", line);
    for (line = next; line && *line; line = next) {
        if ((next = strchr(line, '\n')) != NULL)
            *next++ = '\0';
        long pid = field_pid(line, column);
        if (pid < 0)
            return cradle_error_set(err, 0, "unable to parse pid: %s", line);
        for (size_t i = 0; i < n_pids; i++)
            if (pids[i] == pid) {
                printf("%s\n", line);
                break;
            }
    }
    return 0;
}

int cmd_ps(const struct global_opts *g, int argc, char **argv, cradle_error **err)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'}, {"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
    const char *format = "table";
    int c;
    opterr = 0;
    /* "+": the first non-option is the id; what follows it is ps's. */
    while ((c = getopt_long(argc, argv, "+f:h", opts, NULL)) != -1) {
        if (c == 'h')
            return fputs(usage, stdout), 0;
        if (c != 'f')
            return cradle_error_set(err, 0, "flag provided but not defined: %s", argv[optind - 1]),
                   1;
        format = optarg;
    }
    if (optind >= argc)
        return cradle_error_set(err, 0, "\"ps\" requires a minimum of 1 argument(s)"), 1;
    bool json = strcmp(format, "json") == 0;
    if (!json && strcmp(format, "table") != 0)
        return cradle_error_set(err, 0, "invalid format option"), 1;
    _cleanup_free_ pid_t *pids = NULL;
    size_t n = 0;
    if (cradle_container_pids(g->root, argv[optind], &pids, &n, err) < 0)
        return 1;
    if (json) {
        print_json(pids, n);
        return 0;
    }
    return print_table(argv + optind + 1, argc - optind - 1, pids, n, err) < 0 ? 1 : 0;
}
