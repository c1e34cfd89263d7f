/* linux.seccomp's notify rules against its listener, with runc's rules: SCMP_ACT_NOTIFY
 * needs a listenerPath (the agent that gets the fd), and may not apply to a syscall the
 * container's init itself makes to hand the fd over, or it would wait for an agent that
 * has not got the fd yet. A listenerPath without a notify rule is unused, as in runc. */
#include "spec_internal.h"

#include <errno.h>
#include <string.h>
#include <sys/un.h>

/* runc refuses "write", through which its init passes the fd's number; cradle's init
 * passes the fd itself, with sendmsg. */
static const char *const handover_syscalls[] = {"write", "sendmsg"};

bool cradle_seccomp_notifies(const struct cradle_spec_seccomp *sc)
{
    for (size_t i = 0; i < sc->n_syscalls; i++)
        if (sc->syscalls[i].action == CRADLE_SECCOMP_ACT_NOTIFY)
            return true;
    return false;
}

static int check_notify_rule(const struct cradle_spec_seccomp_syscall *call, size_t index,
                             const struct cradle_spec_seccomp *sc, cradle_error **err)
{
    char where[SPEC_PATH_MAX];
    if (sc->listener_path == NULL)
        return cradle_error_set(
            err, EINVAL,
            "%s: SCMP_ACT_NOTIFY needs an agent, but linux.seccomp.listenerPath is not set",
            spec_path_format(where, "linux.seccomp.syscalls[%zu].action", index));
    for (size_t i = 0; i < call->n_names; i++)
        for (size_t j = 0; j < sizeof(handover_syscalls) / sizeof(handover_syscalls[0]); j++)
            if (strcmp(call->names[i], handover_syscalls[j]) == 0)
                return cradle_error_set(
                    err, EINVAL, "%s: SCMP_ACT_NOTIFY cannot be used for the %s syscall",
                    spec_path_format(where, "linux.seccomp.syscalls[%zu].names[%zu]", index, i),
                    handover_syscalls[j]);
    return 0;
}

int spec_validate_seccomp(const struct cradle_spec *spec, cradle_error **err)
{
    const struct cradle_spec_seccomp *sc = &spec->linux_.seccomp;
    if (!spec->linux_.has_seccomp)
        return 0;
    for (size_t i = 0; i < sc->n_syscalls; i++)
        if (sc->syscalls[i].action == CRADLE_SECCOMP_ACT_NOTIFY &&
            check_notify_rule(&sc->syscalls[i], i, sc, err) < 0)
            return -1;
    if (sc->listener_path != NULL &&
        strlen(sc->listener_path) >= sizeof(((struct sockaddr_un *)0)->sun_path))
        return cradle_error_set(err, ENAMETOOLONG,
                                "linux.seccomp.listenerPath: \"%s\" is longer than a unix socket "
                                "path can be (%zu bytes)",
                                sc->listener_path, sizeof(((struct sockaddr_un *)0)->sun_path) - 1);
    return 0;
}
