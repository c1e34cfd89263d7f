/* The foreground event loop of run, exec and restore: one poll over the process's pidfd,
 * a signalfd and, with a terminal, the pty relay (stdin -> master, master -> stdout), as
 * runc's signal handler and tty copy do. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
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

/* The caller's terminal (the first of stdin, stdout, stderr that is one, as runc looks
 * for it), in raw mode while the pty is relayed: keys such as Ctrl-C and Ctrl-D reach the
 * container's pty as bytes, where its line discipline acts on them. Output processing is
 * kept (containerd/console's SetRaw), since the relayed pty no longer adds "\r". */
struct host_tty {
    int fd;
    bool raw;
    struct termios saved;
};

static void host_tty_restore(struct host_tty *t)
{
    if (t->raw)
        tcsetattr(t->fd, TCSADRAIN, &t->saved);
    t->raw = false;
}

static int host_tty_make_raw(struct host_tty *t, cradle_error **err)
{
    t->fd = -1;
    for (int fd = 0; fd < 3 && t->fd < 0; fd++)
        if (isatty(fd))
            t->fd = fd;
    if (t->fd < 0)
        return 0;
    if (tcgetattr(t->fd, &t->saved) < 0)
        return cradle_error_sys(err, "reading the terminal's settings");
    struct termios raw = t->saved;
    cfmakeraw(&raw);
    raw.c_oflag |= OPOST;
    if (tcsetattr(t->fd, TCSADRAIN, &raw) < 0)
        return cradle_error_sys(err, "setting the terminal to raw mode");
    t->raw = true;
    return 0;
}

/* The pty follows the caller's window; a caller without a sized terminal leaves the
 * process's consoleSize in place. */
static void copy_window_size(const struct host_tty *t, int master)
{
    struct winsize ws;
    if (t->fd >= 0 && ioctl(t->fd, TIOCGWINSZ, &ws) == 0 && (ws.ws_row || ws.ws_col))
        ioctl(master, TIOCSWINSZ, &ws);
}

/* The pty side: the master (non-blocking), and what was read from stdin but not yet
 * written to it, so that a container that does not read never blocks the loop. */
struct relay {
    int master; /* -1 without a terminal, or once the pty is closed on the other side */
    bool stdin_open;
    char in[4096];
    size_t in_len, in_off;
};

static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Copies what the pty has to stdout until it has nothing more for now. A write error on
 * stdout (the caller went away) drops the output, as runc's copy does. */
static void relay_output(struct relay *r)
{
    char buf[8192];
    while (r->master >= 0) {
        ssize_t n = read(r->master, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        if (n <= 0) { /* EIO: every slave is closed */
            close(TAKE_FD(r->master));
            return;
        }
        write_all(STDOUT_FILENO, buf, (size_t)n);
    }
}

static void relay_input(struct relay *r, short stdin_events, short master_events)
{
    if (r->in_len == 0 && (stdin_events & (POLLIN | POLLHUP | POLLERR | POLLNVAL))) {
        ssize_t n = read(STDIN_FILENO, r->in, sizeof(r->in));
        if (n > 0) {
            r->in_len = (size_t)n;
            r->in_off = 0;
        } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
            r->stdin_open = false;
        }
    }
    if (r->in_len > 0 && (master_events & POLLOUT)) {
        ssize_t n = write(r->master, r->in + r->in_off, r->in_len);
        if (n > 0) {
            r->in_off += (size_t)n;
            r->in_len -= (size_t)n;
        }
    }
}

static void handle_signal(int sfd, const struct cradle_created *c, const struct relay *r,
                          const struct host_tty *t)
{
    struct signalfd_siginfo si;
    if (read(sfd, &si, sizeof(si)) != sizeof(si))
        return;
    /* As runc: a window change resizes the pty (the kernel then signals its foreground
     * process group); it is never forwarded. */
    if (si.ssi_signo == SIGWINCH) {
        if (r->master >= 0)
            copy_window_size(t, r->master);
        return;
    }
    syscall(SYS_pidfd_send_signal, c->pidfd, (int)si.ssi_signo, NULL, 0);
}

enum { POLL_PID, POLL_SIGNALS, POLL_STDIN, POLL_MASTER, POLL_COUNT };

static int event_loop(const struct cradle_created *c, int sfd, struct relay *r,
                      const struct host_tty *t, cradle_error **err)
{
    for (;;) {
        struct pollfd fds[POLL_COUNT] = {
            [POLL_PID] = {.fd = c->pidfd, .events = POLLIN},
            [POLL_SIGNALS] = {.fd = sfd, .events = POLLIN},
            [POLL_STDIN] = {.fd = r->master >= 0 && r->stdin_open && r->in_len == 0 ? 0 : -1,
                            .events = POLLIN},
            [POLL_MASTER] = {.fd = r->master,
                             .events = (short)(POLLIN | (r->in_len > 0 ? POLLOUT : 0))},
        };
        if (poll(fds, POLL_COUNT, -1) < 0) {
            if (errno == EINTR)
                continue;
            return cradle_error_sys(err, "wait for container");
        }
        if (fds[POLL_SIGNALS].revents & POLLIN)
            handle_signal(sfd, c, r, t);
        if (fds[POLL_MASTER].revents)
            relay_output(r);
        if (r->master >= 0)
            relay_input(r, fds[POLL_STDIN].revents, fds[POLL_MASTER].revents);
        if (fds[POLL_PID].revents & POLLIN) {
            relay_output(r); /* what the process wrote last */
            return 0;
        }
    }
}

/* The master is non-blocking for the loop and follows the caller's window. */
static int prepare_relay(struct relay *r, const struct host_tty *t, cradle_error **err)
{
    int flags = fcntl(r->master, F_GETFL);
    if (flags < 0 || fcntl(r->master, F_SETFL, flags | O_NONBLOCK) < 0)
        return cradle_error_sys(err, "console: O_NONBLOCK");
    copy_window_size(t, r->master);
    return 0;
}

int cradle_container_wait_forwarding(const struct cradle_created *c, int *status,
                                     cradle_error **err)
{
    sigset_t set;
    forwardable_signals(&set);
    _cleanup_close_ int sfd = signalfd(-1, &set, SFD_CLOEXEC);
    if (sfd < 0)
        return cradle_error_sys(err, "signalfd");
    struct relay r = {.master = -1, .stdin_open = true};
    __attribute__((cleanup(host_tty_restore))) struct host_tty t = {.fd = -1};
    if (c->console_fd >= 0) {
        r.master = fcntl(c->console_fd, F_DUPFD_CLOEXEC, 3);
        if (r.master < 0)
            return cradle_error_sys(err, "console");
        if (host_tty_make_raw(&t, err) < 0 || prepare_relay(&r, &t, err) < 0) {
            close(r.master);
            return -1;
        }
    }
    int ret = event_loop(c, sfd, &r, &t, err);
    if (r.master >= 0)
        close(r.master);
    if (ret < 0)
        return -1;
    siginfo_t info = {0};
    if (waitid(P_PIDFD, (id_t)c->pidfd, &info, WEXITED) < 0)
        return cradle_error_sys(err, "wait for container");
    *status = info.si_code == CLD_EXITED ? info.si_status : 128 + info.si_status;
    return 0;
}
