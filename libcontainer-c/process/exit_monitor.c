#include "cradle/exit_monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/cn_proc.h>
#include <arpa/inet.h>
#include <linux/connector.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/fileutil.h"

/* Every process event of the host goes to every listener: a socket filter keeps only the
 * exit of pid, so the monitor sleeps through the rest. Classic BPF loads words
 * big-endian, hence htonl on the constants. */
static int keep_only_exit_of(int fd, pid_t pid)
{
    const uint32_t event = NLMSG_HDRLEN + offsetof(struct cn_msg, data);
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, event + offsetof(struct proc_event, what)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htonl(PROC_EVENT_EXIT), 1, 0),
        BPF_STMT(BPF_RET | BPF_K, 0),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                 event + offsetof(struct proc_event, event_data.exit.process_pid)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htonl((uint32_t)pid), 1, 0),
        BPF_STMT(BPF_RET | BPF_K, 0),
        BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
    };
    struct sock_fprog prog = {.len = sizeof(code) / sizeof(code[0]), .filter = code};
    return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
}

static int connector_listen(pid_t pid)
{
    _cleanup_close_ int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_CONNECTOR);
    if (fd < 0 || keep_only_exit_of(fd, pid) < 0)
        return -1;
    struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC};
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
        return -1;
    enum proc_cn_mcast_op op = PROC_CN_MCAST_LISTEN;
    char req[NLMSG_LENGTH(sizeof(struct cn_msg) + sizeof(op))]
        __attribute__((aligned(NLMSG_ALIGNTO))) = {0};
    struct nlmsghdr *nl = (struct nlmsghdr *)req;
    struct cn_msg *cn = NLMSG_DATA(nl);
    nl->nlmsg_len = sizeof(req);
    nl->nlmsg_type = NLMSG_DONE;
    cn->id.idx = CN_IDX_PROC;
    cn->id.val = CN_VAL_PROC;
    cn->len = sizeof(op);
    memcpy(cn->data, &op, sizeof(op));
    if (send(fd, req, sizeof(req), 0) < 0)
        return -1;
    return TAKE_FD(fd);
}

/* Looks for the exit of pid's thread group leader in one datagram. */
static int find_exit(const char *buf, ssize_t len, pid_t pid)
{
    for (const struct nlmsghdr *nl = (const void *)buf; NLMSG_OK(nl, (size_t)len);
         nl = NLMSG_NEXT(nl, len)) {
        const struct cn_msg *cn = NLMSG_DATA(nl);
        /* The event follows a 20-byte header: copy it out to read it aligned. */
        struct proc_event ev;
        if (cn->len < sizeof(ev))
            continue;
        memcpy(&ev, cn->data, sizeof(ev));
        if (ev.what == PROC_EVENT_EXIT && ev.event_data.exit.process_pid == pid &&
            ev.event_data.exit.process_tgid == pid)
            return (int)ev.event_data.exit.exit_code;
    }
    return -1;
}

static void record(int dir_fd, int wait_status)
{
    int shell = WIFSIGNALED(wait_status) ? 128 + WTERMSIG(wait_status) : WEXITSTATUS(wait_status);
    char text[16];
    int len = snprintf(text, sizeof(text), "%d", shell);
    int fd =
        openat(dir_fd, CRADLE_EXIT_STATUS_FILE, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd >= 0) {
        if (write(fd, text, (size_t)len) != len)
            unlinkat(dir_fd, CRADLE_EXIT_STATUS_FILE, 0);
        close(fd);
    }
}

/* The kernel signals the pidfd (exit_notify) just before it sends the exit event
 * (proc_exit_connector), so once the pidfd fires the event is waited for a little. */
__attribute__((noreturn)) static void monitor(int sock, int pidfd, int dir_fd, pid_t pid)
{
    char buf[8192] __attribute__((aligned(NLMSG_ALIGNTO)));
    struct pollfd fds[2] = {{.fd = sock, .events = POLLIN}, {.fd = pidfd, .events = POLLIN}};
    int nfds = 2, timeout = -1;
    for (;;) {
        int ready = poll(fds, (nfds_t)nfds, timeout);
        if (ready < 0 && errno != EINTR)
            _exit(1);
        if (ready == 0)
            _exit(0); /* exited, but no event came: the status stays unknown */
        if (nfds == 2 && (fds[1].revents & POLLIN)) {
            nfds = 1;
            timeout = 2000;
        }
        for (;;) {
            ssize_t n = recv(sock, buf, sizeof(buf), MSG_DONTWAIT);
            if (n < 0 && errno == ENOBUFS)
                continue;
            if (n <= 0)
                break;
            int status = find_exit(buf, n, pid);
            if (status >= 0) {
                record(dir_fd, status);
                _exit(0);
            }
        }
    }
}

static void detach_stdio_and_fds(const int *keep, int n_keep)
{
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    for (int fd = 0; fd < 3 && null >= 0; fd++)
        dup2(null, fd);
    for (int fd = 3; fd < 1024; fd++) {
        bool kept = false;
        for (int i = 0; i < n_keep; i++)
            kept |= keep[i] == fd;
        if (!kept)
            close(fd);
    }
    syscall(SYS_close_range, 1024, ~0U, 0);
}

int cradle_exit_monitor_start(int dir_fd, pid_t pid, cradle_error **err)
{
    _cleanup_close_ int sock = connector_listen(pid);
    if (sock < 0)
        return 0;
    _cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pidfd < 0)
        return cradle_error_sys(err, "pidfd of the container init");
    pid_t child = fork();
    if (child < 0)
        return cradle_error_sys(err, "fork the exit monitor");
    if (child == 0) {
        /* Double fork: the monitor must not be a child of whoever called create. */
        setsid();
        if (fork() != 0)
            _exit(0);
        int keep[] = {sock, pidfd, dir_fd};
        detach_stdio_and_fds(keep, 3);
        signal(SIGHUP, SIG_IGN);
        monitor(sock, pidfd, dir_fd, pid);
    }
    while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
        ;
    return 0;
}

int cradle_exit_status_read(int dir_fd)
{
    _cleanup_free_ char *text = NULL;
    if (cradle_read_file_at(dir_fd, CRADLE_EXIT_STATUS_FILE, &text, NULL) < 0)
        return -1;
    char *end;
    long v = strtol(text, &end, 10);
    return end != text && v >= 0 && v < 256 ? (int)v : -1;
}
