/* cradle_uid_map_is_userns: the initial namespace's uid_map against the maps of the
 * namespaces rootless Podman and `unshare -r` create. */
#include "cradle/userns.h"
#include "harness.h"

static void test_initial_namespace(void)
{
    CHECK(!cradle_uid_map_is_userns("         0          0 4294967295\n"));
    CHECK(!cradle_uid_map_is_userns("0 0 4294967295"));
}

static void test_user_namespaces(void)
{
    /* Rootless Podman: the user's id, then its subordinate range. */
    CHECK(cradle_uid_map_is_userns("         0       1002          1\n"
                                   "         1     165536      65536\n"));
    /* unshare -r */
    CHECK(cradle_uid_map_is_userns("         0          0          1\n"));
    /* Every id, but a second line: not the initial namespace's map. */
    CHECK(cradle_uid_map_is_userns("0 0 4294967295\n1 1 1\n"));
    CHECK(cradle_uid_map_is_userns("0 1 4294967295\n"));
    /* A namespace whose map is not written yet is empty. */
    CHECK(cradle_uid_map_is_userns(""));
}

static void test_this_process(void)
{
    /* ctest runs as root of the initial namespace here; the answer is read once. */
    CHECK(cradle_running_in_userns() == cradle_running_in_userns());
}

RUN_TESTS(test_initial_namespace, test_user_namespaces, test_this_process)
