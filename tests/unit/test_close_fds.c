/* cradle_close_fds_except (issue 6 item 1: the init keeps only its keep-list) and the
 * init's keep-list, which moves a kept fd out of the --preserve-fds range. */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "cradle/fds.h"
#include "cradle/process.h"
#include "harness.h"

#define BASE 100

static bool is_open(int fd)
{
    return fcntl(fd, F_GETFD) >= 0;
}

/* Opens /dev/null at BASE .. BASE+n-1. */
static void open_block(int n)
{
    int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    for (int i = 0; i < n; i++)
        dup2(null, BASE + i);
    close(null);
}

static void test_keeps_only_the_list(void)
{
    open_block(12);
    const int keep[] = {BASE + 9, -1, BASE + 2, BASE + 2, BASE + 5, 4000};
    CHECK(cradle_close_fds_except(BASE + 1, keep, sizeof(keep) / sizeof(keep[0])) == 0);
    CHECK(is_open(BASE)); /* below first */
    CHECK(!is_open(BASE + 1));
    CHECK(is_open(BASE + 2));
    CHECK(!is_open(BASE + 3) && !is_open(BASE + 4));
    CHECK(is_open(BASE + 5));
    CHECK(!is_open(BASE + 6) && !is_open(BASE + 8));
    CHECK(is_open(BASE + 9));
    CHECK(!is_open(BASE + 10) && !is_open(BASE + 11));
    CHECK(is_open(STDOUT_FILENO));
    cradle_close_fds_except(BASE, NULL, 0);
    CHECK(!is_open(BASE) && !is_open(BASE + 9));
}

static void test_keep_fd_moves_out_of_the_preserved_range(void)
{
    struct cradle_init_ctx ctx = {.preserve_fds = BASE};
    int inside = open("/dev/null", O_RDONLY | O_CLOEXEC); /* a low fd: inside 3..BASE+2 */
    int before = inside;
    CHECK(cradle_init_keep_fd(&ctx, &inside, NULL) == 0);
    CHECK(inside >= 3 + BASE);
    CHECK(!is_open(before));
    CHECK(fcntl(inside, F_GETFD) == FD_CLOEXEC);
    int none = -1;
    CHECK(cradle_init_keep_fd(&ctx, &none, NULL) == 0);
    CHECK(ctx.n_keep_fds == 1 && ctx.keep_fds[0] == inside);
    close(inside);
    cradle_init_ctx_release(&ctx);
    CHECK(ctx.keep_fds == NULL && ctx.n_keep_fds == 0);
}

/* In the --preserve-fds range only the caller's descriptors (not close-on-exec) stay. */
static void test_runtime_fds_in_the_preserved_range_are_closed(void)
{
    struct cradle_init_ctx ctx = {.preserve_fds = BASE};
    int null = open("/dev/null", O_RDONLY);
    dup2(null, BASE - 2);            /* the caller's: inherited, no FD_CLOEXEC */
    dup3(null, BASE - 1, O_CLOEXEC); /* the runtime's own */
    int kept = fcntl(null, F_DUPFD_CLOEXEC, 3 + BASE + 5);
    CHECK(cradle_init_keep_fd(&ctx, &kept, NULL) == 0);
    CHECK(cradle_init_close_inherited_fds(&ctx, NULL) == 0);
    CHECK(is_open(BASE - 2));
    CHECK(!is_open(BASE - 1));
    CHECK(is_open(kept));
    CHECK(is_open(STDERR_FILENO));
    close(BASE - 2);
    close(kept);
    close(null);
    cradle_init_ctx_release(&ctx);
}

RUN_TESTS(test_keeps_only_the_list, test_keep_fd_moves_out_of_the_preserved_range,
          test_runtime_fds_in_the_preserved_range_are_closed)
