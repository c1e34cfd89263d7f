#include "cradle/process.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cradle/cleanup.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static const char *path_from_env(char *const *env)
{
    for (size_t i = 0; env && env[i]; i++)
        if (strncmp(env[i], "PATH=", 5) == 0)
            return env[i] + 5;
    return DEFAULT_PATH;
}

static bool is_executable_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

int cradle_exec_lookup(const char *arg0, char *const *env, char **out, cradle_error **err)
{
    if (strchr(arg0, '/')) {
        if (!is_executable_file(arg0))
            return cradle_error_sys(err, "exec: \"%s\"", arg0);
        *out = strdup(arg0);
        return *out ? 0 : cradle_error_set(err, ENOMEM, "exec lookup");
    }
    _cleanup_free_ char *dirs = strdup(path_from_env(env));
    if (dirs == NULL)
        return cradle_error_set(err, ENOMEM, "exec lookup");
    char *save = NULL;
    for (char *dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
        char *candidate = NULL;
        if (asprintf(&candidate, "%s/%s", *dir ? dir : ".", arg0) < 0)
            return cradle_error_set(err, ENOMEM, "exec lookup");
        if (is_executable_file(candidate)) {
            *out = candidate;
            return 0;
        }
        free(candidate);
    }
    return cradle_error_set(err, ENOENT, "exec: \"%s\": executable file not found in $PATH", arg0);
}
