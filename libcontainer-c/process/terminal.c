/* process.terminal, in the process and in the runtime: the pty is made inside the
 * container from its own devpts (as runc's setupConsole), and only its master leaves,
 * over the sync socket, a socketpair no other process can reach. */
#include "cradle/terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/process.h"
#include "cradle/rootfs.h"

/* The slave is opened from the master (TIOCGPTPEER), never by its /dev/pts path, which a
 * process sharing the container's mounts could have swapped. */
int cradle_terminal_open_pty(const struct cradle_spec_process *proc, int *master, int *slave,
                             char *name, size_t name_size, cradle_error **err)
{
    _cleanup_close_ int m = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (m < 0)
        return cradle_error_sys(err, "open /dev/ptmx");
    if (unlockpt(m) < 0)
        return cradle_error_sys(err, "unlockpt");
    if (ptsname_r(m, name, name_size) != 0)
        return cradle_error_sys(err, "ptsname");
    if (proc->has_console_size) {
        struct winsize ws = {.ws_row = (unsigned short)proc->console_height,
                             .ws_col = (unsigned short)proc->console_width};
        if (ioctl(m, TIOCSWINSZ, &ws) < 0)
            return cradle_error_sys(err, "process.consoleSize: TIOCSWINSZ");
    }
    int s = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (s < 0)
        return cradle_error_sys(err, "opening the pty's slave %s", name);
    *slave = s;
    *master = TAKE_FD(m);
    return 0;
}

/* The slave becomes stdio (without close-on-exec) and the controlling terminal. It may
 * already be one of fds 0-2 when the caller left them closed. */
static int become_stdio(int slave, cradle_error **err)
{
    for (int fd = 0; fd < 3; fd++)
        if (fd == slave ? fcntl(fd, F_SETFD, 0) < 0 : dup3(slave, fd, 0) < 0)
            return cradle_error_sys(err, "dup the console to fd %d", fd);
    if (ioctl(0, TIOCSCTTY, 0) < 0)
        return cradle_error_sys(err, "setctty");
    return 0;
}

int cradle_terminal_setup_child(int sync_fd, const struct cradle_spec_process *proc,
                                bool mount_console, cradle_error **err)
{
    char name[64];
    _cleanup_close_ int master = -1;
    _cleanup_close_ int slave = -1;
    if (cradle_terminal_open_pty(proc, &master, &slave, name, sizeof(name), err) < 0)
        return -1;
    if (mount_console && cradle_rootfs_mount_console(slave, err) < 0)
        return -1;
    if (cradle_sync_send_fd(sync_fd, SYNC_CONSOLE, 0, name, master, err) < 0)
        return cradle_error_wrap(err, "sending the console");
    close(TAKE_FD(master));
    if (become_stdio(slave, err) < 0)
        return -1;
    if (slave < 3)
        slave = -1; /* it is stdio now */
    return 0;
}

int cradle_terminal_receive(int sync_fd, int *master, cradle_error **err)
{
    _cleanup_sync_msg_ struct cradle_sync_msg msg = CRADLE_SYNC_MSG_INIT;
    if (cradle_sync_expect(sync_fd, SYNC_CONSOLE, &msg, err) < 0)
        return -1;
    if (msg.fd < 0)
        return cradle_error_set(err, EPROTO, "the console message carries no pty master");
    *master = TAKE_FD(msg.fd);
    return 0;
}
