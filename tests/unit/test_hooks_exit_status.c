/* How a hook's end is put into words (hooks/exit_status.c). */
#include <signal.h>
#include <string.h>

#include "harness.h"
#include "../../libcontainer-c/hooks/hooks_internal.h"

static siginfo_t child_info(int code, int status)
{
    siginfo_t info;
    memset(&info, 0, sizeof(info));
    info.si_code = code;
    info.si_status = status;
    return info;
}

static void test_exit_zero_is_success(void)
{
    char buf[64];
    siginfo_t info = child_info(CLD_EXITED, 0);
    CHECK(hook_exit_describe(&info, buf, sizeof(buf)) == NULL);
}

static void test_nonzero_exit_names_status(void)
{
    char buf[64];
    siginfo_t info = child_info(CLD_EXITED, 3);
    CHECK_STREQ(hook_exit_describe(&info, buf, sizeof(buf)), "exited with status 3");
}

static void test_killed_names_signal(void)
{
    char buf[64];
    siginfo_t info = child_info(CLD_KILLED, SIGKILL);
    CHECK_STREQ(hook_exit_describe(&info, buf, sizeof(buf)), "killed by signal SIGKILL");
}

static void test_core_dump_names_signal(void)
{
    char buf[64];
    siginfo_t info = child_info(CLD_DUMPED, SIGSEGV);
    CHECK_STREQ(hook_exit_describe(&info, buf, sizeof(buf)), "killed by signal SIGSEGV");
}

static void test_unnamed_signal_gives_number(void)
{
    char buf[64];
    siginfo_t info = child_info(CLD_KILLED, SIGRTMIN + 3);
    CHECK_CONTAINS(hook_exit_describe(&info, buf, sizeof(buf)), "killed by signal ");
}

RUN_TESTS(test_exit_zero_is_success, test_nonzero_exit_names_status, test_killed_names_signal,
          test_core_dump_names_signal, test_unnamed_signal_gives_number)
