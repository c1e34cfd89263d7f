/* libsystemd is not linked: the systemd driver loads it with dlopen (bus_dl.c), and a
 * missing library or function is one clear error. */
#include "harness.h"

#include <dlfcn.h>
#include <errno.h>

#include "../../libcontainer-c/cgroups/systemd/bus_dl.h"
#include "cradle/cleanup.h"

static void test_not_linked(void)
{
    CHECK(dlopen(SYSTEMD_BUS_LIBRARY, RTLD_NOW | RTLD_NOLOAD) == NULL);
}

static void test_missing_library(void)
{
    _cleanup_error_ cradle_error *err = NULL;
    CHECK(systemd_bus_load_from("libcradle-test-missing.so.0", &err) < 0);
    CHECK(err && err->errnum == ENOTSUP);
    CHECK_CONTAINS(err ? err->msg : NULL,
                   "--systemd-cgroup needs libcradle-test-missing.so.0: libcradle-test-missing");
    CHECK(sdbus.call == NULL);
}

static void test_missing_function(void)
{
    _cleanup_error_ cradle_error *err = NULL;
    CHECK(systemd_bus_load_from("libc.so.6", &err) < 0);
    CHECK_CONTAINS(err ? err->msg : NULL, "--systemd-cgroup needs libc.so.6: ");
    CHECK_CONTAINS(err ? err->msg : NULL, "sd_bus_call");
    CHECK(sdbus.call == NULL);
}

static void test_load(void)
{
    _cleanup_error_ cradle_error *err = NULL;
    CHECK(systemd_bus_load(&err) == 0);
    CHECK(err == NULL);
#define CHECK_LOADED(name) CHECK(sdbus.name != NULL);
    SYSTEMD_BUS_FUNCTIONS(CHECK_LOADED)
#undef CHECK_LOADED
    CHECK(dlopen(SYSTEMD_BUS_LIBRARY, RTLD_NOW | RTLD_NOLOAD) != NULL);
    CHECK(systemd_bus_load(&err) == 0); /* once per process */
}

RUN_TESTS(test_not_linked, test_missing_library, test_missing_function, test_load)
