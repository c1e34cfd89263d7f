/* Private to bus.c and bus_dl.c: the sd-bus functions the systemd driver calls, looked up
 * in libsystemd.so.0 with dlopen the first time the driver opens the bus. Linking
 * libsystemd would load it and its five dependencies at every exec of cradle, a run +
 * delete that never uses --systemd-cgroup included. */
#ifndef CRADLE_SYSTEMD_BUS_DL_H
#define CRADLE_SYSTEMD_BUS_DL_H

#include <systemd/sd-bus.h>

#include "cradle/error.h"

#define SYSTEMD_BUS_LIBRARY "libsystemd.so.0"

/* X(name): sd_bus_NAME, each function bus.c uses. */
#define SYSTEMD_BUS_FUNCTIONS(X)                                                                   \
    X(call)                                                                                        \
    X(call_method)                                                                                 \
    X(error_free)                                                                                  \
    X(error_has_name)                                                                              \
    X(error_is_set)                                                                                \
    X(flush_close_unref)                                                                           \
    X(get_property_string)                                                                         \
    X(match_signal)                                                                                \
    X(message_append)                                                                              \
    X(message_append_array)                                                                        \
    X(message_close_container)                                                                     \
    X(message_new_method_call)                                                                     \
    X(message_open_container)                                                                      \
    X(message_read)                                                                                \
    X(message_unref)                                                                               \
    X(open_system)                                                                                 \
    X(process)                                                                                     \
    X(slot_unref)                                                                                  \
    X(wait)

/* sdbus.call is sd_bus_call, and so on; valid once systemd_bus_load succeeded. */
struct systemd_bus_functions {
#define SYSTEMD_BUS_FIELD(name) __typeof__(sd_bus_##name) *name;
    SYSTEMD_BUS_FUNCTIONS(SYSTEMD_BUS_FIELD)
#undef SYSTEMD_BUS_FIELD
};

extern struct systemd_bus_functions sdbus;

/* Loads libsystemd.so.0 (once per process) and fills sdbus. Fails with "--systemd-cgroup
 * needs libsystemd.so.0: " and dlerror's reason when the library or a function is missing. */
int systemd_bus_load(cradle_error **err);

/* The same from another library name: for tests. */
int systemd_bus_load_from(const char *library, cradle_error **err);

#endif
