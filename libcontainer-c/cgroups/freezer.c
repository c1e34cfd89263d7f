/* Refusing a cgroup that is already frozen: the init would hang in it. */
#include "cgroup_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

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
