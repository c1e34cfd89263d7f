#include "cradle/state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cradle/cleanup.h"
#include "cradle/fileutil.h"

const char *cradle_status_name(enum cradle_status status)
{
    switch (status) {
    case CRADLE_STATUS_CREATING:
        return "creating";
    case CRADLE_STATUS_CREATED:
        return "created";
    case CRADLE_STATUS_RUNNING:
        return "running";
    case CRADLE_STATUS_PAUSED:
        return "paused";
    case CRADLE_STATUS_STOPPED:
        return "stopped";
    }
    return "unknown";
}

/* /proc/PID/stat: "pid (comm) S ppid ..."; comm may contain spaces and parentheses, so
 * parse from the last ')'. Field 3 is the state, field 22 the start time. */
static int read_stat(pid_t pid, char *state, unsigned long long *start_time)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/stat", pid);
    _cleanup_free_ char *text = NULL;
    if (cradle_read_file_at(AT_FDCWD, path, &text, NULL) < 0)
        return -1;
    char *p = strrchr(text, ')');
    if (p == NULL || p[1] != ' ') {
        errno = EINVAL;
        return -1;
    }
    p += 2;
    *state = *p;
    for (int field = 3; field < 22; field++) {
        p = strchr(p, ' ');
        if (p == NULL) {
            errno = EINVAL;
            return -1;
        }
        p++;
    }
    *start_time = strtoull(p, NULL, 10);
    return 0;
}

int cradle_pid_start_time(pid_t pid, unsigned long long *out, cradle_error **err)
{
    char state;
    if (read_stat(pid, &state, out) < 0)
        return cradle_error_sys(err, "read /proc/%d/stat", pid);
    return 0;
}

bool cradle_pid_matches(pid_t pid, unsigned long long start_time)
{
    char state;
    unsigned long long now;
    if (pid <= 0 || read_stat(pid, &state, &now) < 0)
        return false;
    return now == start_time && state != 'Z' && state != 'X';
}

enum cradle_status cradle_state_status(int dir_fd, const struct cradle_state *state)
{
    if (state->creating)
        return cradle_pid_matches(state->creator_pid, state->creator_start_time)
                   ? CRADLE_STATUS_CREATING
                   : CRADLE_STATUS_STOPPED;
    if (!cradle_pid_matches(state->pid, state->pid_start_time))
        return CRADLE_STATUS_STOPPED;
    struct stat st;
    if (fstatat(dir_fd, CRADLE_EXEC_FIFO, &st, AT_SYMLINK_NOFOLLOW) == 0)
        return CRADLE_STATUS_CREATED;
    return CRADLE_STATUS_RUNNING;
}
