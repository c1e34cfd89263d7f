/* The lifecycle operations the CLI commands are thin shells over. */
#ifndef CRADLE_CONTAINER_H
#define CRADLE_CONTAINER_H

#include <stdbool.h>
#include <sys/types.h>

#include "cradle/error.h"

struct cradle_create_opts {
    const char *root; /* state directory */
    const char *id;
    const char *bundle; /* default "." */
    const char *pid_file;
    const char *console_socket;
    bool no_pivot;
    bool no_new_keyring;
    int preserve_fds; /* fds 3 .. 3+N-1 are passed to the container */
    bool record_exit; /* start an exit monitor (create, run -d): state keeps the status */
    const char *proc_policy_file; /* --proc-policy: replaces the system policy files */
    bool systemd_cgroup;          /* --systemd-cgroup: the cgroup is a transient systemd scope */
};

/* What create hands to run: the container's init, still a child of this process. */
struct cradle_created {
    pid_t pid;
    int pidfd;
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

/* Waits for a container init this process created to exit, forwarding signals to it;
 * returns its exit status shell-style (128+signal when killed). */
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

#endif
