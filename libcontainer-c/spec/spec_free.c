/* Freeing a spec, including one a parser left half-filled after an error. */
#include "spec_internal.h"

#include "cradle/cleanup.h"

#include <stdlib.h>

void spec_free_keyvals(struct cradle_spec_keyval *kv, size_t n)
{
    for (size_t i = 0; kv && i < n; i++) {
        free(kv[i].key);
        free(kv[i].value);
    }
    free(kv);
}

static void free_process(struct cradle_spec_process *p)
{
    free(p->user.additional_gids);
    cleanup_strvp(&p->args);
    cleanup_strvp(&p->env);
    free(p->cwd);
    for (size_t i = 0; p->rlimits && i < p->n_rlimits; i++)
        free(p->rlimits[i].name);
    free(p->rlimits);
    free(p->apparmor_profile);
    free(p->selinux_label);
}

static void free_mounts(struct cradle_spec_mount *mounts, size_t n)
{
    for (size_t i = 0; mounts && i < n; i++) {
        free(mounts[i].destination);
        free(mounts[i].type);
        free(mounts[i].source);
        cleanup_strvp(&mounts[i].options);
        free(mounts[i].data);
        free(mounts[i].uid_mappings);
        free(mounts[i].gid_mappings);
    }
    free(mounts);
}

static void free_seccomp(struct cradle_spec_seccomp *sc)
{
    cleanup_strvp(&sc->architectures);
    for (size_t i = 0; sc->syscalls && i < sc->n_syscalls; i++) {
        cleanup_strvp(&sc->syscalls[i].names);
        free(sc->syscalls[i].args);
    }
    free(sc->syscalls);
    free(sc->listener_path);
    free(sc->listener_metadata);
}

static void free_linux(struct cradle_spec_linux *lnx)
{
    for (size_t i = 0; lnx->namespaces && i < lnx->n_namespaces; i++)
        free(lnx->namespaces[i].path);
    free(lnx->namespaces);
    free(lnx->uid_mappings);
    free(lnx->gid_mappings);
    for (size_t i = 0; lnx->devices && i < lnx->n_devices; i++)
        free(lnx->devices[i].path);
    free(lnx->devices);
    cradle_resources_free(&lnx->resources);
    free(lnx->cgroups_path);
    cleanup_strvp(&lnx->masked_paths);
    cleanup_strvp(&lnx->readonly_paths);
    spec_free_keyvals(lnx->sysctls, lnx->n_sysctls);
    free(lnx->mount_label);
    spec_free_net_devices(lnx->net_devices, lnx->n_net_devices);
    spec_free_intel_rdt(&lnx->intel_rdt);
    free(lnx->memory_policy.nodes);
    free_seccomp(&lnx->seccomp);
}

void cradle_spec_hook_list_free(struct cradle_spec_hook_list *list)
{
    for (size_t i = 0; list->hooks && i < list->n_hooks; i++) {
        free(list->hooks[i].path);
        cleanup_strvp(&list->hooks[i].args);
        cleanup_strvp(&list->hooks[i].env);
    }
    free(list->hooks);
}

void cradle_spec_free(struct cradle_spec *spec)
{
    if (spec == NULL)
        return;
    free(spec->oci_version);
    free(spec->root_path);
    free(spec->hostname);
    free(spec->domainname);
    spec_free_keyvals(spec->annotations, spec->n_annotations);
    free_process(&spec->process);
    free_mounts(spec->mounts, spec->n_mounts);
    free_linux(&spec->linux_);
    cradle_spec_hook_list_free(&spec->hooks.prestart);
    cradle_spec_hook_list_free(&spec->hooks.create_runtime);
    cradle_spec_hook_list_free(&spec->hooks.create_container);
    cradle_spec_hook_list_free(&spec->hooks.start_container);
    cradle_spec_hook_list_free(&spec->hooks.poststart);
    cradle_spec_hook_list_free(&spec->hooks.poststop);
    free(spec);
}
