/* The config.json that "runc spec" (and "runc spec --rootless") of runc 1.1.5 writes,
 * member for member and in the same order. */
#include "spec_internal.h"

#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

/* Building goes on after an allocation fails so that the code reads as the document
 * does; add() and push() drop what they cannot attach and remember the failure. */
struct builder {
    bool failed;
};

static void add(struct builder *b, struct json_object *obj, const char *key,
                struct json_object *value)
{
    if (obj == NULL || value == NULL || json_object_object_add(obj, key, value) < 0) {
        b->failed = true;
        json_object_put(value);
    }
}

static void push(struct builder *b, struct json_object *arr, struct json_object *value)
{
    if (arr == NULL || value == NULL || json_object_array_add(arr, value) < 0) {
        b->failed = true;
        json_object_put(value);
    }
}

static struct json_object *strv_array(struct builder *b, const char *const *v)
{
    struct json_object *arr = json_object_new_array();
    for (; *v; v++)
        push(b, arr, json_object_new_string(*v));
    return arr;
}

static struct json_object *default_process(struct builder *b)
{
    static const char *const args[] = {"sh", NULL};
    static const char *const env[] = {
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm", NULL};
    static const char *const caps[] = {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE", NULL};
    static const char *const cap_sets[] = {"bounding", "effective", "permitted", "ambient"};

    struct json_object *proc = json_object_new_object();
    struct json_object *user = json_object_new_object();
    struct json_object *capabilities = json_object_new_object();
    struct json_object *nofile = json_object_new_object();
    struct json_object *rlimits = json_object_new_array();

    add(b, user, "uid", json_object_new_int(0));
    add(b, user, "gid", json_object_new_int(0));
    for (size_t i = 0; i < sizeof(cap_sets) / sizeof(cap_sets[0]); i++)
        add(b, capabilities, cap_sets[i], strv_array(b, caps));
    add(b, nofile, "type", json_object_new_string("RLIMIT_NOFILE"));
    add(b, nofile, "hard", json_object_new_int(1024));
    add(b, nofile, "soft", json_object_new_int(1024));
    push(b, rlimits, nofile);

    add(b, proc, "terminal", json_object_new_boolean(1));
    add(b, proc, "user", user);
    add(b, proc, "args", strv_array(b, args));
    add(b, proc, "env", strv_array(b, env));
    add(b, proc, "cwd", json_object_new_string("/"));
    add(b, proc, "capabilities", capabilities);
    add(b, proc, "rlimits", rlimits);
    add(b, proc, "noNewPrivileges", json_object_new_boolean(1));
    return proc;
}

static struct json_object *mount(struct builder *b, const char *destination, const char *type,
                                 const char *source, const char *const *options)
{
    struct json_object *m = json_object_new_object();
    add(b, m, "destination", json_object_new_string(destination));
    add(b, m, "type", json_object_new_string(type));
    add(b, m, "source", json_object_new_string(source));
    if (options != NULL)
        add(b, m, "options", strv_array(b, options));
    return m;
}

static struct json_object *default_mounts(struct builder *b, bool rootless)
{
    static const char *const dev[] = {"nosuid", "strictatime", "mode=755", "size=65536k", NULL};
    static const char *const pts[] = {"nosuid",    "noexec", "newinstance", "ptmxmode=0666",
                                      "mode=0620", "gid=5",  NULL};
    static const char *const shm[] = {"nosuid",    "noexec",      "nodev",
                                      "mode=1777", "size=65536k", NULL};
    static const char *const mqueue[] = {"nosuid", "noexec", "nodev", NULL};
    static const char *const sys[] = {"nosuid", "noexec", "nodev", "ro", NULL};
    static const char *const sys_rootless[] = {"rbind", "nosuid", "noexec", "nodev", "ro", NULL};
    static const char *const cgroup[] = {"nosuid", "noexec", "nodev", "relatime", "ro", NULL};

    /* Without a user namespace mapping gid 5, "gid=5" would make the devpts mount fail. */
    static const char *const pts_rootless[] = {"nosuid",        "noexec",    "newinstance",
                                               "ptmxmode=0666", "mode=0620", NULL};

    struct json_object *mounts = json_object_new_array();
    push(b, mounts, mount(b, "/proc", "proc", "proc", NULL));
    push(b, mounts, mount(b, "/dev", "tmpfs", "tmpfs", dev));
    json_object_array_add(mounts,
                          mount(b, "/dev/pts", "devpts", "devpts", rootless ? pts_rootless : pts));
    push(b, mounts, mount(b, "/dev/shm", "tmpfs", "shm", shm));
    push(b, mounts, mount(b, "/dev/mqueue", "mqueue", "mqueue", mqueue));
    /* An unprivileged user cannot mount a fresh sysfs, so rootless binds the host's. */
    if (rootless)
        push(b, mounts, mount(b, "/sys", "none", "/sys", sys_rootless));
    else
        push(b, mounts, mount(b, "/sys", "sysfs", "sysfs", sys));
    push(b, mounts, mount(b, "/sys/fs/cgroup", "cgroup", "cgroup", cgroup));
    return mounts;
}

/* The container's root mapped to the caller's own id, as "runc spec --rootless" does. */
static struct json_object *root_id_mapping(struct builder *b, unsigned int host_id)
{
    struct json_object *maps = json_object_new_array();
    struct json_object *map = json_object_new_object();
    add(b, map, "containerID", json_object_new_int(0));
    add(b, map, "hostID", json_object_new_int64(host_id));
    add(b, map, "size", json_object_new_int(1));
    push(b, maps, map);
    return maps;
}

static struct json_object *default_resources(struct builder *b)
{
    struct json_object *resources = json_object_new_object();
    struct json_object *devices = json_object_new_array();
    struct json_object *deny_all = json_object_new_object();
    add(b, deny_all, "allow", json_object_new_boolean(0));
    add(b, deny_all, "access", json_object_new_string("rwm"));
    push(b, devices, deny_all);
    add(b, resources, "devices", devices);
    return resources;
}

/* As runc spec: on a pure cgroup v2 host the container gets a cgroup namespace, so that its
 * cgroup2 mount is its own (and cannot change the host's hierarchy-wide options). */
static bool host_is_pure_cgroup2(void)
{
    struct statfs sf;
    return statfs("/sys/fs/cgroup", &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC;
}

static void push_namespace(struct builder *b, struct json_object *arr, const char *type)
{
    struct json_object *ns = json_object_new_object();
    add(b, ns, "type", json_object_new_string(type));
    push(b, arr, ns);
}

/* In runc's order: rootless drops the network namespace (no way to configure it) and adds
 * a user namespace last. */
static struct json_object *namespaces(struct builder *b, bool rootless)
{
    static const char *const common[] = {"pid", "network", "ipc", "uts", "mount", NULL};
    struct json_object *arr = json_object_new_array();
    for (const char *const *t = common; *t; t++)
        if (!rootless || strcmp(*t, "network") != 0)
            push_namespace(b, arr, *t);
    if (host_is_pure_cgroup2())
        push_namespace(b, arr, "cgroup");
    if (rootless)
        push_namespace(b, arr, "user");
    return arr;
}

static struct json_object *default_linux(struct builder *b, bool rootless)
{
    static const char *const masked[] = {"/proc/acpi",
                                         "/proc/asound",
                                         "/proc/kcore",
                                         "/proc/keys",
                                         "/proc/latency_stats",
                                         "/proc/timer_list",
                                         "/proc/timer_stats",
                                         "/proc/sched_debug",
                                         "/sys/firmware",
                                         "/proc/scsi",
                                         NULL};
    static const char *const readonly[] = {
        "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL};

    struct json_object *lnx = json_object_new_object();
    if (rootless) {
        add(b, lnx, "uidMappings", root_id_mapping(b, geteuid()));
        add(b, lnx, "gidMappings", root_id_mapping(b, getegid()));
    } else {
        add(b, lnx, "resources", default_resources(b));
    }
    add(b, lnx, "namespaces", namespaces(b, rootless));
    add(b, lnx, "maskedPaths", strv_array(b, masked));
    add(b, lnx, "readonlyPaths", strv_array(b, readonly));
    return lnx;
}

char *cradle_spec_default_json(bool rootless)
{
    struct builder builder = {false}, *b = &builder;
    struct json_object *doc = json_object_new_object();
    struct json_object *root = json_object_new_object();
    add(b, root, "path", json_object_new_string("rootfs"));
    add(b, root, "readonly", json_object_new_boolean(1));

    add(b, doc, "ociVersion", json_object_new_string("1.0.2-dev"));
    add(b, doc, "process", default_process(b));
    add(b, doc, "root", root);
    add(b, doc, "hostname", json_object_new_string("runc"));
    add(b, doc, "mounts", default_mounts(b, rootless));
    add(b, doc, "linux", default_linux(b, rootless));

    const char *text = b->failed
                           ? NULL
                           : json_object_to_json_string_ext(
                                 doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_PRETTY_TAB |
                                          JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
    char *copy = text ? strdup(text) : NULL;
    json_object_put(doc);
    return copy;
}
