/* Splitting mount data into options (rootfs_next_data_option): a quoted SELinux context
 * with MCS categories keeps its commas. */
#include "harness.h"

#include <string.h>

#include "../../libcontainer-c/rootfs/rootfs_internal.h"

static void test_plain_options(void)
{
    char data[] = "size=65536k,mode=755,,nr_inodes=4";
    char *cursor = data;
    CHECK_STREQ(rootfs_next_data_option(&cursor), "size=65536k");
    CHECK_STREQ(rootfs_next_data_option(&cursor), "mode=755");
    CHECK_STREQ(rootfs_next_data_option(&cursor), "");
    CHECK_STREQ(rootfs_next_data_option(&cursor), "nr_inodes=4");
    CHECK(rootfs_next_data_option(&cursor) == NULL);
}

static void test_quoted_context_keeps_commas(void)
{
    char data[] = "mode=755,context=\"system_u:object_r:container_file_t:s0:c1,c2\",size=1k";
    char *cursor = data;
    CHECK_STREQ(rootfs_next_data_option(&cursor), "mode=755");
    CHECK_STREQ(rootfs_next_data_option(&cursor),
                "context=\"system_u:object_r:container_file_t:s0:c1,c2\"");
    CHECK_STREQ(rootfs_next_data_option(&cursor), "size=1k");
    CHECK(rootfs_next_data_option(&cursor) == NULL);
}

RUN_TESTS(test_plain_options, test_quoted_context_keeps_commas)
