/* runc's flag syntaxes: go-units memory sizes (update) and Go durations (events). */
#include <errno.h>
#include <stdint.h>

#include "cradle/units.h"
#include "harness.h"

static int64_t ram(const char *text)
{
    int64_t v = -2;
    return cradle_parse_ram_size(text, &v) == 0 ? v : -1;
}

static void test_ram_sizes(void)
{
    CHECK(ram("1024") == 1024);
    CHECK(ram("64m") == 64LL << 20);
    CHECK(ram("64M") == 64LL << 20);
    CHECK(ram("64MB") == 64LL << 20);
    CHECK(ram("64MiB") == 64LL << 20);
    CHECK(ram("512 kb") == 512LL << 10);
    CHECK(ram("1.5g") == 3LL << 29);
    CHECK(ram("2t") == 2LL << 40);
    CHECK(ram("1p") == 1LL << 50);
    CHECK(ram("10b") == 10);
    CHECK(ram("abc") == -1);
    CHECK(ram("") == -1);
    CHECK(ram("-1") == -1); /* the CLI handles "-1" itself, as runc does */
    CHECK(ram("64x") == -1);
    CHECK(ram("64mm") == -1);
    CHECK(ram(".5m") == -1);
    CHECK(ram("5.m") == -1);
    CHECK(ram("64  m") == -1);
    CHECK(ram("9000p") == -1 && errno == ERANGE);
}

static int64_t duration(const char *text)
{
    int64_t v = -2;
    return cradle_parse_duration(text, &v) == 0 ? v : -1;
}

static void test_durations(void)
{
    CHECK(duration("5s") == 5000000000LL);
    CHECK(duration("100ms") == 100000000LL);
    CHECK(duration("1m30s") == 90000000000LL);
    CHECK(duration("0.5s") == 500000000LL);
    CHECK(duration("1h") == 3600000000000LL);
    CHECK(duration("2us") == 2000);
    CHECK(duration("2\xc2\xb5s") == 2000);
    CHECK(duration("7ns") == 7);
    CHECK(duration("0") == 0);
    CHECK(duration("+1s") == 1000000000LL);
    CHECK(duration("5") == -1);
    CHECK(duration("") == -1);
    CHECK(duration("s") == -1);
    CHECK(duration("5x") == -1);
    CHECK(duration("1s5") == -1);
    CHECK(duration("9999999h") == -1 && errno == ERANGE);
    int64_t v;
    CHECK(cradle_parse_duration("-1s", &v) == 0 && v == -1000000000LL);
}

RUN_TESTS(test_ram_sizes, test_durations)
