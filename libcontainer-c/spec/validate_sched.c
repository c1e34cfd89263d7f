/* process.scheduler and process.ioPriority against each other, with runc 1.2's checks and
 * words (libcontainer/configs/validate: scheduler, ioPriority). What only the kernel can
 * judge (a real-time priority out of 1..99, a deadline the admission test refuses) fails
 * where sched_setattr is called, naming the field (process/sched.c). */
#include "spec_internal.h"

#include <errno.h>
#include <sched.h>

#ifndef SCHED_DEADLINE
#define SCHED_DEADLINE 6
#endif

static int check_scheduler(const struct cradle_spec_scheduler *s, cradle_error **err)
{
    const char *policy = cradle_sched_policy_name(s->policy);
    if ((s->policy == SCHED_OTHER || s->policy == SCHED_BATCH) && (s->nice < -20 || s->nice > 19))
        return cradle_error_set(err, EINVAL,
                                "process.scheduler.nice: invalid scheduler.nice: %d when "
                                "scheduler.policy is %s",
                                s->nice, policy);
    if (s->priority != 0 && s->policy != SCHED_FIFO && s->policy != SCHED_RR)
        return cradle_error_set(err, EINVAL,
                                "process.scheduler.priority: scheduler.priority can only be "
                                "specified for SchedFIFO or SchedRR policy");
    if (s->policy != SCHED_DEADLINE && (s->runtime || s->deadline || s->period))
        return cradle_error_set(err, EINVAL,
                                "process.scheduler: scheduler runtime/deadline/period can only be "
                                "specified for SchedDeadline policy");
    return 0;
}

int spec_validate_process_sched(const struct cradle_spec *spec, cradle_error **err)
{
    const struct cradle_spec_process *p = &spec->process;
    if (p->has_scheduler && check_scheduler(&p->scheduler, err) < 0)
        return -1;
    if (p->has_io_priority && (p->io_priority.priority < 0 || p->io_priority.priority > 7))
        return cradle_error_set(err, EINVAL,
                                "process.ioPriority.priority: invalid ioPriority.Priority: %d "
                                "(0 to 7)",
                                p->io_priority.priority);
    return 0;
}
