/* The systemd cgroup driver (--systemd-cgroup): the container's cgroup is a transient
 * scope that systemd makes when it is started with the init's pid (as runc 1.1's systemd
 * managers). create only plans its directories; attach starts the scope; apply sets the
 * properties systemd owns before the files are written; destroy stops the scope. */
#include "../cgroup_internal.h"
#include "../devices.h"
#include "systemd_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cradle/cleanup.h"
#include "cradle/log.h"

static inline void systemd_bus_closep(struct sd_bus **bus)
{
    if (*bus)
        systemd_bus_close(*bus);
}
#define _cleanup_systemd_bus_ __attribute__((cleanup(systemd_bus_closep)))

/* The scope's directory in every hierarchy: systemd makes the ones it manages; attach
 * makes the others. All of them are cradle's to remove once the scope is stopped. */
static int plan_dirs(struct cradle_cgroup *cg, const struct cgroup_hierarchies *h,
                     cradle_error **err)
{
    cg->dirs = calloc(h->n + 1, sizeof(char *));
    cg->created = calloc(h->n + 1, sizeof(char *));
    if (cg->dirs == NULL || cg->created == NULL)
        return cradle_error_set(err, ENOMEM, "cgroup %s", cg->path);
    for (size_t i = 0; i < h->n; i++) {
        if (cgroup_container_dir(&h->items[i], cg->path, NULL, &cg->dirs[i], err) < 0)
            return -1;
        cg->n_dirs++;
        if ((cg->created[i] = strdup(cg->dirs[i])) == NULL)
            return cradle_error_set(err, ENOMEM, "cgroup %s", cg->path);
        cg->n_created++;
    }
    if (cgroup_classify_dirs(cg, h) < 0)
        return cradle_error_set(err, ENOMEM, "cgroup %s", cg->path);
    return 0;
}

int cgroup_systemd_create(const char *cgroups_path, const char *id, cradle_cgroup_record_fn record,
                          void *data, struct cradle_cgroup **out, cradle_error **err)
{
    struct systemd_cgroup_name name = {0};
    struct cgroup_hierarchies h = {0};
    /* As runc: a malformed cgroupsPath is reported before a missing systemd. */
    if (systemd_cgroup_name_parse(cgroups_path, id, &name, err) < 0)
        return -1;
    if (systemd_check_running(err) < 0) {
        systemd_cgroup_name_free(&name);
        return -1;
    }
    struct cradle_cgroup *cg = calloc(1, sizeof(*cg));
    int r = cg ? cgroup_read_hierarchies(&h, err)
               : cradle_error_set(err, ENOMEM, "cgroup for container %s", id);
    if (r == 0 && h.n == 0)
        r = cradle_error_set(err, ENOENT, "no cgroup hierarchy is mounted on this host");
    if (r == 0) {
        cg->path = TAKE_PTR(name.path);
        cg->systemd_unit = TAKE_PTR(name.unit);
        r = plan_dirs(cg, &h, err);
    }
    if (r == 0)
        r = record(cg, data, err);
    cgroup_hierarchies_free(&h);
    systemd_cgroup_name_free(&name);
    if (r < 0) {
        cradle_cgroup_free(cg);
        return -1;
    }
    *out = cg;
    return 0;
}

/* The slice a unit at path sits in: its parent directory's name ("-.slice" at the top). */
static char *parent_slice(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL || slash == path)
        return strdup("-.slice");
    const char *start = slash - 1;
    while (start > path && *start != '/')
        start--;
    return strndup(start + 1, (size_t)(slash - start - 1));
}

/* runc's Apply properties: the unit holds the init, is delegated to the container (its
 * processes may make sub-cgroups), accounts for every controller, and does not wait for
 * or order itself after other units. */
static int start_props(const struct cradle_cgroup *cg, pid_t pid, struct systemd_props *p,
                       cradle_error **err)
{
    _cleanup_free_ char *slice = parent_slice(cg->path);
    _cleanup_free_ char *description = NULL;
    if (slice == NULL || asprintf(&description, "cradle container %s", cg->systemd_unit) < 0)
        return cradle_error_set(err, ENOMEM, "systemd unit %s", cg->systemd_unit);
    size_t len = strlen(cg->systemd_unit);
    bool is_slice = len > 6 && strcmp(cg->systemd_unit + len - 6, ".slice") == 0;
    if (systemd_props_add_string(p, "Description", description, err) < 0 ||
        systemd_props_add_string(p, is_slice ? "Wants" : "Slice", slice, err) < 0 ||
        systemd_props_add_pid(p, "PIDs", pid, err) < 0 ||
        (!is_slice && systemd_props_add_bool(p, "Delegate", true, err) < 0))
        return -1;
    static const char *const accounting[] = {"MemoryAccounting", "CPUAccounting", "IOAccounting",
                                             "TasksAccounting"};
    for (size_t i = 0; i < sizeof(accounting) / sizeof(accounting[0]); i++)
        if (systemd_props_add_bool(p, accounting[i], true, err) < 0)
            return -1;
    return systemd_props_add_bool(p, "DefaultDependencies", false, err);
}

/* Makes dir and the missing levels above it; new v1 cpuset levels get their parent's cpus
 * and mems before anything joins them. */
static int make_dir(const struct cgroup_hierarchy *h, const char *dir, cradle_error **err)
{
    _cleanup_free_ char *level = strdup(dir);
    if (level == NULL)
        return cradle_error_set(err, ENOMEM, "creating cgroup %s", dir);
    bool cpuset = !h->unified && cgroup_has_controller(h->controllers, "cpuset");
    for (char *slash = level + strlen(h->mountpoint); slash;) {
        slash = strchr(slash + 1, '/');
        if (slash)
            *slash = '\0';
        if (mkdir(level, 0755) == 0) {
            if (cpuset && cgroup_cpuset_inherit(level, err) < 0)
                return -1;
        } else if (errno != EEXIST) {
            return cradle_error_sys(err, "creating cgroup %s", level);
        }
        if (slash)
            *slash = '/';
    }
    return 0;
}

/* systemd placed the init in the hierarchies it manages (cgroup2, name=systemd and the v1
 * controllers it accounts); the others (e.g. v1 cpuset, freezer, hugetlb) the init joins
 * here, as runc's joinCgroups. */
static int join_unmanaged(const struct cradle_cgroup *cg, pid_t pid, cradle_error **err)
{
    struct cgroup_hierarchies h = {0};
    if (cgroup_read_hierarchies(&h, err) < 0)
        return -1;
    int r = 0;
    char value[32];
    snprintf(value, sizeof(value), "%d", (int)pid);
    for (size_t i = 0; r == 0 && i < cg->n_dirs; i++) {
        struct stat st;
        if (stat(cg->dirs[i], &st) == 0)
            continue;
        const struct cgroup_hierarchy *hier = cgroup_hierarchy_of(&h, cg->dirs[i]);
        if (hier == NULL || hier->unified) {
            r = cradle_error_set(err, ENOENT, "systemd unit %s has no cgroup %s", cg->systemd_unit,
                                 cg->dirs[i]);
            break;
        }
        _cleanup_free_ char *procs = cgroup_path_join(cg->dirs[i], "cgroup.procs");
        r = procs ? make_dir(hier, cg->dirs[i], err)
                  : cradle_error_set(err, ENOMEM, "cgroup %s", cg->dirs[i]);
        if (r == 0)
            r = cgroup_write_text(procs, value, err);
    }
    cgroup_hierarchies_free(&h);
    return r;
}

/* As runc 1.1: a unit of that name that is running already (another container's) is
 * joined, with runc's warning. It is not this container's: its delete (or a failed
 * create) neither stops the unit nor removes its directories. */
static int join_existing_unit(struct cradle_cgroup *cg, pid_t pid, cradle_error **err)
{
    free(cg->systemd_unit);
    cg->systemd_unit = NULL;
    for (size_t i = 0; i < cg->n_created; i++)
        free(cg->created[i]);
    cg->n_created = 0;
    cg->created[0] = NULL;
    _cleanup_free_ pid_t *pids = NULL;
    size_t n = 0;
    if (cradle_cgroup_pids(cg, &pids, &n, NULL) == 0 && n > 0)
        cradle_warn("container's cgroup is not empty: %zu process(es) found", n);
    if (join_unmanaged(cg, pid, err) < 0)
        return -1;
    return cradle_cgroup_enter(cg, pid, err);
}

int cradle_cgroup_attach(struct cradle_cgroup *cg, pid_t pid, cradle_error **err)
{
    if (cg->systemd_unit == NULL)
        return 0;
    _cleanup_systemd_bus_ struct sd_bus *bus = NULL;
    struct systemd_props props = {0};
    int r = start_props(cg, pid, &props, err);
    if (r == 0)
        r = systemd_bus_open(&bus, err);
    if (r == 0)
        r = systemd_start_unit(bus, cg->systemd_unit, &props, err);
    systemd_props_free(&props);
    if (r < 0 && err && *err && (*err)->errnum == EEXIST) {
        cradle_error_free(err);
        return join_existing_unit(cg, pid, err);
    }
    if (r < 0)
        return -1;
    return join_unmanaged(cg, pid, err);
}

/* cgroup v2 only (no v1 hierarchy): systemd takes the v2 properties (MemoryMax...). */
static bool unified_only(const struct cradle_cgroup *cg)
{
    return cg->unified_dir != NULL && cg->n_dirs == 1;
}

/* The device rules cradle applies (the config's, then runc's defaults) as systemd's. */
static int device_props(const struct cradle_resources *res, int version, struct systemd_props *p,
                        cradle_error **err)
{
    _cleanup_free_ struct cradle_device_rule *rules = NULL;
    _cleanup_device_set_ struct device_set set = {0};
    _cleanup_free_ char *proc_devices = NULL;
    size_t n = 0;
    if (cgroup_devices_effective(res, &rules, &n, err) < 0)
        return -1;
    if (device_set_from_rules(rules, n, &set, err) < 0)
        return cradle_error_wrap(err, "linux.resources.devices");
    if (cgroup_read_text("/proc/devices", &proc_devices, err) < 0)
        return -1;
    return systemd_device_props(&set, proc_devices, version, p, err);
}

int cgroup_systemd_apply(const struct cradle_cgroup *cg, const struct cradle_resources *res,
                         cradle_error **err)
{
    _cleanup_systemd_bus_ struct sd_bus *bus = NULL;
    struct systemd_props props = {0};
    if (systemd_bus_open(&bus, err) < 0)
        return -1;
    int version = systemd_version(bus);
    int r = device_props(res, version, &props, err);
    if (r == 0)
        r = systemd_resource_props(res, unified_only(cg), version, &props, err);
    if (r == 0)
        r = systemd_set_unit_properties(bus, cg->systemd_unit, &props, err);
    systemd_props_free(&props);
    return r;
}

int cgroup_systemd_stop(const struct cradle_cgroup *cg, cradle_error **err)
{
    _cleanup_systemd_bus_ struct sd_bus *bus = NULL;
    if (systemd_bus_open(&bus, err) < 0)
        return -1;
    return systemd_stop_unit(bus, cg->systemd_unit, err);
}
