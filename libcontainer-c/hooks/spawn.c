#include "hooks_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/fds.h"

/* Runs in the forked child, so it only makes async-signal-safe calls. On failure it
 * sends errno through report_fd (closed by a successful execve) and exits 127. */
__attribute__((noreturn)) static void exec_hook(const char *path, char *const argv[],
                                                char *const envp[], int stdin_fd, int report_fd)
{
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);

    int ok;
    if (stdin_fd == STDIN_FILENO)
        ok = fcntl(STDIN_FILENO, F_SETFD, 0) == 0;
    else
        ok = dup2(stdin_fd, STDIN_FILENO) == STDIN_FILENO;
    /* Every descriptor above stderr must stay out of the hook, whoever opened it and
     * however: mark them all close-on-exec (report_fd included). */
    if (ok)
        ok = cradle_cloexec_fds_from(3) == 0; /* under a seccomp filter for startContainer */
    if (ok)
        execve(path, argv, envp);

    int saved = errno;
    ssize_t unused = write(report_fd, &saved, sizeof(saved));
    (void)unused;
    _exit(127);
}

/* Waits for the child's exec: 0 if it happened, otherwise the child's errno. */
static int read_exec_report(int report_fd)
{
    int child_errno = 0;
    ssize_t n;
    do {
        n = read(report_fd, &child_errno, sizeof(child_errno));
    } while (n < 0 && errno == EINTR);
    return n == (ssize_t)sizeof(child_errno) ? child_errno : 0;
}

int hook_spawn(const struct cradle_spec_hook *hook, struct hook_process *proc, cradle_error **err)
{
    char *const default_argv[] = {hook->path, NULL};
    char *const *argv = hook->n_args > 0 ? hook->args : default_argv;
    /* runc (Go's exec with a nil Env): a hook without env gets the caller's environment;
     * in the container's init that is process.env. */
    char *const *envp = hook->has_env ? hook->env : environ;

    int stdin_pipe[2], report_pipe[2];
    if (pipe2(stdin_pipe, O_CLOEXEC) < 0)
        return cradle_error_sys(err, "cannot create the stdin pipe");
    _cleanup_close_ int stdin_read = stdin_pipe[0];
    _cleanup_close_ int stdin_write = stdin_pipe[1];
    if (pipe2(report_pipe, O_CLOEXEC) < 0)
        return cradle_error_sys(err, "cannot create the exec report pipe");
    _cleanup_close_ int report_read = report_pipe[0];
    _cleanup_close_ int report_write = report_pipe[1];

    pid_t pid = fork();
    if (pid < 0)
        return cradle_error_sys(err, "fork");
    if (pid == 0)
        exec_hook(hook->path, argv, envp, stdin_read, report_write);

    proc->pid = pid;
    /* startContainer hooks run under the container's seccomp filter: a profile older than
     * pidfd_open denies it, and the hook is then watched without one (supervise.c). */
    proc->pidfd = pidfd_open(pid, 0);
    if (proc->pidfd < 0 && errno != ENOSYS && errno != EPERM) {
        cradle_error_sys(err, "pidfd_open for hook pid %d", (int)pid);
        hook_process_release(proc);
        return -1;
    }

    close(TAKE_FD(report_write));
    int child_errno = read_exec_report(report_read);
    if (child_errno != 0) {
        hook_process_release(proc);
        return cradle_error_set(err, child_errno, "cannot execute %s", hook->path);
    }
    proc->stdin_fd = TAKE_FD(stdin_write);
    return 0;
}

void hook_process_release(struct hook_process *proc)
{
    if (proc->pid > 0) {
        kill(proc->pid, SIGKILL);
        while (waitpid(proc->pid, NULL, 0) < 0 && errno == EINTR)
            ;
        proc->pid = 0;
    }
    if (proc->pidfd >= 0)
        close(TAKE_FD(proc->pidfd));
    if (proc->stdin_fd >= 0)
        close(TAKE_FD(proc->stdin_fd));
}
