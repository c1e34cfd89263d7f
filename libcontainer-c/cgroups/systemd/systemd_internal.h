/* Private to libcontainer-c/cgroups/systemd: the systemd cgroup driver (--systemd-cgroup).
 * The pure parts (unit names, slice paths, unit properties from resources) are unit-tested
 * in tests/unit/test_systemd_path.c; bus.c talks to systemd over D-Bus (sd-bus), and
 * bus_missing.c stands in for it in a build without libsystemd (CRADLE_SYSTEMD=OFF). */
#ifndef CRADLE_SYSTEMD_INTERNAL_H
#define CRADLE_SYSTEMD_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "cradle/error.h"
#include "cradle/resources.h"

/* What a systemd cgroupsPath "slice:prefix:name" names, as runc reads it. */
struct systemd_cgroup_name {
    char *slice; /* the parent slice unit, e.g. "system.slice" */
    char *unit;  /* "PREFIX-NAME.scope", or NAME when it is a ".slice" */
    char *path;  /* the unit's cgroup, e.g. "/system.slice/cradle-ID.scope" */
};

/* Parses cgroups_path (NULL or "" = "system.slice:cradle:ID") into the unit and its cgroup.
 * Fails with runc's message for a path not of the form "slice:prefix:name", and for names
 * systemd would refuse or that would leave the slice's directory. */
int systemd_cgroup_name_parse(const char *cgroups_path, const char *id,
                              struct systemd_cgroup_name *out, cradle_error **err);

void systemd_cgroup_name_free(struct systemd_cgroup_name *name);

/* A slice's cgroup: "a-b.slice" is "/a.slice/a-b.slice", "-.slice" the root "/".
 * Fails with runc's "invalid slice name: NAME". */
int systemd_expand_slice(const char *slice, char **out, cradle_error **err);

enum systemd_prop_type {
    SYSTEMD_PROP_U64,    /* "t" */
    SYSTEMD_PROP_BOOL,   /* "b" */
    SYSTEMD_PROP_STRING, /* "s" */
    SYSTEMD_PROP_PIDS,   /* "au", one pid */
    SYSTEMD_PROP_BITS,   /* "ay", a CPU or NUMA node mask (AllowedCPUs, AllowedMemoryNodes) */
    SYSTEMD_PROP_PAIRS,  /* "a(ss)", e.g. DeviceAllow's (path, access) entries */
};

/* One unit property for StartTransientUnit or SetUnitProperties. */
struct systemd_prop {
    const char *name; /* static */
    enum systemd_prop_type type;
    uint64_t u64; /* U64, BOOL (0/1) and PIDS */
    char *str;    /* STRING */
    uint8_t *bits;
    size_t n_bits; /* bytes in bits */
    char **pairs;  /* PAIRS: 2 * n_pairs strings, each pair's first then second */
    size_t n_pairs;
};

struct systemd_props {
    struct systemd_prop *items;
    size_t n;
};

/* USEC_INFINITY / CGROUP_LIMIT_MAX: "no limit" for systemd's uint64 properties. */
#define SYSTEMD_INFINITY UINT64_MAX

int systemd_props_add_u64(struct systemd_props *p, const char *name, uint64_t value,
                          cradle_error **err);
int systemd_props_add_bool(struct systemd_props *p, const char *name, bool value,
                           cradle_error **err);
int systemd_props_add_string(struct systemd_props *p, const char *name, const char *value,
                             cradle_error **err);
int systemd_props_add_pid(struct systemd_props *p, const char *name, pid_t pid, cradle_error **err);
/* An empty "a(ss)" property, which entries are then added to. */
int systemd_props_add_pairs(struct systemd_props *p, const char *name, cradle_error **err);
int systemd_prop_add_pair(struct systemd_prop *prop, const char *first, const char *second,
                          cradle_error **err);
void systemd_props_free(struct systemd_props *p);

/* The mask systemd wants for AllowedCPUs/AllowedMemoryNodes from a cpuset list such as
 * "0-3,8": byte i holds CPUs 8i..8i+7, lowest bit first. field names the spec field. */
int systemd_range_to_bits(const char *list, const char *field, uint8_t **bits, size_t *n_bits,
                          cradle_error **err);

/* Appends the unit properties systemd owns for res, as runc's genV2ResourcesProperties
 * (unified: cgroup v2 hosts) and genV1ResourcesProperties (v1 and hybrid hosts) do;
 * properties a systemd older than version lacks are left to the cgroup files. */
int systemd_resource_props(const struct cradle_resources *res, bool unified, int version,
                           struct systemd_props *out, cradle_error **err);

struct device_set;

/* runc's device properties (devices/systemd.go) for the container's device set: a
 * deny-all set becomes DevicePolicy=strict with a DeviceAllow entry per allowed device
 * ("/dev/char/1:3", "char-pts" from proc_devices for "c 136:*", "char-*"); an allow-all
 * set, DevicePolicy=auto. systemd cannot express the rest (a deny list, "*:N" rules):
 * those are left to cradle's own device rules, with runc's warnings. */
int systemd_device_props(const struct device_set *set, const char *proc_devices, int version,
                         struct systemd_props *out, cradle_error **err);

/* D-Bus (bus.c, or bus_missing.c without libsystemd). */
struct sd_bus;

/* Fails with a clear message unless systemd is PID 1 here (sd_booted: /run/systemd/system
 * is a directory) and cradle was built with sd-bus. */
int systemd_check_running(cradle_error **err);

int systemd_bus_open(struct sd_bus **bus, cradle_error **err);
void systemd_bus_close(struct sd_bus *bus);

/* systemd's numeric version (the manager's "Version" property), e.g. 252; -1 when unknown. */
int systemd_version(struct sd_bus *bus);

/* StartTransientUnit(unit, "replace", props) and waits (30 s at most, as runc) for its job;
 * a failed unit left by an earlier container of the same name is reset and the start
 * retried once, as runc does. A unit of that name that is still there fails with EEXIST. */
int systemd_start_unit(struct sd_bus *bus, const char *unit, const struct systemd_props *props,
                       cradle_error **err);

/* SetUnitProperties(unit, runtime, props). */
int systemd_set_unit_properties(struct sd_bus *bus, const char *unit,
                                const struct systemd_props *props, cradle_error **err);

/* StopUnit(unit, "replace") waiting for its job, then ResetFailedUnit; a unit that does not
 * exist (already stopped, or never started) is not an error. */
int systemd_stop_unit(struct sd_bus *bus, const char *unit, cradle_error **err);

#endif
