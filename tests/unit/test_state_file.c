/* state.json and the "creating" mark (issue 6 item 7): what a create killed at each point
 * leaves reads as a container that list shows and delete cleans. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/state.h"
#include "harness.h"

static int make_dir(char *template)
{
    if (mkdtemp(template) == NULL)
        return -1;
    return open(template, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
}

static void remove_dir(const char *path, int fd)
{
    unlinkat(fd, "state.json", 0);
    unlinkat(fd, "creating", 0);
    close(fd);
    rmdir(path);
}

static struct cradle_state sample(void)
{
    static char *dirs[] = {"/sys/fs/cgroup/pids/c", NULL};
    return (struct cradle_state){
        .id = "c",
        .bundle = "/b",
        .rootfs = "/b/rootfs",
        .created = "2026-01-01T00:00:00.000000000Z",
        .cgroup_path = "/c",
        .cgroup_dirs = dirs,
        .cgroup_created = dirs,
        .creating = true,
        .creator_pid = getpid(),
    };
}

static void test_directory_without_state_reads_stopped(void)
{
    char path[] = "/tmp/cradle-test-state-XXXXXX";
    int fd = make_dir(path);
    CHECK(fd >= 0);
    _cleanup_error_ cradle_error *err = NULL;
    _cleanup_state_ struct cradle_state *s = NULL;
    CHECK(cradle_state_read(fd, "c", &s, &err) == 0);
    CHECK(s && !s->creating && s->pid == 0);
    CHECK_STREQ(s ? s->bundle : NULL, "");
    CHECK(s && cradle_state_status(fd, s) == CRADLE_STATUS_STOPPED);
    remove_dir(path, fd);
}

static void test_creating_until_marked_created(void)
{
    char path[] = "/tmp/cradle-test-state-XXXXXX";
    int fd = make_dir(path);
    CHECK(fd >= 0);
    _cleanup_error_ cradle_error *err = NULL;
    struct cradle_state written = sample();
    CHECK(cradle_pid_start_time(getpid(), &written.creator_start_time, &err) == 0);
    CHECK(cradle_state_mark_creating(fd, &err) == 0);
    CHECK(cradle_state_write(fd, &written, &err) == 0);

    _cleanup_state_ struct cradle_state *creating = NULL;
    CHECK(cradle_state_read(fd, "c", &creating, &err) == 0);
    CHECK(creating && creating->creating && creating->creator_pid == getpid());
    CHECK_STREQ(creating && creating->cgroup_created ? creating->cgroup_created[0] : NULL,
                "/sys/fs/cgroup/pids/c");
    /* This process is the creator and lives: creating. */
    CHECK(creating && cradle_state_status(fd, creating) == CRADLE_STATUS_CREATING);

    CHECK(cradle_state_mark_created(fd, &err) == 0);
    _cleanup_state_ struct cradle_state *created = NULL;
    CHECK(cradle_state_read(fd, "c", &created, &err) == 0);
    CHECK(created && !created->creating);
    remove_dir(path, fd);
}

static void test_creator_gone_reads_stopped(void)
{
    char path[] = "/tmp/cradle-test-state-XXXXXX";
    int fd = make_dir(path);
    CHECK(fd >= 0);
    _cleanup_error_ cradle_error *err = NULL;
    struct cradle_state written = sample();
    /* A start time that cannot be this process's: the creator died and its pid was reused. */
    written.creator_start_time = 1;
    CHECK(cradle_state_mark_creating(fd, &err) == 0);
    CHECK(cradle_state_write(fd, &written, &err) == 0);
    _cleanup_state_ struct cradle_state *s = NULL;
    CHECK(cradle_state_read(fd, "c", &s, &err) == 0);
    CHECK(s && s->creating && cradle_state_status(fd, s) == CRADLE_STATUS_STOPPED);
    remove_dir(path, fd);
}

RUN_TESTS(test_directory_without_state_reads_stopped, test_creating_until_marked_created,
          test_creator_gone_reads_stopped)
