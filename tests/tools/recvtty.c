/* recvtty: receives pty masters on a console socket, as runc's contrib/cmd/recvtty does,
 * for the tests (and engines' tests) of --console-socket.
 *
 *   recvtty [--mode single|null] [--pid-file FILE] SOCKET
 *
 * single (the default): takes one connection, then relays stdin to the pty and the pty to
 * stdout until the pty's other side is closed. null: takes any number of connections and
 * reads every pty it gets into the void, so that containers never block on their output.
 * The pid file is written once the socket listens: a test waits for it. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_MASTERS 256

static const char *socket_path;

static void die(const char *what)
{
    fprintf(stderr, "recvtty: %s: %s\n", what, strerror(errno));
    if (socket_path)
        unlink(socket_path);
    exit(1);
}

static int listen_on(const char *path)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof(addr.sun_path)) {
        errno = ENAMETOOLONG;
        die(path);
    }
    strcpy(addr.sun_path, path);
    int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (sock < 0 || bind(sock, (struct sockaddr *)&addr, sizeof(addr)) < 0)
        die("bind");
    socket_path = path;
    if (listen(sock, 16) < 0)
        die("listen");
    return sock;
}

/* One connection: the pty's name as data, its master as SCM_RIGHTS (runc's SendFd). */
static int receive_master(int listener)
{
    int conn = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
    if (conn < 0)
        die("accept");
    char name[4096];
    struct iovec iov = {.iov_base = name, .iov_len = sizeof(name) - 1};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    struct msghdr mh = {.msg_iov = &iov,
                        .msg_iovlen = 1,
                        .msg_control = control.buf,
                        .msg_controllen = sizeof(control.buf)};
    ssize_t n = recvmsg(conn, &mh, MSG_CMSG_CLOEXEC);
    if (n < 0)
        die("recvmsg");
    close(conn);
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    if (c == NULL || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) {
        fprintf(stderr, "recvtty: a connection without a file descriptor\n");
        return -1;
    }
    int fd;
    memcpy(&fd, CMSG_DATA(c), sizeof(fd));
    return fd;
}

static int copy_once(int from, int to)
{
    char buf[8192];
    ssize_t n = read(from, buf, sizeof(buf));
    if (n <= 0)
        return -1;
    for (ssize_t off = 0; off < n;) {
        ssize_t w = write(to, buf + off, (size_t)(n - off));
        if (w < 0)
            return -1;
        off += w;
    }
    return 0;
}

static void relay_single(int master)
{
    bool stdin_open = true;
    for (;;) {
        struct pollfd fds[2] = {{.fd = master, .events = POLLIN},
                                {.fd = stdin_open ? 0 : -1, .events = POLLIN}};
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            die("poll");
        }
        if (fds[0].revents && copy_once(master, 1) < 0)
            return; /* EIO: the container closed its side */
        if (fds[1].revents && copy_once(0, master) < 0)
            stdin_open = false;
    }
}

static void drain_all(int listener)
{
    struct pollfd fds[1 + MAX_MASTERS];
    size_t n = 0;
    char buf[8192];
    for (;;) {
        fds[0] = (struct pollfd){.fd = listener, .events = n < MAX_MASTERS ? POLLIN : 0};
        if (poll(fds, 1 + n, -1) < 0) {
            if (errno == EINTR)
                continue;
            die("poll");
        }
        for (size_t i = 1; i <= n; i++) {
            if (fds[i].revents == 0 || read(fds[i].fd, buf, sizeof(buf)) > 0)
                continue;
            close(fds[i].fd);
            fds[i--] = fds[n--];
        }
        if (fds[0].revents & POLLIN) {
            int master = receive_master(listener);
            if (master >= 0)
                fds[++n] = (struct pollfd){.fd = master, .events = POLLIN};
        }
    }
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {{"mode", required_argument, NULL, 'm'},
                                         {"pid-file", required_argument, NULL, 'p'},
                                         {0, 0, 0, 0}};
    const char *mode = "single", *pid_file = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "m:p:", opts, NULL)) != -1) {
        if (c == 'm')
            mode = optarg;
        else if (c == 'p')
            pid_file = optarg;
        else
            return 2;
    }
    if (optind != argc - 1 || (strcmp(mode, "single") != 0 && strcmp(mode, "null") != 0)) {
        fprintf(stderr, "usage: recvtty [--mode single|null] [--pid-file FILE] SOCKET\n");
        return 2;
    }
    int listener = listen_on(argv[optind]);
    if (pid_file) {
        FILE *f = fopen(pid_file, "we");
        if (f == NULL || fprintf(f, "%d", getpid()) < 0 || fclose(f) != 0)
            die(pid_file);
    }
    if (strcmp(mode, "null") == 0)
        drain_all(listener);
    int master = receive_master(listener);
    close(listener);
    unlink(socket_path);
    if (master < 0)
        return 1;
    relay_single(master);
    return 0;
}
