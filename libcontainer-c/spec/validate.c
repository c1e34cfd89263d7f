/* cradle_spec_validate: the checks over the parsed spec as a whole, one list as runc's
 * libcontainer/configs/validate has. The parser checks each value's form (types, known
 * names, absolute paths); these check values against each other and against the kernel's
 * limits, before anything is created. */
#include "spec_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <string.h>

#include "cradle/log.h"

static int check_namespaces(const struct cradle_spec *spec, cradle_error **err)
{
    const struct cradle_spec_linux *lnx = &spec->linux_;
    char where[SPEC_PATH_MAX];
    for (size_t i = 0; i < lnx->n_namespaces; i++)
        for (size_t j = 0; j < i; j++)
            if (lnx->namespaces[j].type == lnx->namespaces[i].type)
                return cradle_error_set(err, EINVAL, "%s.type: duplicate namespace type \"%s\"",
                                        spec_path_index(where, "linux.namespaces", i),
                                        spec_namespace_name(lnx->namespaces[i].type));
    return 0;
}

/* A uts namespace joined by a path naming the runtime's own would set the host's names. */
static int check_uts(const struct cradle_spec *spec, cradle_error **err)
{
    bool own_uts;
    if (!(spec->hostname && *spec->hostname) && !(spec->domainname && *spec->domainname))
        return 0;
    if (spec_has_private_ns(spec, CLONE_NEWUTS, "uts", &own_uts, err) < 0)
        return cradle_error_wrap(err, spec->hostname ? "hostname" : "domainname");
    if (own_uts)
        return 0;
    if (spec->hostname && *spec->hostname)
        return cradle_error_set(err, EINVAL,
                                "hostname: unable to set hostname without a private UTS "
                                "namespace");
    if (spec->domainname && *spec->domainname)
        return cradle_error_set(err, EINVAL,
                                "domainname: unable to set domainname without a private UTS "
                                "namespace");
    return 0;
}

static int check_id_mappings(const struct cradle_spec *spec, cradle_error **err)
{
    const struct cradle_spec_linux *lnx = &spec->linux_;
    const struct cradle_spec_namespace *user = cradle_spec_find_namespace(spec, CLONE_NEWUSER);
    if (user == NULL && (lnx->n_uid_mappings || lnx->n_gid_mappings))
        return cradle_error_set(err, EINVAL,
                                "linux.uidMappings: user namespace mappings specified, but USER "
                                "namespace isn't enabled in linux.namespaces");
    if (user && user->path == NULL && (lnx->n_uid_mappings == 0 || lnx->n_gid_mappings == 0))
        return cradle_error_set(err, EINVAL,
                                "linux.uidMappings/gidMappings: a new user namespace needs both");
    return 0;
}

/* runc: masking and read-only paths are mounts, which need the container's own table. */
static int check_restricted_paths(const struct cradle_spec *spec, cradle_error **err)
{
    const struct cradle_spec_linux *lnx = &spec->linux_;
    if ((lnx->n_masked_paths || lnx->n_readonly_paths) &&
        cradle_spec_find_namespace(spec, CLONE_NEWNS) == NULL)
        return cradle_error_set(err, EINVAL,
                                "%s: unable to restrict sys entries without a private MNT "
                                "namespace",
                                lnx->n_masked_paths ? "linux.maskedPaths" : "linux.readonlyPaths");
    return 0;
}

static int check_rlimits(const struct cradle_spec *spec, cradle_error **err)
{
    const struct cradle_spec_process *proc = &spec->process;
    char where[SPEC_PATH_MAX];
    for (size_t i = 0; i < proc->n_rlimits; i++) {
        const struct cradle_spec_rlimit *rl = &proc->rlimits[i];
        spec_path_index(where, "process.rlimits", i);
        if (rl->soft > rl->hard)
            return cradle_error_set(err, EINVAL,
                                    "%s: soft limit %" PRIu64 " is above hard limit %" PRIu64,
                                    where, rl->soft, rl->hard);
        for (size_t j = 0; j < i; j++)
            if (proc->rlimits[j].resource == rl->resource)
                return cradle_error_set(err, EINVAL, "%s.type: duplicate rlimit type \"%s\"", where,
                                        rl->name);
    }
    return 0;
}

/* The container's cgroup lies below the hierarchy's root or the caller's cgroup: a
 * cgroupsPath that climbs with ".." or names that root itself (only "/" and "."
 * components) would take over a cgroup that is not the container's. "" means the
 * default, "/<id>". */
static int check_cgroups_path(const struct cradle_spec *spec, cradle_error **err)
{
    const char *path = spec->linux_.cgroups_path;
    if (path == NULL || *path == '\0')
        return 0;
    bool names_a_cgroup = false;
    for (const char *part = path; *part;) {
        size_t len = strcspn(part, "/");
        if (len == 2 && strncmp(part, "..", 2) == 0)
            return cradle_error_set(err, EINVAL, "linux.cgroupsPath \"%s\": \"..\" is not allowed",
                                    path);
        if (len > 0 && !(len == 1 && *part == '.'))
            names_a_cgroup = true;
        part += len + (part[len] == '/');
    }
    if (!names_a_cgroup)
        return cradle_error_set(err, EINVAL,
                                "linux.cgroupsPath \"%s\" names an existing cgroup that is not the "
                                "container's own",
                                path);
    return 0;
}

/* An ambient capability can only be raised when it is permitted and inheritable. runc's
 * default spec lists ambient capabilities without inheritable ones, and runc and crun run
 * it without them: they are dropped here, once, so that init raises exactly the rest. For
 * uid 0 the ambient set changes nothing (exec gives root its bounding set): no warning. */
static void drop_unraisable_ambient(struct cradle_spec_process *proc)
{
    struct cradle_spec_capabilities *caps = &proc->capabilities;
    uint64_t dropped = caps->ambient & ~(caps->inheritable & caps->permitted);
    caps->ambient &= ~dropped;
    if (proc->user.uid == 0)
        return;
    for (int cap = 0; cap < 64; cap++) {
        if (!(dropped & (UINT64_C(1) << cap)))
            continue;
        /* Every bit came from a name the parser knows. */
        cradle_warn("can't raise ambient capability %s: it is not in "
                    "process.capabilities.%s; running without it",
                    cradle_cap_name(cap),
                    caps->inheritable & (UINT64_C(1) << cap) ? "permitted" : "inheritable");
    }
}

int cradle_spec_validate(struct cradle_spec *spec, cradle_error **err)
{
    static int (*const checks[])(const struct cradle_spec *, cradle_error **) = {
        check_namespaces,
        check_uts,
        check_id_mappings,
        spec_validate_sysctls,
        check_restricted_paths,
        check_rlimits,
        spec_validate_devices,
        check_cgroups_path,
        spec_validate_mounts,
        spec_validate_seccomp,
        spec_validate_process_sched,
    };
    for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
        if (checks[i](spec, err) < 0)
            return -1;
    /* Against the host: process.selinuxLabel, linux.netDevices, linux.intelRdt. */
    if (spec_validate_lsm(spec, err) < 0 || spec_validate_net_devices(spec, err) < 0 ||
        spec_validate_intel_rdt(spec, err) < 0)
        return -1;
    if (spec_validate_linux_fields(spec, err) < 0)
        return -1;
    if (spec->has_process)
        drop_unraisable_ambient(&spec->process);
    return 0;
}

int cradle_spec_validate_process(struct cradle_spec *spec, cradle_error **err)
{
    if (check_rlimits(spec, err) < 0 || spec_validate_process_sched(spec, err) < 0)
        return -1;
    /* runc's exec validates its process's label as create does. */
    if (spec_validate_lsm(spec, err) < 0)
        return -1;
    drop_unraisable_ambient(&spec->process);
    return 0;
}
