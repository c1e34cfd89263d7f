/* process.args[0] to an executable path, as runc's exec.LookPath does, with runc's error
 * texts: Docker maps "no such file or directory" and "executable file not found" to 127,
 * "permission denied" to 126. */
#include "cradle/process.h"

#include <ctype.h>
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

const char *cradle_go_strerror(int errnum, char buf[128])
{
    snprintf(buf, 128, "%s", strerror(errnum));
    buf[0] = (char)tolower((unsigned char)buf[0]);
    return buf;
}

/* Go's findExecutable: 0, or an errno (ENOENT...) for stat and EACCES for a directory or
 * a file without any execute bit. */
static int check_executable(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0)
        return errno;
    return !S_ISDIR(st.st_mode) && (st.st_mode & 0111) ? 0 : EACCES;
}

static int found(const char *path, char **out, cradle_error **err)
{
    *out = strdup(path);
    return *out ? 0 : cradle_error_set(err, ENOMEM, "exec lookup");
}

int cradle_exec_lookup(const char *arg0, char *const *env, char **out, cradle_error **err)
{
    char text[128];
    if (strchr(arg0, '/')) {
        int e = check_executable(arg0);
        if (e == EACCES)
            return cradle_error_set(err, e, "exec: \"%s\": %s", arg0, cradle_go_strerror(e, text));
        if (e != 0)
            return cradle_error_set(err, e, "exec: \"%s\": stat %s: %s", arg0, arg0,
                                    cradle_go_strerror(e, text));
        return found(arg0, out, err);
    }
    _cleanup_free_ char *dirs = strdup(path_from_env(env));
    if (dirs == NULL)
        return cradle_error_set(err, ENOMEM, "exec lookup");
    /* strsep, not strtok: an empty PATH entry is the current directory. */
    for (char *rest = dirs, *dir; (dir = strsep(&rest, ":")) != NULL;) {
        _cleanup_free_ char *candidate = NULL;
        if (asprintf(&candidate, "%s/%s", *dir ? dir : ".", arg0) < 0)
            return cradle_error_set(err, ENOMEM, "exec lookup");
        if (check_executable(candidate) == 0)
            return found(candidate, out, err);
    }
    return cradle_error_set(err, ENOENT, "exec: \"%s\": executable file not found in $PATH", arg0);
}

int cradle_exec_failed(const char *path, cradle_error **err)
{
    char text[128];
    int e = errno;
    return cradle_error_set(err, e, "exec %s: %s", path, cradle_go_strerror(e, text));
}
