/* The process's scheduling: process.scheduler (sched_setattr), process.ioPriority
 * (ioprio_set) for the init and exec alike, as runc 1.2's setupScheduler and
 * setIOPriority; and the CPU affinity exec's process.execCPUAffinity asks for. */
#include "cradle/process.h"

#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The kernel's struct sched_attr (SCHED_ATTR_SIZE_VER1, with the utilization clamps, as
 * runc's unix.SchedAttr), declared here: glibc's headers have it only from 2.41. */
struct sched_attr_v1 {
    uint32_t size;
    uint32_t sched_policy;
    uint64_t sched_flags;
    int32_t sched_nice;
    uint32_t sched_priority;
    uint64_t sched_runtime;
    uint64_t sched_deadline;
    uint64_t sched_period;
    uint32_t sched_util_min;
    uint32_t sched_util_max;
};

#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_CLASS_SHIFT 13

static int set_scheduler(const struct cradle_spec_scheduler *s, cradle_error **err)
{
    struct sched_attr_v1 attr = {
        .size = sizeof(attr),
        .sched_policy = (uint32_t)s->policy,
        .sched_flags = s->flags,
        .sched_nice = s->nice,
        .sched_priority = (uint32_t)s->priority,
        .sched_runtime = s->runtime,
        .sched_deadline = s->deadline,
        .sched_period = s->period,
    };
    if (syscall(SYS_sched_setattr, 0, &attr, 0) < 0) {
        char text[128];
        int e = errno;
        return cradle_error_set(err, e, "process.scheduler: error setting scheduler: %s",
                                cradle_go_strerror(e, text));
    }
    return 0;
}

static int set_io_priority(const struct cradle_spec_io_priority *io, cradle_error **err)
{
    int ioprio = (io->class << IOPRIO_CLASS_SHIFT) | io->priority;
    if (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, ioprio) < 0) {
        char text[128];
        int e = errno;
        return cradle_error_set(err, e, "process.ioPriority: failed to set io priority: %s",
                                cradle_go_strerror(e, text));
    }
    return 0;
}

int cradle_process_set_scheduling(const struct cradle_spec_process *proc, cradle_error **err)
{
    if (proc->has_scheduler && set_scheduler(&proc->scheduler, err) < 0)
        return -1;
    if (proc->has_io_priority && set_io_priority(&proc->io_priority, err) < 0)
        return -1;
    return 0;
}

int cradle_set_cpu_affinity(pid_t pid, const struct cradle_cpu_mask *mask, const char *what,
                            cradle_error **err)
{
    if (sched_setaffinity(pid, sizeof(mask->bits), (const cpu_set_t *)mask->bits) < 0) {
        char text[128];
        int e = errno;
        return cradle_error_set(err, e, "error setting %s CPU affinity: %s", what,
                                cradle_go_strerror(e, text));
    }
    return 0;
}

int cradle_take_initial_cpu_affinity(const struct cradle_cpu_mask *mask,
                                     struct cradle_cpu_mask *saved, cradle_error **err)
{
    *saved = (struct cradle_cpu_mask){0};
    if (sched_getaffinity(0, sizeof(saved->bits), (cpu_set_t *)saved->bits) < 0)
        return cradle_error_sys(err, "reading the runtime's CPU affinity");
    return cradle_set_cpu_affinity(0, mask, "initial", err);
}
