/* The safe walk: symlinks (absolute, with "..", dangling) stay inside the root. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/pathsafe.h"
#include "harness.h"

static char base[PATH_MAX]; /* temp dir holding root/ and outside/ */
static char root[PATH_MAX]; /* canonical path of base/root */

static void at_root(char *buf, const char *rel)
{
    snprintf(buf, PATH_MAX * 2, "%s/%s", root, rel);
}

static void make_dir(const char *rel)
{
    char p[PATH_MAX * 2];
    at_root(p, rel);
    CHECK(mkdir(p, 0755) == 0);
}

static void make_link(const char *target, const char *rel)
{
    char p[PATH_MAX * 2];
    at_root(p, rel);
    CHECK(symlink(target, p) == 0);
}

static void remove_base(void)
{
    char cmd[PATH_MAX + 16];
    if (base[0] == '\0')
        return;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
    CHECK(system(cmd) == 0);
    base[0] = '\0';
}

/* A fresh tree: base/root/{etc,proc/sys,outside} and base/outside, plus symlinks. */
static int setup_root(void)
{
    remove_base();
    snprintf(base, sizeof(base), "/tmp/cradle-pathsafe-XXXXXX");
    if (mkdtemp(base) == NULL)
        return -1;
    char tmp[PATH_MAX * 2];
    snprintf(tmp, sizeof(tmp), "%s/root", base);
    mkdir(tmp, 0755);
    snprintf(tmp, sizeof(tmp), "%s/outside", base);
    mkdir(tmp, 0755);
    snprintf(tmp, sizeof(tmp), "%s/root", base);
    if (realpath(tmp, root) == NULL)
        return -1;
    make_dir("etc");
    make_dir("proc");
    make_dir("proc/sys");
    make_link("/../../etc", "evil_abs");
    make_link("../../../outside", "evil_dotdot");
    make_link("/proc/sys", "foo");
    make_link("/made/by/link", "dangling");
    make_link("/loop", "loop");
    return open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

static char *resolved(int root_fd, const char *path, bool create, bool is_file)
{
    _cleanup_error_ cradle_error *err = NULL;
    _cleanup_close_ int fd = create ? cradle_mkdir_p_in_root(root_fd, path, 0755, is_file, &err)
                                    : cradle_open_in_root(root_fd, path, O_PATH, &err);
    if (fd < 0)
        return NULL;
    char *out = NULL;
    if (cradle_fd_path_in_root(fd, root, &out, &err) < 0)
        return NULL;
    return out;
}

static bool exists_under(const char *dir, const char *rel)
{
    char p[PATH_MAX * 2];
    snprintf(p, sizeof(p), "%s/%s", dir, rel);
    struct stat st;
    return lstat(p, &st) == 0;
}

static void test_absolute_symlink_stays_inside(void)
{
    _cleanup_close_ int root_fd = setup_root();
    _cleanup_free_ char *p = resolved(root_fd, "/evil_abs/x", true, false);
    CHECK_STREQ(p, "/etc/x");
    CHECK(exists_under(root, "etc/x"));
    CHECK(!exists_under(base, "outside/x"));
}

static void test_dotdot_symlink_stays_inside(void)
{
    _cleanup_close_ int root_fd = setup_root();
    _cleanup_free_ char *p = resolved(root_fd, "evil_dotdot/y/z", true, false);
    CHECK_STREQ(p, "/outside/y/z");
    CHECK(exists_under(root, "outside/y/z"));
    CHECK(!exists_under(base, "outside/y"));
    _cleanup_free_ char *q = resolved(root_fd, "/../../../etc", false, false);
    CHECK_STREQ(q, "/etc");
}

static void test_policy_sees_resolved_destination(void)
{
    _cleanup_close_ int root_fd = setup_root();
    _cleanup_free_ char *p = resolved(root_fd, "/foo/kernel/ns_last_pid", true, true);
    CHECK_STREQ(p, "/proc/sys/kernel/ns_last_pid");
    char file[PATH_MAX * 2];
    snprintf(file, sizeof(file), "%s/proc/sys/kernel/ns_last_pid", root);
    struct stat st;
    CHECK(stat(file, &st) == 0 && S_ISREG(st.st_mode));
}

static void test_dangling_symlink_is_created_inside(void)
{
    _cleanup_close_ int root_fd = setup_root();
    _cleanup_free_ char *p = resolved(root_fd, "/dangling/leaf", true, false);
    CHECK_STREQ(p, "/made/by/link/leaf");
    CHECK(exists_under(root, "made/by/link/leaf"));
}

static void test_missing_path_reports_enoent(void)
{
    _cleanup_close_ int root_fd = setup_root();
    _cleanup_error_ cradle_error *err = NULL;
    int fd = cradle_open_in_root(root_fd, "/no/such", O_PATH, &err);
    CHECK(fd < 0);
    CHECK(err != NULL && err->errnum == ENOENT);
    CHECK_CONTAINS(err ? err->msg : NULL, "/no/such");
}

static void test_symlink_loop_is_refused(void)
{
    _cleanup_close_ int root_fd = setup_root();
    _cleanup_error_ cradle_error *err = NULL;
    int fd = cradle_mkdir_p_in_root(root_fd, "/loop/x", 0755, false, &err);
    CHECK(fd < 0);
    CHECK(err != NULL && err->errnum == ELOOP);
}

static void test_fd_outside_root_is_refused(void)
{
    _cleanup_close_ int fd = open("/", O_PATH | O_CLOEXEC);
    _cleanup_error_ cradle_error *err = NULL;
    char *out = NULL;
    CHECK(cradle_fd_path_in_root(fd, "/tmp/nowhere", &out, &err) < 0);
    CHECK_CONTAINS(err ? err->msg : NULL, "outside the root");
    char *all = NULL;
    CHECK(cradle_fd_path_in_root(fd, "/", &all, NULL) == 0);
    CHECK_STREQ(all, "/");
    free(all);
}

static void test_cleanup(void)
{
    remove_base();
}

static void test_path_below(void)
{
    CHECK(cradle_path_below("/sys/fs/cgroup/cpu/x", "/sys/fs/cgroup/cpu") != NULL);
    CHECK(cradle_path_below("/sys/fs/cgroup/cpu", "/sys/fs/cgroup/cpu/") != NULL);
    CHECK(cradle_path_below("/sys/fs/cgroup/cpuset/x", "/sys/fs/cgroup/cpu") == NULL);
    CHECK(cradle_path_below("/anything", "/") != NULL);
    CHECK_STREQ(cradle_path_below("/proc/sys/kernel", "/proc"), "/sys/kernel");
    CHECK_STREQ(cradle_path_below("/proc", "/proc"), "");
    CHECK_STREQ(cradle_path_below("/proc/sys", "/"), "/proc/sys");
}

RUN_TESTS(test_path_below, test_absolute_symlink_stays_inside, test_dotdot_symlink_stays_inside,
          test_policy_sees_resolved_destination, test_dangling_symlink_is_created_inside,
          test_missing_path_reports_enoent, test_symlink_loop_is_refused,
          test_fd_outside_root_is_refused, test_cleanup)
