/* schedinfo [PID]: prints the scheduling of PID (default: itself) as the kernel reports it,
 * for tests that look from inside a container (busybox has no chrt):
 *   policy=SCHED_BATCH nice=7 priority=0 flags=0
 *   ioprio=best-effort/4
 * (SCHED_DEADLINE adds " runtime=N deadline=N period=N" to the first line)
 *   cpus=0-1
 * Built static by process_sched.bats (gcc -static), so it runs in a busybox rootfs. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

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

static const char *const policies[] = {"SCHED_OTHER", "SCHED_FIFO", "SCHED_RR",      "SCHED_BATCH",
                                       "SCHED_ISO",   "SCHED_IDLE", "SCHED_DEADLINE"};
static const char *const io_classes[] = {"none", "realtime", "best-effort", "idle"};

static void print_cpus(const cpu_set_t *set)
{
    const char *sep = "";
    printf("cpus=");
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (!CPU_ISSET(cpu, set))
            continue;
        int last = cpu;
        while (last + 1 < CPU_SETSIZE && CPU_ISSET(last + 1, set))
            last++;
        printf(last > cpu ? "%s%d-%d" : "%s%d", sep, cpu, last);
        sep = ",";
        cpu = last;
    }
    printf("\n");
}

int main(int argc, char **argv)
{
    pid_t pid = argc > 1 ? atoi(argv[1]) : 0;
    struct sched_attr_v1 attr = {0};
    if (syscall(SYS_sched_getattr, pid, &attr, sizeof(attr), 0) < 0) {
        perror("sched_getattr");
        return 1;
    }
    long ioprio = syscall(SYS_ioprio_get, 1 /* IOPRIO_WHO_PROCESS */, pid);
    cpu_set_t cpus;
    if (ioprio < 0 || sched_getaffinity(pid, sizeof(cpus), &cpus) < 0) {
        perror("ioprio_get or sched_getaffinity");
        return 1;
    }
    printf("policy=%s nice=%d priority=%u flags=%#llx",
           attr.sched_policy < 7 ? policies[attr.sched_policy] : "?", attr.sched_nice,
           attr.sched_priority, (unsigned long long)attr.sched_flags);
    /* Other policies have a runtime too: the kernel's time slice. */
    if (attr.sched_policy == 6)
        printf(" runtime=%llu deadline=%llu period=%llu", (unsigned long long)attr.sched_runtime,
               (unsigned long long)attr.sched_deadline, (unsigned long long)attr.sched_period);
    printf("\n");
    printf("ioprio=%s/%ld\n", io_classes[(ioprio >> 13) & 3], ioprio & 0x1fff);
    print_cpus(&cpus);
    return 0;
}
