/* The last steps that make a process the container's process, once it is in the
 * container's namespaces and root: shared by the container's init and by exec, so that the
 * two cannot drift apart. */
#include <errno.h>
#include <unistd.h>

#include "cradle/fds.h"
#include "cradle/lsm.h"
#include "cradle/process.h"
#include "cradle/seccomp.h"
#include "cradle/security.h"
#include "init_stages.h"

/* runc's words, with Go's lower-case error text. */
static int chdir_failed(const char *cwd, cradle_error **err)
{
    char text[128];
    int e = errno;
    return cradle_error_set(err, e, "chdir to cwd (\"%s\") set in config.json failed: %s", cwd,
                            cradle_go_strerror(e, text));
}

/* Loads the filter; a notifying one's listener fd goes to the parent, which passes it on
 * to the agent (linux.seccomp.listenerPath), and is closed here at once. The profile
 * cannot notify sendmsg (validation), so the hand-over never waits on the agent itself. */
static int load_seccomp(const struct cradle_process_setup *ps, cradle_error **err)
{
    int listener = -1;
    if (cradle_seccomp_load(ps->seccomp, &listener, err) < 0)
        return -1;
    if (listener < 0)
        return 0;
    int r = cradle_sync_send_fd(ps->sync_fd, SYNC_SECCOMP, 0, NULL, listener, err);
    close(listener);
    return r;
}

int cradle_process_setup(struct cradle_process_setup *ps, cradle_error **err)
{
    const struct cradle_spec_process *proc = ps->proc;
    char **env = NULL;
    if (cradle_env_resolve(proc->env, &env, err) < 0)
        return -1;
    environ = env; /* this process's own copy: it ends in execve */
    /* EACCES: the cwd may be open to the process's user only; tried again below. */
    if (chdir(proc->cwd) < 0 && errno != EACCES)
        return chdir_failed(proc->cwd, err);
    /* As root of the container, before capabilities go (runc's setupScheduler). */
    if (cradle_security_set_rlimits(proc, err) < 0 || cradle_process_set_scheduling(proc, err) < 0)
        return -1;
    if (cradle_exec_lookup(proc->args[0], environ, &ps->exec_path, err) < 0 ||
        cradle_init_set_home(proc->user.uid, err) < 0)
        return -1;
    /* Take effect at execve; written as root, before the user and capabilities change. */
    if (cradle_lsm_set_exec_labels(proc, err) < 0)
        return -1;
    /* Only the fds asked for (stdio and --preserve-fds) may reach the user process. Done
     * before the filter is loaded: a profile need not allow close_range. */
    if (cradle_cloexec_fds_from(3 + (unsigned)ps->preserve_fds) < 0)
        return cradle_error_sys(err, "mark fds close-on-exec");
    /* Before a filter that may refuse set_mempolicy (Docker's does without CAP_SYS_NICE). */
    if (cradle_process_set_mempolicy(&ps->lnx->memory_policy, err) < 0)
        return -1;
    cradle_init_reset_signals();
    /* Without no_new_privs, loading a filter needs CAP_SYS_ADMIN, which the capability
     * drop below may take away: load it now, as runc does. */
    if (ps->seccomp != NULL && !proc->no_new_privileges && load_seccomp(ps, err) < 0)
        return -1;
    if (cradle_security_drop_bounding(&proc->capabilities, err) < 0 ||
        cradle_security_set_user(&proc->user, err) < 0 ||
        cradle_security_set_caps(&proc->capabilities, err) < 0)
        return -1;
    if (chdir(proc->cwd) < 0)
        return chdir_failed(proc->cwd, err);
    return cradle_process_set_personality(&ps->lnx->personality, err);
}

int cradle_process_lock_down(const struct cradle_process_setup *ps, cradle_error **err)
{
    if (!ps->proc->no_new_privileges)
        return 0;
    if (cradle_security_no_new_privs(err) < 0)
        return -1;
    /* As late as possible, so that few syscalls run under the filter. */
    if (ps->seccomp != NULL && load_seccomp(ps, err) < 0)
        return -1;
    return 0;
}

int cradle_process_exec(const struct cradle_process_setup *ps, cradle_error **err)
{
    execve(ps->exec_path, ps->proc->args, environ);
    return cradle_exec_failed(ps->exec_path, err);
}
