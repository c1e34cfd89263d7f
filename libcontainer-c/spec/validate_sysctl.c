/* linux.sysctl against the namespaces, with runc's rules and messages: /proc/sys is only
 * partly namespaced, and a key the container's namespaces do not own is the host's. A
 * namespace joined by a path naming the runtime's own is the host's too (runc checks that
 * for the network only). */
#include "spec_internal.h"

#include <errno.h>
#include <sched.h>
#include <string.h>

#include "cradle/cleanup.h"

static bool is_ipc_sysctl(const char *name)
{
    static const char *const ipc_sysctls[] = {
        "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
        "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
    };
    for (size_t i = 0; i < sizeof(ipc_sysctls) / sizeof(ipc_sysctls[0]); i++)
        if (strcmp(name, ipc_sysctls[i]) == 0)
            return true;
    return strncmp(name, "fs.mqueue.", strlen("fs.mqueue.")) == 0;
}

/* The key must name a file below /proc/sys: no empty, "." or ".." component. */
static int check_key_path(const char *key, cradle_error **err)
{
    _cleanup_free_ char *path = cradle_sysctl_path(key);
    if (path == NULL)
        return cradle_error_set(err, ENOMEM, "linux.sysctl: \"%s\"", key);
    for (const char *part = path;; part++) {
        size_t len = strcspn(part, "/");
        if (len == 0 || (len == 1 && part[0] == '.') || (len == 2 && strncmp(part, "..", 2) == 0))
            return cradle_error_set(err, EINVAL,
                                    "linux.sysctl: \"%s\" does not name a file below /proc/sys "
                                    "(empty, \".\" or \"..\" component)",
                                    key);
        part += len;
        if (*part == '\0')
            return 0;
    }
}

/* Which of the container's namespaces are its own: each looked up once, when the first key
 * that needs it comes (a path is only looked at for the keys it matters to, as in runc). */
struct private_namespaces {
    const struct cradle_spec *spec;
    int ipc, net, uts; /* -1 until looked up */
};

static int is_private(struct private_namespaces *own, int *known, int type, const char *name,
                      cradle_error **err)
{
    bool private_ns;
    if (*known < 0) {
        if (spec_has_private_ns(own->spec, type, name, &private_ns, err) < 0)
            return cradle_error_wrap(err, "linux.sysctl");
        *known = private_ns;
    }
    return *known;
}

static int check_sysctl(struct private_namespaces *own, const char *key, cradle_error **err)
{
    _cleanup_free_ char *name = cradle_sysctl_name(key);
    if (name == NULL)
        return cradle_error_set(err, ENOMEM, "linux.sysctl: \"%s\"", key);
    int private_ns;
    if (is_ipc_sysctl(name)) {
        if ((private_ns = is_private(own, &own->ipc, CLONE_NEWIPC, "ipc", err)) < 0)
            return -1;
        if (!private_ns)
            return cradle_error_set(err, EINVAL,
                                    "linux.sysctl: sysctl \"%s\" is not allowed in the hosts ipc "
                                    "namespace",
                                    name);
        return check_key_path(key, err);
    }
    if (strncmp(name, "net.", strlen("net.")) == 0) {
        if ((private_ns = is_private(own, &own->net, CLONE_NEWNET, "net", err)) < 0)
            return -1;
        if (!private_ns)
            return cradle_error_set(err, EINVAL,
                                    "linux.sysctl: sysctl \"%s\" not allowed in host network "
                                    "namespace",
                                    name);
        return check_key_path(key, err);
    }
    bool uts_key = strcmp(name, "kernel.domainname") == 0 || strcmp(name, "kernel.hostname") == 0;
    if (uts_key && (private_ns = is_private(own, &own->uts, CLONE_NEWUTS, "uts", err)) < 0)
        return -1;
    if (uts_key && private_ns) {
        if (strcmp(name, "kernel.domainname") == 0)
            return check_key_path(key, err);
        return cradle_error_set(err, EINVAL,
                                "linux.sysctl: sysctl \"%s\" is not allowed as it conflicts "
                                "with the OCI \"hostname\" field",
                                name);
    }
    return cradle_error_set(
        err, EINVAL, "linux.sysctl: sysctl \"%s\" is not in a separate kernel namespace", name);
}

int spec_validate_sysctls(const struct cradle_spec *spec, cradle_error **err)
{
    struct private_namespaces own = {.spec = spec, .ipc = -1, .net = -1, .uts = -1};
    for (size_t i = 0; i < spec->linux_.n_sysctls; i++)
        if (check_sysctl(&own, spec->linux_.sysctls[i].key, err) < 0)
            return -1;
    return 0;
}
