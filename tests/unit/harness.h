/* A minimal unit-test harness: CHECK records a failure and carries on; each test file
 * ends with RUN_TESTS(fn, ...) which prints "N passed, N failed" and sets the exit code. */
#ifndef CRADLE_TEST_HARNESS_H
#define CRADLE_TEST_HARNESS_H

#include <stdio.h>
#include <string.h>

static int harness_failures;
static int harness_checks;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        harness_checks++;                                                                          \
        if (!(cond)) {                                                                             \
            harness_failures++;                                                                    \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);               \
        }                                                                                          \
    } while (0)

#define CHECK_STREQ(a, b)                                                                          \
    do {                                                                                           \
        const char *_a = (a), *_b = (b);                                                           \
        harness_checks++;                                                                          \
        if (_a == NULL || _b == NULL || strcmp(_a, _b) != 0) {                                     \
            harness_failures++;                                                                    \
            fprintf(stderr, "%s:%d: CHECK_STREQ failed: \"%s\" != \"%s\"\n", __FILE__, __LINE__,   \
                    _a ? _a : "(null)", _b ? _b : "(null)");                                       \
        }                                                                                          \
    } while (0)

/* Passes when haystack contains needle. */
#define CHECK_CONTAINS(haystack, needle)                                                           \
    do {                                                                                           \
        const char *_h = (haystack), *_n = (needle);                                               \
        harness_checks++;                                                                          \
        if (_h == NULL || strstr(_h, _n) == NULL) {                                                \
            harness_failures++;                                                                    \
            fprintf(stderr, "%s:%d: \"%s\" does not contain \"%s\"\n", __FILE__, __LINE__,         \
                    _h ? _h : "(null)", _n);                                                       \
        }                                                                                          \
    } while (0)

typedef void (*harness_test_fn)(void);

static inline int harness_run(const char *const *names, const harness_test_fn *fns, int n)
{
    int passed = 0, failed = 0;
    for (int i = 0; i < n; i++) {
        int before = harness_failures;
        fns[i]();
        if (harness_failures == before) {
            passed++;
        } else {
            failed++;
            fprintf(stderr, "FAIL %s\n", names[i]);
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

#define RUN_TESTS(...)                                                                             \
    int main(void)                                                                                 \
    {                                                                                              \
        const harness_test_fn fns[] = {__VA_ARGS__};                                               \
        const char *names[sizeof(fns) / sizeof(fns[0])];                                           \
        const char *all = #__VA_ARGS__;                                                            \
        static char buf[4096];                                                                     \
        snprintf(buf, sizeof(buf), "%s", all);                                                     \
        int i = 0;                                                                                 \
        for (char *tok = strtok(buf, ", "); tok && i < (int)(sizeof(fns) / sizeof(fns[0]));        \
             tok = strtok(NULL, ", "))                                                             \
            names[i++] = tok;                                                                      \
        return harness_run(names, fns, (int)(sizeof(fns) / sizeof(fns[0])));                       \
    }

#endif
