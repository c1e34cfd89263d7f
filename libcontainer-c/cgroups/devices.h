/* Private to the device-rule code of libcontainer-c/cgroups (devices*.c, v2/devices_*.c). */
#ifndef CRADLE_CGROUP_DEVICES_H
#define CRADLE_CGROUP_DEVICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cradle/error.h"
#include "cradle/resources.h"

/* res's device rules followed by runc's default allowed devices (res may be NULL), as a
 * malloc'd array whose access strings point into res or static storage. */
int cgroup_devices_effective(const struct cradle_resources *res, struct cradle_device_rule **out,
                             size_t *n_out, cradle_error **err);

/* Access bits of a device exception. */
enum {
    DEVICE_ACCESS_READ = 1u << 0,
    DEVICE_ACCESS_WRITE = 1u << 1,
    DEVICE_ACCESS_MKNOD = 1u << 2,
    DEVICE_ACCESS_ALL = 7u,
};

/* One exception to the default: type 'b' or 'c', major/minor -1 for "*". */
struct device_exception {
    char type;
    int64_t major;
    int64_t minor;
    unsigned access;
};

/* The state the v1 devices controller keeps, as runc's devices emulator models it: a
 * default (allow or deny) and the exceptions to it, kept sorted by (major, minor, type)
 * with -1 first, one per (type, major, minor). */
struct device_set {
    bool default_allow;
    struct device_exception *items;
    size_t n;
};

void device_set_free(struct device_set *set);
#define _cleanup_device_set_ __attribute__((cleanup(device_set_free)))

/* Applies one rule as the kernel's v1 controller does: an 'a' rule resets the set to
 * allow-all or deny-all; others add or remove an exception. Removing access that a
 * wildcard exception grants fails, as in runc ("cannot punch hole in existing wildcard
 * rule"): v1 would silently keep it. */
int device_set_apply(struct device_set *set, const struct cradle_device_rule *rule,
                     cradle_error **err);

/* The set that rules build from deny-all. */
int device_set_from_rules(const struct cradle_device_rule *rules, size_t n, struct device_set *out,
                          cradle_error **err);

/* The set a v1 devices.list text shows ("a *:* rwm" alone = allow-all; the kernel does
 * not list the exceptions of an allow-all cgroup). */
int device_set_parse_list(const char *text, struct device_set *out, cradle_error **err);

bool device_set_equal(const struct device_set *a, const struct device_set *b);

/* One line to write to devices.allow (allow) or devices.deny. */
struct device_write {
    bool allow;
    char line[64];
};

/* The writes that turn the v1 state from into to, as runc's emulator Transition: one
 * reset ("a") first when the default changes or from is allow-all (whose exceptions are
 * unknown), else removals of what to lacks, then additions. */
int device_set_transition(const struct device_set *from, const struct device_set *to,
                          struct device_write **out, size_t *n_out, cradle_error **err);

/* "rwm"-style text of access bits into buf (at least 4 bytes). */
void device_access_text(unsigned access, char *buf);

/* Brings the v1 devices directory dir to target (the minimal writes from its current
 * devices.list), then checks that devices.list shows it. */
int cgroup_devices_v1_apply(const char *dir, const struct device_set *target, cradle_error **err);

struct bpf_insn;

/* The BPF_PROG_TYPE_CGROUP_DEVICE program enforcing set, as runc's devicefilter builds
 * it: one block per exception that returns the exception's verdict when the device
 * matches, then the default. A malloc'd array of *n instructions. */
int device_filter_program(const struct device_set *set, struct bpf_insn **out, size_t *n,
                          cradle_error **err);

/* Loads the program for target (BPF_PROG_LOAD, through the kernel's verifier): an
 * O_CLOEXEC fd of it. */
int device_filter_load(const struct device_set *target, cradle_error **err);

/* Loads the program for target and attaches it to the cgroup2 directory dir with
 * BPF_F_ALLOW_MULTI, then detaches the programs attached there before (as runc does):
 * while both are attached a device needs both to allow it. */
int cgroup_devices_v2_apply(const char *dir, const struct device_set *target, cradle_error **err);

#endif
