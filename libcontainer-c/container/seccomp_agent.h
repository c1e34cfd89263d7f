/* linux.seccomp.listenerPath: the parent's side of SCMP_ACT_NOTIFY (seccomp_agent.c). */
#ifndef CRADLE_SECCOMP_AGENT_H
#define CRADLE_SECCOMP_AGENT_H

#include <sys/types.h>

#include "cradle/error.h"
#include "cradle/spec.h"
#include "cradle/state.h"

/* When spec's filter notifies, the process pid (the init, or an exec'd process) sends its
 * listener fd on sync_fd (SYNC_SECCOMP) once it has loaded the filter: this receives it and
 * sends it to the agent at listenerPath with runc's ContainerProcessState ("creating" for
 * the init, "running" for exec; state is the container's). A no-op otherwise. */
int cradle_seccomp_agent_take(int sync_fd, const struct cradle_spec *spec, pid_t pid,
                              const struct cradle_state *state, enum cradle_status status,
                              cradle_error **err);

#endif
