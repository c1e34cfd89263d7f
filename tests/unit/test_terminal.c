/* The runtime side of terminals: runc's checks of -t/--console-socket/--detach, the
 * master received over the sync channel, and the console socket's message as runc's
 * recvtty reads it (the pty's name as data, the master as SCM_RIGHTS). */
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cradle/process.h"
#include "cradle/terminal.h"
#include "harness.h"

static char *check_text(bool terminal, const char *sock, bool detach)
{
    cradle_error *err = NULL;
    int r = cradle_terminal_check_opts(terminal, sock, detach, &err);
    char *text = r < 0 ? cradle_error_text(err) : NULL;
    CHECK((r < 0) == (text != NULL));
    cradle_error_free(&err);
    return text;
}

static void test_check_opts(void)
{
    char *t;
    CHECK(check_text(true, "/s", true) == NULL);   /* create, run -d with a socket */
    CHECK(check_text(true, NULL, false) == NULL);  /* run -t in the foreground */
    CHECK(check_text(false, NULL, true) == NULL);  /* create without a terminal */
    CHECK(check_text(false, NULL, false) == NULL); /* run without a terminal */
    t = check_text(true, NULL, true);
    CHECK_STREQ(t, "cannot allocate tty if cradle will detach without setting console socket");
    free(t);
    t = check_text(false, "/s", true);
    CHECK_STREQ(t, "cannot use console socket if cradle will not detach or allocate tty");
    free(t);
    t = check_text(true, "/s", false);
    CHECK_STREQ(t, "cannot use console socket if cradle will not detach or allocate tty");
    free(t);
}

static bool same_file(int a, int b)
{
    struct stat sa, sb;
    return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

static void test_receive_over_sync(void)
{
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == 0);
    int pty = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    CHECK(pty >= 0);
    cradle_error *err = NULL;
    CHECK(cradle_sync_send_fd(sv[1], SYNC_CONSOLE, 0, "/dev/pts/7", pty, &err) == 0);
    int master = -1;
    CHECK(cradle_terminal_receive(sv[0], &master, &err) == 0);
    CHECK(master >= 0 && same_file(master, pty));
    CHECK(master >= 0 && (fcntl(master, F_GETFD) & FD_CLOEXEC));
    /* Any other message is an error, not a pty. */
    CHECK(cradle_sync_send(sv[1], SYNC_READY, 0, NULL, &err) == 0);
    int none = -1;
    CHECK(cradle_terminal_receive(sv[0], &none, &err) < 0 && none == -1);
    cradle_error_free(&err);
    close(master);
    close(pty);
    close(sv[0]);
    close(sv[1]);
}

static void test_console_socket_message(void)
{
    char dir[] = "/tmp/test_terminal.XXXXXX", path[64];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof(path), "%s/sock", dir);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    strcpy(addr.sun_path, path);
    int listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK(bind(listener, (struct sockaddr *)&addr, sizeof(addr)) == 0 && listen(listener, 1) == 0);
    int pty = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    cradle_error *err = NULL;
    CHECK(cradle_console_socket_send(path, pty, &err) == 0);
    int conn = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
    char name[128] = {0};
    struct iovec iov = {.iov_base = name, .iov_len = sizeof(name) - 1};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    struct msghdr mh = {.msg_iov = &iov,
                        .msg_iovlen = 1,
                        .msg_control = control.buf,
                        .msg_controllen = sizeof(control.buf)};
    CHECK(recvmsg(conn, &mh, MSG_CMSG_CLOEXEC) > 0);
    CHECK_STREQ(name, ptsname(pty));
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    CHECK(c != NULL && c->cmsg_type == SCM_RIGHTS);
    int got = -1;
    if (c)
        memcpy(&got, CMSG_DATA(c), sizeof(got));
    CHECK(got >= 0 && same_file(got, pty));
    /* Nobody listening: runc's words. */
    unlink(path);
    CHECK(cradle_console_socket_send(path, pty, &err) < 0);
    char *text = cradle_error_text(err);
    CHECK_CONTAINS(text, "dial unix ");
    CHECK_CONTAINS(text, ": connect: ");
    free(text);
    cradle_error_free(&err);
    close(got);
    close(conn);
    close(listener);
    close(pty);
    rmdir(dir);
}

RUN_TESTS(test_check_opts, test_receive_over_sync, test_console_socket_message)
