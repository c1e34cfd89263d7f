/* Container cgroups on cgroup v1, v2 (unified) and hybrid hosts (cgroupfs driver).
 * The container gets a directory at the same relative path in every mounted hierarchy
 * (v1 controllers, v1 named hierarchies such as name=systemd, and cgroup2). */
#ifndef CRADLE_CGROUPS_H
#define CRADLE_CGROUPS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "cradle/error.h"
#include "cradle/spec.h"

struct cradle_cgroup {
    char *path;  /* relative path, e.g. "/mycontainer" or "/machine/ctr" */
    char **dirs; /* absolute directories, one per hierarchy; NULL-terminated */
    size_t n_dirs;
    char **created; /* the subset cradle created (removed on destroy), deepest last */
    size_t n_created;
    char *unified_dir; /* the cgroup2 directory, or NULL (points into dirs) */
    char *devices_dir; /* the v1 devices directory, or NULL (points into dirs) */
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
int cradle_cgroup_create(const char *cgroups_path, const char *id, cradle_cgroup_record_fn record,
                         void *data, struct cradle_cgroup **out, cradle_error **err);

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

/* Applies linux.resources.devices. Uses the v1 devices controller; on a host where only
 * cgroup v2 offers device control, fails with "not supported yet: linux.resources.devices
 * on cgroup v2". */
int cradle_cgroup_apply_devices(const struct cradle_cgroup *cg,
                                const struct cradle_spec_device_rule *rules, size_t n_rules,
                                cradle_error **err);

/* The pids in the container's cgroup in any of its hierarchies (an init killed before it
 * joined all of them is only in some), without duplicates, as a malloc'd array. A
 * directory that does not exist (a create killed half-way) has none. */
int cradle_cgroup_pids(const struct cradle_cgroup *cg, pid_t **pids, size_t *n_pids,
                       cradle_error **err);

/* Removes the directories cradle created, deepest first, retrying briefly on EBUSY while
 * exiting processes leave. Missing directories are not an error (idempotent). */
int cradle_cgroup_destroy(const struct cradle_cgroup *cg, cradle_error **err);

/* Rebuilds a struct from what state.json stored (path, dirs, created). */
struct cradle_cgroup *cradle_cgroup_from_dirs(const char *path, char *const *dirs,
                                              char *const *created);

void cradle_cgroup_free(struct cradle_cgroup *cg);

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
