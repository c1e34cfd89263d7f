/* The copy of config.json that create keeps in the state directory (as crun does): exec
 * builds its process from it, never from a bundle that may have changed since. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/fileutil.h"
#include "cradle/spec.h"
#include "cradle/state.h"

int cradle_state_save_config(int dir_fd, const char *text, cradle_error **err)
{
    /* 0600: process.env may hold secrets. */
    _cleanup_close_ int fd =
        openat(dir_fd, CRADLE_CONFIG_COPY, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return cradle_error_sys(err, "create %s in the state directory", CRADLE_CONFIG_COPY);
    for (size_t len = strlen(text); len > 0;) {
        ssize_t n = write(fd, text, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return cradle_error_sys(err, "write %s in the state directory", CRADLE_CONFIG_COPY);
        text += n;
        len -= (size_t)n;
    }
    return 0;
}

int cradle_state_load_config(int dir_fd, struct cradle_spec **spec, cradle_error **err)
{
    _cleanup_free_ char *text = NULL;
    size_t len = 0;
    if (cradle_read_file_at(dir_fd, CRADLE_CONFIG_COPY, &text, &len) < 0)
        return cradle_error_sys(err, "read the container's %s", CRADLE_CONFIG_COPY);
    if (strlen(text) != len)
        return cradle_error_set(err, EINVAL, "the container's %s: contains a NUL byte",
                                CRADLE_CONFIG_COPY);
    return cradle_spec_parse(text, spec, err);
}
