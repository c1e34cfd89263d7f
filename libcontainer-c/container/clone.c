#include <errno.h>
#include <linux/sched.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "container_private.h"

pid_t cradle_clone_init(unsigned long flags, int cgroup_fd, int *pidfd, cradle_error **err)
{
    /* The child is born non-dumpable (the flag is copied at clone, and reset by execve):
     * from its first instruction in the container's pid namespace, while it still holds
     * the runtime's descriptors, no container process may open /proc/<it>/{fd,exe,mem}. */
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
        return cradle_error_sys(err, "prctl(PR_SET_DUMPABLE)");
    struct clone_args args;
    memset(&args, 0, sizeof(args));
    args.flags = flags | CLONE_PIDFD;
    args.pidfd = (uint64_t)(uintptr_t)pidfd;
    /* A CLONE_PARENT child inherits the caller's exit signal; clone3 refuses one. */
    args.exit_signal = (flags & CLONE_PARENT) ? 0 : SIGCHLD;
    if (cgroup_fd >= 0) {
        args.flags |= CLONE_INTO_CGROUP;
        args.cgroup = (uint64_t)cgroup_fd;
    }
    long pid = syscall(SYS_clone3, &args, sizeof(args));
    if (pid < 0)
        return cradle_error_sys(err, "clone3 of the container init");
    return (pid_t)pid;
}

int cradle_kill_and_wait(pid_t pid, int pidfd, int timeout_ms)
{
    if (pidfd >= 0)
        syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
    else
        kill(pid, SIGKILL);
    if (pidfd >= 0) {
        struct pollfd p = {.fd = pidfd, .events = POLLIN};
        while (poll(&p, 1, timeout_ms) < 0 && errno == EINTR)
            ;
    }
    /* Reap it when it is our child; for others, exiting is enough. */
    waitpid(pid, NULL, WNOHANG);
    return 0;
}

char *cradle_now_rfc3339(void)
{
    struct timespec ts;
    struct tm tm;
    char date[32], *out = NULL;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
    if (asprintf(&out, "%s.%09ldZ", date, ts.tv_nsec) < 0)
        return NULL;
    return out;
}
