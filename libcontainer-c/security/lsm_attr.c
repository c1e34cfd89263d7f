/* The procfs attribute files through which a process asks its LSM for a label at its
 * next execve (attr/exec) or for the keys it creates (attr/keycreate). */
#include "cradle/lsm.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/process.h"

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif
#define PROC_ROOT_INO 1

/* Go's "write PATH: text" (lower case), the shape of runc's messages. */
static int attr_failed(const char *op, const char *path, cradle_error **err)
{
    char text[128];
    int e = errno;
    return cradle_error_set(err, e, "%s %s: %s", op, path, cradle_go_strerror(e, text));
}

/* The attr file /proc/thread-self/ATTR, opened with FLAGS so that nothing a container
 * mounted can stand in for it (CVE-2019-16884, CVE-2025-52881): /proc must be the root of
 * a procfs, and the lookup below it may cross no mount, so that no other procfs file
 * (sysrq-trigger, a sysctl) bound over the attr file or its directories takes the write. */
static int open_attr(const char *attr, int flags, cradle_error **err)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/thread-self/%s", attr);
    _cleanup_close_ int proc = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (proc < 0)
        return attr_failed("open", "/proc", err);
    struct statfs sfs;
    struct stat st;
    if (fstatfs(proc, &sfs) < 0 || fstat(proc, &st) < 0)
        return attr_failed("fstatfs", "/proc", err);
    if (sfs.f_type != PROC_SUPER_MAGIC || st.st_ino != PROC_ROOT_INO)
        return cradle_error_set(err, EINVAL, "%s is not on procfs (/proc is not a procfs root)",
                                path);
    struct open_how how = {
        .flags = (uint64_t)(flags | O_CLOEXEC),
        .resolve = RESOLVE_BENEATH | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS,
    };
    char rel[64];
    snprintf(rel, sizeof(rel), "thread-self/%s", attr);
    int fd = (int)syscall(SYS_openat2, proc, rel, &how, sizeof(how));
    if (fd < 0 && errno == EXDEV)
        return cradle_error_set(err, EXDEV, "%s is not on procfs (a mount covers it)", path);
    if (fd < 0)
        return attr_failed("open", path, err);
    return fd;
}

/* Writes VALUE to /proc/thread-self/ATTR. */
static int write_attr(const char *attr, const char *value, cradle_error **err)
{
    _cleanup_close_ int fd = open_attr(attr, O_WRONLY, err);
    if (fd < 0)
        return -1;
    size_t len = strlen(value);
    if (write(fd, value, len) != (ssize_t)len) {
        char path[64];
        snprintf(path, sizeof(path), "/proc/thread-self/%s", attr);
        return attr_failed("write", path, err);
    }
    return 0;
}

/* runc's changeOnExec (libapparmor's aa_change_onexec): the apparmor-specific file when
 * the kernel has it (several LSMs stacked), else the shared attr/exec. */
static int apparmor_change_onexec(const char *profile, cradle_error **err)
{
    const char *attr = "attr/apparmor/exec";
    _cleanup_error_ cradle_error *probe = NULL;
    _cleanup_close_ int fd = open_attr(attr, O_PATH, &probe);
    if (fd < 0) /* absent; or refused, which the write names for attr/exec as well */
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
    /* Without a label there is nothing to reset: attr/exec is cleared at every execve, and
     * the init and exec's child are fresh processes. */
    const char *label = process->selinux_label;
    if (label && *label && write_attr("attr/exec", label, err) < 0)
        return cradle_error_wrap(err, "set the SELinux exec label");
    const char *profile = process->apparmor_profile;
    if (profile && *profile)
        return apparmor_change_onexec(profile, err);
    return 0;
}

int cradle_selinux_set_key_label(const char *label, cradle_error **err)
{
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
