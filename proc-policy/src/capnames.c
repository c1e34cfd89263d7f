/* Capability names for messages and (later) for "cap:CAP_X" in policy files. Kept here
 * because proc-policy depends on nothing else in cradle, not even libcap. */
#include <linux/capability.h>
#include <strings.h>

#include "proc_policy_internal.h"

#define CAP_ENTRY(cap) [cap] = #cap

static const char *const cap_names[] = {
    CAP_ENTRY(CAP_CHOWN),
    CAP_ENTRY(CAP_DAC_OVERRIDE),
    CAP_ENTRY(CAP_DAC_READ_SEARCH),
    CAP_ENTRY(CAP_FOWNER),
    CAP_ENTRY(CAP_FSETID),
    CAP_ENTRY(CAP_KILL),
    CAP_ENTRY(CAP_SETGID),
    CAP_ENTRY(CAP_SETUID),
    CAP_ENTRY(CAP_SETPCAP),
    CAP_ENTRY(CAP_LINUX_IMMUTABLE),
    CAP_ENTRY(CAP_NET_BIND_SERVICE),
    CAP_ENTRY(CAP_NET_BROADCAST),
    CAP_ENTRY(CAP_NET_ADMIN),
    CAP_ENTRY(CAP_NET_RAW),
    CAP_ENTRY(CAP_IPC_LOCK),
    CAP_ENTRY(CAP_IPC_OWNER),
    CAP_ENTRY(CAP_SYS_MODULE),
    CAP_ENTRY(CAP_SYS_RAWIO),
    CAP_ENTRY(CAP_SYS_CHROOT),
    CAP_ENTRY(CAP_SYS_PTRACE),
    CAP_ENTRY(CAP_SYS_PACCT),
    CAP_ENTRY(CAP_SYS_ADMIN),
    CAP_ENTRY(CAP_SYS_BOOT),
    CAP_ENTRY(CAP_SYS_NICE),
    CAP_ENTRY(CAP_SYS_RESOURCE),
    CAP_ENTRY(CAP_SYS_TIME),
    CAP_ENTRY(CAP_SYS_TTY_CONFIG),
    CAP_ENTRY(CAP_MKNOD),
    CAP_ENTRY(CAP_LEASE),
    CAP_ENTRY(CAP_AUDIT_WRITE),
    CAP_ENTRY(CAP_AUDIT_CONTROL),
    CAP_ENTRY(CAP_SETFCAP),
    CAP_ENTRY(CAP_MAC_OVERRIDE),
    CAP_ENTRY(CAP_MAC_ADMIN),
    CAP_ENTRY(CAP_SYSLOG),
    CAP_ENTRY(CAP_WAKE_ALARM),
    CAP_ENTRY(CAP_BLOCK_SUSPEND),
    CAP_ENTRY(CAP_AUDIT_READ),
    CAP_ENTRY(CAP_PERFMON),
    CAP_ENTRY(CAP_BPF),
    CAP_ENTRY(CAP_CHECKPOINT_RESTORE),
};

#define N_CAP_NAMES ((int)(sizeof(cap_names) / sizeof(cap_names[0])))

const char *pp_cap_name(int cap)
{
    if (cap < 0 || cap >= N_CAP_NAMES)
        return NULL;
    return cap_names[cap];
}

int pp_cap_from_name(const char *name)
{
    for (int cap = 0; cap < N_CAP_NAMES; cap++)
        if (strcasecmp(cap_names[cap], name) == 0)
            return cap;
    return -1;
}
