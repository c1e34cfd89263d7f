/* A seccomp agent for the tests (linux.seccomp.listenerPath), as runc's
 * contrib/cmd/seccompagent: it listens on a unix socket, takes each connection's container
 * process state (JSON) and the notify fd that comes with it (SCM_RIGHTS), and answers the
 * notifications.
 *
 *   seccomp-agent SOCKET DIR MODE
 *
 * DIR/states gets each state JSON on a line of its own, DIR/events one line per fact
 * ("fds N" for each connection: how many fds came; "notify NAME" for each notification),
 * and DIR/ready appears once the socket listens. MODE says how mkdir and mkdirat are
 * answered: "fake" (success, nothing made) or "errno:N" (fails with N). Any other notified
 * syscall is let through (SECCOMP_USER_NOTIF_FLAG_CONTINUE). The agent exits once every
 * notify fd it got has hung up (every process of those filters has gone), or on SIGTERM. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_FDS 64

static const char *dir;
static bool fake_mkdir;
static int mkdir_errno;

static void append(const char *name, const char *line)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "ae");
    if (f == NULL) {
        perror(path);
        exit(1);
    }
    fprintf(f, "%s\n", line);
    fclose(f);
}

/* One message, as runc's contrib agent reads it: the runtime sends the state in one
 * sendmsg (runc 1.1 keeps the connection open until it exits); its fds are those of the
 * message's control data, *n_fds of them. */
static char *receive_state(int conn, int *fds, int *n_fds)
{
    size_t cap = 1 << 16;
    char *buf = malloc(cap + 1);
    union {
        char buf[CMSG_SPACE(sizeof(int) * MAX_FDS)];
        struct cmsghdr align;
    } control;
    struct iovec iov = {.iov_base = buf, .iov_len = cap};
    struct msghdr mh = {.msg_iov = &iov,
                        .msg_iovlen = 1,
                        .msg_control = control.buf,
                        .msg_controllen = sizeof(control.buf)};
    ssize_t n = recvmsg(conn, &mh, MSG_CMSG_CLOEXEC);
    *n_fds = 0;
    for (struct cmsghdr *c = n > 0 ? CMSG_FIRSTHDR(&mh) : NULL; c; c = CMSG_NXTHDR(&mh, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
            continue;
        int k = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
        for (int i = 0; i < k && *n_fds < MAX_FDS; i++)
            memcpy(&fds[(*n_fds)++], CMSG_DATA(c) + i * sizeof(int), sizeof(int));
    }
    buf[n > 0 ? (size_t)n : 0] = '\0';
    return buf;
}

static void answer(int notify_fd)
{
    struct seccomp_notif *req = NULL;
    struct seccomp_notif_resp *resp = NULL;
    if (seccomp_notify_alloc(&req, &resp) < 0)
        exit(1);
    if (seccomp_notify_receive(notify_fd, req) < 0) /* the process died meanwhile */
        goto out;
    char *name = seccomp_syscall_resolve_num_arch(req->data.arch, req->data.nr);
    char line[128];
    snprintf(line, sizeof(line), "notify %s", name ? name : "?");
    append("events", line);
    resp->id = req->id;
    if (name && (strcmp(name, "mkdir") == 0 || strcmp(name, "mkdirat") == 0)) {
        resp->val = 0;
        resp->error = fake_mkdir ? 0 : -mkdir_errno;
    } else {
        resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
    }
    free(name);
    seccomp_notify_respond(notify_fd, resp);
out:
    seccomp_notify_free(req, resp);
}

static int listen_on(const char *path)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (sock < 0 || strlen(path) >= sizeof(addr.sun_path)) {
        fprintf(stderr, "seccomp-agent: bad socket %s\n", path);
        exit(1);
    }
    strcpy(addr.sun_path, path);
    unlink(path);
    if (bind(sock, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(sock, 16) < 0) {
        perror(path);
        exit(1);
    }
    return sock;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: seccomp-agent SOCKET DIR fake|errno:N\n");
        return 2;
    }
    dir = argv[2];
    fake_mkdir = strcmp(argv[3], "fake") == 0;
    if (!fake_mkdir && sscanf(argv[3], "errno:%d", &mkdir_errno) != 1) {
        fprintf(stderr, "seccomp-agent: unknown mode %s\n", argv[3]);
        return 2;
    }
    struct pollfd pfds[1 + MAX_FDS] = {{.fd = listen_on(argv[1]), .events = POLLIN}};
    int n_notify = 0, n_open = 0;
    append("ready", "");
    while (n_notify == 0 || n_open > 0) {
        if (poll(pfds, (nfds_t)(1 + n_notify), -1) < 0) {
            if (errno == EINTR)
                continue;
            return 1;
        }
        for (int i = 1; i <= n_notify; i++) {
            if (pfds[i].fd < 0)
                continue;
            if (pfds[i].revents & POLLIN)
                answer(pfds[i].fd);
            else if (pfds[i].revents & (POLLHUP | POLLERR | POLLNVAL)) {
                close(pfds[i].fd);
                pfds[i].fd = -1;
                n_open--;
            }
        }
        if (!(pfds[0].revents & POLLIN))
            continue;
        int conn = accept4(pfds[0].fd, NULL, NULL, SOCK_CLOEXEC);
        if (conn < 0)
            continue;
        int fds[MAX_FDS], n_fds;
        char *state = receive_state(conn, fds, &n_fds);
        close(conn);
        char line[32];
        snprintf(line, sizeof(line), "fds %d", n_fds);
        append("events", line);
        append("states", state);
        free(state);
        for (int i = 0; i < n_fds && n_notify < MAX_FDS; i++) {
            pfds[1 + n_notify++] = (struct pollfd){.fd = fds[i], .events = POLLIN};
            n_open++;
        }
    }
    return 0;
}
