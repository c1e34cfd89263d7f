#include "cradle/process.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "cradle/log.h"

int cradle_sync_send(int fd, enum cradle_sync_type type, int errnum, const char *text,
                     cradle_error **err)
{
    struct cradle_sync_msg msg = {.type = type, .errnum = errnum};
    size_t len = offsetof(struct cradle_sync_msg, text);
    if (text) {
        snprintf(msg.text, sizeof(msg.text), "%s", text);
        len += strlen(msg.text) + 1;
    }
    ssize_t n;
    do {
        n = send(fd, &msg, len, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return cradle_error_sys(err, "sync with container init");
    return 0;
}

static int receive_one(int fd, struct cradle_sync_msg *msg, cradle_error **err)
{
    ssize_t n;
    memset(msg, 0, sizeof(*msg));
    do {
        n = recv(fd, msg, sizeof(*msg) - 1, 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return cradle_error_sys(err, "sync with container init");
    if (n == 0)
        return cradle_error_set(err, EPIPE, "container init exited unexpectedly");
    if ((size_t)n < offsetof(struct cradle_sync_msg, text))
        return cradle_error_set(err, EPROTO, "short sync message from container init");
    return 0;
}

int cradle_sync_recv(int fd, struct cradle_sync_msg *msg, cradle_error **err)
{
    for (;;) {
        if (receive_one(fd, msg, err) < 0)
            return -1;
        if (msg->type != SYNC_LOG)
            return 0;
        cradle_log((enum cradle_log_level)msg->errnum, "%s", msg->text);
    }
}

int cradle_sync_expect(int fd, enum cradle_sync_type type, struct cradle_sync_msg *msg,
                       cradle_error **err)
{
    if (cradle_sync_recv(fd, msg, err) < 0)
        return -1;
    if (msg->type == SYNC_ERROR)
        return cradle_error_set(err, msg->errnum, "%s", msg->text);
    if (msg->type != (uint32_t)type)
        return cradle_error_set(err, EPROTO, "unexpected sync message %u (expected %d)", msg->type,
                                type);
    return 0;
}
