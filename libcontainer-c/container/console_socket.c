/* --console-socket: the pty master handed to whoever listens there (recvtty, conmon,
 * containerd's shim, podman), as runc's utils.SendFd: one sendmsg on a stream connection
 * whose data is the pty's name and whose SCM_RIGHTS carries the master. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/fds.h"
#include "cradle/terminal.h"

static int connect_console_socket(const char *path, cradle_error **err)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof(addr.sun_path))
        return cradle_error_set(err, ENAMETOOLONG, "dial unix %s: path too long", path);
    strcpy(addr.sun_path, path);
    _cleanup_close_ int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (sock < 0)
        return cradle_error_sys(err, "dial unix %s: socket", path);
    int r;
    do {
        r = connect(sock, (struct sockaddr *)&addr, sizeof(addr));
    } while (r < 0 && errno == EINTR);
    if (r < 0)
        return cradle_error_sys(err, "dial unix %s: connect", path);
    return TAKE_FD(sock);
}

int cradle_console_socket_send(const char *path, int master, cradle_error **err)
{
    char name[64];
    if (ptsname_r(master, name, sizeof(name)) != 0)
        return cradle_error_sys(err, "ptsname of the console");
    _cleanup_close_ int sock = connect_console_socket(path, err);
    if (sock < 0)
        return -1;
    ssize_t n = cradle_send_with_fd(sock, name, strlen(name), master);
    if (n < 0)
        return cradle_error_sys(err, "sending the console to %s", path);
    return 0;
}

/* As runc's recvtty, before the process can write: the pty stops translating "\n" into
 * "\r\n", since the caller's terminal does it once more on the way out. */
static int clear_onlcr(int master, cradle_error **err)
{
    struct termios tio;
    if (tcgetattr(master, &tio) < 0)
        return cradle_error_sys(err, "console: reading its settings");
    tio.c_oflag &= ~(tcflag_t)ONLCR;
    if (tcsetattr(master, TCSANOW, &tio) < 0)
        return cradle_error_sys(err, "console: clearing onlcr");
    return 0;
}

int cradle_terminal_take(int sync_fd, const char *console_socket, int *kept, cradle_error **err)
{
    int master = -1;
    if (cradle_terminal_receive(sync_fd, &master, err) < 0)
        return -1;
    return cradle_terminal_hand_over(master, console_socket, kept, err);
}

int cradle_terminal_hand_over(int master_fd, const char *console_socket, int *kept,
                              cradle_error **err)
{
    _cleanup_close_ int master = master_fd;
    if (console_socket)
        return cradle_console_socket_send(console_socket, master, err);
    if (clear_onlcr(master, err) < 0)
        return -1;
    *kept = TAKE_FD(master);
    return 0;
}

/* runc's checkTerminal, with its messages; create always detaches. */
int cradle_terminal_check_opts(bool terminal, const char *console_socket, bool detach,
                               cradle_error **err)
{
    if (detach && terminal && console_socket == NULL)
        return cradle_error_set(
            err, EINVAL,
            "cannot allocate tty if cradle will detach without setting console socket");
    if ((!detach || !terminal) && console_socket)
        return cradle_error_set(
            err, EINVAL, "cannot use console socket if cradle will not detach or allocate tty");
    return 0;
}
