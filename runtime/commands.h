/* The cradle CLI: global options and one function per command (cmd_*.c). */
#ifndef CRADLE_RUNTIME_COMMANDS_H
#define CRADLE_RUNTIME_COMMANDS_H

#include <stdbool.h>

#include "cradle/error.h"

struct global_opts {
    const char *root;
    const char *log_file;
    bool log_json;
    bool debug;
    const char *proc_policy_file; /* --proc-policy FILE */
    bool systemd_cgroup;          /* --systemd-cgroup: cgroups are transient systemd units */
};

/* A command parses its own flags from argv (argv[0] is the command name), returns the
 * process exit status, and reports failures through *err (printed once by main). */
typedef int (*command_fn)(const struct global_opts *g, int argc, char **argv, cradle_error **err);

struct command {
    const char *name;
    const char *summary;
    command_fn run;
};

int cmd_create(const struct global_opts *g, int argc, char **argv, cradle_error **err);
int cmd_start(const struct global_opts *g, int argc, char **argv, cradle_error **err);
int cmd_run(const struct global_opts *g, int argc, char **argv, cradle_error **err);
int cmd_state(const struct global_opts *g, int argc, char **argv, cradle_error **err);
int cmd_list(const struct global_opts *g, int argc, char **argv, cradle_error **err);
int cmd_kill(const struct global_opts *g, int argc, char **argv, cradle_error **err);
int cmd_delete(const struct global_opts *g, int argc, char **argv, cradle_error **err);
int cmd_spec(const struct global_opts *g, int argc, char **argv, cradle_error **err);
int cmd_checkpoint(const struct global_opts *g, int argc, char **argv, cradle_error **err);
int cmd_restore(const struct global_opts *g, int argc, char **argv, cradle_error **err);
int cmd_features(const struct global_opts *g, int argc, char **argv, cradle_error **err);
int cmd_policy(const struct global_opts *g, int argc, char **argv, cradle_error **err);
int cmd_update(const struct global_opts *g, int argc, char **argv, cradle_error **err);
int cmd_pause(const struct global_opts *g, int argc, char **argv, cradle_error **err);
int cmd_resume(const struct global_opts *g, int argc, char **argv, cradle_error **err);
int cmd_ps(const struct global_opts *g, int argc, char **argv, cradle_error **err);
int cmd_events(const struct global_opts *g, int argc, char **argv, cradle_error **err);
int cmd_exec(const struct global_opts *g, int argc, char **argv, cradle_error **err);

/* Prints usage for a command when argv has -h/--help; returns true when it did. */
bool wants_help(int argc, char **argv, const char *usage);

/* --preserve-fds N of create, run and exec, read as runc reads it (a negative count passes
 * none), with runc's message. */
int parse_preserve_fds(const char *text, int *out, cradle_error **err);

/* The single positional container id a command expects, or an error naming the command. */
int one_container_id(int argc, char **argv, int optind_, const char *cmd, const char **id,
                     cradle_error **err);

/* Opens --log (an error if it cannot be opened, as in runc) and installs the library's log
 * handler: warnings always, debug lines with --debug. */
int log_open(const struct global_opts *g, cradle_error **err);

/* Writes the error once: runc's shape (logfmt or JSON lines) to --log, else to stderr. */
void log_error(const struct global_opts *g, const cradle_error *err);

#endif
