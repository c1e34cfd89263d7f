#include "hooks_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* SIGPIPE is blocked on this thread while we write to the hook's stdin, so a hook that
 * exits without reading it gives us EPIPE instead of killing the runtime; a SIGPIPE we
 * caused is consumed before the old mask comes back. */
struct sigpipe_guard {
    sigset_t old_mask;
    bool was_pending;
};

static void sigpipe_block(struct sigpipe_guard *guard)
{
    sigset_t pipe_only, pending;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    sigpending(&pending);
    guard->was_pending = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_only, &guard->old_mask);
}

static void sigpipe_restore(const struct sigpipe_guard *guard)
{
    sigset_t pipe_only, pending;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    sigpending(&pending);
    if (!guard->was_pending && sigismember(&pending, SIGPIPE) == 1) {
        const struct timespec no_wait = {0, 0};
        sigtimedwait(&pipe_only, NULL, &no_wait);
    }
    pthread_sigmask(SIG_SETMASK, &guard->old_mask, NULL);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Milliseconds left before deadline_ms for poll(); -1 (for ever) when there is none. */
static int poll_timeout(int64_t deadline_ms)
{
    if (deadline_ms < 0)
        return -1;
    int64_t left = deadline_ms - now_ms();
    if (left <= 0)
        return 0;
    return left > INT_MAX ? INT_MAX : (int)left;
}

/* Without a pidfd (see hook_spawn) exit is checked this often. The hook is our unreaped
 * child, so its pid cannot be reused meanwhile. */
#define NO_PIDFD_POLL_MS 10

static bool has_exited(const struct hook_process *proc)
{
    siginfo_t info = {0};
    return waitid(P_PID, (id_t)proc->pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
           info.si_pid != 0;
}

static int reap(struct hook_process *proc, siginfo_t *info, cradle_error **err)
{
    memset(info, 0, sizeof(*info));
    idtype_t type = proc->pidfd >= 0 ? P_PIDFD : P_PID;
    id_t id = proc->pidfd >= 0 ? (id_t)proc->pidfd : (id_t)proc->pid;
    while (waitid(type, id, info, WEXITED) < 0) {
        if (errno != EINTR)
            return cradle_error_sys(err, "waitid for hook pid %d", (int)proc->pid);
    }
    proc->pid = 0;
    return 0;
}

/* Writes what the pipe takes now; closes the pipe once everything is written or
 * the hook has closed its end. */
static int feed_stdin(struct hook_process *proc, const char *input, size_t len, size_t *off,
                      cradle_error **err)
{
    ssize_t n = write(proc->stdin_fd, input + *off, len - *off);
    if (n < 0 && errno == EAGAIN)
        return 0;
    if (n < 0 && errno != EPIPE)
        return cradle_error_sys(err, "cannot write the state to the hook's stdin");
    if (n > 0)
        *off += (size_t)n;
    if (n < 0 || *off == len) {
        close(proc->stdin_fd);
        proc->stdin_fd = -1;
    }
    return 0;
}

static int supervise_loop(struct hook_process *proc, const char *input, int64_t deadline_ms,
                          struct hook_outcome *out, cradle_error **err)
{
    size_t len = strlen(input), off = 0;
    if (len == 0) {
        close(proc->stdin_fd);
        proc->stdin_fd = -1;
    }

    for (;;) {
        struct pollfd fds[2] = {
            {.fd = proc->pidfd, .events = POLLIN},
            {.fd = proc->stdin_fd, .events = POLLOUT},
        };
        int timeout = poll_timeout(deadline_ms);
        if (proc->pidfd < 0 && (timeout < 0 || timeout > NO_PIDFD_POLL_MS))
            timeout = NO_PIDFD_POLL_MS;
        int r = poll(fds, proc->stdin_fd >= 0 ? 2 : 1, timeout);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return cradle_error_sys(err, "poll on hook pid %d", (int)proc->pid);
        if (proc->pidfd < 0 && has_exited(proc))
            return reap(proc, &out->info, err);
        if (r == 0 && poll_timeout(deadline_ms) == 0) {
            int killed = proc->pidfd >= 0 ? pidfd_send_signal(proc->pidfd, SIGKILL, NULL, 0)
                                          : kill(proc->pid, SIGKILL);
            if (killed < 0)
                return cradle_error_sys(err, "cannot kill hook pid %d", (int)proc->pid);
            out->timed_out = true;
            return reap(proc, &out->info, err);
        }
        if (fds[0].revents & POLLIN)
            return reap(proc, &out->info, err);
        if (proc->stdin_fd >= 0 && fds[1].revents && feed_stdin(proc, input, len, &off, err) < 0)
            return -1;
    }
}

int hook_supervise(struct hook_process *proc, const char *input, int timeout_s,
                   struct hook_outcome *out, cradle_error **err)
{
    int64_t deadline_ms = timeout_s > 0 ? now_ms() + (int64_t)timeout_s * 1000 : -1;
    out->timed_out = false;

    int flags = fcntl(proc->stdin_fd, F_GETFL);
    if (flags < 0 || fcntl(proc->stdin_fd, F_SETFL, flags | O_NONBLOCK) < 0)
        return cradle_error_sys(err, "cannot make the hook's stdin pipe non-blocking");

    struct sigpipe_guard guard;
    sigpipe_block(&guard);
    int r = supervise_loop(proc, input ? input : "", deadline_ms, out, err);
    sigpipe_restore(&guard);
    return r;
}
