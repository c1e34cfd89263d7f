/* The container's init process: how the parent (create) and the child talk, and the
 * child's stages. The child is a clone3() of the runtime itself, never a re-exec. */
#ifndef CRADLE_PROCESS_H
#define CRADLE_PROCESS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "cradle/cgroups.h"
#include "cradle/error.h"
#include "cradle/proc_policy.h"
#include "cradle/spec.h"

/* Messages on the SOCK_SEQPACKET socket pair between parent and child (and between exec
 * and its process). */
enum cradle_sync_type {
    SYNC_GO = 1,      /* parent -> child: id maps written, cgroup joined */
    SYNC_HOOKS,       /* child -> parent: rootfs ready, run prestart/createRuntime hooks */
    SYNC_HOOKS_DONE,  /* parent -> child: done; text = the state JSON, status creating */
    SYNC_START_STATE, /* parent -> child: the state JSON startContainer hooks get (created) */
    SYNC_READY,       /* child -> parent: about to block on the exec fifo */
    SYNC_ERROR,       /* child -> parent: failed; errnum + text */
    SYNC_LOG,         /* child -> parent: a log line; errnum = its cradle_log_level */
    SYNC_PUBLISHED,   /* parent -> child: on record; outlive the parent, close the socket */
    SYNC_CONSOLE,     /* child -> parent: fd = the master of the process's new pty */
    SYNC_SECCOMP,     /* child -> parent: fd = the seccomp filter's notify fd (listener) */
    SYNC_ID_MAPS,     /* child -> parent: dumpable until SYNC_GO, write my id maps (rootless) */
};

/* A message: a header (type, errnum, payload length) that may carry one fd, then the
 * payload in as many packets as it takes, so that any size arrives whole (a 64 KiB
 * annotation in the state JSON) and a cut is an error on both sides, never silent. */
struct cradle_sync_msg {
    uint32_t type;
    int32_t errnum;
    char *text; /* the payload, NUL-terminated; NULL when there is none */
    size_t len; /* strlen(text) */
    int fd;     /* received with SCM_RIGHTS, or -1 */
};

/* Every message starts as this (fd -1, not stdin). */
#define CRADLE_SYNC_MSG_INIT                                                                       \
    {                                                                                              \
        .text = NULL, .fd = -1                                                                     \
    }

/* Frees text and closes fd (unless taken with TAKE_FD); the message can be reused. */
void cradle_sync_msg_clear(struct cradle_sync_msg *msg);
#define _cleanup_sync_msg_ __attribute__((cleanup(cradle_sync_msg_clear)))

int cradle_sync_send(int fd, enum cradle_sync_type type, int errnum, const char *text,
                     cradle_error **err);
/* As cradle_sync_send, passing pass_fd (>= 0) along with the header. */
int cradle_sync_send_fd(int fd, enum cradle_sync_type type, int errnum, const char *text,
                        int pass_fd, cradle_error **err);
/* Receives one message into msg (cleared first); EOF (the peer died) is an error. SYNC_LOG
 * lines that come first are passed to cradle_log() and skipped. */
int cradle_sync_recv(int fd, struct cradle_sync_msg *msg, cradle_error **err);
/* Receives a message and fails unless it has the expected type; a SYNC_ERROR becomes
 * the returned error. */
int cradle_sync_expect(int fd, enum cradle_sync_type type, struct cradle_sync_msg *msg,
                       cradle_error **err);

/* Everything the child needs, filled by the parent before clone3 (the child gets a copy
 * of the parent's memory). */
struct cradle_init_ctx {
    const struct cradle_spec *spec;
    const char *id;
    const char *rootfs;
    const struct pp_policy *policy;
    const struct pp_context *pp_ctx;
    int sync_fd;   /* the child's end */
    int fifo_fd;   /* O_PATH fd of the exec fifo */
    int ns_fds[8]; /* fds of namespaces to join in the child (-1 = none) */
    int ns_types[8];
    int n_ns_fds;
    unsigned long clone_flags; /* the CLONE_NEW* flags the child was created with */
    pid_t parent_pid;          /* the creating process, to notice its death (init.c) */
    const struct cradle_cgroup *cgroup;
    bool join_cgroup_v1;   /* the init moves itself into its v1 cgroups */
    bool unshare_cgroupns; /* unshare(CLONE_NEWCGROUP) once the parent placed the init */
    /* Make the time namespace, with linux.timeOffsets, after clone3 (init_timens.c). */
    bool unshare_timens;
    /* A user namespace made by an unprivileged caller, who can write its id maps (or have
     * newuidmap write them) only while the init is dumpable (init_rootless.c). */
    bool rootless_maps;
    bool no_pivot;
    bool no_new_keyring;
    int preserve_fds;
    /* The descriptors the child keeps. Its first step closes every descriptor but stdio,
     * the --preserve-fds range (3 .. 3+preserve_fds-1) and these, so that no directory of
     * the host (state root, state dir, cgroup dir) and not the --log file reaches the
     * container (issue 6 item 1). The parent adds each fd the child needs from it with
     * cradle_init_keep_fd(): sync_fd, fifo_fd, ns_fds, and e.g. bind-mount sources it
     * opens for the child. Anything else the child opens itself. */
    int *keep_fds;
    size_t n_keep_fds;
    /* With a user namespace: per spec mount, the parent's detached mount of its bind
     * source or -1 (cradle_rootfs_open_bind_sources); NULL otherwise. */
    int *bind_sources;
};

/* Parent side, before clone3: adds *fd to ctx's keep-list. An fd that lies in stdio or
 * the --preserve-fds range (possible when the caller left some of those closed) is first
 * moved above it, and *fd is updated, so the container never gets it as a preserved fd. */
int cradle_init_keep_fd(struct cradle_init_ctx *ctx, int *fd, cradle_error **err);

/* Frees the keep-list (not the fds: the parent closes its copies itself). */
void cradle_init_ctx_release(struct cradle_init_ctx *ctx);

/* Child side: closes every descriptor but stdio, the --preserve-fds range and the
 * keep-list, and those of the range that are close-on-exec (the runtime's own, opened
 * where the caller left the range with gaps). */
int cradle_init_close_inherited_fds(const struct cradle_init_ctx *ctx, cradle_error **err);

/* The child's whole life: never returns. Errors are sent to the parent as SYNC_ERROR. */
__attribute__((noreturn)) void cradle_init_run(const struct cradle_init_ctx *ctx);

/* process.env as runc's init sets it, one entry after another: a name given twice keeps
 * its first place and its last value; an entry without '=' or with an empty name fails
 * with runc 1.1's message. *out is a new array of env's own strings (free the array only). */
int cradle_env_resolve(char *const *env, char ***out, cradle_error **err);

/* A process exec adds to a running container (exec_child.c): everything its child needs,
 * filled by the parent before clone3. The child is born in the container's pid and time
 * namespaces and cgroup; it joins the others itself. */
struct cradle_seccomp_filter;
struct cradle_exec_ctx {
    /* sync_fd, keep-list, preserve_fds, id and no_new_keyring (the session keyring), spec
     * and clone_flags (CLONE_NEWUSER when joining a user namespace), as for the init. */
    struct cradle_init_ctx init;
    const struct cradle_spec_process *proc;
    const struct cradle_seccomp_filter *seccomp; /* the container's, or NULL */
    int init_pidfd;         /* the container's init, checked against its start time */
    unsigned long ns_flags; /* its namespaces other than the runtime's, for one setns() */
    int root_fd;            /* without a mount namespace: the init's root, else -1 */
    /* The v1 cgroup directories (or --cgroup subs) the child moves itself into through
     * their "tasks" files, which is much cheaper than being moved (see cgroups/enter.c). */
    int *cgroup_v1_fds;
    size_t n_cgroup_v1_fds;
};

/* The exec'd process's child: never returns. Errors go to the parent as SYNC_ERROR; the
 * sync socket closes at execve. */
__attribute__((noreturn)) void cradle_exec_child_run(const struct cradle_exec_ctx *ctx);

/* The last steps that make a process the container's process, shared by the init and
 * exec (process_setup.c). The caller is in the container's namespaces and root. */
struct cradle_seccomp_filter;
struct cradle_process_setup {
    const struct cradle_spec_process *proc;
    const struct cradle_seccomp_filter *seccomp; /* the container's, or NULL */
    int preserve_fds;                            /* fds 3 .. 3+N-1 stay open across exec */
    char *exec_path;                             /* set by cradle_process_setup; the caller frees */
    /* The container's linux section: linux.personality and linux.memoryPolicy. */
    const struct cradle_spec_linux *lnx;
    int sync_fd; /* a notifying filter's listener fd goes to the parent here (SYNC_SECCOMP) */
};

/* environ (cradle_env_resolve of proc->env), cwd, rlimits, the executable's path, HOME, every fd
 * but stdio and the preserved ones close-on-exec, signals reset, the seccomp filter when there is
 * no no_new_privs, the bounding set, user and groups, capabilities. */
int cradle_process_setup(struct cradle_process_setup *ps, cradle_error **err);

/* process.scheduler (sched_setattr) and process.ioPriority (ioprio_set) on the calling
 * process, as root of the container before capabilities are dropped (process/sched.c). */
int cradle_process_set_scheduling(const struct cradle_spec_process *proc, cradle_error **err);

/* sched_setaffinity of pid (0: the caller) to mask; errors read "error setting WHAT CPU
 * affinity: ...". */
int cradle_set_cpu_affinity(pid_t pid, const struct cradle_cpu_mask *mask, const char *what,
                            cradle_error **err);

/* execCPUAffinity.initial: the caller takes mask, which a child cloned now inherits, and
 * keeps its own in *saved to go back to with cradle_set_cpu_affinity. */
int cradle_take_initial_cpu_affinity(const struct cradle_cpu_mask *mask,
                                     struct cradle_cpu_mask *saved, cradle_error **err);

/* no_new_privs, then the seccomp filter when no_new_privs is set; last before execve
 * (the init runs its startContainer hooks in between, under the filter, as runc). */
int cradle_process_lock_down(const struct cradle_process_setup *ps, cradle_error **err);

/* execve of the process; returns only on failure, with runc's error text. */
int cradle_process_exec(const struct cradle_process_setup *ps, cradle_error **err);

/* Finds the executable for args[0] as runc does (Go's exec.LookPath), using PATH from
 * env, with runc's error texts. Returns a malloc'd path. */
int cradle_exec_lookup(const char *arg0, char *const *env, char **out, cradle_error **err);

/* strerror(errnum) as Go writes it, in lower case ("no such file or directory"), into buf:
 * engines match runc's texts to choose exit codes (Podman: 127 for "no such file"). */
const char *cradle_go_strerror(int errnum, char buf[128]);

/* The error for a failed execve of path, in runc's words ("exec /x: permission denied"):
 * engines read them to choose exit codes 126 and 127. */
int cradle_exec_failed(const char *path, cradle_error **err);

#endif
