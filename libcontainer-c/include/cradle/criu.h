/* Checkpoint and restore of a whole container with CRIU, as runc does them, driving the
 * criu binary through its command line (no RPC, no protobuf). */
#ifndef CRADLE_CRIU_H
#define CRADLE_CRIU_H

#include <stdbool.h>

#include <stddef.h>
#include <sys/types.h>

#include "cradle/cgroups.h"
#include "cradle/container.h"
#include "cradle/error.h"
#include "cradle/spec.h"

/* The CRIU options checkpoint and restore share. */
struct cradle_criu_opts {
    const char *image_path;          /* default "./checkpoint" (relative to the caller's cwd) */
    const char *work_path;           /* logs and work files; default: image_path */
    const char *manage_cgroups_mode; /* soft, full, strict or ignore; NULL: criu's default */
    bool tcp_established;
    bool ext_unix_sk;
    bool shell_job;
    bool file_locks;
    bool auto_dedup;               /* criu --auto-dedup */
    bool lazy_pages;               /* criu --lazy-pages: pages come later, through userfaultfd */
    bool empty_network;            /* --empty-ns network: criu --empty-ns net */
    const char *lsm_profile;       /* restore: criu --lsm-profile TYPE:NAME */
    const char *lsm_mount_context; /* restore: criu --lsm-mount-context CTX */
};

struct cradle_checkpoint_opts {
    const char *root; /* state directory */
    const char *id;
    struct cradle_criu_opts criu;
    bool leave_running;
    bool pre_dump;
    const char *parent_path; /* previous (pre-)dump, relative to image_path */
    const char *page_server; /* ADDRESS:PORT: pages go to a criu page-server there */
    int status_fd;           /* with lazy_pages: criu writes \0 here once pages can be served;
                              * -1: none */
};

struct cradle_restore_opts {
    const char *root;
    const char *id;
    const char *bundle; /* default "." */
    const char *pid_file;
    const char *console_socket; /* with process.terminal: gets the new pty's master */
    struct cradle_criu_opts criu;
    bool no_pivot;                /* accepted: criu restores the mounts itself */
    bool systemd_cgroup;          /* --systemd-cgroup: a transient scope, as create makes */
    bool record_exit;             /* detached: start the exit monitor, as create does */
    const char *proc_policy_file; /* --proc-policy, as for create */
};

/* "soft", "full", "strict", "ignore" are valid; anything else is an error naming it. */
int cradle_criu_check_cgroups_mode(const char *mode, cradle_error **err);

/* --empty-ns NS: "network" sets o->empty_network; any other name is refused, as runc
 * does (criu can leave only the network namespace empty). */
int cradle_criu_empty_ns(const char *ns, struct cradle_criu_opts *o, cradle_error **err);

/* Dumps (or pre-dumps) the running container into the image directory. Unless
 * leave_running or pre_dump, the container is then destroyed as "delete --force" does
 * (criu has already killed its processes), as runc does. */
int cradle_container_checkpoint(const struct cradle_checkpoint_opts *opts, cradle_error **err);

/* Recreates the container from the bundle (state entry, cgroup) and restores its
 * processes from the images; namespaces and mounts come back from the images, bind
 * mounts and cgroup directories are mapped to this bundle's and this container's. The
 * restored init is a child of the caller (criu --restore-sibling). Its status is
 * "running". Nothing survives a failure. */
int cradle_container_restore(const struct cradle_restore_opts *opts, struct cradle_created *out,
                             cradle_error **err);

/* The criu driver (libcontainer-c/criu/): building a criu command line and running it. */

#define CRIU_BINARY           "criu"
#define CRIU_DESCRIPTORS_FILE "descriptors.json" /* runc's name: the init's stdio */
#define CRIU_DUMP_LOG         "dump.log"
#define CRIU_RESTORE_LOG      "restore.log"
#define CRIU_TTY_FILE         "cradle-tty.json" /* the external pty of a terminal container */

/* argv.c: a growing, NULL-terminated argument vector. */
struct criu_args {
    char **v;
    size_t n;
    size_t cap;
};

int criu_args_add(struct criu_args *a, const char *arg, cradle_error **err);
int criu_args_addf(struct criu_args *a, cradle_error **err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void criu_args_free(struct criu_args *a);

/* options.c: the flags both directions share (log, shell-job, tcp, cgroups mode, ...). */
int criu_add_common_options(struct criu_args *a, const struct cradle_criu_opts *o,
                            const char *log_name, cradle_error **err);

/* ext_mounts.c: --ext-mount-map entries for the mounts that come from outside the
 * container (spec bind mounts, v1 cgroup binds, masked files, host device binds), as runc
 * marks them. On dump, key = mountpoint inside the container (read from the init's
 * mountinfo where that is the source of truth); on restore, key -> host source. */
int criu_add_dump_mounts(struct criu_args *a, const struct cradle_spec *spec, const char *rootfs,
                         pid_t pid, cradle_error **err);
int criu_add_restore_mounts(struct criu_args *a, const struct cradle_spec *spec, const char *bundle,
                            const char *rootfs, const struct cradle_cgroup *cg, cradle_error **err);

/* ext_namespaces.c: namespaces the spec joins by path. Network and pid ones are external
 * on dump (--external TYPE[INODE]:KEY) and inherited on restore (--inherit-fd, the fd is
 * opened here and appended to *fds, the caller closes them); the others are joined on
 * restore (--join-ns). */
int criu_add_dump_namespaces(struct criu_args *a, const struct cradle_spec *spec,
                             cradle_error **err);
int criu_add_restore_namespaces(struct criu_args *a, const struct cradle_spec *spec, int *fds,
                                size_t max_fds, size_t *n_fds, cradle_error **err);

/* descriptors.c: the init's stdio as runc records it (a JSON array of the three
 * /proc/PID/fd/N link targets), and on restore the --inherit-fd options that connect the
 * pipes among them to the restoring process's own stdio. */
int criu_write_descriptors(int image_fd, pid_t pid, cradle_error **err);
int criu_add_inherited_stdio(struct criu_args *a, int image_fd, cradle_error **err);

/* ext_tty.c: a container's pty slave (on one of the init's fds 0-2) is external on dump:
 * --external tty[RDEV:DEV] and, when /dev/console is a bind of it, an ext-mount-map entry;
 * both are recorded in CRIU_TTY_FILE. On restore the new slave_fd is inherited in its place
 * and /dev/console becomes a bind of slave_path. Nothing on dump without a pty. */
int criu_add_dump_tty(struct criu_args *a, pid_t pid, int image_fd, cradle_error **err);
int criu_add_restore_tty(struct criu_args *a, int image_fd, int slave_fd, const char *slave_path,
                         cradle_error **err);

/* cgroup_mounts.c: the host's cgroup v1 hierarchies (mountpoint and super options). */
struct criu_hierarchy {
    char *mountpoint;
    char *options;
};
int criu_host_hierarchies(struct criu_hierarchy **out, size_t *n, cradle_error **err);
void criu_hierarchies_free(struct criu_hierarchy *h, size_t n);
/* The container's directory in hierarchy h (one of cg->dirs under its mountpoint). */
const char *criu_cgroup_dir_in(const struct cradle_cgroup *cg, const struct criu_hierarchy *h);

/* action_script.c: the setup-namespaces notification (runc's point for the prestart and
 * createRuntime hooks on restore) through criu's --action-script, which meets the runtime
 * at two fifos in the state directory dir (dir_fd). setup_namespaces(pid, data, err) runs
 * while criu waits; its failure fails the restore and stays in failure. */
struct criu_notify {
    int dir_fd;
    int request_fd;
    int reply_fd;
    int (*setup_namespaces)(pid_t pid, void *data, cradle_error **err);
    void *data;
    cradle_error *failure;
};
#define CRIU_NOTIFY_INIT                                                                           \
    {                                                                                              \
        .dir_fd = -1, .request_fd = -1, .reply_fd = -1                                             \
    }
/* Writes the script and the fifos and adds --action-script to a. */
int criu_notify_prepare(struct criu_notify *n, int dir_fd, const char *dir, struct criu_args *a,
                        cradle_error **err);
/* Answers the script's requests until criu_pidfd (criu) exits. */
int criu_notify_serve(struct criu_notify *n, int criu_pidfd, cradle_error **err);
/* Closes and removes what prepare made; frees failure. */
void criu_notify_release(struct criu_notify *n);

/* exec.c: runs criu and waits for it. With cgroup, the criu process first joins the
 * container's cgroup and gets --cgroup-root options for where it now is (so the restored
 * tree lands there); with root_source, it bind-mounts root_source onto root_target in a
 * private mount namespace (criu wants its --root to be a mount point). keep_fds stay
 * open across exec. Fails with the log's last error line when criu fails. */
struct criu_exec {
    struct criu_args *args;
    const struct cradle_cgroup *cgroup;
    const char *root_source;
    const char *root_target;
    const int *keep_fds;
    size_t n_keep_fds;
    /* When set, the parent places the criu process in the container's cgroup (a systemd
     * scope starts with it) before it goes on; cgroup then only gives the roots. */
    int (*place)(pid_t criu, void *data, cradle_error **err);
    void *place_data;
    struct criu_notify *notify; /* answered while criu runs; may be NULL */
    const char *action;         /* "dump", "restore", ...: for messages */
    const char *log_path;       /* may be NULL */
    bool quiet;                 /* criu's stdout and stderr go to /dev/null */
};
int criu_run(const struct criu_exec *x, cradle_error **err);

/* `criu check --feature NAME`: 0 when criu and the kernel have it. */
int criu_check_feature(const char *feature, cradle_error **err);

/* log_tail.c: the last line of a criu log that reports an error, or NULL. */
char *criu_log_last_error(const char *log_path);

#endif
