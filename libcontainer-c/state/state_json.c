/* A JSON file of a container's state directory, replaced atomically. */
#include "cradle/state.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/fileutil.h"

int cradle_state_write_json(int dir_fd, const char *name, struct json_object *obj,
                            cradle_error **err)
{
    char tmp[256];
    if (snprintf(tmp, sizeof(tmp), ".%s.tmp", name) >= (int)sizeof(tmp))
        return cradle_error_set(err, ENAMETOOLONG, "state file %s", name);
    const char *text = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN);
    if (text == NULL)
        return cradle_error_set(err, ENOMEM, "writing %s", name);
    _cleanup_close_ int fd = openat(dir_fd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return cradle_error_sys(err, "writing %s", name);
    size_t len = strlen(text);
    ssize_t n = write(fd, text, len);
    if (n != (ssize_t)len) {
        if (n >= 0)
            errno = EIO;
        return cradle_error_sys(err, "writing %s", name);
    }
    if (renameat(dir_fd, tmp, dir_fd, name) < 0)
        return cradle_error_sys(err, "writing %s", name);
    return 0;
}
