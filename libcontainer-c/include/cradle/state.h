/* The state directory (--root): one sub-directory per container holding state.json,
 * the exec fifo of a created container, and a lock. The directory's creation is the
 * atomic claim on an id: of two concurrent creates, exactly one mkdir succeeds. */
#ifndef CRADLE_STATE_H
#define CRADLE_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "cradle/error.h"
#include "cradle/spec.h"

struct json_object;

#define CRADLE_DEFAULT_ROOT "/run/cradle"
#define CRADLE_EXEC_FIFO    "exec.fifo"
#define CRADLE_CONFIG_COPY  "config.json"

enum cradle_status {
    CRADLE_STATUS_CREATING,
    CRADLE_STATUS_CREATED,
    CRADLE_STATUS_RUNNING,
    CRADLE_STATUS_PAUSED,
    CRADLE_STATUS_STOPPED,
};

struct cradle_state {
    char *id;
    pid_t pid;
    unsigned long long pid_start_time; /* /proc/PID/stat field 22, guards against pid reuse */
    char *bundle;
    char *rootfs;
    char *created; /* RFC 3339 with nanoseconds, UTC */
    uid_t owner_uid;
    struct cradle_spec_keyval *annotations;
    size_t n_annotations;
    char *cgroup_path;
    char **cgroup_dirs; /* NULL-terminated */
    char **cgroup_created;
    char *systemd_unit;  /* --systemd-cgroup: the transient unit delete stops; NULL otherwise */
    bool own_pidns;      /* a new pid namespace: the container's processes die with its init */
    bool no_new_keyring; /* created with --no-new-keyring: exec joins no session keyring */
    /* Without a mount namespace of its own: the unique id of the rootfs bind made in the
     * runtime's mount namespace, which delete detaches (0: none). */
    uint64_t rootfs_mount_id;
    int exit_status; /* shell-style, recorded by the exit monitor; -1 when unknown */
    struct cradle_spec_hook_list poststart; /* run by start */
    struct cradle_spec_hook_list poststop;  /* run by delete */
    /* linux.resources as last applied (by create, then by each update): what update merges
     * its changes onto; NULL when none was recorded. Kept in state.json rather than a file
     * of its own: one file less to make and remove per container. */
    struct json_object *resources;
    /* Until create has finished (its "creating" mark is removed): the process creating the
     * container. A create killed half-way leaves a record (cgroup, init pid) that list
     * shows and delete cleans. */
    bool creating;
    pid_t creator_pid;
    unsigned long long creator_start_time;
};

const char *cradle_status_name(enum cradle_status status);

/* Rejects ids runc rejects: empty, ".", "..", or characters outside [A-Za-z0-9_+.-]. */
int cradle_state_check_id(const char *id, cradle_error **err);

/* Opens (creating with mode 0700 when missing) the root state directory. */
int cradle_state_open_root(const char *root, cradle_error **err);

/* Claims the id: creates ROOT/ID (mode 0711); "container ID already exists" on EEXIST.
 * Returns an O_DIRECTORY fd of the new directory, locked (cradle_state_lock) so that
 * commands on the id wait for the create to finish. */
int cradle_state_claim(int root_fd, const char *id, cradle_error **err);

/* Opens ROOT/ID; "container ID does not exist" on ENOENT. */
int cradle_state_open(int root_fd, const char *id, cradle_error **err);

/* Takes an exclusive flock on the container's directory (released on close). */
int cradle_state_lock(int dir_fd, const char *id, cradle_error **err);

/* The "creating" mark: an empty file made when the id is claimed and removed when create
 * has finished. It, rather than a last rewrite of state.json, tells that create is over:
 * on some filesystems (ext4) replacing a file costs twice as much as making one. */
int cradle_state_mark_creating(int dir_fd, cradle_error **err);
int cradle_state_mark_created(int dir_fd, cradle_error **err);

/* Writes state.json atomically (temporary file + rename). */
int cradle_state_write(int dir_fd, const struct cradle_state *state, cradle_error **err);

/* A JSON file of the container's state directory, written atomically (temporary file +
 * rename). */
int cradle_state_write_json(int dir_fd, const char *name, struct json_object *obj,
                            cradle_error **err);

/* The copy of config.json create keeps in the state directory (config_copy.c): saved
 * once, when the id is claimed; exec parses it. */
struct cradle_spec;
int cradle_state_save_config(int dir_fd, const char *text, cradle_error **err);
int cradle_state_load_config(int dir_fd, struct cradle_spec **spec, cradle_error **err);

/* Reads state.json. A directory without one (a create killed between claiming the id and
 * its first record) reads as a stopped container with an empty bundle and no process, so
 * that list shows it and delete removes it. */
int cradle_state_read(int dir_fd, const char *id, struct cradle_state **out, cradle_error **err);

/* The start of every command on an existing container: opens ROOT and ROOT/ID, takes the
 * lock when asked, and reads the state. *root_fd and *dir_fd are the caller's to close. */
int cradle_state_load(const char *root, const char *id, bool lock, int *root_fd, int *dir_fd,
                      struct cradle_state **out, cradle_error **err);

/* Removes ROOT/ID and everything in it; a missing directory is not an error. */
int cradle_state_remove(int root_fd, const char *id, cradle_error **err);

/* The container's status now: creating while its create runs (stopped once that died
 * half-way), then stopped when its init is gone (or the pid was reused), created while
 * the exec fifo exists, running otherwise. */
enum cradle_status cradle_state_status(int dir_fd, const struct cradle_state *state);

/* true when pid is alive, not a zombie, and started at start_time. */
bool cradle_pid_matches(pid_t pid, unsigned long long start_time);

/* Reads field 22 of /proc/PID/stat. */
int cradle_pid_start_time(pid_t pid, unsigned long long *out, cradle_error **err);

/* The OCI state JSON (runc's shape: ociVersion, id, pid, status, bundle, rootfs,
 * created, owner, annotations when any; plus exitStatus once stopped, when known); pretty when
 * asked; owner is the user's name when owner_name, else empty as in runc's "state". Caller frees.
 */
char *cradle_state_to_oci_json(const struct cradle_state *state, enum cradle_status status,
                               bool pretty, bool owner_name);

/* The ids under ROOT, sorted; NULL-terminated. */
int cradle_state_list_ids(int root_fd, char ***ids, cradle_error **err);

void cradle_state_free(struct cradle_state *state);

static inline void cradle_state_freep(struct cradle_state **s)
{
    if (*s)
        cradle_state_free(*s);
}
#define _cleanup_state_ __attribute__((cleanup(cradle_state_freep)))

#endif
