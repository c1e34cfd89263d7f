#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "container_private.h"

/* Every signal a user could send to "cradle run" is passed to the container's init. */
static void forwardable_signals(sigset_t *set)
{
    sigfillset(set);
    sigdelset(set, SIGCHLD);
    sigdelset(set, SIGKILL);
    sigdelset(set, SIGSTOP);
    sigdelset(set, SIGSEGV);
    sigdelset(set, SIGBUS);
    sigdelset(set, SIGFPE);
    sigdelset(set, SIGILL);
}

int cradle_container_wait_forwarding(const struct cradle_created *c, int *status,
                                     cradle_error **err)
{
    sigset_t set;
    forwardable_signals(&set);
    _cleanup_close_ int sfd = signalfd(-1, &set, SFD_CLOEXEC);
    if (sfd < 0)
        return cradle_error_sys(err, "signalfd");
    struct pollfd fds[2] = {{.fd = c->pidfd, .events = POLLIN}, {.fd = sfd, .events = POLLIN}};
    for (;;) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return cradle_error_sys(err, "wait for container");
        }
        if (fds[1].revents & POLLIN) {
            struct signalfd_siginfo si;
            if (read(sfd, &si, sizeof(si)) == sizeof(si))
                syscall(SYS_pidfd_send_signal, c->pidfd, (int)si.ssi_signo, NULL, 0);
        }
        if (fds[0].revents & POLLIN)
            break;
    }
    siginfo_t info = {0};
    if (waitid(P_PIDFD, (id_t)c->pidfd, &info, WEXITED) < 0)
        return cradle_error_sys(err, "wait for container");
    *status = info.si_code == CLD_EXITED ? info.si_status : 128 + info.si_status;
    return 0;
}
