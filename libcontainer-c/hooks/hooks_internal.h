/* The pieces of cradle_hooks_run: start one hook, feed it the state and wait for it
 * within its timeout, and put its end into words. */
#ifndef CRADLE_HOOKS_INTERNAL_H
#define CRADLE_HOOKS_INTERNAL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "cradle/error.h"
#include "cradle/spec.h"

/* A started hook. pid is 0 once the child has been reaped. */
struct hook_process {
    pid_t pid;
    int pidfd;
    int stdin_fd; /* write end of the hook's stdin pipe, -1 once closed */
};

#define HOOK_PROCESS_NONE                                                                          \
    {                                                                                              \
        .pid = 0, .pidfd = -1, .stdin_fd = -1                                                      \
    }

struct hook_outcome {
    bool timed_out;
    siginfo_t info; /* from waitid(): si_code CLD_EXITED/CLD_KILLED/CLD_DUMPED, si_status */
};

/* Forks and execs the hook with a pipe as stdin, stdout/stderr inherited and every
 * other fd closed. A failed execve is reported here as an error. */
int hook_spawn(const struct cradle_spec_hook *hook, struct hook_process *proc, cradle_error **err);

/* Writes input to the hook's stdin (a hook that does not read it is fine) and waits
 * for the hook to end, killing it with SIGKILL once timeout_s (> 0) seconds pass;
 * timeout_s <= 0 waits for ever. On success the hook is reaped and out says how it
 * ended; on failure it may still run (hook_process_release ends it). */
int hook_supervise(struct hook_process *proc, const char *input, int timeout_s,
                   struct hook_outcome *out, cradle_error **err);

/* Kills and reaps a hook that is still running and closes its fds. */
void hook_process_release(struct hook_process *proc);

/* NULL when the hook exited with status 0; otherwise "exited with status N" or
 * "killed by signal SIGNAME", written into buf. */
const char *hook_exit_describe(const siginfo_t *info, char *buf, size_t len);

#endif
