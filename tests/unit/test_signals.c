#include <signal.h>

#include "cradle/signals.h"
#include "harness.h"

static void test_names(void)
{
    CHECK(cradle_signal_parse("TERM") == SIGTERM);
    CHECK(cradle_signal_parse("SIGTERM") == SIGTERM);
    CHECK(cradle_signal_parse("sigkill") == SIGKILL);
    CHECK(cradle_signal_parse("KILL") == SIGKILL);
    CHECK(cradle_signal_parse("SIGWINCH") == SIGWINCH);
}

static void test_numbers(void)
{
    CHECK(cradle_signal_parse("9") == 9);
    CHECK(cradle_signal_parse("15") == 15);
    CHECK(cradle_signal_parse("0") == -1);
    CHECK(cradle_signal_parse("99") == -1);
    CHECK(cradle_signal_parse("9x") == -1);
}

static void test_realtime(void)
{
    CHECK(cradle_signal_parse("RTMIN") == SIGRTMIN);
    CHECK(cradle_signal_parse("SIGRTMIN+3") == SIGRTMIN + 3);
    CHECK(cradle_signal_parse("RTMAX-1") == SIGRTMAX - 1);
    CHECK(cradle_signal_parse("RTMIN+999") == -1);
}

static void test_rejects(void)
{
    CHECK(cradle_signal_parse("") == -1);
    CHECK(cradle_signal_parse("SIG") == -1);
    CHECK(cradle_signal_parse("BOGUS") == -1);
    CHECK(cradle_signal_parse(NULL) == -1);
}

RUN_TESTS(test_names, test_numbers, test_realtime, test_rejects)
