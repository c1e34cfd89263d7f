/* Keeping a container's exit status after the runtime has gone: the init's parent is
 * whoever reaps orphans (init, conmon, a shim), so the runtime cannot wait for it.
 * Instead a small detached monitor listens on the kernel's process-events connector and
 * writes the status into the container's state directory when the init exits. */
#ifndef CRADLE_EXIT_MONITOR_H
#define CRADLE_EXIT_MONITOR_H

#include <sys/types.h>

#include "cradle/error.h"

#define CRADLE_EXIT_STATUS_FILE "exit-status"

/* Starts the monitor for pid and returns once it is listening, so no exit is missed.
 * Where the connector is not available (no CAP_NET_ADMIN, not in the initial pid and
 * user namespaces) no monitor runs and the status stays unknown: returns 0. */
int cradle_exit_monitor_start(int dir_fd, pid_t pid, cradle_error **err);

/* The recorded status, shell-style (code, or 128+signal), or -1 when unknown. */
int cradle_exit_status_read(int dir_fd);

#endif
