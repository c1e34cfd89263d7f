/* The lifecycle operations the CLI commands are thin shells over. */
#ifndef CRADLE_CONTAINER_H
#define CRADLE_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "cradle/error.h"
#include "cradle/resources.h"
#include "cradle/state.h"

struct cradle_create_opts {
    const char *root; /* state directory */
    const char *id;
    const char *bundle; /* default "." */
    const char *pid_file;
    const char *console_socket;
    bool no_pivot;
    bool no_new_keyring;
    int preserve_fds; /* fds 3+listen_fds .. 3+listen_fds+N-1 are passed to the container */
    /* Socket activation (cradle_listen_fds_from_env): fds 3 .. 3+N-1 are passed first,
     * with LISTEN_FDS=N and LISTEN_PID=1 added to process.env, as runc does. */
    int listen_fds;
    bool record_exit; /* start an exit monitor (create, run -d): state keeps the status */
    bool detach;      /* nobody stays to relay a terminal (create, run -d, restore -d) */
    const char *proc_policy_file; /* --proc-policy: replaces the system policy files */
    bool systemd_cgroup;          /* --systemd-cgroup: the cgroup is a transient systemd scope */
};

/* The socket-activation fds the caller was given (systemd's protocol, as runc's
 * activation.Files): LISTEN_FDS when LISTEN_PID names this process, else 0. */
int cradle_listen_fds_from_env(void);

/* What create hands to run: the container's init, still a child of this process. */
struct cradle_created {
    pid_t pid;
    int pidfd;
    int console_fd; /* the pty master when run relays the terminal itself, else -1 */
};

/* Creates the container: state entry, cgroup, namespaces, rootfs; the init then waits
 * on the exec fifo. Nothing survives a failure. */
int cradle_container_create(const struct cradle_create_opts *opts, struct cradle_created *out,
                            cradle_error **err);

/* Lets a created container's init exec the user process, then runs poststart hooks. */
int cradle_container_start(const char *root, const char *id, cradle_error **err);

/* Sends sig to the container's init, or with all to every process in its cgroup. */
int cradle_container_kill(const char *root, const char *id, int sig, bool all, cradle_error **err);

/* Removes a stopped (or, with force, any) container: processes, cgroup, poststop hooks,
 * state. A created container is deleted without force, as runc does. */
int cradle_container_delete(const char *root, const char *id, bool force, cradle_error **err);

/* The container's status: the state's, and paused while its cgroup is frozen (runc's
 * order: a frozen created container is paused too). */
enum cradle_status cradle_container_status(int dir_fd, const struct cradle_state *s);

/* pause: freezes a running (or created) container's processes, else "container not
 * running"; resume: thaws a paused one, else "container not paused" (runc's messages). */
int cradle_container_pause(const char *root, const char *id, cradle_error **err);
int cradle_container_resume(const char *root, const char *id, cradle_error **err);

/* The pids in the container's cgroup, sub-cgroups included (none once it is gone). */
int cradle_container_pids(const char *root, const char *id, pid_t **pids, size_t *n_pids,
                          cradle_error **err);

/* update: merges changes onto the resources recorded at create (in state.json), applies
 * the result to the cgroup, and records it. A stopped container
 * fails with "container not running", as in runc. */
int cradle_container_update(const char *root, const char *id,
                            const struct cradle_resources *changes, cradle_error **err);

/* events: each event as runc's JSON ({"type":"stats"|"oom","id":ID,"data":...}) handed to
 * emit, which takes ownership. With stats_only, one stats event; otherwise a stats event
 * every interval_ms and an oom event when the OOM killer kills in the container, until
 * the container's init exits. A stopped container fails as runc's does. */
struct json_object;
typedef int (*cradle_event_fn)(struct json_object *event, void *data, cradle_error **err);
int cradle_container_events(const char *root, const char *id, bool stats_only, long interval_ms,
                            cradle_event_fn emit, void *data, cradle_error **err);

/* The foreground loop of run, exec and restore: waits for c's process (a child of this
 * process) to exit, forwarding signals to it but SIGWINCH; with c->console_fd (the master
 * of its pty; not closed here) relays stdin to it and it to stdout, the caller's terminal
 * in raw mode until return, and resizes it with the caller's window. Returns the exit
 * status shell-style (128+signal when killed). */
int cradle_container_wait_forwarding(const struct cradle_created *c, int *status,
                                     cradle_error **err);

/* The proc-policy context of a spec (bounding set, namespaces, annotations): the
 * container's side of the policy's gates. Free with cradle_policy_context_free. */
struct pp_context;
struct cradle_spec;
int cradle_policy_context(const struct cradle_spec *spec, struct pp_context *ctx,
                          cradle_error **err);
void cradle_policy_context_free(struct pp_context *ctx);

/* root.path of the spec resolved against the bundle: absolute, canonical, a directory. */
int cradle_bundle_rootfs(const char *bundle, const struct cradle_spec *spec, char **out,
                         cradle_error **err);

/* exec: a new process in a running (or created) container, as runc exec. Without
 * process_file, the process is config.process of the container's config copy with the
 * flags on top, as runc's getProcess builds it. */
struct cradle_exec_opts {
    const char *root;
    const char *id;
    const char *process_file; /* --process: the whole process; the flags below are unused */
    char *const *args;        /* the command (NULL-terminated); empty only with --process */
    bool tty;                 /* -t: process.terminal */
    const char *console_socket;
    bool detach; /* nobody stays to relay a terminal */
    const char *pid_file;
    const char *cwd;
    char *const *env; /* -e KEY=VALUE (NULL-terminated): replaces KEY or is appended */
    const char *user; /* -u UID[:GID] */
    const long long *additional_gids;
    size_t n_additional_gids;
    char *const *caps; /* -c CAP (NULL-terminated): added to every set */
    bool no_new_privs;
    const char *apparmor;
    const char *process_label;
    int preserve_fds;
    bool ignore_paused;
    char *const *cgroups; /* --cgroup [CTRL[,CTRL]:]PATH (NULL-terminated) */
};

/* Starts the process in the container's namespaces and cgroup; on return it runs (pid
 * file written, the pty master sent to the console socket) and is a child of the caller:
 * out->pidfd, and out->console_fd when the caller relays the terminal itself. */
int cradle_container_exec(const struct cradle_exec_opts *opts, struct cradle_created *out,
                          cradle_error **err);

#endif
