#include <errno.h>
#include <fcntl.h>
#include <stdio.h>

#include "cradle/fileutil.h"
#include "cradle/id_map.h"

int cradle_write_id_map(pid_t pid, const char *file, const struct cradle_spec_id_mapping *maps,
                        size_t n, const char *field, cradle_error **err)
{
    char buf[4096], path[64];
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        int w = snprintf(buf + len, sizeof(buf) - len, "%u %u %u\n", maps[i].container_id,
                         maps[i].host_id, maps[i].size);
        if (w < 0 || (size_t)w >= sizeof(buf) - len)
            return cradle_error_set(err, E2BIG, "%s: too many mappings", field);
        len += (size_t)w;
    }
    snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
    if (cradle_write_file_at(AT_FDCWD, path, buf, len) < 0)
        return cradle_error_sys(err, "%s: write %s", field, path);
    return 0;
}
