/* Shared by seccomp.c (the libseccomp filter) and seccomp_enosys.c (the stub put in
 * front of it). */
#ifndef CRADLE_SECCOMP_INTERNAL_H
#define CRADLE_SECCOMP_INTERNAL_H

#include <linux/filter.h>
#include <stddef.h>
#include <stdint.h>

#include "cradle/error.h"
#include "cradle/spec.h"

/* libseccomp's token for an OCI architecture name ("SCMP_ARCH_X86_64" is libseccomp's
 * "x86_64"); 0 when libseccomp does not know it. */
uint32_t seccomp_arch_token(const char *oci_name);

/* runc's -ENOSYS stub (libcontainer/seccomp/patchbpf): unless the default action lets
 * calls through (ALLOW, LOG, TRACE), a syscall numbered above the highest one the profile
 * names for its architecture fails with ENOSYS instead of getting the default action,
 * so that libc falls back from a syscall newer than the profile (clone3 -> clone). The
 * instructions go in front of libseccomp's program and jump to its first instruction
 * for every other call. *n_out is 0 when no stub is needed. */
int seccomp_enosys_stub(const struct cradle_spec_seccomp *sc, struct sock_filter **out,
                        size_t *n_out, cradle_error **err);

#endif
