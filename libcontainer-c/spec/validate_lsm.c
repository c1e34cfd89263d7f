/* process.selinuxLabel against the host, as runc's validator "security" check: an
 * AppArmor profile is not checked here (runc's init fails writing it, and so does ours).
 * linux.mountLabel becomes context="LABEL" in the mount data: a quote in it would end the
 * value and let the label add mount options of its own (runc does not check this). */
#include "spec_internal.h"

#include <errno.h>
#include <string.h>

#include "cradle/lsm.h"

int spec_validate_lsm(const struct cradle_spec *spec, cradle_error **err)
{
    const char *mount_label = spec->linux_.mount_label;
    if (mount_label && strchr(mount_label, '"'))
        return cradle_error_set(err, EINVAL,
                                "linux.mountLabel: a label cannot contain a double quote");
    const char *label = spec->process.selinux_label;
    if (label && *label && !cradle_selinux_enabled())
        return cradle_error_set(err, EINVAL,
                                "selinux label is specified in config, but selinux is disabled "
                                "or not supported");
    return 0;
}
