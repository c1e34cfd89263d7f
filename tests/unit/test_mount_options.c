/* The mount option table: MS_* flags, propagation, recursive attributes, filesystem data. */
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "cradle/cleanup.h"
#include "cradle/spec.h"
#include "harness.h"

/* Parses options (a NULL-terminated list) for a mount of the given type; the result owns
 * nothing but data, which the caller frees. Returns the error message or NULL. */
static char *parse(struct cradle_spec_mount *m, const char *type, const char **options)
{
    size_t n = 0;
    while (options[n])
        n++;
    memset(m, 0, sizeof(*m));
    m->destination = (char *)"/mnt";
    m->type = (char *)type;
    m->options = (char **)options;
    m->n_options = n;
    _cleanup_error_ cradle_error *err = NULL;
    if (cradle_mount_options_parse(m, &err) < 0)
        return strdup(err->msg);
    return NULL;
}

static void test_generic_flags(void)
{
    struct cradle_spec_mount m;
    const char *opts[] = {"ro", "nosuid", "nodev", "noexec", "relatime", NULL};
    char *msg = parse(&m, "sysfs", opts);
    CHECK(msg == NULL);
    CHECK(m.flags == (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME));
    CHECK(m.clear_flags == 0 && m.propagation == 0 && m.data == NULL && !m.is_bind);
    free(msg);
    free(m.data);
}

static void test_clearing_flags(void)
{
    struct cradle_spec_mount m;
    const char *opts[] = {"ro", "rw", "suid", "dev", "exec", "atime", "nostrictatime", NULL};
    char *msg = parse(&m, "tmpfs", opts);
    CHECK(msg == NULL);
    CHECK(m.flags == 0);
    CHECK(m.clear_flags ==
          (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_STRICTATIME));
    free(msg);

    const char *later_wins[] = {"rw", "ro", NULL};
    msg = parse(&m, "tmpfs", later_wins);
    CHECK(m.flags == MS_RDONLY && m.clear_flags == 0);
    free(msg);
}

static void test_rbind_and_propagation(void)
{
    struct cradle_spec_mount m;
    const char *opts[] = {"rbind", "rprivate", NULL};
    char *msg = parse(&m, NULL, opts);
    CHECK(msg == NULL);
    CHECK(m.is_bind);
    CHECK(m.flags == (MS_BIND | MS_REC));
    CHECK(m.propagation == (MS_PRIVATE | MS_REC));
    free(msg);

    const char *bind[] = {"bind", "shared", NULL};
    msg = parse(&m, "none", bind);
    CHECK(m.is_bind && m.flags == MS_BIND && m.propagation == MS_SHARED);
    free(msg);

    const char *slave[] = {"rslave", NULL};
    msg = parse(&m, "bind", slave);
    CHECK(m.is_bind && m.flags == 0 && m.propagation == (MS_SLAVE | MS_REC));
    free(msg);
}

static void test_recursive_attributes(void)
{
    struct cradle_spec_mount m;
    const char *opts[] = {"rbind", "rro", "rnosuid", "rnodev", "rnoexec", NULL};
    char *msg = parse(&m, "bind", opts);
    CHECK(msg == NULL);
    CHECK(m.rec_attr_set ==
          (MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC));
    CHECK(m.rec_attr_clr == 0);
    CHECK(m.flags == (MS_BIND | MS_REC));
    free(msg);

    const char *clear[] = {"rro", "rrw", "rsuid", NULL};
    msg = parse(&m, "bind", clear);
    CHECK(m.rec_attr_set == 0);
    CHECK(m.rec_attr_clr == (MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID));
    free(msg);

    /* An access-time mode needs the whole atime field cleared too (mount_setattr(2)). */
    const char *atime[] = {"rnoatime", NULL};
    msg = parse(&m, "bind", atime);
    CHECK(m.rec_attr_set == MOUNT_ATTR_NOATIME && m.rec_attr_clr == MOUNT_ATTR__ATIME);
    free(msg);

    const char *relatime[] = {"rrelatime", NULL};
    msg = parse(&m, "bind", relatime);
    CHECK(m.rec_attr_set == 0 && m.rec_attr_clr == MOUNT_ATTR__ATIME);
    free(msg);

    const char *diratime[] = {"rnodiratime", NULL};
    msg = parse(&m, "bind", diratime);
    CHECK(m.rec_attr_set == MOUNT_ATTR_NODIRATIME && m.rec_attr_clr == 0);
    free(msg);
}

static void test_tmpfs_data(void)
{
    struct cradle_spec_mount m;
    const char *opts[] = {"nosuid", "size=65536k", "strictatime", "mode=755", NULL};
    char *msg = parse(&m, "tmpfs", opts);
    CHECK(msg == NULL);
    CHECK_STREQ(m.data, "size=65536k,mode=755");
    CHECK(m.flags == (MS_NOSUID | MS_STRICTATIME));
    free(msg);
    free(m.data);
}

static void test_unknown_bare_word_rejected_where_known(void)
{
    static const char *const strict[] = {"tmpfs", "proc", "sysfs", "mqueue", "cgroup2", "devpts"};
    const char *opts[] = {"nosuid", "foo", NULL};
    for (size_t i = 0; i < sizeof(strict) / sizeof(strict[0]); i++) {
        struct cradle_spec_mount m;
        char *msg = parse(&m, strict[i], opts);
        CHECK_CONTAINS(msg, "unknown mount option \"foo\"");
        CHECK_CONTAINS(msg, "/mnt");
        free(msg);
        free(m.data);
    }

    struct cradle_spec_mount m;
    const char *bind[] = {"rbind", "foo", NULL};
    char *msg = parse(&m, "ext4", bind);
    CHECK_CONTAINS(msg, "unknown mount option \"foo\"");
    free(msg);
    free(m.data);
}

static void test_bare_words_as_data(void)
{
    struct cradle_spec_mount m;
    const char *fuse[] = {"allow_other", "default_permissions", "user_id=0", NULL};
    char *msg = parse(&m, "fuse.sshfs", fuse);
    CHECK(msg == NULL);
    CHECK_STREQ(m.data, "allow_other,default_permissions,user_id=0");
    free(msg);
    free(m.data);

    const char *pts[] = {"nosuid", "newinstance", "ptmxmode=0666", NULL};
    msg = parse(&m, "devpts", pts);
    CHECK(msg == NULL);
    CHECK_STREQ(m.data, "newinstance,ptmxmode=0666");
    free(msg);
    free(m.data);

    const char *cgroup[] = {"ro", "cpu", "cpuacct", NULL};
    msg = parse(&m, "cgroup", cgroup);
    CHECK(msg == NULL);
    CHECK_STREQ(m.data, "cpu,cpuacct");
    free(msg);
    free(m.data);

    const char *overlay[] = {"lowerdir=/a", "upperdir=/b", "workdir=/c", "userxattr", NULL};
    msg = parse(&m, "overlay", overlay);
    CHECK(msg == NULL);
    CHECK_STREQ(m.data, "lowerdir=/a,upperdir=/b,workdir=/c,userxattr");
    free(msg);
    free(m.data);
}

/* runc 1.2's "idmap" and "ridmap" (recursive): an id-mapped bind, never data; the last wins. */
static void test_idmap_and_ridmap(void)
{
    struct cradle_spec_mount m;
    const char *opts[] = {"rbind", "idmap", NULL};
    char *msg = parse(&m, "bind", opts);
    CHECK(msg == NULL);
    CHECK(m.data == NULL && m.idmap && !m.idmap_recursive);
    free(msg);

    const char *recursive[] = {"idmap", "rbind", "ridmap", NULL};
    msg = parse(&m, "bind", recursive);
    CHECK(msg == NULL);
    CHECK(m.data == NULL && m.idmap && m.idmap_recursive);
    free(msg);

    const char *plain[] = {"ridmap", "idmap", "bind", NULL};
    msg = parse(&m, "bind", plain);
    CHECK(msg == NULL && m.idmap && !m.idmap_recursive);
    free(msg);

    const char *none[] = {"rbind", NULL};
    msg = parse(&m, "bind", none);
    CHECK(msg == NULL && !m.idmap && !m.idmap_recursive);
    free(msg);
}

/* buildah's -v SRC:DST sends "" among the options (issue 11 item 2): ignored, never data. */
static void test_empty_option_ignored(void)
{
    struct cradle_spec_mount m;
    const char *bind[] = {"", "rw", "private", "rbind", NULL};
    char *msg = parse(&m, "bind", bind);
    CHECK(msg == NULL);
    CHECK(m.is_bind && m.flags == (MS_BIND | MS_REC) && m.propagation == MS_PRIVATE);
    CHECK(m.data == NULL);
    free(msg);

    const char *overlay[] = {"lowerdir=/a", "", "userxattr", NULL};
    msg = parse(&m, "overlay", overlay);
    CHECK(msg == NULL);
    CHECK_STREQ(m.data, "lowerdir=/a,userxattr");
    free(msg);
    free(m.data);
}

/* tmpcopyup/notmpcopyup: tmpfs only, the last one wins, never data; elsewhere an error
 * that names the option. */
static void test_tmpcopyup(void)
{
    struct cradle_spec_mount m;
    const char *podman[] = {"rw", "rprivate", "nosuid", "nodev", "tmpcopyup", NULL};
    char *msg = parse(&m, "tmpfs", podman);
    CHECK(msg == NULL);
    CHECK(m.copy_up && m.data == NULL);
    CHECK(m.flags == (MS_NOSUID | MS_NODEV) && m.propagation == (MS_PRIVATE | MS_REC));
    free(msg);

    const char *last_wins[] = {"tmpcopyup", "size=1m", "notmpcopyup", NULL};
    msg = parse(&m, "tmpfs", last_wins);
    CHECK(msg == NULL);
    CHECK(!m.copy_up);
    CHECK_STREQ(m.data, "size=1m");
    free(msg);
    free(m.data);

    const char *on_bind[] = {"rbind", "tmpcopyup", NULL};
    msg = parse(&m, "bind", on_bind);
    CHECK(msg != NULL && strstr(msg, "\"tmpcopyup\"") != NULL);
    free(msg);

    const char *on_overlay[] = {"lowerdir=/a", "tmpcopyup", NULL};
    msg = parse(&m, "overlay", on_overlay);
    CHECK(msg != NULL && strstr(msg, "\"tmpcopyup\"") != NULL);
    free(msg);
    free(m.data);
}

/* Podman's volume options copy/nocopy: nothing on a bind; on a tmpfs an unknown word. */
static void test_copy_on_bind_only(void)
{
    struct cradle_spec_mount m;
    const char *bind[] = {"noexec", "copy", "nocopy", "rbind", NULL};
    char *msg = parse(&m, "bind", bind);
    CHECK(msg == NULL);
    CHECK(m.data == NULL && !m.copy_up && m.flags == (MS_NOEXEC | MS_BIND | MS_REC));
    free(msg);

    const char *tmpfs[] = {"copy", NULL};
    msg = parse(&m, "tmpfs", tmpfs);
    CHECK(msg != NULL && strstr(msg, "\"copy\"") != NULL);
    free(msg);
    free(m.data);
}

static void test_symfollow_and_acl(void)
{
    struct cradle_spec_mount m;
    const char *opts[] = {"nosymfollow", "acl", "rnosymfollow", NULL};
    char *msg = parse(&m, "tmpfs", opts);
    CHECK(msg == NULL);
    CHECK(m.flags == (MS_NOSYMFOLLOW | MS_POSIXACL));
    CHECK(m.rec_attr_set == MOUNT_ATTR_NOSYMFOLLOW && m.rec_attr_clr == 0);
    free(msg);

    const char *cleared[] = {"nosymfollow", "symfollow", "noacl", "rsymfollow", NULL};
    msg = parse(&m, "tmpfs", cleared);
    CHECK(msg == NULL);
    CHECK(m.flags == 0 && m.clear_flags == (MS_NOSYMFOLLOW | MS_POSIXACL));
    CHECK(m.rec_attr_set == 0 && m.rec_attr_clr == MOUNT_ATTR_NOSYMFOLLOW);
    free(msg);
}

RUN_TESTS(test_generic_flags, test_clearing_flags, test_rbind_and_propagation,
          test_recursive_attributes, test_tmpfs_data, test_unknown_bare_word_rejected_where_known,
          test_bare_words_as_data, test_idmap_and_ridmap, test_empty_option_ignored, test_tmpcopyup,
          test_copy_on_bind_only, test_symfollow_and_acl)
