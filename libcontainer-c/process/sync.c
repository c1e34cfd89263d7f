/* The sync channel: length-prefixed messages over a SOCK_SEQPACKET pair (process.h). */
#include "cradle/process.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "cradle/fds.h"
#include "cradle/log.h"

/* Payloads travel in packets of this size: well below the socket's send buffer, so one
 * packet never fails for its size alone. */
#define SYNC_CHUNK 32768
/* A state JSON is the biggest payload; anything near this is a broken peer. */
#define SYNC_PAYLOAD_MAX (64u << 20)

struct sync_header {
    uint32_t type;
    int32_t errnum;
    uint64_t len;
};

void cradle_sync_msg_clear(struct cradle_sync_msg *msg)
{
    free(msg->text);
    if (msg->fd >= 0)
        close(msg->fd);
    memset(msg, 0, sizeof(*msg));
    msg->fd = -1;
}

static int send_packet(int sock, const void *buf, size_t len, int pass_fd, cradle_error **err)
{
    ssize_t n = cradle_send_with_fd(sock, buf, len, pass_fd);
    if (n < 0)
        return cradle_error_sys(err, "sync with container process");
    if ((size_t)n != len)
        return cradle_error_set(err, EPROTO, "sync with container process: sent %zd of %zu bytes",
                                n, len);
    return 0;
}

int cradle_sync_send_fd(int sock, enum cradle_sync_type type, int errnum, const char *text,
                        int pass_fd, cradle_error **err)
{
    size_t len = text ? strlen(text) : 0;
    struct sync_header h = {.type = type, .errnum = errnum, .len = len};
    if (send_packet(sock, &h, sizeof(h), pass_fd, err) < 0)
        return -1;
    for (size_t off = 0; off < len; off += SYNC_CHUNK) {
        size_t n = len - off < SYNC_CHUNK ? len - off : SYNC_CHUNK;
        if (send_packet(sock, text + off, n, -1, err) < 0)
            return -1;
    }
    return 0;
}

int cradle_sync_send(int sock, enum cradle_sync_type type, int errnum, const char *text,
                     cradle_error **err)
{
    return cradle_sync_send_fd(sock, type, errnum, text, -1, err);
}

/* One packet; a packet longer than the buffer (MSG_TRUNC) or a cut control message is an
 * error, never data lost in silence. */
static ssize_t recv_packet(int sock, void *buf, size_t len, int *fd, cradle_error **err)
{
    struct iovec iov = {.iov_base = buf, .iov_len = len};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
    if (fd) {
        mh.msg_control = control.buf;
        mh.msg_controllen = sizeof(control.buf);
    }
    ssize_t n;
    do {
        n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return cradle_error_sys(err, "sync with container process");
    struct cmsghdr *c = fd ? CMSG_FIRSTHDR(&mh) : NULL;
    if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
        c->cmsg_len == CMSG_LEN(sizeof(int)))
        memcpy(fd, CMSG_DATA(c), sizeof(int));
    if (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC))
        return cradle_error_set(err, EPROTO, "sync with container process: message cut");
    if (n == 0)
        return cradle_error_set(err, EPIPE, "container process exited unexpectedly");
    return n;
}

static int receive_one(int sock, struct cradle_sync_msg *msg, cradle_error **err)
{
    struct sync_header h;
    cradle_sync_msg_clear(msg);
    ssize_t n = recv_packet(sock, &h, sizeof(h), &msg->fd, err);
    if (n < 0)
        return -1;
    if ((size_t)n != sizeof(h))
        return cradle_error_set(err, EPROTO, "short sync message from container process");
    if (h.len > SYNC_PAYLOAD_MAX)
        return cradle_error_set(err, EPROTO, "sync message of %llu bytes refused",
                                (unsigned long long)h.len);
    msg->type = h.type;
    msg->errnum = h.errnum;
    if (h.len == 0)
        return 0;
    if ((msg->text = malloc(h.len + 1)) == NULL)
        return cradle_error_set(err, ENOMEM, "sync message of %llu bytes",
                                (unsigned long long)h.len);
    for (size_t off = 0; off < h.len; off += (size_t)n) {
        size_t want = h.len - off < SYNC_CHUNK ? h.len - off : SYNC_CHUNK;
        if ((n = recv_packet(sock, msg->text + off, want, NULL, err)) < 0)
            return -1;
        if ((size_t)n != want)
            return cradle_error_set(err, EPROTO, "sync message cut at %zu of %llu bytes",
                                    off + (size_t)n, (unsigned long long)h.len);
    }
    msg->text[h.len] = '\0';
    msg->len = strlen(msg->text);
    return 0;
}

int cradle_sync_recv(int sock, struct cradle_sync_msg *msg, cradle_error **err)
{
    for (;;) {
        if (receive_one(sock, msg, err) < 0)
            return -1;
        if (msg->type != SYNC_LOG)
            return 0;
        cradle_log((enum cradle_log_level)msg->errnum, "%s", msg->text ? msg->text : "");
    }
}

int cradle_sync_expect(int sock, enum cradle_sync_type type, struct cradle_sync_msg *msg,
                       cradle_error **err)
{
    if (cradle_sync_recv(sock, msg, err) < 0)
        return -1;
    if (msg->type == SYNC_ERROR)
        return cradle_error_set(err, msg->errnum, "%s", msg->text ? msg->text : "failed");
    if (msg->type != (uint32_t)type)
        return cradle_error_set(err, EPROTO, "unexpected sync message %u (expected %d)", msg->type,
                                type);
    return 0;
}
