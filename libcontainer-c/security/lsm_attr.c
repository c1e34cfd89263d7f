/* The procfs attribute files through which a process asks its LSM for a label at its
 * next execve (attr/exec) or for the keys it creates (attr/keycreate). */
#include "cradle/lsm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/process.h"

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

/* Go's "write PATH: text" (lower case), the shape of runc's messages. */
static int attr_failed(const char *op, const char *path, cradle_error **err)
{
    char text[128];
    int e = errno;
    return cradle_error_set(err, e, "%s %s: %s", op, path, cradle_go_strerror(e, text));
}

/* Writes VALUE to /proc/thread-self/ATTR, which must be a procfs file. */
static int write_attr(const char *attr, const char *value, cradle_error **err)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/thread-self/%s", attr);
    _cleanup_close_ int fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return attr_failed("open", path, err);
    struct statfs sfs;
    if (fstatfs(fd, &sfs) < 0)
        return attr_failed("fstatfs", path, err);
    if (sfs.f_type != PROC_SUPER_MAGIC)
        return cradle_error_set(err, EINVAL, "%s is not on procfs", path);
    size_t len = strlen(value);
    if (write(fd, value, len) != (ssize_t)len)
        return attr_failed("write", path, err);
    return 0;
}

/* runc's changeOnExec (libapparmor's aa_change_onexec): the apparmor-specific file when
 * the kernel has it (several LSMs stacked), else the shared attr/exec. */
static int apparmor_change_onexec(const char *profile, cradle_error **err)
{
    const char *attr = "attr/apparmor/exec";
    if (access("/proc/thread-self/attr/apparmor/exec", F_OK) < 0 && errno == ENOENT)
        attr = "attr/exec";
    _cleanup_free_ char *value = NULL;
    if (asprintf(&value, "exec %s", profile) < 0)
        return cradle_error_set(err, ENOMEM, "apparmor profile");
    if (write_attr(attr, value, err) < 0)
        return cradle_error_wrap(err, "unable to apply apparmor profile: apparmor failed to "
                                      "apply profile");
    return 0;
}

int cradle_lsm_set_exec_labels(const struct cradle_spec_process *process, cradle_error **err)
{
    /* go-selinux's SetExecLabel: an empty label resets to the default, which there is
     * nothing to reset on a host without SELinux. */
    const char *label = process->selinux_label;
    if ((label && *label) || cradle_selinux_enabled()) {
        if (write_attr("attr/exec", label ? label : "", err) < 0)
            return cradle_error_wrap(err, "set the SELinux exec label");
    }
    const char *profile = process->apparmor_profile;
    if (profile && *profile)
        return apparmor_change_onexec(profile, err);
    return 0;
}

int cradle_selinux_set_key_label(const char *label, cradle_error **err)
{
    if ((label == NULL || *label == '\0') && !cradle_selinux_enabled())
        return 0;
    if (write_attr("attr/keycreate", label ? label : "", err) < 0) {
        /* go-selinux: a kernel without the file, or a reset refused, is not an error. */
        if ((*err)->errnum == ENOENT || ((label == NULL || *label == '\0') &&
                                         ((*err)->errnum == EACCES || (*err)->errnum == EPERM))) {
            cradle_error_free(err);
            return 0;
        }
        return cradle_error_wrap(err, "set the SELinux key label");
    }
    return 0;
}
