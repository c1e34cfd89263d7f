/* The terminal of a container with process.terminal. Its pty's master lives outside the
 * container (with the engine), so criu cannot dump the pair: as criu's own external-tty
 * test does, the slave is declared external on dump (--external tty[RDEV:DEV]) and a new
 * slave is inherited on restore (--inherit-fd fd[N]:tty[RDEV:DEV]); /dev/console, a bind of
 * the old slave, becomes a bind of the new one. The key and whether /dev/console was a
 * mount are kept in the image directory (CRIU_TTY_FILE). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/criu.h"
#include "cradle/fileutil.h"
#include "cradle/mountinfo.h"

#define PTS_FIRST_MAJOR 136 /* UNIX98_PTY_SLAVE_MAJOR, and the 7 majors after it */
#define PTS_LAST_MAJOR  143

static void json_putp(json_object **o)
{
    if (*o)
        json_object_put(*o);
}

/* The key criu gives the pty slave on fd of pid: "tty[RDEV:DEV]" (hex), or "" when that
 * descriptor is not a pty slave. */
static int slave_key(pid_t pid, int fd, char *key, size_t size)
{
    char link[64];
    struct stat st;
    snprintf(link, sizeof(link), "/proc/%d/fd/%d", pid, fd);
    key[0] = '\0';
    if (stat(link, &st) < 0 || !S_ISCHR(st.st_mode) || major(st.st_rdev) < PTS_FIRST_MAJOR ||
        major(st.st_rdev) > PTS_LAST_MAJOR)
        return 0;
    snprintf(key, size, "tty[%" PRIx64 ":%" PRIx64 "]", (uint64_t)st.st_rdev, (uint64_t)st.st_dev);
    return 1;
}

static int is_console(const struct cradle_mountinfo *mi, void *data)
{
    (void)data;
    return strcmp(mi->mountpoint, "/dev/console") == 0;
}

/* 1 when /dev/console is a mount point in pid's mount namespace. */
static int has_console_mount(pid_t pid, cradle_error **err)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/mountinfo", pid);
    return cradle_mountinfo_foreach(path, is_console, NULL, err);
}

int criu_add_dump_tty(struct criu_args *a, pid_t pid, int image_fd, cradle_error **err)
{
    char key[64];
    for (int fd = 0; fd < 3 && !slave_key(pid, fd, key, sizeof(key)); fd++)
        ;
    if (key[0] == '\0')
        return 0;
    int console = has_console_mount(pid, err);
    if (console < 0)
        return -1;
    if (criu_args_add(a, "--external", err) < 0 || criu_args_add(a, key, err) < 0 ||
        (console > 0 && (criu_args_add(a, "--ext-mount-map", err) < 0 ||
                         criu_args_add(a, "/dev/console:/dev/console", err) < 0)))
        return -1;
    __attribute__((cleanup(json_putp))) json_object *o = json_object_new_object();
    if (o == NULL || json_object_object_add(o, "tty", json_object_new_string(key)) < 0 ||
        json_object_object_add(o, "console", json_object_new_boolean(console > 0)) < 0)
        return cradle_error_set(err, ENOMEM, CRIU_TTY_FILE);
    const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
    _cleanup_close_ int out =
        openat(image_fd, CRIU_TTY_FILE, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    size_t len = strlen(text);
    if (out < 0 || write(out, text, len) != (ssize_t)len)
        return cradle_error_sys(err, "writing %s in the image directory", CRIU_TTY_FILE);
    return 0;
}

int criu_add_restore_tty(struct criu_args *a, int image_fd, int slave_fd, const char *slave_path,
                         cradle_error **err)
{
    _cleanup_free_ char *text = NULL;
    if (cradle_read_file_at(image_fd, CRIU_TTY_FILE, &text, NULL) < 0)
        return cradle_error_sys(err,
                                "process.terminal: the checkpoint has no terminal to restore "
                                "(%s in the image directory)",
                                CRIU_TTY_FILE);
    __attribute__((cleanup(json_putp))) json_object *o = json_tokener_parse(text);
    json_object *tty = NULL, *console = NULL;
    if (o == NULL || !json_object_object_get_ex(o, "tty", &tty) ||
        !json_object_is_type(tty, json_type_string) ||
        strncmp(json_object_get_string(tty), "tty[", 4) != 0)
        return cradle_error_set(err, EINVAL, "%s: expected {\"tty\": \"tty[RDEV:DEV]\"}",
                                CRIU_TTY_FILE);
    if (criu_args_add(a, "--inherit-fd", err) < 0 ||
        criu_args_addf(a, err, "fd[%d]:%s", slave_fd, json_object_get_string(tty)) < 0)
        return -1;
    if (json_object_object_get_ex(o, "console", &console) && json_object_get_boolean(console) &&
        (criu_args_add(a, "--ext-mount-map", err) < 0 ||
         criu_args_addf(a, err, "/dev/console:%s", slave_path) < 0))
        return -1;
    return 0;
}
