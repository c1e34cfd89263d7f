/* Which procfs mounts a recursive bind carries: the pure walk over a mount table
 * (rootfs/carried_procfs.c), issue 6 item 5 follow-up. */
#include "harness.h"

#include "../../libcontainer-c/rootfs/carried_procfs.h"
#include "cradle/cleanup.h"

/* A host: / (1) with /proc (2, procfs, ro /proc/sys bound on it: 3), /run (4, tmpfs)
 * under which a procfs (5) is mounted at /run/x/proc, /tmp (6) with a tmpfs at
 * /tmp/t/sub (7) carrying a procfs at /tmp/t/sub/proc (8) and ns_last_pid bound at
 * /tmp/t/nslp (9), and a procfs at /tmp/other (10). */
static const struct rootfs_mount_node host[] = {
    {.id = 1, .parent = 0, .mountpoint = "/", .root = "/"},
    {.id = 2, .parent = 1, .mountpoint = "/proc", .root = "/", .procfs = true},
    {.id = 3,
     .parent = 2,
     .mountpoint = "/proc/sys",
     .root = "/sys",
     .procfs = true,
     .readonly = true},
    {.id = 4, .parent = 1, .mountpoint = "/run", .root = "/"},
    {.id = 5, .parent = 4, .mountpoint = "/run/x/proc", .root = "/", .procfs = true},
    {.id = 6, .parent = 1, .mountpoint = "/tmp", .root = "/"},
    {.id = 7, .parent = 6, .mountpoint = "/tmp/t/sub", .root = "/"},
    {.id = 8, .parent = 7, .mountpoint = "/tmp/t/sub/proc", .root = "/", .procfs = true},
    {.id = 9,
     .parent = 6,
     .mountpoint = "/tmp/t/nslp",
     .root = "/sys/kernel/ns_last_pid",
     .procfs = true},
    {.id = 10, .parent = 6, .mountpoint = "/tmp/other", .root = "/", .procfs = true},
};
#define N_HOST (sizeof(host) / sizeof(host[0]))

static void carried(int top, const char *source, const char *destination,
                    struct cradle_carried_procfs_list *out)
{
    _cleanup_error_ cradle_error *err = NULL;
    *out = (struct cradle_carried_procfs_list){0};
    CHECK(rootfs_carried_procfs_in(host, N_HOST, top, source, destination, out, &err) == 0);
}

static void test_rbind_of_root_carries_every_procfs(void)
{
    struct cradle_carried_procfs_list l;
    carried(1, "/", "/host", &l);
    CHECK(l.n == 6);
    if (l.n == 6) {
        CHECK_STREQ(l.items[0].destination, "/host/proc");
        CHECK_STREQ(l.items[0].source, "/proc");
        CHECK(!l.items[0].readonly);
        CHECK_STREQ(l.items[1].destination, "/host/proc/sys");
        CHECK_STREQ(l.items[1].source, "/proc/sys");
        CHECK(l.items[1].readonly);
        CHECK_STREQ(l.items[2].destination, "/host/run/x/proc");
        CHECK_STREQ(l.items[3].destination, "/host/tmp/t/sub/proc");
        CHECK_STREQ(l.items[4].destination, "/host/tmp/t/nslp");
        CHECK_STREQ(l.items[4].source, "/proc/sys/kernel/ns_last_pid");
        CHECK_STREQ(l.items[5].destination, "/host/tmp/other");
    }
    cradle_carried_procfs_list_free(&l);
}

static void test_only_below_the_source_directory(void)
{
    /* /tmp/t is a directory of mount 6: /tmp/other is beside it, not carried. */
    struct cradle_carried_procfs_list l;
    carried(6, "/tmp/t", "/data", &l);
    CHECK(l.n == 2);
    if (l.n == 2) {
        CHECK_STREQ(l.items[0].destination, "/data/sub/proc");
        CHECK_STREQ(l.items[0].source, "/proc");
        CHECK_STREQ(l.items[1].destination, "/data/nslp");
        CHECK_STREQ(l.items[1].source, "/proc/sys/kernel/ns_last_pid");
    }
    cradle_carried_procfs_list_free(&l);
}

static void test_prefix_is_a_whole_component(void)
{
    /* /tmp/t must not take /tmp/tx, nor /tm take /tmp. */
    struct cradle_carried_procfs_list l;
    carried(6, "/tmp/t/su", "/data", &l);
    CHECK(l.n == 0);
    cradle_carried_procfs_list_free(&l);
}

static void test_source_without_procfs_below(void)
{
    struct cradle_carried_procfs_list l;
    carried(1, "/etc", "/etc", &l);
    CHECK(l.n == 0);
    cradle_carried_procfs_list_free(&l);
}

static void test_the_top_itself_is_not_carried(void)
{
    /* An rbind of the host's /proc: the top (judged as the bind itself) is not listed;
     * the /proc/sys bind on it is. */
    struct cradle_carried_procfs_list l;
    carried(2, "/proc", "/proc", &l);
    CHECK(l.n == 1);
    if (l.n == 1) {
        CHECK_STREQ(l.items[0].destination, "/proc/sys");
        CHECK_STREQ(l.items[0].source, "/proc/sys");
    }
    cradle_carried_procfs_list_free(&l);
}

static void test_attached_copy_carries_all_its_children(void)
{
    /* At mount time the attached copy (20, at /root/fs/data) is the top; its path is its
     * mount point. */
    static const struct rootfs_mount_node copy[] = {
        {.id = 1, .parent = 1, .mountpoint = "/", .root = "/"},
        {.id = 20, .parent = 1, .mountpoint = "/root/fs/data", .root = "/tmp/t"},
        {.id = 21, .parent = 20, .mountpoint = "/root/fs/data/sub", .root = "/"},
        {.id = 22,
         .parent = 21,
         .mountpoint = "/root/fs/data/sub/proc",
         .root = "/",
         .procfs = true},
    };
    struct cradle_carried_procfs_list l = {0};
    _cleanup_error_ cradle_error *err = NULL;
    CHECK(rootfs_carried_procfs_in(copy, 4, 20, "/root/fs/data", "/data", &l, &err) == 0);
    CHECK(l.n == 1);
    if (l.n == 1)
        CHECK_STREQ(l.items[0].destination, "/data/sub/proc");
    cradle_carried_procfs_list_free(&l);
}

static void test_parent_loop_terminates(void)
{
    static const struct rootfs_mount_node loop[] = {
        {.id = 1, .parent = 2, .mountpoint = "/a", .root = "/", .procfs = true},
        {.id = 2, .parent = 1, .mountpoint = "/a/b", .root = "/", .procfs = true},
    };
    struct cradle_carried_procfs_list l = {0};
    _cleanup_error_ cradle_error *err = NULL;
    CHECK(rootfs_carried_procfs_in(loop, 2, 9, "/", "/x", &l, &err) == 0);
    CHECK(l.n == 0);
    cradle_carried_procfs_list_free(&l);
}

RUN_TESTS(test_rbind_of_root_carries_every_procfs, test_only_below_the_source_directory,
          test_prefix_is_a_whole_component, test_source_without_procfs_below,
          test_the_top_itself_is_not_carried, test_attached_copy_carries_all_its_children,
          test_parent_loop_terminates)
