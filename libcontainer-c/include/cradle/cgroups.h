/* Container cgroups on cgroup v1, v2 (unified) and hybrid hosts (cgroupfs driver).
 * The container gets a directory at the same relative path in every mounted hierarchy
 * (v1 controllers, v1 named hierarchies such as name=systemd, and cgroup2). */
#ifndef CRADLE_CGROUPS_H
#define CRADLE_CGROUPS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "cradle/error.h"
#include "cradle/resources.h"
#include "cradle/spec.h"

struct json_object;

struct cradle_cgroup {
    char *path;  /* relative path, e.g. "/mycontainer" or "/machine/ctr" */
    char **dirs; /* absolute directories, one per hierarchy; NULL-terminated */
    size_t n_dirs;
    char **created; /* the subset cradle created (removed on destroy), deepest last */
    size_t n_created;
    char *unified_dir; /* the cgroup2 directory, or NULL (points into dirs) */
    char *devices_dir; /* the v1 devices directory, or NULL (points into dirs) */
    /* Per dirs[i], known from mountinfo when the struct is built: its v1 hierarchy's
     * controllers ("cpu,cpuacct", "name=systemd"), NULL for cgroup2 (or a hierarchy no
     * longer mounted), so that applying, stats and OOM watching need not read it again. */
    char **dir_controllers;
    /* The systemd driver (--systemd-cgroup): the transient scope's unit name, e.g.
     * "cradle-ID.scope", which delete stops; NULL for the cgroupfs driver. */
    char *systemd_unit;
};

enum cradle_cgroup_driver {
    CRADLE_CGROUP_DRIVER_FS,      /* cgroupfs: v1, pure v2 or hybrid */
    CRADLE_CGROUP_DRIVER_SYSTEMD, /* a transient scope made over D-Bus */
};

/* Called by cradle_cgroup_create once the directories are planned (dirs and created are
 * filled) and before any is made, so that a runtime killed at any point has a record of
 * what to remove. A failure stops the creation. */
typedef int (*cradle_cgroup_record_fn)(const struct cradle_cgroup *cg, void *data,
                                       cradle_error **err);

/* Resolves cgroups_path (NULL or "" = "/<id>"; relative = below the caller's own
 * cgroup in each hierarchy), plans the directories that do not exist yet (created),
 * calls record, then makes them. v1 cpuset directories get cpuset.cpus and cpuset.mems
 * from their parent. On failure nothing created survives. */
int cradle_cgroup_create(const char *cgroups_path, const char *id, enum cradle_cgroup_driver driver,
                         cradle_cgroup_record_fn record, void *data, struct cradle_cgroup **out,
                         cradle_error **err);

/* Places the cloned (still waiting) init pid into a cgroup that create could only plan:
 * the systemd driver starts the transient scope with it. A no-op for cgroupfs, whose init
 * was cloned into (or entered) its directories already. */
int cradle_cgroup_attach(struct cradle_cgroup *cg, pid_t pid, cradle_error **err);

/* Fails with runc's "container's cgroup unexpectedly frozen" when a directory is frozen or
 * freezing, by itself or through an ancestor (v1 freezer.state; cgroup2 cgroup.freeze and
 * the "frozen" key of cgroup.events): an init cloned into it would hang in D state. */
int cradle_cgroup_check_not_frozen(const struct cradle_cgroup *cg, cradle_error **err);

/* Moves pid into the container's cgroup in every hierarchy. */
int cradle_cgroup_enter(const struct cradle_cgroup *cg, pid_t pid, cradle_error **err);

/* Moves pid into the container's cgroup in every v1 hierarchy (not cgroup2). pid 0 moves
 * the calling thread through the "tasks" files, which is much cheaper (see enter.c); a
 * single-threaded caller moves itself whole that way. */
int cradle_cgroup_enter_v1(const struct cradle_cgroup *cg, pid_t pid, cradle_error **err);

/* An O_DIRECTORY|O_CLOEXEC fd of the cgroup2 directory for clone3(CLONE_INTO_CGROUP),
 * or -1 when the host has no cgroup2 hierarchy (then the v1 ones are all there is). */
int cradle_cgroup_unified_fd(const struct cradle_cgroup *cg);

/* Applies res to the container's cgroup: each controller's files in the hierarchy that has
 * that controller (a v1 hierarchy where it is mounted as v1, else cgroup2, as on hybrid
 * hosts), devices through the v1 devices controller or an eBPF program on cgroup2, with
 * runc's default device rules added. Called at create (even without linux.resources) and
 * by update (updating: checkBeforeUpdate applies, device programs are replaced). A value
 * the host cannot apply fails naming the field and the cgroup file. */
int cradle_cgroup_apply(const struct cradle_cgroup *cg, const struct cradle_resources *res,
                        bool updating, cradle_error **err);

/* Freezes (pause) or thaws (resume) every process of the container, and waits until the
 * kernel reports the new state (v1 freezer.state, cgroup2 cgroup.freeze/cgroup.events). */
int cradle_cgroup_freeze(const struct cradle_cgroup *cg, bool frozen, cradle_error **err);

/* Whether the container's own cgroup is frozen (its status is then "paused"). */
int cradle_cgroup_is_frozen(const struct cradle_cgroup *cg, bool *frozen, cradle_error **err);

/* Sends sig to every process in the container's cgroup, sub-cgroups included (cgroup.kill
 * for SIGKILL on cgroup2 where the kernel has it). */
int cradle_cgroup_kill_all(const struct cradle_cgroup *cg, int sig, cradle_error **err);

/* runc's stats event "data" object ({"cpu":..., "memory":..., "pids":..., "blkio":...,
 * "hugetlb":...}) read from the container's cgroup files. */
int cradle_cgroup_stats(const struct cradle_cgroup *cg, struct json_object **out,
                        cradle_error **err);

/* How many processes the OOM killer has killed in the container's memory cgroup
 * (memory.oom_control or memory.events "oom_kill"). */
int cradle_cgroup_oom_kills(const struct cradle_cgroup *cg, uint64_t *count, cradle_error **err);

/* An O_CLOEXEC fd that becomes readable when the container's memory cgroup reports an
 * OOM event (an eventfd on v1 memory.oom_control, inotify on cgroup2 memory.events). */
int cradle_cgroup_oom_fd(const struct cradle_cgroup *cg, cradle_error **err);

/* The pids in the container's cgroup in any of its hierarchies (an init killed before it
 * joined all of them is only in some), without duplicates, as a malloc'd array. A
 * directory that does not exist (a create killed half-way) has none. */
int cradle_cgroup_pids(const struct cradle_cgroup *cg, pid_t **pids, size_t *n_pids,
                       cradle_error **err);

/* Removes the directories cradle created, deepest first, and the sub-cgroups the
 * container's processes made below them, retrying briefly on EBUSY while exiting processes
 * leave; the systemd driver also stops the scope. Missing directories are not an error
 * (idempotent). */
int cradle_cgroup_destroy(const struct cradle_cgroup *cg, cradle_error **err);

/* Rebuilds a struct from what state.json stored (path, dirs, created, systemd unit or
 * NULL). */
struct cradle_cgroup *cradle_cgroup_from_dirs(const char *path, char *const *dirs,
                                              char *const *created, const char *systemd_unit);

void cradle_cgroup_free(struct cradle_cgroup *cg);

/* Whether this build has the systemd driver (CRADLE_SYSTEMD, libsystemd). */
bool cradle_cgroup_systemd_supported(void);

/* Calls fn for each "ID:CONTROLLERS:PATH" line of a /proc/PID/cgroup text: controllers
 * is "" for cgroup2, "name=systemd" for a named hierarchy. A non-zero return from fn
 * stops the walk and is returned; a malformed line is an error. */
typedef int (*cradle_cgroup_line_fn)(const char *controllers, const char *path, void *data,
                                     cradle_error **err);
int cradle_cgroup_foreach_line(const char *text, cradle_cgroup_line_fn fn, void *data,
                               cradle_error **err);

/* The same over this process's own /proc/self/cgroup. */
int cradle_cgroup_foreach_self(cradle_cgroup_line_fn fn, void *data, cradle_error **err);

#endif
