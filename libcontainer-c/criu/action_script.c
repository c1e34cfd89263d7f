/* runc runs the prestart and createRuntime hooks when criu reports "setup-namespaces" over
 * its RPC socket. The criu binary reports it only to an --action-script, which it runs
 * with every descriptor but stdio closed: so the script and the runtime meet at two fifos
 * next to the script, in the container's state directory (root's, never inside the
 * container). The script writes the restored init's pid (CRTOOLS_INIT_PID) to one and
 * waits for "ok" on the other; any other answer fails criu's restore. The runtime holds
 * both fifos open read-write, so neither side ever blocks on an open. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/criu.h"

#define SCRIPT_NAME  "criu-action-script"
#define REQUEST_FIFO "criu-notify"
#define REPLY_FIFO   "criu-reply"

static const char script[] =
    "#!/bin/sh\n"
    "# Written by cradle restore: tells it when criu has set up the namespaces.\n"
    "[ \"$CRTOOLS_SCRIPT_ACTION\" = setup-namespaces ] || exit 0\n"
    "dir=${0%/*}\n"
    "echo \"$CRTOOLS_INIT_PID\" >\"$dir/" REQUEST_FIFO "\" || exit 1\n"
    "read -r answer <\"$dir/" REPLY_FIFO "\" || exit 1\n"
    "[ \"$answer\" = ok ]\n";

static int write_script(int dir_fd, cradle_error **err)
{
    _cleanup_close_ int fd =
        openat(dir_fd, SCRIPT_NAME, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0700);
    size_t len = sizeof(script) - 1;
    if (fd < 0 || write(fd, script, len) != (ssize_t)len)
        return cradle_error_sys(err, "writing criu's action script");
    return 0;
}

static int open_fifo(int dir_fd, const char *name, cradle_error **err)
{
    if (mkfifoat(dir_fd, name, 0600) < 0)
        return cradle_error_sys(err, "creating the fifo %s for criu's action script", name);
    int fd = openat(dir_fd, name, O_RDWR | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return cradle_error_sys(err, "opening the fifo %s", name);
    return fd;
}

int criu_notify_prepare(struct criu_notify *n, int dir_fd, const char *dir, struct criu_args *a,
                        cradle_error **err)
{
    n->dir_fd = dir_fd;
    if (write_script(dir_fd, err) < 0)
        return -1;
    n->request_fd = open_fifo(dir_fd, REQUEST_FIFO, err);
    if (n->request_fd < 0)
        return -1;
    n->reply_fd = open_fifo(dir_fd, REPLY_FIFO, err);
    if (n->reply_fd < 0)
        return -1;
    if (criu_args_add(a, "--action-script", err) < 0 ||
        criu_args_addf(a, err, "%s/%s", dir, SCRIPT_NAME) < 0)
        return -1;
    return 0;
}

void criu_notify_release(struct criu_notify *n)
{
    if (n->request_fd >= 0)
        close(n->request_fd);
    if (n->reply_fd >= 0)
        close(n->reply_fd);
    n->request_fd = n->reply_fd = -1;
    if (n->dir_fd >= 0) {
        unlinkat(n->dir_fd, SCRIPT_NAME, 0);
        unlinkat(n->dir_fd, REQUEST_FIFO, 0);
        unlinkat(n->dir_fd, REPLY_FIFO, 0);
    }
    cradle_error_free(&n->failure);
}

/* One request: the pid the script wrote, the callback, the answer. */
static void answer(struct criu_notify *n)
{
    char buf[32];
    ssize_t got = read(n->request_fd, buf, sizeof(buf) - 1);
    if (got <= 0)
        return;
    buf[got] = '\0';
    char *end;
    long pid = strtol(buf, &end, 10);
    bool ok = n->failure == NULL && pid > 0 && pid <= INT_MAX && (*end == '\n' || *end == '\0');
    if (!ok && n->failure == NULL)
        cradle_error_set(&n->failure, EINVAL, "criu's action script sent no pid: %s", buf);
    if (ok && n->setup_namespaces((pid_t)pid, n->data, &n->failure) < 0)
        ok = false;
    const char *reply = ok ? "ok\n" : "fail\n";
    if (write(n->reply_fd, reply, strlen(reply)) < 0 && n->failure == NULL)
        cradle_error_sys(&n->failure, "answering criu's action script");
}

int criu_notify_serve(struct criu_notify *n, int criu_pidfd, cradle_error **err)
{
    struct pollfd fds[2] = {
        {.fd = criu_pidfd, .events = POLLIN},
        {.fd = n->request_fd, .events = POLLIN},
    };
    for (;;) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return cradle_error_sys(err, "waiting for criu");
        }
        if (fds[1].revents & POLLIN)
            answer(n);
        if (fds[0].revents)
            return 0;
    }
}
