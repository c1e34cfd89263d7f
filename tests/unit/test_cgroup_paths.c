/* Pure logic of the cgroupfs driver: mountinfo and /proc/self/cgroup parsing, path
 * arithmetic, device rule lines, cgroup.procs parsing. */
#include "harness.h"

#include <stdlib.h>

#include "../../libcontainer-c/cgroups/cgroup_internal.h"
#include "cradle/cleanup.h"

static const char hybrid_mountinfo[] =
    "23 1 0:21 / /sys rw,nosuid - sysfs sysfs rw\n"
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:9 - cgroup cgroup "
    "rw,cpu,cpuacct\n"
    "34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset,clone_children\n"
    "36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices\n"
    "37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer\n"
    "39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n"
    "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup "
    "rw,xattr,release_agent=/lib/systemd/agent,name=systemd\n"
    "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate\n"
    "50 23 0:36 / /mnt/pids\\040again rw,relatime - cgroup cgroup rw,pids\n";

static const char hybrid_proc_cgroup[] = "9:name=systemd:/user.slice/session-1.scope\n"
                                         "8:pids:/user.slice\n"
                                         "6:freezer:/\n"
                                         "5:devices:/user.slice\n"
                                         "3:cpuset:/\n"
                                         "1:cpuacct,cpu:/user.slice\n"
                                         "0::/user.slice/session-1.scope\n";

static void test_parse_hybrid_mountinfo(void)
{
    struct cgroup_hierarchies h = {0};
    _cleanup_error_ cradle_error *err = NULL;
    CHECK(cgroup_parse_mountinfo(hybrid_mountinfo, &h, &err) == 0);
    CHECK(h.n == 7); /* the second pids mount is the same hierarchy */
    if (h.n != 7) {
        cgroup_hierarchies_free(&h);
        return;
    }
    CHECK_STREQ(h.items[0].mountpoint, "/sys/fs/cgroup/cpu,cpuacct");
    CHECK_STREQ(h.items[0].controllers, "cpu,cpuacct");
    CHECK_STREQ(h.items[0].root, "/");
    CHECK_STREQ(h.items[1].controllers, "cpuset");
    CHECK_STREQ(h.items[5].controllers, "name=systemd");
    CHECK(h.items[6].unified);
    CHECK(h.items[6].controllers == NULL);
    CHECK_STREQ(h.items[6].mountpoint, "/sys/fs/cgroup/unified");
    cgroup_hierarchies_free(&h);
}

static void test_parse_mountinfo_unescapes_and_pure_v2(void)
{
    const char text[] = "30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate\n"
                        "60 23 0:40 /sub /tmp/my\\040cg rw - cgroup cgroup rw,memory\n";
    struct cgroup_hierarchies h = {0};
    _cleanup_error_ cradle_error *err = NULL;
    CHECK(cgroup_parse_mountinfo(text, &h, &err) == 0);
    CHECK(h.n == 2);
    if (h.n == 2) {
        CHECK(h.items[0].unified);
        CHECK_STREQ(h.items[1].mountpoint, "/tmp/my cg");
        CHECK_STREQ(h.items[1].root, "/sub");
    }
    cgroup_hierarchies_free(&h);
}

static void test_parse_mountinfo_rejects_truncated_line(void)
{
    struct cgroup_hierarchies h = {0};
    _cleanup_error_ cradle_error *err = NULL;
    CHECK(cgroup_parse_mountinfo("30 23 0:26 / /sys/fs/cgroup rw -\n", &h, &err) < 0);
    CHECK(err != NULL);
    if (err)
        CHECK_CONTAINS(err->msg, "/sys/fs/cgroup");
}

static void test_own_path_matches_controller_sets(void)
{
    struct cgroup_hierarchy cpu = {
        .mountpoint = "/sys/fs/cgroup/cpu,cpuacct", .root = "/", .controllers = "cpu,cpuacct"};
    struct cgroup_hierarchy systemd = {
        .mountpoint = "/sys/fs/cgroup/systemd", .root = "/", .controllers = "name=systemd"};
    struct cgroup_hierarchy unified = {
        .mountpoint = "/sys/fs/cgroup/unified", .root = "/", .unified = true};
    _cleanup_error_ cradle_error *err = NULL;
    _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL;
    CHECK(cgroup_own_path(hybrid_proc_cgroup, &cpu, &a, &err) == 0);
    CHECK_STREQ(a, "/user.slice");
    CHECK(cgroup_own_path(hybrid_proc_cgroup, &systemd, &b, &err) == 0);
    CHECK_STREQ(b, "/user.slice/session-1.scope");
    CHECK(cgroup_own_path(hybrid_proc_cgroup, &unified, &c, &err) == 0);
    CHECK_STREQ(c, "/user.slice/session-1.scope");
}

static void test_own_path_missing_hierarchy(void)
{
    struct cgroup_hierarchy memory = {
        .mountpoint = "/sys/fs/cgroup/memory", .root = "/", .controllers = "memory"};
    _cleanup_error_ cradle_error *err = NULL;
    char *path = NULL;
    CHECK(cgroup_own_path(hybrid_proc_cgroup, &memory, &path, &err) < 0);
    CHECK(err && err->msg && strstr(err->msg, "/sys/fs/cgroup/memory"));
}

/* ".." and paths naming a root are refused by validation (test_validate.c). */
static void test_normalize(void)
{
    _cleanup_free_ char *a = cgroup_path_normalize("//machine/./ctr//");
    _cleanup_free_ char *b = cgroup_path_normalize("a/b/");
    _cleanup_free_ char *c = cgroup_path_normalize("/");
    CHECK_STREQ(a, "/machine/ctr");
    CHECK_STREQ(b, "a/b");
    CHECK_STREQ(c, "/");
}

static void test_join(void)
{
    _cleanup_free_ char *a = cgroup_path_join("/sys/fs/cgroup/", "/x/y");
    _cleanup_free_ char *b = cgroup_path_join("/sys/fs/cgroup", "");
    _cleanup_free_ char *c = cgroup_path_join("", "x");
    CHECK_STREQ(a, "/sys/fs/cgroup/x/y");
    CHECK_STREQ(b, "/sys/fs/cgroup");
    CHECK_STREQ(c, "/x");
}

static void test_container_dir(void)
{
    struct cgroup_hierarchy pids = {
        .mountpoint = "/sys/fs/cgroup/pids", .root = "/", .controllers = "pids"};
    struct cgroup_hierarchy bound = {
        .mountpoint = "/sys/fs/cgroup/pids", .root = "/docker/abc", .controllers = "pids"};
    _cleanup_error_ cradle_error *err = NULL;
    _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL;
    CHECK(cgroup_container_dir(&pids, "/machine/ctr", "/user.slice", &a, &err) == 0);
    CHECK_STREQ(a, "/sys/fs/cgroup/pids/machine/ctr");
    CHECK(cgroup_container_dir(&pids, "ctr", "/user.slice", &b, &err) == 0);
    CHECK_STREQ(b, "/sys/fs/cgroup/pids/user.slice/ctr");
    CHECK(cgroup_container_dir(&bound, "ctr", "/docker/abc/sub", &c, &err) == 0);
    CHECK_STREQ(c, "/sys/fs/cgroup/pids/sub/ctr");
}

/* As runc's fs2: on cgroup2 a relative path is below the parent of the caller's cgroup
 * (a leaf with the caller in it cannot enable controllers for a child). */
static void test_container_dir_cgroup2_relative(void)
{
    struct cgroup_hierarchy v2 = {.mountpoint = "/sys/fs/cgroup", .root = "/", .unified = true};
    _cleanup_error_ cradle_error *err = NULL;
    _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL;
    CHECK(cgroup_container_dir(&v2, "ctr", "/user.slice/deleg/runtime", &a, &err) == 0);
    CHECK_STREQ(a, "/sys/fs/cgroup/user.slice/deleg/ctr");
    CHECK(cgroup_container_dir(&v2, "ctr", "/deleg", &b, &err) == 0);
    CHECK_STREQ(b, "/sys/fs/cgroup/ctr");
    CHECK(cgroup_container_dir(&v2, "ctr", "/", &c, &err) == 0);
    CHECK_STREQ(c, "/sys/fs/cgroup/ctr");
}

static void free_classified(struct cradle_cgroup *cg)
{
    for (size_t i = 0; i < cg->n_dirs; i++)
        free(cg->dir_controllers[i]);
    free(cg->dir_controllers);
}

static void test_classify_dirs(void)
{
    struct cgroup_hierarchies h = {0};
    _cleanup_error_ cradle_error *err = NULL;
    CHECK(cgroup_parse_mountinfo(hybrid_mountinfo, &h, &err) == 0);
    char *dirs[] = {"/sys/fs/cgroup/cpu,cpuacct/c", "/sys/fs/cgroup/devices/c",
                    "/sys/fs/cgroup/freezer/c",     "/sys/fs/cgroup/pids/c",
                    "/sys/fs/cgroup/unified/c",     NULL};
    struct cradle_cgroup all = {.path = "/c", .dirs = dirs, .n_dirs = 5};
    CHECK(cgroup_classify_dirs(&all, &h) == 0);
    CHECK_STREQ(all.devices_dir, "/sys/fs/cgroup/devices/c");
    CHECK_STREQ(all.unified_dir, "/sys/fs/cgroup/unified/c");
    CHECK_STREQ(cgroup_v1_dir_of(&all, "pids"), "/sys/fs/cgroup/pids/c");
    free_classified(&all);

    struct cradle_cgroup v1_only = {.path = "/c", .dirs = dirs, .n_dirs = 3};
    CHECK(cgroup_classify_dirs(&v1_only, &h) == 0);
    CHECK_STREQ(v1_only.devices_dir, "/sys/fs/cgroup/devices/c");
    CHECK(v1_only.unified_dir == NULL);
    CHECK(cgroup_v1_dir_of(&v1_only, "pids") == NULL);
    free_classified(&v1_only);
    cgroup_hierarchies_free(&h);
}

/* A cgroup frozen through a frozen ancestor must be refused as well (issue 6). */
static void test_frozen_texts(void)
{
    CHECK(cgroup_v1_frozen("FROZEN\n"));
    CHECK(cgroup_v1_frozen("FREEZING\n"));
    CHECK(!cgroup_v1_frozen("THAWED\n"));
    CHECK(cgroup_v2_frozen("populated 0\nfrozen 1\n", "0\n"));
    CHECK(cgroup_v2_frozen("populated 0\nfrozen 0\n", "1\n"));
    CHECK(!cgroup_v2_frozen("populated 1\nfrozen 0\n", "0\n"));
    CHECK(!cgroup_v2_frozen(NULL, NULL));
}

static void test_device_rule_lines(void)
{
    char buf[64];
    CHECK(cgroup_device_rule_line('c', 1, 3, "rwm", buf, sizeof(buf)) == 0);
    CHECK_STREQ(buf, "c 1:3 rwm");
    CHECK(cgroup_device_rule_line('a', -1, -1, "rwm", buf, sizeof(buf)) == 0);
    CHECK_STREQ(buf, "a *:* rwm");
    CHECK(cgroup_device_rule_line('c', 136, -1, "rw", buf, sizeof(buf)) == 0);
    CHECK_STREQ(buf, "c 136:* rw");
    CHECK(cgroup_device_rule_line('x', 1, 3, "rwm", buf, sizeof(buf)) < 0);
    CHECK(cgroup_device_rule_line('c', 1, 3, "rwx", buf, sizeof(buf)) < 0);
}

static void test_parse_pids(void)
{
    _cleanup_error_ cradle_error *err = NULL;
    _cleanup_free_ pid_t *pids = NULL;
    size_t n = 0;
    CHECK(cgroup_parse_pids("12\n345\n", &pids, &n, &err) == 0);
    CHECK(n == 2);
    CHECK(pids && pids[0] == 12 && pids[1] == 345);

    _cleanup_free_ pid_t *none = NULL;
    CHECK(cgroup_parse_pids("", &none, &n, &err) == 0);
    CHECK(n == 0);

    pid_t *bad = NULL;
    CHECK(cgroup_parse_pids("12\nabc\n", &bad, &n, &err) < 0);
    CHECK(err && err->msg && strstr(err->msg, "abc"));
}

RUN_TESTS(test_parse_hybrid_mountinfo, test_parse_mountinfo_unescapes_and_pure_v2,
          test_parse_mountinfo_rejects_truncated_line, test_own_path_matches_controller_sets,
          test_own_path_missing_hierarchy, test_normalize, test_join, test_container_dir,
          test_container_dir_cgroup2_relative, test_classify_dirs, test_frozen_texts,
          test_device_rule_lines, test_parse_pids)
