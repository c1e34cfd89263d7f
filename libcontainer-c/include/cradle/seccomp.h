/* linux.seccomp as a libseccomp filter. The container's init builds it while an error can
 * still fail `create`, and loads it as runc does: right before execve when no_new_privs
 * is set, else before the capability drop (without no_new_privs the kernel requires
 * CAP_SYS_ADMIN to load a filter). */
#ifndef CRADLE_SECCOMP_H
#define CRADLE_SECCOMP_H

#include <stdbool.h>

#include "cradle/error.h"
#include "cradle/spec.h"

struct cradle_seccomp_filter;

/* Part of the validation pass (container/validate.c), before anything is created: the
 * architectures and flags of sc that the linked libseccomp supports. */
int cradle_seccomp_check_supported(const struct cradle_spec_seccomp *sc, cradle_error **err);

/* Whether the running kernel takes the linux.seccomp.flags name (e.g.
 * "SECCOMP_FILTER_FLAG_LOG"): cradle hands the flags to seccomp(2) itself, so the linked
 * libseccomp does not matter. */
bool cradle_seccomp_flag_supported(const char *oci_name);

/* Whether the linked libseccomp knows the OCI architecture name (e.g. "SCMP_ARCH_X86"). */
bool cradle_seccomp_arch_known(const char *oci_name);

/* Builds the filter: default action, extra architectures (the native one is always
 * there), flags, and one rule per resolvable syscall name. Names libseccomp does not
 * know are skipped, and so are rules whose action is the default one (as runc does). */
int cradle_seccomp_build(const struct cradle_spec_seccomp *sc, struct cradle_seccomp_filter **out,
                         cradle_error **err);

/* Loads the filter into the calling process; it never sets no_new_privs itself. When a
 * rule notifies (SCMP_ACT_NOTIFY), *listener_fd is the filter's notify fd (close-on-exec),
 * for the agent at linux.seccomp.listenerPath; else -1. */
int cradle_seccomp_load(const struct cradle_seccomp_filter *filter, int *listener_fd,
                        cradle_error **err);

void cradle_seccomp_filter_free(struct cradle_seccomp_filter *filter);

static inline void cradle_seccomp_filter_freep(struct cradle_seccomp_filter **filter)
{
    if (*filter)
        cradle_seccomp_filter_free(*filter);
}
#define _cleanup_seccomp_filter_ __attribute__((cleanup(cradle_seccomp_filter_freep)))

#endif
