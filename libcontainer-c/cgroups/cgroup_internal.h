/* Private to libcontainer-c/cgroups: the host's cgroup hierarchies and the pure helpers
 * that turn /proc text and paths into directories (unit-tested in test_cgroup_paths.c). */
#ifndef CRADLE_CGROUP_INTERNAL_H
#define CRADLE_CGROUP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "cradle/cgroups.h"
#include "cradle/error.h"
#include "cradle/resources.h"

struct json_object;

/* One mounted hierarchy. */
struct cgroup_hierarchy {
    char *mountpoint;  /* e.g. "/sys/fs/cgroup/cpu,cpuacct" */
    char *root;        /* the hierarchy path mounted there, usually "/" */
    char *controllers; /* v1: "cpu,cpuacct" or "name=systemd"; NULL for cgroup2 */
    char *device;      /* "major:minor" of the superblock, to skip duplicate mounts */
    bool unified;      /* cgroup2 */
};

struct cgroup_hierarchies {
    struct cgroup_hierarchy *items;
    size_t n;
};

void cgroup_hierarchies_free(struct cgroup_hierarchies *h);

/* Parses /proc/self/mountinfo text into the cgroup and cgroup2 mounts, first mount of
 * each hierarchy only. */
int cgroup_parse_mountinfo(const char *text, struct cgroup_hierarchies *out, cradle_error **err);

/* Reads /proc/self/mountinfo. */
int cgroup_read_hierarchies(struct cgroup_hierarchies *out, cradle_error **err);

/* True when the comma-separated controller list contains name. */
bool cgroup_has_controller(const char *controllers, const char *name);

/* The caller's cgroup in hierarchy h according to /proc/self/cgroup text. */
int cgroup_own_path(const char *proc_cgroup, const struct cgroup_hierarchy *h, char **out,
                    cradle_error **err);

/* Canonical form of a cgroup path: no empty or "." components, no trailing slash, a
 * leading slash only when path is absolute. NULL when out of memory. */
char *cgroup_path_normalize(const char *path);

/* Joins a and b with exactly one slash between them. */
char *cgroup_path_join(const char *a, const char *b);

/* The container's directory in hierarchy h. rel is a normalized cgroups path; own is the
 * caller's cgroup there (used only when rel is relative). */
int cgroup_container_dir(const struct cgroup_hierarchy *h, const char *rel, const char *own,
                         char **out, cradle_error **err);

/* Fills unified_dir, devices_dir and dir_controllers of cg from which hierarchy each dir is
 * in; -1 when out of memory. */
int cgroup_classify_dirs(struct cradle_cgroup *cg, const struct cgroup_hierarchies *h);

/* rootless.c: whether the caller is unprivileged (effective uid not 0), and whether it
 * can make or join the container's directory dir in the hierarchy mounted at mountpoint. */
bool cgroup_rootless(void);
bool cgroup_rootless_usable(const char *mountpoint, const char *dir);
int cgroup_rootless_no_cgroup(const struct cradle_cgroup *cg, const char *field,
                              const char *controller, cradle_error **err);

/* The container's directory in the v1 hierarchy that has controller, or NULL. */
const char *cgroup_v1_dir_of(const struct cradle_cgroup *cg, const char *controller);

/* Whether the host mounts v1 controllers (named hierarchies such as name=systemd aside). */
bool cgroup_has_v1_controllers(const struct cradle_cgroup *cg);

/* The hierarchy whose mountpoint contains dir (the deepest one), or NULL. */
const struct cgroup_hierarchy *cgroup_hierarchy_of(const struct cgroup_hierarchies *h,
                                                   const char *dir);

/* Formats a devices.allow / devices.deny line such as "c 1:3 rwm" (-1 = "*"). */
int cgroup_device_rule_line(char type, int64_t major, int64_t minor, const char *access, char *buf,
                            size_t size);

/* Parses cgroup.procs text: one pid per line. */
int cgroup_parse_pids(const char *text, pid_t **pids, size_t *n_pids, cradle_error **err);

/* Whether a cgroup is frozen (or freezing), by itself or through an ancestor, from its v1
 * freezer.state text, or from its cgroup2 cgroup.events and cgroup.freeze texts (NULL
 * when absent). */
bool cgroup_v1_frozen(const char *freezer_state);
bool cgroup_v2_frozen(const char *events, const char *freeze);

/* Whole-file read and single-write helpers for cgroupfs and /proc files. */
int cgroup_read_text(const char *path, char **out, cradle_error **err);
int cgroup_write_text(const char *path, const char *value, cradle_error **err);

/* Calls fn for every cgroup below dir (the sub-cgroups a container's processes made),
 * deepest first, then for dir itself; a directory that vanishes meanwhile is skipped. */
typedef int (*cgroup_tree_fn)(const char *dir, void *data, cradle_error **err);
int cgroup_walk_tree(const char *dir, cgroup_tree_fn fn, void *data, cradle_error **err);

/* values.c: texts the v1 and cgroup2 files share. */

/* json_object_put for __attribute__((cleanup)): `_cleanup_json_ struct json_object *o`. */
void cgroup_json_putp(struct json_object **o);
#define _cleanup_json_ __attribute__((cleanup(cgroup_json_putp)))

/* "max" reads as UINT64_MAX, as runc's GetCgroupParamUint; -1 when text is no number. */
int cgroup_parse_uint(const char *text, uint64_t *out);

/* Walks "KEY VALUE" lines (cpu.stat, memory.stat, memory.events): 1 with the next pair,
 * 0 at the end, -1 on a malformed line. */
int cgroup_next_key_value(const char **pos, char *key, size_t key_size, uint64_t *value);

/* The value of key in a "KEY VALUE" text, 0 when the key is absent (runc's
 * GetValueByKey); -1 when the text is malformed. */
int cgroup_value_by_key(const char *text, const char *key, uint64_t *out);

/* One rdma.max line: "DEVICE [hca_handle=N] [hca_object=N]". NULL when out of memory. */
char *cgroup_rdma_line(const struct cradle_rdma_limit *limit);

/* runc's page size name of a /sys/kernel/mm/hugepages entry ("hugepages-2048kB" ->
 * "2MB"), which hugetlb files and the spec's pageSize use; -1 for another name. */
int cgroup_hugepage_size_name(const char *entry, char *buf, size_t size);

/* The host's huge page sizes by those names, NULL-terminated (empty without huge pages);
 * NULL when out of memory. */
char **cgroup_host_hugepage_sizes(void);

/* cgroup2: enables, in every level from mountpoint down to dir's parent, the controllers
 * that level has and has not enabled for its children yet (as runc). Best effort. */
void cgroup_enable_controllers(const char *mountpoint, const char *dir);

/* Copies cpuset.cpus and cpuset.mems from the parent of dir when dir's are empty. */
int cgroup_cpuset_inherit(const char *dir, cradle_error **err);

/* The groups of linux.resources, each applied by one controller: cgroups/apply.c picks,
 * per group, the v1 hierarchy that has its controller or else cgroup2 (hybrid hosts). */
enum cgroup_group {
    CGROUP_GROUP_MEMORY = 1u << 0,
    CGROUP_GROUP_CPU = 1u << 1,    /* shares, quota, period, burst, realtime, idle */
    CGROUP_GROUP_CPUSET = 1u << 2, /* cpus, mems */
    CGROUP_GROUP_PIDS = 1u << 3,
    CGROUP_GROUP_IO = 1u << 4, /* blockIO: v1 blkio, cgroup2 io */
    CGROUP_GROUP_HUGETLB = 1u << 5,
    CGROUP_GROUP_NET = 1u << 6, /* v1 net_cls and net_prio only */
    CGROUP_GROUP_RDMA = 1u << 7,
    CGROUP_GROUP_UNIFIED = 1u << 8, /* raw cgroup2 files; refused on v1 */
};

/* cgroups/v2/: applies the groups in mask to the cgroup2 directory dir (runc's v1-to-v2
 * conversions: cpu shares -> cpu.weight, blkio weight -> io.weight, swap -> memory.swap.max
 * minus the limit, ...). Errors name the spec field and the file. */
int cgroup_v2_apply(const char *dir, const struct cradle_resources *res, unsigned mask,
                    bool updating, cradle_error **err);

/* cgroups/v2/: the parts of runc's stats "data" that cgroup2 files give (cpu, cpuset,
 * memory, pids, blkio, hugetlb; zero parts where a controller is absent, as runc), added to
 * out; a part already in out (from a v1 hierarchy on hybrid hosts) is kept. */
int cgroup_v2_stats(const char *dir, struct json_object *out, cradle_error **err);

/* cgroups/v2/: memory.events "oom_kill" of dir. */
int cgroup_v2_oom_kills(const char *dir, uint64_t *count, cradle_error **err);

/* cgroups/devices*: the container's device rules (res's, then runc's default allowed
 * devices), through the v1 devices controller when the host has one, else an eBPF
 * program attached to the cgroup2 directory (replacing the one cradle attached before). */
int cgroup_devices_apply(const struct cradle_cgroup *cg, const struct cradle_resources *res,
                         bool updating, cradle_error **err);

/* cgroups/systemd/: the systemd driver's part of cradle_cgroup_create (plans the transient
 * scope's directories and records them; attach starts the scope), of cradle_cgroup_apply
 * (the unit properties systemd owns, set before the files are written) and of
 * cradle_cgroup_destroy (stops the scope). */
int cgroup_systemd_create(const char *cgroups_path, const char *id, cradle_cgroup_record_fn record,
                          void *data, struct cradle_cgroup **out, cradle_error **err);
int cgroup_systemd_apply(const struct cradle_cgroup *cg, const struct cradle_resources *res,
                         cradle_error **err);
int cgroup_systemd_stop(const struct cradle_cgroup *cg, cradle_error **err);

#endif
