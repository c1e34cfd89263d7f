/* Socket activation: a runtime started by systemd with LISTEN_FDS passes those fds on to
 * the container's process, as runc does (create and run, not exec or restore). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container_private.h"

int cradle_listen_fds_from_env(void)
{
    const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
    char *end;
    if (pid == NULL || fds == NULL || strtol(pid, &end, 10) != getpid() || *end != '\0')
        return 0;
    long n = strtol(fds, &end, 10);
    return *end == '\0' && n > 0 && n < 65536 ? (int)n : 0;
}

/* runc appends LISTEN_FDS and LISTEN_PID=1 to process.env (the init is pid 1 of its pid
 * namespace; runc says 1 even without one). Later entries win (cradle_env_resolve). */
int cradle_add_listen_env(struct cradle_spec *spec, int n, cradle_error **err)
{
    char **env = realloc(spec->process.env, (spec->process.n_env + 3) * sizeof(char *));
    if (env == NULL)
        return cradle_error_set(err, ENOMEM, "process.env");
    spec->process.env = env;
    char *count = NULL, *pid = NULL;
    if (asprintf(&count, "LISTEN_FDS=%d", n) < 0 || (pid = strdup("LISTEN_PID=1")) == NULL) {
        free(count);
        return cradle_error_set(err, ENOMEM, "process.env");
    }
    env[spec->process.n_env++] = count;
    env[spec->process.n_env++] = pid;
    env[spec->process.n_env] = NULL;
    return 0;
}
