/* The freezer: refusing a cgroup that is already frozen (the init would hang in it), and
 * pausing and resuming a container. */
#include "cgroup_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/fileutil.h"

/* The contents of dir/name, or NULL (with *out untouched) when the file does not exist in
 * this hierarchy. */
static int read_optional(const char *dir, const char *name, char **out, cradle_error **err)
{
    _cleanup_free_ char *path = cgroup_path_join(dir, name);
    if (path == NULL)
        return cradle_error_set(err, ENOMEM, "cgroup %s: %s", dir, name);
    if (cradle_read_file_at(AT_FDCWD, path, out, NULL) == 0 || errno == ENOENT || errno == ENODEV)
        return 0;
    return cradle_error_sys(err, "reading %s", path);
}

/* v1: "FROZEN" or "FREEZING" also when only an ancestor was frozen. */
bool cgroup_v1_frozen(const char *state)
{
    return strncmp(state, "FROZEN", 6) == 0 || strncmp(state, "FREEZING", 8) == 0;
}

/* cgroup2: cgroup.events says "frozen 1" for a frozen ancestor too; cgroup.freeze is 1 as
 * soon as freezing was asked for, before "frozen" is reached. */
bool cgroup_v2_frozen(const char *events, const char *freeze)
{
    bool frozen = freeze && strncmp(freeze, "1", 1) == 0;
    for (const char *line = events; line && *line && !frozen;) {
        frozen = strncmp(line, "frozen 1", 8) == 0;
        line = strchr(line, '\n');
        line = line ? line + 1 : NULL;
    }
    return frozen;
}

int cradle_cgroup_check_not_frozen(const struct cradle_cgroup *cg, cradle_error **err)
{
    /* Each hierarchy has its own files: cgroup2 its freeze state, v1 freezer.state. */
    for (size_t i = 0; i < cg->n_dirs; i++) {
        _cleanup_free_ char *state = NULL, *events = NULL, *freeze = NULL;
        bool frozen;
        if (cg->dirs[i] == cg->unified_dir) {
            if (read_optional(cg->dirs[i], "cgroup.events", &events, err) < 0 ||
                read_optional(cg->dirs[i], "cgroup.freeze", &freeze, err) < 0)
                return -1;
            frozen = cgroup_v2_frozen(events, freeze);
        } else {
            if (read_optional(cg->dirs[i], "freezer.state", &state, err) < 0)
                return -1;
            frozen = state && cgroup_v1_frozen(state);
        }
        if (frozen)
            return cradle_error_set(err, EBUSY, "container's cgroup unexpectedly frozen");
    }
    return 0;
}

/* Pausing and resuming: the v1 freezer where the host mounts one (as runc, also on hybrid
 * hosts), else cgroup2's cgroup.freeze. */
enum freezer_kind { FREEZER_NONE, FREEZER_V1, FREEZER_V2 };

#define FREEZE_TIMEOUT_NS (10L * 1000 * 1000 * 1000)
#define FREEZE_POLL_NS    (1L * 1000 * 1000)

static enum freezer_kind find_freezer(const struct cradle_cgroup *cg, const char **dir)
{
    for (size_t i = 0; i < cg->n_dirs; i++) {
        _cleanup_free_ char *state = cgroup_path_join(cg->dirs[i], "freezer.state");
        if (state && access(state, F_OK) == 0) {
            *dir = cg->dirs[i];
            return FREEZER_V1;
        }
    }
    *dir = cg->unified_dir;
    return cg->unified_dir ? FREEZER_V2 : FREEZER_NONE;
}

static bool timed_out(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - start->tv_sec) * 1000L * 1000 * 1000 + (now.tv_nsec - start->tv_nsec) >=
           FREEZE_TIMEOUT_NS;
}

static void pause_briefly(void)
{
    struct timespec pause = {.tv_sec = 0, .tv_nsec = FREEZE_POLL_NS};
    nanosleep(&pause, NULL);
}

/* The value of key in dir's flat-keyed file ("frozen" in cgroup.events); "" when absent. */
static int read_key(const char *dir, const char *file, const char *key, char *value, size_t size,
                    cradle_error **err)
{
    _cleanup_free_ char *text = NULL;
    if (read_optional(dir, file, &text, err) < 0)
        return -1;
    size_t klen = strlen(key);
    for (const char *line = text; line && *line;) {
        if (strncmp(line, key, klen) == 0 && line[klen] == ' ') {
            snprintf(value, size, "%.*s", (int)strcspn(line + klen + 1, "\n"), line + klen + 1);
            return 0;
        }
        line = strchr(line, '\n');
        line = line ? line + 1 : NULL;
    }
    value[0] = '\0';
    return 0;
}

/* v1: FROZEN through an ancestor is not this container's pause (freezer.self_freezing);
 * FREEZING is a transition, read again until it settles. */
static int v1_is_frozen(const char *dir, bool *frozen, cradle_error **err)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        _cleanup_free_ char *state = NULL, *self = NULL;
        if (read_optional(dir, "freezer.state", &state, err) < 0)
            return -1;
        if (state == NULL || strncmp(state, "THAWED", 6) == 0) {
            *frozen = false;
            return 0;
        }
        if (strncmp(state, "FROZEN", 6) == 0) {
            if (read_optional(dir, "freezer.self_freezing", &self, err) < 0)
                return -1;
            *frozen = self == NULL || strncmp(self, "1", 1) == 0;
            return 0;
        }
        if (timed_out(&start))
            return cradle_error_set(err, ETIMEDOUT, "cgroup %s stays in state %.*s", dir,
                                    (int)strcspn(state, "\n"), state);
        pause_briefly();
    }
}

/* v1: writing FROZEN starts freezing; the kernel reports FROZEN once every task stopped.
 * A task in an uninterruptible sleep can hold it in FREEZING: write again, as runc does. */
static int v1_freeze(const char *dir, bool frozen, cradle_error **err)
{
    const char *want = frozen ? "FROZEN" : "THAWED";
    _cleanup_free_ char *path = cgroup_path_join(dir, "freezer.state");
    if (path == NULL)
        return cradle_error_set(err, ENOMEM, "cgroup %s: freezer.state", dir);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        _cleanup_free_ char *state = NULL;
        if (cgroup_write_text(path, want, err) < 0 || cgroup_read_text(path, &state, err) < 0)
            return -1;
        if (strncmp(state, want, strlen(want)) == 0)
            return 0;
        if (timed_out(&start)) {
            if (frozen)
                cgroup_write_text(path, "THAWED", NULL);
            return cradle_error_set(err, ETIMEDOUT, "unable to %s cgroup %s",
                                    frozen ? "freeze" : "thaw", dir);
        }
        pause_briefly();
    }
}

/* cgroup2: cgroup.freeze asks; cgroup.events "frozen 1" tells every task has stopped. */
static int v2_freeze(const char *dir, bool frozen, cradle_error **err)
{
    _cleanup_free_ char *path = cgroup_path_join(dir, "cgroup.freeze");
    if (path == NULL)
        return cradle_error_set(err, ENOMEM, "cgroup %s: cgroup.freeze", dir);
    if (access(path, F_OK) < 0) {
        /* Thawing what cannot be frozen has nothing to do. */
        if (!frozen)
            return 0;
        return cradle_error_sys(err, "freezer not supported: %s", path);
    }
    if (cgroup_write_text(path, frozen ? "1" : "0", err) < 0)
        return -1;
    if (!frozen)
        return 0;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (char value[16];;) {
        if (read_key(dir, "cgroup.events", "frozen", value, sizeof(value), err) < 0)
            return -1;
        if (strcmp(value, "1") == 0)
            return 0;
        if (timed_out(&start)) {
            cgroup_write_text(path, "0", NULL);
            return cradle_error_set(err, ETIMEDOUT,
                                    "timeout reached waiting for the cgroup %s to freeze", dir);
        }
        pause_briefly();
    }
}

int cradle_cgroup_freeze(const struct cradle_cgroup *cg, bool frozen, cradle_error **err)
{
    const char *dir;
    switch (find_freezer(cg, &dir)) {
    case FREEZER_V1:
        return v1_freeze(dir, frozen, err);
    case FREEZER_V2:
        return v2_freeze(dir, frozen, err);
    case FREEZER_NONE:
        break;
    }
    return frozen ? cradle_error_set(err, ENOTSUP,
                                     "freezer not supported: no freezer cgroup for %s", cg->path)
                  : 0;
}

int cradle_cgroup_is_frozen(const struct cradle_cgroup *cg, bool *frozen, cradle_error **err)
{
    const char *dir;
    _cleanup_free_ char *freeze = NULL;
    *frozen = false;
    switch (find_freezer(cg, &dir)) {
    case FREEZER_V1:
        return v1_is_frozen(dir, frozen, err);
    case FREEZER_V2:
        /* The container's own request, not an ancestor's (which cgroup.events shows too). */
        if (read_optional(dir, "cgroup.freeze", &freeze, err) < 0)
            return -1;
        *frozen = freeze && strncmp(freeze, "1", 1) == 0;
        return 0;
    case FREEZER_NONE:
        break;
    }
    return 0;
}
