/* The one mountinfo reader: fields, the parent id, the read-only flag, and the octal
 * escapes the kernel writes for a space, tab, newline or backslash in a path. */
#include "harness.h"

#include "cradle/mountinfo.h"

static void test_fields(void)
{
    char line[] = "36 25 0:22 / /proc rw,nosuid,nodev,noexec,relatime shared:13 - proc proc rw\n";
    struct cradle_mountinfo mi;
    CHECK(cradle_mountinfo_parse_line(line, &mi));
    CHECK(mi.id == 36);
    CHECK(mi.parent == 25);
    CHECK_STREQ(mi.device, "0:22");
    CHECK_STREQ(mi.root, "/");
    CHECK_STREQ(mi.mountpoint, "/proc");
    CHECK(!mi.readonly);
    CHECK_STREQ(mi.optional, "shared:13");
    CHECK_STREQ(mi.fstype, "proc");
    CHECK_STREQ(mi.source, "proc");
    CHECK_STREQ(mi.super_options, "rw");
}

static void test_readonly_is_a_whole_option(void)
{
    char ro[] = "40 36 0:22 /sys /proc/sys ro,nosuid - proc proc rw\n";
    char rootlike[] = "41 36 0:22 /sys /x rw,nosuid,rootcontext - proc proc rw\n";
    char last[] = "42 36 0:22 /sys /y nosuid,ro - proc proc rw\n";
    struct cradle_mountinfo mi;
    CHECK(cradle_mountinfo_parse_line(ro, &mi) && mi.readonly);
    CHECK(cradle_mountinfo_parse_line(rootlike, &mi) && !mi.readonly);
    CHECK(cradle_mountinfo_parse_line(last, &mi) && mi.readonly);
}

static void test_unescapes_blank_tab_newline_backslash(void)
{
    char line[] = "50 25 0:60 /a\\040b /tmp/my\\040dir/x\\011y\\012z\\134w rw - proc "
                  "my\\040proc rw\n";
    struct cradle_mountinfo mi;
    CHECK(cradle_mountinfo_parse_line(line, &mi));
    CHECK_STREQ(mi.root, "/a b");
    CHECK_STREQ(mi.mountpoint, "/tmp/my dir/x\ty\nz\\w");
    CHECK_STREQ(mi.fstype, "proc");
    CHECK_STREQ(mi.source, "my proc");
}

static void test_escaped_backslash_is_decoded_once(void)
{
    /* A directory literally named "\040" shows as "\134040": it must read back as the
     * four characters, not as a blank. */
    char line[] = "51 25 0:60 / /tmp/\\134040 rw - tmpfs tmpfs rw\n";
    struct cradle_mountinfo mi;
    CHECK(cradle_mountinfo_parse_line(line, &mi));
    CHECK_STREQ(mi.mountpoint, "/tmp/\\040");
}

static void test_unescape_leaves_other_backslashes(void)
{
    char s[] = "a\\0b\\9\\400\\";
    cradle_mountinfo_unescape(s);
    CHECK_STREQ(s, "a\\0b\\9\\400\\");
}

static void test_no_optional_fields(void)
{
    char line[] = "60 25 0:61 / /mnt rw - tmpfs none rw\n";
    struct cradle_mountinfo mi;
    CHECK(cradle_mountinfo_parse_line(line, &mi));
    CHECK_STREQ(mi.optional, "");
    CHECK_STREQ(mi.fstype, "tmpfs");
}

static void test_rejects_truncated_lines(void)
{
    char short_line[] = "60 25 0:61 / /mnt\n";
    char no_dash[] = "60 25 0:61 / /mnt rw tmpfs none rw\n";
    struct cradle_mountinfo mi;
    CHECK(!cradle_mountinfo_parse_line(short_line, &mi));
    CHECK(!cradle_mountinfo_parse_line(no_dash, &mi));
}

RUN_TESTS(test_fields, test_readonly_is_a_whole_option, test_unescapes_blank_tab_newline_backslash,
          test_escaped_backslash_is_decoded_once, test_unescape_leaves_other_backslashes,
          test_no_optional_fields, test_rejects_truncated_lines)
