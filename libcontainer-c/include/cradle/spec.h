/* config.json as typed, validated structs. spec/ is the only code that reads JSON;
 * everything after parsing reads these structs. Arrays are (pointer, count) pairs;
 * string arrays are also NULL-terminated so they can be passed to execve(). */
#ifndef CRADLE_SPEC_H
#define CRADLE_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "cradle/error.h"
#include "cradle/resources.h"

struct cradle_spec_user {
    uint32_t uid;
    uint32_t gid;
    uint32_t *additional_gids;
    size_t n_additional_gids;
    bool has_umask;
    uint32_t umask;
};

/* One bit per capability number (CAP_CHOWN = bit 0), for each of the five sets. */
struct cradle_spec_capabilities {
    uint64_t bounding;
    uint64_t effective;
    uint64_t inheritable;
    uint64_t permitted;
    uint64_t ambient;
};

struct cradle_spec_rlimit {
    int resource; /* RLIMIT_* */
    char *name;   /* as written, e.g. "RLIMIT_NOFILE" */
    uint64_t soft;
    uint64_t hard;
};

/* process.scheduler: sched_setattr(2)'s attributes (spec/parse_process_sched.c). */
struct cradle_spec_scheduler {
    int policy;     /* SCHED_OTHER, SCHED_FIFO, ... (SCHED_ISO is 4, which Linux lacks) */
    uint64_t flags; /* SCHED_FLAG_* */
    int32_t nice;
    int32_t priority;
    uint64_t runtime; /* ns; these three for SCHED_DEADLINE only */
    uint64_t deadline;
    uint64_t period;
};

/* process.ioPriority: ioprio_set(2)'s class (IOPRIO_CLASS_RT, BE, IDLE) and level. */
struct cradle_spec_io_priority {
    int class;
    int32_t priority;
};

/* A CPU list ("0-3,7") as the kernel's affinity mask: as runc, up to 1024 CPUs. */
#define CRADLE_CPU_MASK_WORDS (1024 / (8 * sizeof(unsigned long)))
struct cradle_cpu_mask {
    unsigned long bits[CRADLE_CPU_MASK_WORDS];
};

/* process.execCPUAffinity, for exec only: the runtime's affinity while the process is
 * born and joins the cgroup, and the process's own once it is in it. */
struct cradle_spec_exec_affinity {
    bool has_initial;
    struct cradle_cpu_mask initial;
    bool has_final;
    struct cradle_cpu_mask final;
};

struct cradle_spec_process {
    bool terminal;
    bool has_console_size;
    uint32_t console_height;
    uint32_t console_width;
    struct cradle_spec_user user;
    char **args; /* NULL-terminated */
    size_t n_args;
    char **env; /* NULL-terminated */
    size_t n_env;
    char *cwd;
    bool has_capabilities;
    struct cradle_spec_capabilities capabilities;
    struct cradle_spec_rlimit *rlimits;
    size_t n_rlimits;
    bool no_new_privileges;
    bool has_oom_score_adj;
    int oom_score_adj;
    char *apparmor_profile; /* applied at execve (security/lsm_attr.c); "" or NULL: none */
    char *selinux_label;    /* the exec label (setexeccon) and the session keyring's label */
    bool has_scheduler;
    struct cradle_spec_scheduler scheduler;
    bool has_io_priority;
    struct cradle_spec_io_priority io_priority;
    struct cradle_spec_exec_affinity exec_affinity;
};

/* "SCHED_OTHER", ... for a policy the parser accepted; NULL for another number. */
const char *cradle_sched_policy_name(int policy);

/* A mount, with its options already translated (spec/mount_options.c). */
struct cradle_spec_mount {
    char *destination;
    char *type;   /* may be NULL (bind mounts) */
    char *source; /* may be NULL */
    char **options;
    size_t n_options;
    /* parsed from options: */
    unsigned long flags;       /* MS_* to set (MS_BIND, MS_RDONLY, MS_NOSUID, ...) */
    unsigned long clear_flags; /* MS_* explicitly cleared ("rw", "suid", "dev", ...) */
    unsigned long propagation; /* MS_PRIVATE|MS_SLAVE|MS_SHARED|MS_UNBINDABLE, maybe |MS_REC */
    uint64_t rec_attr_set;     /* MOUNT_ATTR_* from "rro", "rnosuid", ... (mount_setattr) */
    uint64_t rec_attr_clr;
    char *data; /* filesystem-specific options joined with ',' (e.g. "size=65536k,mode=755") */
    bool is_bind;
    bool copy_up; /* "tmpcopyup": a tmpfs starts with what its mountpoint held */
    /* Id-mapped bind (rootfs/idmap.c): asked for by "uidMappings"/"gidMappings" or the
     * "idmap"/"ridmap" options; without mappings of its own it takes the container's. */
    bool idmap;
    bool idmap_recursive; /* "ridmap": every submount of an rbind is mapped too */
    struct cradle_spec_id_mapping *uid_mappings;
    size_t n_uid_mappings;
    struct cradle_spec_id_mapping *gid_mappings;
    size_t n_gid_mappings;
};

struct cradle_spec_namespace {
    int type;   /* CLONE_NEWPID, CLONE_NEWNET, ... */
    char *path; /* join this namespace instead of creating one; may be NULL */
};

struct cradle_spec_id_mapping {
    uint32_t container_id;
    uint32_t host_id;
    uint32_t size;
};

struct cradle_spec_device {
    char *path;
    char type; /* 'c', 'b', 'u' (unbuffered char) or 'p' (fifo) */
    int64_t major;
    int64_t minor;
    bool has_file_mode;
    uint32_t file_mode;
    bool has_uid;
    uint32_t uid;
    bool has_gid;
    uint32_t gid;
};

/* S_IFCHR, S_IFBLK or S_IFIFO for a device's type. */
mode_t cradle_device_node_type(char type);

struct cradle_spec_keyval {
    char *key;
    char *value;
};

struct cradle_spec_hook {
    char *path;
    char **args; /* NULL-terminated; may be empty */
    size_t n_args;
    char **env; /* NULL-terminated; may be empty */
    size_t n_env;
    bool has_env; /* "env" given, even empty; without it the hook gets its caller's */
    bool has_timeout;
    int timeout; /* seconds, > 0 */
};

struct cradle_spec_hook_list {
    struct cradle_spec_hook *hooks;
    size_t n_hooks;
};

struct cradle_spec_hooks {
    struct cradle_spec_hook_list prestart;
    struct cradle_spec_hook_list create_runtime;
    struct cradle_spec_hook_list create_container;
    struct cradle_spec_hook_list start_container;
    struct cradle_spec_hook_list poststart;
    struct cradle_spec_hook_list poststop;
};

/* linux.seccomp (config-linux.md#seccomp), validated: actions, operators and flags are
 * known names, argument indexes are below 6, errnoRet only goes with ERRNO or TRACE.
 * Syscall names stay as written; security/seccomp.c resolves them (unknown ones are
 * skipped, as runc does). */
enum cradle_seccomp_action {
    CRADLE_SECCOMP_ACT_KILL_THREAD, /* also SCMP_ACT_KILL */
    CRADLE_SECCOMP_ACT_KILL_PROCESS,
    CRADLE_SECCOMP_ACT_TRAP,
    CRADLE_SECCOMP_ACT_ERRNO,
    CRADLE_SECCOMP_ACT_TRACE,
    CRADLE_SECCOMP_ACT_ALLOW,
    CRADLE_SECCOMP_ACT_LOG,
    CRADLE_SECCOMP_ACT_NOTIFY, /* the fd goes to linux.seccomp.listenerPath's agent */
};

enum cradle_seccomp_op {
    CRADLE_SECCOMP_OP_NE,
    CRADLE_SECCOMP_OP_LT,
    CRADLE_SECCOMP_OP_LE,
    CRADLE_SECCOMP_OP_EQ,
    CRADLE_SECCOMP_OP_GE,
    CRADLE_SECCOMP_OP_GT,
    CRADLE_SECCOMP_OP_MASKED_EQ, /* (arg & value) == valueTwo */
};

/* The names linux.seccomp accepts, by index (NULL past the end): what "cradle features"
 * reports, after checking that a spec using each one is runnable. */
const char *cradle_seccomp_action_name(size_t index);
const char *cradle_seccomp_operator_name(size_t index);
const char *cradle_seccomp_arch_name(size_t index);
const char *cradle_seccomp_flag_name(size_t index);

/* linux.seccomp.flags */
#define CRADLE_SECCOMP_FLAG_TSYNC              (1u << 0)
#define CRADLE_SECCOMP_FLAG_LOG                (1u << 1)
#define CRADLE_SECCOMP_FLAG_SPEC_ALLOW         (1u << 2)
#define CRADLE_SECCOMP_FLAG_WAIT_KILLABLE_RECV (1u << 3)

struct cradle_spec_seccomp_arg {
    uint32_t index; /* 0..5 */
    uint64_t value;
    uint64_t value_two;
    enum cradle_seccomp_op op;
};

struct cradle_spec_seccomp_syscall {
    char **names; /* NULL-terminated */
    size_t n_names;
    enum cradle_seccomp_action action;
    bool has_errno_ret; /* else EPERM for ERRNO and TRACE */
    uint32_t errno_ret; /* <= 65535 */
    struct cradle_spec_seccomp_arg *args;
    size_t n_args;
};

struct cradle_spec_seccomp {
    enum cradle_seccomp_action default_action;
    bool has_default_errno_ret;
    uint32_t default_errno_ret;
    char **architectures; /* NULL-terminated OCI names, e.g. "SCMP_ARCH_X86_64" */
    size_t n_architectures;
    unsigned flags; /* CRADLE_SECCOMP_FLAG_* */
    struct cradle_spec_seccomp_syscall *syscalls;
    size_t n_syscalls;
    /* The unix socket that gets the notify fd and the container process state (runc's
     * ContainerProcessState) when a rule uses SCMP_ACT_NOTIFY; NULL when unset or "". */
    char *listener_path;
    char *listener_metadata; /* its "metadata"; NULL when unset */
};

/* Whether a rule of sc uses SCMP_ACT_NOTIFY (its filter then has a listener). */
bool cradle_seccomp_notifies(const struct cradle_spec_seccomp *sc);

/* One entry of linux.netDevices: the host interface host_name becomes name (the same
 * when the entry has no "name") inside the container's network namespace. */
struct cradle_spec_net_device {
    char *host_name;
    char *name;
};

/* linux.intelRdt; strings NULL when absent. */
struct cradle_spec_intel_rdt {
    char *clos_id;
    char *l3_cache_schema;
    char *mem_bw_schema;
    char **schemata; /* NULL-terminated */
    size_t n_schemata;
    bool enable_monitoring;
};

/* linux.personality: the execution domain set right before execve (PER_LINUX or
 * PER_LINUX32). runc 1.2 ignores "flags" with a warning; so does cradle. */
struct cradle_spec_personality {
    bool set;
    unsigned long domain;
    size_t n_flags; /* ignored, as runc ignores them: no flag is defined yet */
};

/* One clock of linux.timeOffsets, written to the new time namespace's timens_offsets
 * before any process enters it. */
struct cradle_spec_time_offset {
    bool set;
    int64_t secs;
    uint32_t nanosecs; /* below one second */
};
#define CRADLE_TIMENS_MONOTONIC 0 /* index in cradle_spec_linux.time_offsets */
#define CRADLE_TIMENS_BOOTTIME  1

/* linux.memoryPolicy: set_mempolicy(mode | flags, nodes) in every container process. */
#define CRADLE_MEMPOLICY_MAX_NODES 1024 /* as many as runc's node list (unix.CPUSet) holds */
struct cradle_spec_memory_policy {
    bool set;
    int mode;    /* MPOL_DEFAULT, MPOL_BIND, ... */
    int flags;   /* MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES | MPOL_F_NUMA_BALANCING */
    char *nodes; /* as written ("0-1,3"), for messages; NULL when absent or empty */
    unsigned long nodemask[CRADLE_MEMPOLICY_MAX_NODES / (8 * sizeof(unsigned long))];
};

/* The names linux.memoryPolicy accepts, by index (NULL past the end), for "features". */
const char *cradle_mempolicy_mode_name(size_t index);
const char *cradle_mempolicy_flag_name(size_t index);

struct cradle_spec_linux {
    struct cradle_spec_namespace *namespaces;
    size_t n_namespaces;
    struct cradle_spec_id_mapping *uid_mappings;
    size_t n_uid_mappings;
    struct cradle_spec_id_mapping *gid_mappings;
    size_t n_gid_mappings;
    struct cradle_spec_device *devices;
    size_t n_devices;
    struct cradle_resources resources; /* linux.resources; all unset when absent */
    char *cgroups_path;                /* may be NULL */
    char **masked_paths;
    size_t n_masked_paths;
    char **readonly_paths;
    size_t n_readonly_paths;
    bool has_rootfs_propagation;
    unsigned long rootfs_propagation; /* MS_SHARED|MS_SLAVE|MS_PRIVATE|MS_UNBINDABLE (+MS_REC) */
    struct cradle_spec_keyval *sysctls;
    size_t n_sysctls;
    char *mount_label; /* context="..." on the filesystems the container mounts (runc's) */
    struct cradle_spec_net_device *net_devices; /* linux.netDevices, moved in by the runtime */
    size_t n_net_devices;
    bool has_intel_rdt; /* linux.intelRdt present: refused unless resctrl is there */
    struct cradle_spec_intel_rdt intel_rdt;
    struct cradle_spec_personality personality;     /* linux.personality */
    bool has_time_offsets;                          /* linux.timeOffsets present */
    struct cradle_spec_time_offset time_offsets[2]; /* by CRADLE_TIMENS_* */
    struct cradle_spec_memory_policy memory_policy; /* linux.memoryPolicy */
    /* false when linux.seccomp is absent, or has neither defaultAction nor syscalls (runc) */
    bool has_seccomp;
    struct cradle_spec_seccomp seccomp;
};

struct cradle_spec {
    char *oci_version;
    char *root_path; /* as written; may be relative to the bundle */
    bool root_readonly;
    char *hostname; /* NULL when absent */
    char *domainname;
    struct cradle_spec_keyval *annotations;
    size_t n_annotations;
    bool has_process;
    struct cradle_spec_process process;
    struct cradle_spec_mount *mounts;
    size_t n_mounts;
    bool has_linux;
    struct cradle_spec_linux linux_;
    struct cradle_spec_hooks hooks;
};

/* Parses a config.json document. Every error names the JSON path at fault,
 * e.g. "process.user.uid: expected an unsigned integer, got string". */
int cradle_spec_parse(const char *json_text, struct cradle_spec **out, cradle_error **err);

/* The text of BUNDLE/config.json (no NUL byte in it), malloc'd. */
int cradle_spec_read_config(const char *bundle_dir, char **out, cradle_error **err);

/* Reads BUNDLE/config.json and parses it. */
int cradle_spec_load(const char *bundle_dir, struct cradle_spec **out, cradle_error **err);

/* Parses a process JSON document (runc exec --process FILE, the "process" object of a
 * config.json) into a spec that has only its process (has_process). */
int cradle_spec_parse_process(const char *json_text, struct cradle_spec **out, cradle_error **err);

void cradle_spec_free(struct cradle_spec *spec);

/* Frees the hooks of a list (not the list struct itself). */
void cradle_spec_hook_list_free(struct cradle_spec_hook_list *list);

static inline void cradle_spec_freep(struct cradle_spec **spec)
{
    if (*spec)
        cradle_spec_free(*spec);
}
#define _cleanup_spec_ __attribute__((cleanup(cradle_spec_freep)))

/* true if the spec asks for a new namespace of this type or to join one. */
const struct cradle_spec_namespace *cradle_spec_find_namespace(const struct cradle_spec *spec,
                                                               int clone_flag);

/* The most mounts[] entries a container may have: each costs the init a few hundred
 * microseconds of kernel time, and the kernel allows 100,000 per mount namespace
 * (fs.mount-max) with the host's included. */
#define CRADLE_SPEC_MAX_MOUNTS 4096

/* Checks the parsed spec as a whole before anything is created, as runc's validator does:
 * namespaces against sysctls, hostname and domainname, id mappings, devices, rlimits,
 * cgroupsPath. Every error names the JSON field at fault. Ambient capabilities that a
 * non-root process cannot raise (not inheritable and permitted) are dropped with a
 * warning, as runc drops them. Code that applies the spec trusts what this passed. */
int cradle_spec_validate(struct cradle_spec *spec, cradle_error **err);

/* The part of cradle_spec_validate that concerns spec->process alone (rlimits, ambient
 * capabilities), for a process exec builds. */
int cradle_spec_validate_process(struct cradle_spec *spec, cradle_error **err);

/* A linux.sysctl key in runc's dotted form ("net.ipv4.conf.eth0/100.forwarding") and as
 * a path below /proc/sys ("net/ipv4/conf/eth0.100/forwarding"); a key whose first
 * separator is '/' is already in path form. Newly allocated; NULL when out of memory. */
char *cradle_sysctl_name(const char *key);
char *cradle_sysctl_path(const char *key);

/* The annotation's value, or NULL. */
const char *cradle_spec_annotation(const struct cradle_spec *spec, const char *key);

/* The default config.json runc writes ("runc spec" / "runc spec --rootless"),
 * as a newly allocated, pretty-printed JSON string. */
char *cradle_spec_default_json(bool rootless);

/* Capability name ("CAP_SYS_ADMIN") <-> number; -1 / NULL when unknown.
 * Names beyond the running kernel's last capability are rejected by the parser. */
int cradle_cap_from_name(const char *name);
const char *cradle_cap_name(int cap);
/* The running kernel's last capability number (/proc/sys/kernel/cap_last_cap). */
int cradle_cap_last_cap(void);

/* Parses mount options into m->flags, clear_flags, propagation, rec_attr_*, data, is_bind.
 * "key=value" options and the bare words a known filesystem accepts (devpts "newinstance",
 * cgroup controller names, ...) become filesystem data; for bind mounts and the
 * filesystems cradle knows (proc, sysfs, tmpfs, devpts, mqueue, cgroup2) any other
 * bare word is an error naming the option and the mount. Other filesystem types get
 * unknown bare words as data, as runc does. */
int cradle_mount_options_parse(struct cradle_spec_mount *m, cradle_error **err);

#endif
