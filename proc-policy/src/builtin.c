/* The built-in rules: runc 1.1.5's /proc allowlist (checkProcMount in
 * libcontainer/rootfs_linux.go), with ns_last_pid gated instead of open to everyone, and
 * every bind from procfs held to the procfs file it names. */
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>

#include "proc_policy_internal.h"

#define ANY_ACCESS (PP_ACCESS_RO | PP_ACCESS_RW)

struct builtin_rule {
    const char *name;
    const char *destination;
    unsigned kinds;
    bool needs_checkpoint_restore;
};

static const struct builtin_rule builtin_rules[] = {
    /* A fresh procfs, or a bind of the root of one (the host's /proc for a container
     * without a pid namespace): runc allows a bind from procfs on /proc. The bind's source
     * defaults to the rule's destination, /proc: the root, never a subdirectory whose
     * files would escape the read-only and masked paths written for /proc. */
    {"proc", "/proc", PP_KIND_PROC | PP_KIND_BIND_PROCFS, false},
    /* Files lxcfs emulates per container: from FUSE only. A procfs file there would be
     * the host's own (or, bound from elsewhere in procfs, a writable sysctl). */
    {"lxcfs-cpuinfo", "/proc/cpuinfo", PP_KIND_BIND_FUSE, false},
    {"lxcfs-diskstats", "/proc/diskstats", PP_KIND_BIND_FUSE, false},
    {"lxcfs-meminfo", "/proc/meminfo", PP_KIND_BIND_FUSE, false},
    {"lxcfs-stat", "/proc/stat", PP_KIND_BIND_FUSE, false},
    {"lxcfs-swaps", "/proc/swaps", PP_KIND_BIND_FUSE, false},
    {"lxcfs-uptime", "/proc/uptime", PP_KIND_BIND_FUSE, false},
    {"lxcfs-loadavg", "/proc/loadavg", PP_KIND_BIND_FUSE, false},
    {"lxcfs-slabinfo", "/proc/slabinfo", PP_KIND_BIND_FUSE, false},
    /* In runc's list since 2016; /proc/net is a symlink to self/net, so a destination
     * resolved through it will not match this rule (runc later dropped the entry). */
    {"lxcfs-net-dev", "/proc/net/dev", PP_KIND_BIND_FUSE, false},
    {"fips_enabled", "/proc/sys/crypto/fips_enabled", PP_KIND_BIND_FUSE, false},
    /* CRIU writes ns_last_pid to restore pids; only a container that may checkpoint and
     * restore gets a writable one, and only of ns_last_pid itself. */
    {"ns_last_pid", "/proc/sys/kernel/ns_last_pid", PP_KIND_BIND_PROCFS, true},
};

#define N_BUILTIN_RULES (sizeof(builtin_rules) / sizeof(builtin_rules[0]))

static int fill_rule(struct pp_rule *rule, const struct builtin_rule *spec)
{
    rule->name = strdup(spec->name);
    rule->destination = strdup(spec->destination);
    rule->origin = strdup("built-in");
    rule->kinds = spec->kinds;
    rule->access = ANY_ACCESS;
    if (rule->name == NULL || rule->destination == NULL || rule->origin == NULL)
        return -1;
    if (spec->needs_checkpoint_restore) {
        rule->gates = calloc(1, sizeof(*rule->gates));
        if (rule->gates == NULL)
            return -1;
        rule->gates[0].type = PP_GATE_CAP_BOUNDING;
        rule->gates[0].cap = CAP_CHECKPOINT_RESTORE;
        rule->n_gates = 1;
    }
    return 0;
}

int pp_policy_builtin(struct pp_policy *out)
{
    out->rules = calloc(N_BUILTIN_RULES, sizeof(*out->rules));
    out->n_rules = 0;
    if (out->rules == NULL)
        return -1;

    for (size_t i = 0; i < N_BUILTIN_RULES; i++) {
        /* Count the rule first so pp_policy_free releases a half-filled one too. */
        out->n_rules++;
        if (fill_rule(&out->rules[i], &builtin_rules[i]) < 0) {
            pp_policy_free(out);
            return -1;
        }
    }
    return 0;
}
