/* Private to cgroups/v2/: resources and stats on a cgroup2 directory, as runc 1.1's
 * libcontainer/cgroups/fs2 does them. apply and stats reach the files through struct
 * v2_files so that unit tests (test_cgroup_v2.c) can run them over recorded files. */
#ifndef CRADLE_CGROUP_V2_INTERNAL_H
#define CRADLE_CGROUP_V2_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../cgroup_internal.h"

struct json_object;

/* The files of one cgroup2 directory. Failures set err->errnum to the errno (ENOENT when
 * the file does not exist), which apply uses for runc's fallbacks. */
struct v2_files {
    const char *dir;
    int (*write)(const struct v2_files *f, const char *file, const char *value, cradle_error **err);
    int (*read)(const struct v2_files *f, const char *file, char **out, cradle_error **err);
    void *data;
};

/* The files of the real directory dir. */
struct v2_files v2_files_of(const char *dir);

/* f->write with the spec field that asked for it prefixed to any error. */
int v2_write_field(const struct v2_files *f, const char *field, const char *file, const char *value,
                   cradle_error **err);

/* Value conversions (values.c). */

/* runc's ConvertCPUSharesToCgroupV2Value: [2-262144] -> [1-10000], 0 stays 0. */
uint64_t v2_cpu_weight_from_shares(uint64_t shares);

/* runc's ConvertBlkIOToIOWeightValue: [10-1000] -> [1-10000], 0 stays 0. */
uint64_t v2_io_weight_from_blkio(uint64_t weight);

/* runc's ConvertMemorySwapToCgroupV2Value: memory.swap.max from the spec's memory+swap
 * (0 = unset, -1 = unlimited), with runc's errors. */
int v2_swap_max(int64_t swap, int64_t limit, int64_t *out, cradle_error **err);

/* runc's numToStr for .max/.low files: "" for 0 (write nothing), "max" for -1. */
void v2_limit_str(int64_t value, char *buf, size_t size);

/* cpu.max: "QUOTA PERIOD", "max" for a quota <= 0, period 100000 when 0. */
void v2_cpu_max_str(int64_t quota, uint64_t period, char *buf, size_t size);

/* Applying (apply.c and one file per group). */
int v2_apply_files(const struct v2_files *f, const struct cradle_resources *res, unsigned mask,
                   bool updating, cradle_error **err);
int v2_apply_memory(const struct v2_files *f, const struct cradle_resources_memory *mem,
                    bool updating, cradle_error **err);
int v2_apply_cpu(const struct v2_files *f, const struct cradle_resources_cpu *cpu,
                 cradle_error **err);
int v2_apply_io(const struct v2_files *f, const struct cradle_resources_blkio *io,
                cradle_error **err);
int v2_apply_pids(const struct v2_files *f, const struct cradle_resources_pids *pids,
                  cradle_error **err);
int v2_apply_cpuset(const struct v2_files *f, const struct cradle_resources_cpu *cpu,
                    cradle_error **err);
int v2_apply_hugetlb(const struct v2_files *f, const struct cradle_resources *res,
                     cradle_error **err);
int v2_apply_rdma(const struct v2_files *f, const struct cradle_resources *res, cradle_error **err);
int v2_apply_unified(const struct v2_files *f, const struct cradle_resources *res,
                     cradle_error **err);

/* Stats (stats.c): the parts of runc's stats "data" not yet in out; page_sizes are the
 * host's huge page size names ("2MB"), NULL-terminated. */
int v2_stats_files(const struct v2_files *f, char *const *page_sizes, struct json_object *out,
                   cradle_error **err);

#endif
