/* Private to libcontainer-c/cgroups: linux.resources on the cgroup v1 controllers, as
 * runc 1.1's libcontainer/cgroups/fs writes them, one file per controller. Each applier
 * writes only what res asks for into dir, the container's directory in the hierarchy that
 * has the controller; every error names the spec field and the cgroup file. */
#ifndef CRADLE_CGROUP_V1_H
#define CRADLE_CGROUP_V1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cradle/error.h"
#include "cradle/resources.h"

struct json_object;

/* Appliers, one per v1 controller (updating: `update` rather than create). */
int cgroup_v1_apply_memory(const char *dir, const struct cradle_resources *res, bool updating,
                           cradle_error **err);
int cgroup_v1_apply_cpu(const char *dir, const struct cradle_resources *res, cradle_error **err);
int cgroup_v1_apply_cpuset(const char *dir, const struct cradle_resources *res, cradle_error **err);
int cgroup_v1_apply_pids(const char *dir, const struct cradle_resources *res, cradle_error **err);
int cgroup_v1_apply_blkio(const char *dir, const struct cradle_resources *res, cradle_error **err);
int cgroup_v1_apply_hugetlb(const char *dir, const struct cradle_resources *res,
                            cradle_error **err);
int cgroup_v1_apply_net_cls(const char *dir, const struct cradle_resources *res,
                            cradle_error **err);
int cgroup_v1_apply_net_prio(const char *dir, const struct cradle_resources *res,
                             cradle_error **err);
int cgroup_v1_apply_rdma(const char *dir, const struct cradle_resources *res, cradle_error **err);

/* Whether res asks anything of each controller. Zero values that engines send for "not
 * set" ask nothing, as in runc, so a host without the controller accepts them. */
bool cgroup_v1_wants_memory(const struct cradle_resources *res);
bool cgroup_v1_wants_cpu(const struct cradle_resources *res);
bool cgroup_v1_wants_cpuset(const struct cradle_resources *res);
bool cgroup_v1_wants_pids(const struct cradle_resources *res);
bool cgroup_v1_wants_blkio(const struct cradle_resources *res);
bool cgroup_v1_wants_hugetlb(const struct cradle_resources *res);
bool cgroup_v1_wants_net_cls(const struct cradle_resources *res);
bool cgroup_v1_wants_net_prio(const struct cradle_resources *res);
bool cgroup_v1_wants_rdma(const struct cradle_resources *res);

/* dir/file helpers (v1/files.c). cgroup_v1_write fails with "FIELD: writing "VALUE" to
 * DIR/FILE: REASON". */
int cgroup_v1_write(const char *dir, const char *file, const char *value, const char *field,
                    cradle_error **err);
int cgroup_v1_write_u64(const char *dir, const char *file, uint64_t value, const char *field,
                        cradle_error **err);
int cgroup_v1_write_i64(const char *dir, const char *file, int64_t value, const char *field,
                        cradle_error **err);
bool cgroup_v1_has_file(const char *dir, const char *file);
/* Reads a file holding one unsigned number ("max" reads as UINT64_MAX). */
int cgroup_v1_read_u64(const char *dir, const char *file, uint64_t *out, cradle_error **err);

/* Pure logic, unit-tested in test_cgroup_v1.c. */

/* runc's setMemoryAndSwap order: memsw.limit_in_bytes must stay >= limit_in_bytes, so
 * the swap limit goes first when it is unlimited (-1) or above the current limit. */
bool cgroup_v1_swap_goes_first(uint64_t current_limit, int64_t swap);

/* Stats in runc's event shape. Text parsers: */

/* Adds each "key value" line of a memory.stat or cpu.stat text to obj as an int64, keys
 * sorted (as Go's JSON marshals a map); -1 on a malformed line. */
int cgroup_v1_parse_flat_keyed(const char *text, struct json_object *obj);

/* A space-separated list of numbers (cpuacct.usage_percpu) as a JSON array; NULL on
 * malformed text. */
struct json_object *cgroup_v1_parse_number_list(const char *text);

/* cpuacct.usage_all ("cpu user system" header, then "N USER SYSTEM" per cpu) into two
 * JSON arrays, kernel (system) and user; -1 on malformed text. */
int cgroup_v1_parse_usage_all(const char *text, struct json_object **percpu_kernel,
                              struct json_object **percpu_user);

/* A cpuset list ("0-3,8") as a JSON array of numbers; NULL on malformed text. */
struct json_object *cgroup_v1_parse_cpu_list(const char *text);

/* blkio stats lines ("8:0 Read 1282048", "8:0 6792", "Total 3477504" skipped) as runc's
 * entries array ({"major","minor","op","value"}, zero fields omitted); NULL on malformed
 * text. */
struct json_object *cgroup_v1_parse_blkio_entries(const char *text);

/* The per-controller stats parts (v1/stats_*.c), each adding its key to data. */
int cgroup_v1_stats_cpu(const char *cpu_dir, const char *cpuacct_dir, struct json_object *data,
                        cradle_error **err);
int cgroup_v1_stats_cpuset(const char *dir, struct json_object *data, cradle_error **err);
int cgroup_v1_stats_memory(const char *dir, struct json_object *data, cradle_error **err);
int cgroup_v1_stats_pids(const char *dir, struct json_object *data, cradle_error **err);
int cgroup_v1_stats_blkio(const char *dir, struct json_object *data, cradle_error **err);
int cgroup_v1_stats_hugetlb(const char *dir, struct json_object *data, cradle_error **err);

#endif
