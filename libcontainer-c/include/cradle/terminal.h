/* Terminals: process.terminal for the container's init and for exec. As runc, the pty is
 * made inside the container (its /dev/ptmx, after pivot_root or after joining the mount
 * namespace), and its master goes to the runtime over the sync socket (SYNC_CONSOLE); the
 * runtime hands it to --console-socket, or relays it itself in the foreground. */
#ifndef CRADLE_TERMINAL_H
#define CRADLE_TERMINAL_H

#include <stdbool.h>

#include "cradle/error.h"
#include "cradle/spec.h"

/* Child side, in the container's root, already a session leader: opens a new pty from
 * /dev/ptmx, applies proc->consoleSize, sends the master to the parent over sync_fd
 * (SYNC_CONSOLE) and closes it, makes the slave the controlling terminal and fds 0-2 (and,
 * with mount_console, bind-mounts it over /dev/console, as runc's init does). */
/* A new pty on the /dev/ptmx of the caller's mounts: the master (close-on-exec), its slave
 * opened from it (TIOCGPTPEER, never by a /dev/pts path another process could swap) and
 * the slave's name; process.consoleSize applied when given. */
int cradle_terminal_open_pty(const struct cradle_spec_process *proc, int *master, int *slave,
                             char *name, size_t name_size, cradle_error **err);

int cradle_terminal_setup_child(int sync_fd, const struct cradle_spec_process *proc,
                                bool mount_console, cradle_error **err);

/* Parent side: receives the SYNC_CONSOLE message from sync_fd and returns the master
 * (close-on-exec) in *master. */
int cradle_terminal_receive(int sync_fd, int *master, cradle_error **err);

/* Parent side: sends master to the unix socket at path (SCM_RIGHTS, with the pty's name
 * as the data, as runc does; recvtty-compatible). */
int cradle_console_socket_send(const char *path, int master, cradle_error **err);

/* Parent side, once the process sends its pty: the master goes to console_socket when
 * there is one, else into *kept for the caller's relay (with onlcr cleared at once, before
 * the process can write, as runc's recvtty does). */
int cradle_terminal_take(int sync_fd, const char *console_socket, int *kept, cradle_error **err);

/* The same for a master the caller made (restore); takes ownership of master. */
int cradle_terminal_hand_over(int master, const char *console_socket, int *kept,
                              cradle_error **err);

/* runc's checks of -t/--console-socket/--detach, with its messages: a console socket
 * without a terminal, or a detached terminal without a console socket, is refused. */
int cradle_terminal_check_opts(bool terminal, const char *console_socket, bool detach,
                               cradle_error **err);

#endif
