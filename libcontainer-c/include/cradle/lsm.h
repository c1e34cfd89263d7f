/* Linux security module labels: AppArmor profiles and SELinux labels, as runc applies
 * them (libcontainer/apparmor, go-selinux). Neither LSM needs a library: both are driven
 * through procfs attribute files and mount options. */
#ifndef CRADLE_LSM_H
#define CRADLE_LSM_H

#include <stdbool.h>
#include <stddef.h>

#include "cradle/error.h"
#include "cradle/spec.h"

/* go-selinux's GetEnabled: selinuxfs is mounted at /sys/fs/selinux and this process's
 * context is not "kernel". */
bool cradle_selinux_enabled(void);

/* The profile and the exec label of process, to take effect at the next execve: "exec
 * PROFILE" to attr/apparmor/exec (attr/exec on older kernels) and the label to attr/exec
 * of /proc/thread-self, each only when set. The files must be on procfs (CVE-2019-16884:
 * a mount over /proc must not swallow the write). */
int cradle_lsm_set_exec_labels(const struct cradle_spec_process *process, cradle_error **err);

/* The SELinux label of keys this thread creates (attr/keycreate), as go-selinux's
 * SetKeyLabel; "" resets it (a refused reset or a kernel without the file is no error). */
int cradle_selinux_set_key_label(const char *label, cradle_error **err);

/* runc's label.FormatMountLabel: DATA (may be NULL or "") with context="LABEL" appended
 * when LABEL is set; *out is newly allocated (NULL when both are empty). */
int cradle_format_mount_label(const char *data, const char *label, char **out);

/* The SELinux label of a mounted filesystem's root that takes no context= option
 * (mqueue), as go-selinux's label.SetFileLabel: a no-op unless SELinux is enabled and a
 * label is set. FD is an O_PATH descriptor of the mountpoint. */
int cradle_selinux_set_file_label(int fd, const char *label, const char *what, cradle_error **err);

#endif
