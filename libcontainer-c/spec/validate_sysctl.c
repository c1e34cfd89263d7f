/* linux.sysctl against the namespaces, with runc's rules and messages: /proc/sys is only
 * partly namespaced, and a key the container's namespaces do not own is the host's. */
#include "spec_internal.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/stat.h>

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

/* "Host" means the runtime's own network namespace, which a path may also name. */
static int uses_host_netns(const struct cradle_spec *spec, bool *host, cradle_error **err)
{
    const struct cradle_spec_namespace *net = cradle_spec_find_namespace(spec, CLONE_NEWNET);
    struct stat own, joined;
    *host = net == NULL;
    if (net == NULL || net->path == NULL)
        return 0;
    if (stat("/proc/self/ns/net", &own) < 0)
        return cradle_error_sys(err, "linux.sysctl: invalid netns path: stat /proc/self/ns/net");
    if (stat(net->path, &joined) < 0)
        return cradle_error_sys(err, "linux.sysctl: invalid netns path: stat %s", net->path);
    *host = own.st_dev == joined.st_dev && own.st_ino == joined.st_ino;
    return 0;
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

static int check_sysctl(const struct cradle_spec *spec, const char *key, int *host_net,
                        cradle_error **err)
{
    _cleanup_free_ char *name = cradle_sysctl_name(key);
    if (name == NULL)
        return cradle_error_set(err, ENOMEM, "linux.sysctl: \"%s\"", key);
    if (is_ipc_sysctl(name)) {
        if (cradle_spec_find_namespace(spec, CLONE_NEWIPC) == NULL)
            return cradle_error_set(err, EINVAL,
                                    "linux.sysctl: sysctl \"%s\" is not allowed in the hosts ipc "
                                    "namespace",
                                    name);
        return check_key_path(key, err);
    }
    if (strncmp(name, "net.", strlen("net.")) == 0) {
        bool host = false;
        if (*host_net < 0 && uses_host_netns(spec, &host, err) < 0)
            return -1;
        if (*host_net < 0)
            *host_net = host;
        if (*host_net)
            return cradle_error_set(err, EINVAL,
                                    "linux.sysctl: sysctl \"%s\" not allowed in host network "
                                    "namespace",
                                    name);
        return check_key_path(key, err);
    }
    if (cradle_spec_find_namespace(spec, CLONE_NEWUTS) != NULL) {
        if (strcmp(name, "kernel.domainname") == 0)
            return check_key_path(key, err);
        if (strcmp(name, "kernel.hostname") == 0)
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
    int host_net = -1; /* looked up once, when the first net.* key needs it */
    for (size_t i = 0; i < spec->linux_.n_sysctls; i++)
        if (check_sysctl(spec, spec->linux_.sysctls[i].key, &host_net, err) < 0)
            return -1;
    return 0;
}
