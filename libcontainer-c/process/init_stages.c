#include "init_stages.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/fileutil.h"
#include "cradle/lsm.h"

int cradle_init_join_namespaces(const struct cradle_init_ctx *ctx, cradle_error **err)
{
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < ctx->n_ns_fds; i++) {
            bool is_user = ctx->ns_types[i] == CLONE_NEWUSER;
            if (is_user != (pass == 0))
                continue;
            if (setns(ctx->ns_fds[i], ctx->ns_types[i]) < 0) {
                const struct cradle_spec_namespace *ns =
                    cradle_spec_find_namespace(ctx->spec, ctx->ns_types[i]);
                return cradle_error_sys(err, "join namespace %s", ns ? ns->path : "?");
            }
            close(ctx->ns_fds[i]);
        }
    }
    return 0;
}

int cradle_init_become_root(const struct cradle_init_ctx *ctx, cradle_error **err)
{
    if (!(ctx->clone_flags & CLONE_NEWUSER) &&
        !cradle_spec_find_namespace(ctx->spec, CLONE_NEWUSER))
        return 0;
    if (setresgid(0, 0, 0) < 0)
        return cradle_error_sys(err, "setresgid to the user namespace's root");
    if (setresuid(0, 0, 0) < 0)
        return cradle_error_sys(err, "setresuid to the user namespace's root");
    return 0;
}

int cradle_init_set_names(const struct cradle_init_ctx *ctx, cradle_error **err)
{
    /* Validation refused a name without a private UTS namespace. */
    const struct cradle_spec *spec = ctx->spec;
    if (spec->hostname && sethostname(spec->hostname, strlen(spec->hostname)) < 0)
        return cradle_error_sys(err, "sethostname \"%s\"", spec->hostname);
    if (spec->domainname && setdomainname(spec->domainname, strlen(spec->domainname)) < 0)
        return cradle_error_sys(err, "setdomainname \"%s\"", spec->domainname);
    return 0;
}

int cradle_init_session_keyring(const struct cradle_init_ctx *ctx, cradle_error **err)
{
    if (ctx->no_new_keyring)
        return 0;
    char name[256];
    snprintf(name, sizeof(name), "_ses.%s", ctx->id);
    /* As runc: the keyring gets the process's SELinux label, and later keys the default
     * (without a label, keycreate was never set: nothing to set or reset). */
    const char *label = ctx->spec->process.selinux_label;
    bool labelled = label && *label;
    if (labelled && cradle_selinux_set_key_label(label, err) < 0)
        return -1;
    long r = syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name);
    int e = errno;
    if (labelled && cradle_selinux_set_key_label("", err) < 0)
        return -1;
    errno = e;
    if (r < 0) {
        /* Kernels without keyrings, or seccomp'd hosts: runc carries on too. */
        if (errno == ENOSYS)
            return 0;
        return cradle_error_sys(err, "unable to join session keyring");
    }
    bool userns = cradle_spec_find_namespace(ctx->spec, CLONE_NEWUSER) != NULL;
    return cradle_keyring_allow_search(r, userns, err);
}

/* Validation admitted only keys the container's namespaces own, naming files below
 * /proc/sys. */
int cradle_init_apply_sysctls(const struct cradle_spec *spec, cradle_error **err)
{
    for (size_t i = 0; i < spec->linux_.n_sysctls; i++) {
        const struct cradle_spec_keyval *kv = &spec->linux_.sysctls[i];
        _cleanup_free_ char *rel = cradle_sysctl_path(kv->key);
        _cleanup_free_ char *path = NULL;
        if (rel == NULL || asprintf(&path, "/proc/sys/%s", rel) < 0)
            return cradle_error_set(err, ENOMEM, "linux.sysctl: %s", kv->key);
        if (cradle_write_file_at(AT_FDCWD, path, kv->value, strlen(kv->value)) < 0)
            return cradle_error_sys(err, "linux.sysctl: set %s to \"%s\"", kv->key, kv->value);
    }
    return 0;
}
