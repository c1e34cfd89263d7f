/* The sync channel: messages of any size arrive whole, fds travel with them, and a cut or a
 * dead peer is an error, never a short message taken for a whole one. */
#include "harness.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/process.h"

static void pair(int sv[2])
{
    CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == 0);
}

/* A payload bigger than a socket buffer needs a reader while it is written. */
static void test_large_payload_whole(void)
{
    int sv[2];
    pair(sv);
    size_t len = 300000;
    _cleanup_free_ char *text = malloc(len + 1);
    for (size_t i = 0; i < len; i++)
        text[i] = (char)('a' + i % 26);
    text[len] = '\0';
    pid_t child = fork();
    if (child == 0) {
        close(sv[0]);
        _exit(cradle_sync_send(sv[1], SYNC_HOOKS_DONE, 0, text, NULL) == 0 ? 0 : 1);
    }
    close(sv[1]);
    _cleanup_sync_msg_ struct cradle_sync_msg msg = CRADLE_SYNC_MSG_INIT;
    _cleanup_error_ cradle_error *err = NULL;
    CHECK(cradle_sync_expect(sv[0], SYNC_HOOKS_DONE, &msg, &err) == 0);
    CHECK(msg.len == len);
    CHECK(msg.text && strcmp(msg.text, text) == 0);
    int status;
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(sv[0]);
}

static void test_fd_travels(void)
{
    int sv[2];
    pair(sv);
    int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    _cleanup_error_ cradle_error *err = NULL;
    CHECK(cradle_sync_send_fd(sv[1], SYNC_CONSOLE, 0, "/dev/pts/9", fd, &err) == 0);
    _cleanup_sync_msg_ struct cradle_sync_msg msg = CRADLE_SYNC_MSG_INIT;
    CHECK(cradle_sync_expect(sv[0], SYNC_CONSOLE, &msg, &err) == 0);
    CHECK_STREQ(msg.text, "/dev/pts/9");
    struct stat a, b;
    CHECK(msg.fd >= 0 && fstat(msg.fd, &a) == 0 && fstat(fd, &b) == 0 && a.st_rdev == b.st_rdev);
    CHECK(fcntl(msg.fd, F_GETFD) & FD_CLOEXEC);
    close(fd);
    close(sv[0]);
    close(sv[1]);
}

static void test_errors_and_eof(void)
{
    int sv[2];
    pair(sv);
    _cleanup_error_ cradle_error *err = NULL;
    CHECK(cradle_sync_send(sv[1], SYNC_ERROR, 13, "exec /x: permission denied", &err) == 0);
    _cleanup_sync_msg_ struct cradle_sync_msg msg = CRADLE_SYNC_MSG_INIT;
    CHECK(cradle_sync_expect(sv[0], SYNC_READY, &msg, &err) < 0);
    CHECK(err && err->errnum == 13);
    CHECK_CONTAINS(err ? err->msg : NULL, "permission denied");
    cradle_error_free(&err);
    /* A header that promises more than the peer sends before dying. */
    struct {
        uint32_t type;
        int32_t errnum;
        uint64_t len;
    } h = {SYNC_HOOKS_DONE, 0, 100};
    CHECK(send(sv[1], &h, sizeof(h), 0) == (ssize_t)sizeof(h));
    CHECK(send(sv[1], "short", 5, 0) == 5);
    close(sv[1]);
    CHECK(cradle_sync_recv(sv[0], &msg, &err) < 0);
    CHECK_CONTAINS(err ? err->msg : NULL, "cut");
    close(sv[0]);
}

RUN_TESTS(test_large_payload_whole, test_fd_travels, test_errors_and_eof)
