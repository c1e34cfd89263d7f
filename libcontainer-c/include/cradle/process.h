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

/* Messages on the SOCK_SEQPACKET socket pair between parent and child. */
enum cradle_sync_type {
    SYNC_GO = 1,      /* parent -> child: id maps written, cgroup joined */
    SYNC_HOOKS,       /* child -> parent: rootfs ready, run prestart/createRuntime hooks */
    SYNC_HOOKS_DONE,  /* parent -> child: done; text = the state JSON, status creating */
    SYNC_START_STATE, /* parent -> child: the state JSON startContainer hooks get (created) */
    SYNC_READY,       /* child -> parent: about to block on the exec fifo */
    SYNC_ERROR,       /* child -> parent: failed; errnum + text */
    SYNC_LOG,         /* child -> parent: a log line; errnum = its cradle_log_level */
    SYNC_PUBLISHED,   /* parent -> child: on record; outlive the parent, close the socket */
};

#define CRADLE_SYNC_TEXT_MAX 8192

struct cradle_sync_msg {
    uint32_t type;
    int32_t errnum;
    char text[CRADLE_SYNC_TEXT_MAX];
};

int cradle_sync_send(int fd, enum cradle_sync_type type, int errnum, const char *text,
                     cradle_error **err);
/* Receives one message; EOF (the peer died) is an error. SYNC_LOG lines that come first
 * are passed to cradle_log() and skipped. */
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

/* Finds the executable for args[0] as runc does (Go's exec.LookPath), using PATH from
 * env, with runc's error texts. Returns a malloc'd path. */
int cradle_exec_lookup(const char *arg0, char *const *env, char **out, cradle_error **err);

/* The error for a failed execve of path, in runc's words ("exec /x: permission denied"):
 * engines read them to choose exit codes 126 and 127. */
int cradle_exec_failed(const char *path, cradle_error **err);

#endif
