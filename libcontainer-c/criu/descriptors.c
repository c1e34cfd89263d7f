#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/fileutil.h"
#include "cradle/criu.h"

static void json_putp(json_object **o)
{
    if (*o)
        json_object_put(*o);
}

int criu_write_descriptors(int image_fd, pid_t pid, cradle_error **err)
{
    __attribute__((cleanup(json_putp))) json_object *list = json_object_new_array();
    if (list == NULL)
        return cradle_error_set(err, ENOMEM, CRIU_DESCRIPTORS_FILE);
    for (int fd = 0; fd < 3; fd++) {
        char link[64], target[PATH_MAX];
        snprintf(link, sizeof(link), "/proc/%d/fd/%d", pid, fd);
        ssize_t len = readlink(link, target, sizeof(target) - 1);
        /* A closed descriptor is recorded as runc does: an empty string. */
        target[len < 0 ? 0 : len] = '\0';
        json_object_array_add(list, json_object_new_string(target));
    }
    const char *text = json_object_to_json_string_ext(list, JSON_C_TO_STRING_PLAIN |
                                                                JSON_C_TO_STRING_NOSLASHESCAPE);
    _cleanup_close_ int fd =
        openat(image_fd, CRIU_DESCRIPTORS_FILE, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    size_t len = strlen(text);
    if (fd < 0 || write(fd, text, len) != (ssize_t)len)
        return cradle_error_sys(err, "writing %s in the image directory", CRIU_DESCRIPTORS_FILE);
    return 0;
}

int criu_add_inherited_stdio(struct criu_args *a, int image_fd, cradle_error **err)
{
    _cleanup_free_ char *text = NULL;
    if (cradle_read_file_at(image_fd, CRIU_DESCRIPTORS_FILE, &text, NULL) < 0)
        return cradle_error_sys(err, "reading %s in the image directory", CRIU_DESCRIPTORS_FILE);
    __attribute__((cleanup(json_putp))) json_object *list = json_tokener_parse(text);
    if (list == NULL || !json_object_is_type(list, json_type_array))
        return cradle_error_set(err, EINVAL, "%s: expected a JSON array of strings",
                                CRIU_DESCRIPTORS_FILE);
    size_t n = json_object_array_length(list);
    for (size_t i = 0; i < n && i < 3; i++) {
        const char *path = json_object_get_string(json_object_array_get_idx(list, i));
        /* A pipe of the old init is reconnected to the same descriptor of ours (the caller's
         * stdio: a new engine's pipes); files are reopened by criu from their paths. */
        if (path && strncmp(path, "pipe:", 5) == 0 &&
            (criu_args_add(a, "--inherit-fd", err) < 0 ||
             criu_args_addf(a, err, "fd[%zu]:%s", i, path) < 0))
            return -1;
    }
    return 0;
}
