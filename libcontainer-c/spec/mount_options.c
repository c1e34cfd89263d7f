/* Mount options -> MS_* flags, propagation, mount_setattr attributes and filesystem data,
 * following runc's specconv table and mount(8). */
#include "spec_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

/* glibc before 2.36 does not define the mount_setattr(2) attributes. */
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY      0x00000001
#define MOUNT_ATTR_NOSUID      0x00000002
#define MOUNT_ATTR_NODEV       0x00000004
#define MOUNT_ATTR_NOEXEC      0x00000008
#define MOUNT_ATTR__ATIME      0x00000070
#define MOUNT_ATTR_RELATIME    0x00000000
#define MOUNT_ATTR_NOATIME     0x00000010
#define MOUNT_ATTR_STRICTATIME 0x00000020
#define MOUNT_ATTR_NODIRATIME  0x00000080
#endif
#ifndef MOUNT_ATTR_NOSYMFOLLOW
#define MOUNT_ATTR_NOSYMFOLLOW 0x00200000
#endif
#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif

struct flag_option {
    const char *name;
    bool clear;
    unsigned long flag;
};

static const struct flag_option flag_options[] = {
    {"defaults", false, 0},
    {"ro", false, MS_RDONLY},
    {"rw", true, MS_RDONLY},
    {"nosuid", false, MS_NOSUID},
    {"suid", true, MS_NOSUID},
    {"nodev", false, MS_NODEV},
    {"dev", true, MS_NODEV},
    {"noexec", false, MS_NOEXEC},
    {"exec", true, MS_NOEXEC},
    {"sync", false, MS_SYNCHRONOUS},
    {"async", true, MS_SYNCHRONOUS},
    {"dirsync", false, MS_DIRSYNC},
    {"remount", false, MS_REMOUNT},
    {"mand", false, MS_MANDLOCK},
    {"nomand", true, MS_MANDLOCK},
    {"noatime", false, MS_NOATIME},
    {"atime", true, MS_NOATIME},
    {"nodiratime", false, MS_NODIRATIME},
    {"diratime", true, MS_NODIRATIME},
    {"relatime", false, MS_RELATIME},
    {"norelatime", true, MS_RELATIME},
    {"strictatime", false, MS_STRICTATIME},
    {"nostrictatime", true, MS_STRICTATIME},
    {"lazytime", false, MS_LAZYTIME},
    {"nolazytime", true, MS_LAZYTIME},
    {"bind", false, MS_BIND},
    {"rbind", false, MS_BIND | MS_REC},
    {"silent", false, MS_SILENT},
    {"loud", true, MS_SILENT},
    {"iversion", false, MS_I_VERSION},
    {"noiversion", true, MS_I_VERSION},
    {"acl", false, MS_POSIXACL},
    {"noacl", true, MS_POSIXACL},
    {"nosymfollow", false, MS_NOSYMFOLLOW},
    {"symfollow", true, MS_NOSYMFOLLOW},
};

static const struct {
    const char *name;
    unsigned long flags;
} propagation_options[] = {
    {"private", MS_PRIVATE},       {"rprivate", MS_PRIVATE | MS_REC},
    {"shared", MS_SHARED},         {"rshared", MS_SHARED | MS_REC},
    {"slave", MS_SLAVE},           {"rslave", MS_SLAVE | MS_REC},
    {"unbindable", MS_UNBINDABLE}, {"runbindable", MS_UNBINDABLE | MS_REC},
};

struct attr_option {
    const char *name;
    bool clear;
    uint64_t attr;
};

static const struct attr_option attr_options[] = {
    {"rro", false, MOUNT_ATTR_RDONLY},
    {"rrw", true, MOUNT_ATTR_RDONLY},
    {"rnosuid", false, MOUNT_ATTR_NOSUID},
    {"rsuid", true, MOUNT_ATTR_NOSUID},
    {"rnodev", false, MOUNT_ATTR_NODEV},
    {"rdev", true, MOUNT_ATTR_NODEV},
    {"rnoexec", false, MOUNT_ATTR_NOEXEC},
    {"rexec", true, MOUNT_ATTR_NOEXEC},
    {"rnodiratime", false, MOUNT_ATTR_NODIRATIME},
    {"rdiratime", true, MOUNT_ATTR_NODIRATIME},
    {"rrelatime", false, MOUNT_ATTR_RELATIME},
    {"rnorelatime", true, MOUNT_ATTR_RELATIME},
    {"rnoatime", false, MOUNT_ATTR_NOATIME},
    {"ratime", true, MOUNT_ATTR_NOATIME},
    {"rstrictatime", false, MOUNT_ATTR_STRICTATIME},
    {"rnostrictatime", true, MOUNT_ATTR_STRICTATIME},
    {"rnosymfollow", false, MOUNT_ATTR_NOSYMFOLLOW},
    {"rsymfollow", true, MOUNT_ATTR_NOSYMFOLLOW},
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static bool apply_flag_option(struct cradle_spec_mount *m, const char *opt)
{
    for (size_t i = 0; i < ARRAY_SIZE(flag_options); i++) {
        const struct flag_option *f = &flag_options[i];
        if (strcmp(f->name, opt) != 0)
            continue;
        if (f->clear) {
            m->flags &= ~f->flag;
            m->clear_flags |= f->flag;
        } else {
            m->flags |= f->flag;
            m->clear_flags &= ~f->flag;
        }
        return true;
    }
    return false;
}

static bool apply_propagation_option(struct cradle_spec_mount *m, const char *opt)
{
    for (size_t i = 0; i < ARRAY_SIZE(propagation_options); i++) {
        if (strcmp(propagation_options[i].name, opt) == 0) {
            m->propagation = propagation_options[i].flags;
            return true;
        }
    }
    return false;
}

static bool apply_attr_option(struct cradle_spec_mount *m, const char *opt)
{
    for (size_t i = 0; i < ARRAY_SIZE(attr_options); i++) {
        const struct attr_option *a = &attr_options[i];
        if (strcmp(a->name, opt) != 0)
            continue;
        if (a->clear) {
            m->rec_attr_clr |= a->attr;
            m->rec_attr_set &= ~a->attr;
        } else {
            m->rec_attr_set |= a->attr;
            m->rec_attr_clr &= ~a->attr;
            /* mount_setattr(2): an access-time mode is only taken when the whole
             * MOUNT_ATTR__ATIME field is also cleared. */
            if ((a->attr & MOUNT_ATTR__ATIME) == a->attr)
                m->rec_attr_clr |= MOUNT_ATTR__ATIME;
        }
        return true;
    }
    return false;
}

static bool type_is(const struct cradle_spec_mount *m, const char *type)
{
    return m->type != NULL && strcmp(m->type, type) == 0;
}

/* Options that only tell the runtime what to do: "tmpcopyup"/"notmpcopyup" (runc, crun;
 * tmpfs only), and Podman's volume options "copy"/"nocopy", which Podman has already
 * acted on and passes along on the bind (runc and crun ignore them there). 1 when OPT
 * is one of them, 0 when not, -1 with *err when it does not fit this mount. */
static int apply_runtime_option(struct cradle_spec_mount *m, const char *opt, cradle_error **err)
{
    bool copy_up = strcmp(opt, "tmpcopyup") == 0;
    if (copy_up || strcmp(opt, "notmpcopyup") == 0) {
        if (m->is_bind || !type_is(m, "tmpfs"))
            return cradle_error_set(err, 0, "mount option \"%s\" applies only to tmpfs, not to %s",
                                    opt,
                                    m->is_bind ? "a bind mount"
                                    : m->type  ? m->type
                                               : "this mount");
        m->copy_up = copy_up;
        return 1;
    }
    if (strcmp(opt, "copy") == 0 || strcmp(opt, "nocopy") == 0)
        return m->is_bind ? 1 : 0;
    return 0;
}

/* Whether a bare word (no '=') that is no generic option is filesystem data here. */
static bool bare_word_is_data(const struct cradle_spec_mount *m, const char *opt)
{
    static const char *const strict_types[] = {"proc", "sysfs", "tmpfs", "mqueue", "cgroup2"};
    if (m->is_bind || m->type == NULL)
        return false;
    if (type_is(m, "devpts"))
        return strcmp(opt, "newinstance") == 0;
    for (size_t i = 0; i < ARRAY_SIZE(strict_types); i++) {
        if (type_is(m, strict_types[i]))
            return false;
    }
    /* cgroup takes controller names, overlay "userxattr"/"volatile", FUSE its own words. */
    return true;
}

static int append_data(struct cradle_spec_mount *m, const char *opt, cradle_error **err)
{
    size_t old = m->data ? strlen(m->data) : 0;
    size_t add = strlen(opt);
    char *grown = realloc(m->data, old + add + 2);
    if (grown == NULL)
        return cradle_error_sys(err, "mount option \"%s\"", opt);
    if (old > 0)
        grown[old++] = ',';
    memcpy(grown + old, opt, add + 1);
    m->data = grown;
    return 0;
}

static bool mount_asks_for_bind(const struct cradle_spec_mount *m)
{
    if (type_is(m, "bind"))
        return true;
    for (size_t i = 0; i < m->n_options; i++) {
        if (strcmp(m->options[i], "bind") == 0 || strcmp(m->options[i], "rbind") == 0)
            return true;
    }
    return false;
}

int cradle_mount_options_parse(struct cradle_spec_mount *m, cradle_error **err)
{
    m->flags = 0;
    m->clear_flags = 0;
    m->propagation = 0;
    m->rec_attr_set = 0;
    m->rec_attr_clr = 0;
    free(m->data);
    m->data = NULL;
    m->is_bind = mount_asks_for_bind(m);
    m->copy_up = false;
    m->idmap = false;
    m->idmap_recursive = false;

    for (size_t i = 0; i < m->n_options; i++) {
        const char *opt = m->options[i];
        /* buildah sends "" for -v SRC:DST without options; runc and crun ignore it. */
        if (*opt == '\0')
            continue;
        if (apply_flag_option(m, opt) || apply_propagation_option(m, opt) ||
            apply_attr_option(m, opt))
            continue;
        int runtime_option = apply_runtime_option(m, opt, err);
        if (runtime_option < 0)
            return -1;
        if (runtime_option > 0)
            continue;
        /* runc 1.2: an id-mapped bind, "ridmap" down to every submount; the last one wins. */
        if (strcmp(opt, "idmap") == 0 || strcmp(opt, "ridmap") == 0) {
            m->idmap = true;
            m->idmap_recursive = opt[0] == 'r';
            continue;
        }
        if (strchr(opt, '=') != NULL || bare_word_is_data(m, opt)) {
            if (append_data(m, opt, err) < 0)
                return -1;
            continue;
        }
        return cradle_error_set(err, 0, "unknown mount option \"%s\" for %s on %s", opt,
                                m->is_bind ? "bind mount"
                                : m->type  ? m->type
                                           : "mount",
                                m->destination ? m->destination : "(no destination)");
    }
    return 0;
}
