/* libsystemd, loaded on demand: see bus_dl.h. */
#include "bus_dl.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>

struct systemd_bus_functions sdbus;

static bool loaded;

static int load_failed(const char *library, cradle_error **err)
{
    const char *why = dlerror();
    return cradle_error_set(err, ENOTSUP, "--systemd-cgroup needs %s: %s", library,
                            why ? why : "not found");
}

int systemd_bus_load_from(const char *library, cradle_error **err)
{
    if (loaded)
        return 0;
    /* Never unloaded: the functions stay valid for the rest of the process. */
    void *handle = dlopen(library, RTLD_NOW | RTLD_LOCAL);
    if (!handle)
        return load_failed(library, err);
    struct systemd_bus_functions found;
#define SYSTEMD_BUS_LOOKUP(name)                                                                   \
    if (!(found.name = (__typeof__(found.name))dlsym(handle, "sd_bus_" #name)))                    \
        goto missing;
    SYSTEMD_BUS_FUNCTIONS(SYSTEMD_BUS_LOOKUP)
#undef SYSTEMD_BUS_LOOKUP
    sdbus = found;
    loaded = true;
    return 0;

missing:;
    int r = load_failed(library, err); /* before dlclose, which would reset dlerror */
    dlclose(handle);
    return r;
}

int systemd_bus_load(cradle_error **err)
{
    return systemd_bus_load_from(SYSTEMD_BUS_LIBRARY, err);
}
