#ifndef CRADLE_CONTAINER_PRIVATE_H
#define CRADLE_CONTAINER_PRIVATE_H

#include <stdbool.h>

#include "cradle/cgroups.h"
#include "cradle/container.h"
#include "cradle/proc_policy.h"
#include "cradle/process.h"
#include "cradle/spec.h"
#include "cradle/state.h"

/* The container's cgroup as state.json recorded it; NULL (with *err) when out of memory. */
struct cradle_cgroup *cradle_container_cgroup(const struct cradle_state *s, cradle_error **err);

/* Whether the container has a cgroup at all: a rootless one on a cgroup v1 host has none. */
static inline bool cradle_container_has_cgroup(const struct cradle_state *s)
{
    return s->systemd_unit != NULL || (s->cgroup_dirs != NULL && s->cgroup_dirs[0] != NULL);
}

/* The resources applied at create, then after each update, recorded in state->resources
 * (written with the next cradle_state_write). A state without a record gives empty
 * resources. */
int cradle_resources_record(struct cradle_state *state, const struct cradle_resources *res,
                            cradle_error **err);
int cradle_resources_recorded(const struct cradle_state *state, struct cradle_resources *out,
                              cradle_error **err);

/* Refuses what cradle cannot honour yet, then runs the validation pass over the spec
 * (cradle_spec_validate), before anything is created. */
int cradle_validate_for_create(struct cradle_spec *spec, const struct cradle_create_opts *opts,
                               cradle_error **err);

/* For an unprivileged caller, runc's rootlessEUIDCheck: a user namespace, with uid and
 * gid mappings when it is the container's own, and mount options uid=/gid= that name
 * mapped ids (validate_rootless.c). Nothing for root. */
int cradle_validate_rootless(const struct cradle_spec *spec, cradle_error **err);
/* The same for a caller of effective uid euid (unit tests). */
int cradle_validate_rootless_as(const struct cradle_spec *spec, uid_t euid, cradle_error **err);

/* The host pids of the processes in init's pid namespace, for a container without a
 * cgroup (pidns_pids.c); none when init is gone. */
int cradle_pidns_pids(pid_t init, pid_t **pids, size_t *n_pids, cradle_error **err);

/* Appends LISTEN_FDS=n and LISTEN_PID=1 to spec->process.env. */
int cradle_add_listen_env(struct cradle_spec *spec, int n, cradle_error **err);

/* CLONE_NEW* flags for the namespaces the spec creates (no path). */
unsigned long cradle_namespace_clone_flags(const struct cradle_spec *spec);

/* The pid and time namespaces the spec joins by path. They apply to the caller's future
 * children, so the parent holds them (and its own, to return to) for the clone3 of the
 * init: cradle_clone_init_joined. */
struct cradle_children_ns {
    int n;
    int types[2];
    int join_fds[2];
    int own_fds[2];       /* the parent's pid_for_children / time_for_children */
    const char *paths[2]; /* the spec's, for messages */
};

/* Opens the namespaces the spec joins by path: pid and time into *children, the rest go
 * to the child in ctx->ns_fds. */
int cradle_namespaces_prepare(const struct cradle_spec *spec, struct cradle_init_ctx *ctx,
                              struct cradle_children_ns *children, cradle_error **err);

void cradle_children_ns_close(struct cradle_children_ns *children);

/* cradle_clone_init with the init born in the namespaces of *children: the parent enters
 * them just for the clone3 and returns to its own at once, whatever happens, so that
 * nothing else the runtime forks (the exit monitor, hooks) is ever born inside a
 * container's pid namespace (issue 11 item 4). */
pid_t cradle_clone_init_joined(const struct cradle_children_ns *children, unsigned long flags,
                               int cgroup_fd, int *pidfd, cradle_error **err);

/* True when the spec joins a user namespace by path (its fd is among ctx->ns_fds). */
bool cradle_init_joins_userns(const struct cradle_init_ctx *ctx);

/* cradle_clone_init_joined for such a spec: an intermediate process joins the namespaces
 * of *children, then the user namespace (dropping it from ctx->ns_fds), and clones the
 * init with CLONE_PARENT, so that every namespace the init is born in or makes is owned
 * by the joined user namespace (clone_userns.c). Returns the pid in the runtime, 0 in the
 * init. */
pid_t cradle_clone_init_in_userns(struct cradle_init_ctx *ctx,
                                  const struct cradle_children_ns *children, int cgroup_fd,
                                  int *pidfd, cradle_error **err);

/* Writes uid_map and gid_map of a child in a new user namespace. */
int cradle_write_id_maps(pid_t pid, const struct cradle_spec *spec, cradle_error **err);

/* The same for the init of create: as root directly; for an unprivileged caller once the
 * init asked for them (SYNC_ID_MAPS on sync_fd, the parent's end), directly or through
 * newuidmap/newgidmap, as runc does (userns_maps.c). */
int cradle_userns_write_maps(pid_t pid, int sync_fd, const struct cradle_spec *spec,
                             cradle_error **err);

/* Forks the init with clone3 (CLONE_PIDFD, plus CLONE_INTO_CGROUP when cgroup_fd >= 0).
 * Returns the pid in the parent, 0 in the child. */
pid_t cradle_clone_init(unsigned long flags, int cgroup_fd, int *pidfd, cradle_error **err);

/* Kills (SIGKILL) and waits for a process by pidfd, for at most timeout_ms. */
int cradle_kill_and_wait(pid_t pid, int pidfd, int timeout_ms);

/* RFC 3339 UTC timestamp with nanoseconds, as runc prints "created". */
char *cradle_now_rfc3339(void);

/* What create and restore both build from a bundle, in this order (setup.c); a failure
 * at any step is undone by cradle_setup_unwind, and cradle_setup_release frees it all. */
struct cradle_setup {
    const char *id;
    struct cradle_spec *spec;
    char *config_text; /* config.json as parsed, kept in the state directory at claim */
    char *bundle;      /* absolute; the working directory once loaded, as with runc */
    char *rootfs;      /* absolute, canonical */
    struct pp_policy policy;
    struct pp_context pp_ctx;
    int root_fd; /* the state root (--root) */
    int dir_fd;  /* the container's state directory, once claimed */
    bool claimed;
    enum cradle_cgroup_driver cgroup_driver;
    struct cradle_cgroup *cgroup;
    pid_t pid; /* the container's init, once there is one */
    int pidfd;
    struct cradle_state state;
};

void cradle_setup_init(struct cradle_setup *s, const char *id);

/* Checks the id, loads and validates the bundle's config.json, resolves the rootfs, and
 * enters the bundle directory (relative paths in config.json are relative to it). */
int cradle_setup_load(struct cradle_setup *s, const struct cradle_create_opts *opts,
                      cradle_error **err);

/* Loads the proc-mount policy (failing closed) and judges every mount before anything
 * exists. */
int cradle_setup_check_policy(struct cradle_setup *s, const char *policy_file, cradle_error **err);

/* Claims the id in the state root (locked until published) and creates the cgroup with its
 * device rules, recording each step in state.json (status creating) before it is taken;
 * refuses a cgroup that is already frozen. */
int cradle_setup_claim(struct cradle_setup *s, const char *root, cradle_error **err);

/* Without a mount namespace of its own, binds the container's rootfs onto itself in the
 * runtime's mount namespace (as runc does) and records the bind, which delete and unwind
 * detach; nothing otherwise. */
int cradle_setup_bind_rootfs(struct cradle_setup *s, cradle_error **err);

/* Places the init in its cgroup where create could only plan it (a systemd scope starts
 * with it), then applies the container's resources there. Nothing for cgroupfs, whose init
 * was born in its cgroup with the resources applied at claim. */
int cradle_setup_attach(struct cradle_setup *s, cradle_error **err);

/* Fills s->state for s->pid (pid and start time, cgroup) and records it, still creating. */
int cradle_setup_describe(struct cradle_setup *s, cradle_error **err);

/* The prestart (deprecated, same point) and createRuntime hooks, with the state of a
 * container still creating: create runs them before the init pivots, restore when criu
 * has made the namespaces. The state JSON they got goes to *state_json when not NULL. */
int cradle_setup_run_runtime_hooks(const struct cradle_setup *s, char **state_json,
                                   cradle_error **err);

/* The container exists: removes the creating mark and unlocks the id, writes the pid file
 * (when asked) and starts the exit monitor (when asked). */
int cradle_setup_publish(struct cradle_setup *s, const char *pid_file, bool record_exit,
                         cradle_error **err);

void cradle_setup_unwind(struct cradle_setup *s);
void cradle_setup_release(struct cradle_setup *s);

/* bundle_paths.c: shared by create and restore. */

/* Writes the pid into PATH atomically (temporary file + rename), as runc does. */
int cradle_write_pid_file(const char *path, pid_t pid, cradle_error **err);

#endif
