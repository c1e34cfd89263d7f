#include <errno.h>
#include <string.h>

#include "cradle/criu.h"

static const char *const cgroups_modes[] = {"soft", "full", "strict", "ignore"};

int cradle_criu_check_cgroups_mode(const char *mode, cradle_error **err)
{
    for (size_t i = 0; i < sizeof(cgroups_modes) / sizeof(cgroups_modes[0]); i++)
        if (strcmp(mode, cgroups_modes[i]) == 0)
            return 0;
    return cradle_error_set(err, EINVAL,
                            "--manage-cgroups-mode: invalid mode \"%s\" (soft, full, strict or "
                            "ignore)",
                            mode);
}

int criu_add_common_options(struct criu_args *a, const struct cradle_criu_opts *o,
                            const char *log_name, cradle_error **err)
{
    if (criu_args_add(a, "--images-dir", err) < 0 || criu_args_add(a, o->image_path, err) < 0 ||
        criu_args_add(a, "--work-dir", err) < 0 ||
        criu_args_add(a, o->work_path ? o->work_path : o->image_path, err) < 0 ||
        criu_args_add(a, "--log-file", err) < 0 || criu_args_add(a, log_name, err) < 0 ||
        criu_args_add(a, "-v4", err) < 0)
        return -1;
    if (o->manage_cgroups_mode) {
        if (cradle_criu_check_cgroups_mode(o->manage_cgroups_mode, err) < 0 ||
            criu_args_addf(a, err, "--manage-cgroups=%s", o->manage_cgroups_mode) < 0)
            return -1;
    } else if (criu_args_add(a, "--manage-cgroups", err) < 0) {
        return -1;
    }
    if (o->shell_job && criu_args_add(a, "--shell-job", err) < 0)
        return -1;
    if (o->tcp_established && criu_args_add(a, "--tcp-established", err) < 0)
        return -1;
    if (o->ext_unix_sk && criu_args_add(a, "--ext-unix-sk", err) < 0)
        return -1;
    if (o->file_locks && criu_args_add(a, "--file-locks", err) < 0)
        return -1;
    if (o->auto_dedup && criu_args_add(a, "--auto-dedup", err) < 0)
        return -1;
    if (o->lazy_pages && criu_args_add(a, "--lazy-pages", err) < 0)
        return -1;
    if (o->empty_network &&
        (criu_args_add(a, "--empty-ns", err) < 0 || criu_args_add(a, "net", err) < 0))
        return -1;
    if (o->lsm_profile &&
        (criu_args_add(a, "--lsm-profile", err) < 0 || criu_args_add(a, o->lsm_profile, err) < 0))
        return -1;
    if (o->lsm_mount_context && (criu_args_add(a, "--lsm-mount-context", err) < 0 ||
                                 criu_args_add(a, o->lsm_mount_context, err) < 0))
        return -1;
    return 0;
}

/* As runc: "network" is the one namespace criu can leave empty. */
int cradle_criu_empty_ns(const char *ns, struct cradle_criu_opts *o, cradle_error **err)
{
    if (strcmp(ns, "network") != 0)
        return cradle_error_set(err, EINVAL, "namespace \"%s\" is not supported", ns);
    o->empty_network = true;
    return 0;
}
