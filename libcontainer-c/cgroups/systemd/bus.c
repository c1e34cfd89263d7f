/* Talking to systemd (PID 1) over the system bus with sd-bus: transient units and their
 * jobs, as runc does through go-systemd. libsystemd is loaded when the bus is first opened
 * (bus_dl.c): sdbus.call is sd_bus_call. */
#include "systemd_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bus_dl.h"
#include "cradle/cgroups.h"

#define SYSTEMD_DEST      "org.freedesktop.systemd1"
#define SYSTEMD_PATH      "/org/freedesktop/systemd1"
#define SYSTEMD_MANAGER   "org.freedesktop.systemd1.Manager"
#define JOB_TIMEOUT_USEC  (30ULL * 1000 * 1000) /* runc's */
#define ERROR_UNIT_EXISTS "org.freedesktop.systemd1.UnitExists"
#define ERROR_NO_SUCH     "org.freedesktop.systemd1.NoSuchUnit"

static inline void bus_error_freep(sd_bus_error *e)
{
    sdbus.error_free(e);
}
#define _cleanup_bus_error_ __attribute__((cleanup(bus_error_freep)))

static inline void bus_message_unrefp(sd_bus_message **m)
{
    sdbus.message_unref(*m);
}
#define _cleanup_bus_message_ __attribute__((cleanup(bus_message_unrefp)))

static inline void bus_slot_unrefp(sd_bus_slot **s)
{
    sdbus.slot_unref(*s);
}
#define _cleanup_bus_slot_ __attribute__((cleanup(bus_slot_unrefp)))

/* An sd-bus failure: the D-Bus error's message when there is one, else strerror. */
static int bus_fail(cradle_error **err, int r, const sd_bus_error *e, const char *what,
                    const char *unit)
{
    if (e && sdbus.error_is_set(e))
        return cradle_error_set(err, -r, "%s %s: %s", what, unit,
                                e->message ? e->message : e->name);
    return cradle_error_set(err, -r, "%s %s: %s", what, unit, strerror(-r));
}

int systemd_check_running(cradle_error **err)
{
    struct stat st;
    if (lstat("/run/systemd/system", &st) < 0 || !S_ISDIR(st.st_mode))
        return cradle_error_set(err, ENOTSUP,
                                "systemd is not running on this host: --systemd-cgroup needs it");
    return 0;
}

int systemd_bus_open(struct sd_bus **bus, cradle_error **err)
{
    if (systemd_check_running(err) < 0 || systemd_bus_load(err) < 0)
        return -1;
    int r = sdbus.open_system(bus);
    if (r < 0)
        return cradle_error_set(err, -r, "connecting to the system bus (systemd): %s",
                                strerror(-r));
    return 0;
}

void systemd_bus_close(struct sd_bus *bus)
{
    sdbus.flush_close_unref(bus);
}

int systemd_version(struct sd_bus *bus)
{
    _cleanup_bus_error_ sd_bus_error e = SD_BUS_ERROR_NULL;
    char *text = NULL;
    if (sdbus.get_property_string(bus, SYSTEMD_DEST, SYSTEMD_PATH, SYSTEMD_MANAGER, "Version", &e,
                                  &text) < 0)
        return -1;
    /* "252.38-1~deb12u1", "v245.4-1.fc32": the leading number */
    const char *digits = text + strspn(text, "\"v");
    int version = *digits >= '0' && *digits <= '9' ? atoi(digits) : -1;
    free(text);
    return version;
}

static int append_prop(sd_bus_message *m, const struct systemd_prop *p)
{
    switch (p->type) {
    case SYSTEMD_PROP_U64:
        return sdbus.message_append(m, "(sv)", p->name, "t", p->u64);
    case SYSTEMD_PROP_BOOL:
        return sdbus.message_append(m, "(sv)", p->name, "b", (int)p->u64);
    case SYSTEMD_PROP_STRING:
        return sdbus.message_append(m, "(sv)", p->name, "s", p->str);
    case SYSTEMD_PROP_PIDS:
        return sdbus.message_append(m, "(sv)", p->name, "au", 1, (uint32_t)p->u64);
    case SYSTEMD_PROP_BITS: {
        int r = sdbus.message_open_container(m, 'r', "sv");
        if (r >= 0)
            r = sdbus.message_append(m, "s", p->name);
        if (r >= 0)
            r = sdbus.message_open_container(m, 'v', "ay");
        if (r >= 0)
            r = sdbus.message_append_array(m, 'y', p->bits, p->n_bits);
        if (r >= 0)
            r = sdbus.message_close_container(m);
        return r < 0 ? r : sdbus.message_close_container(m);
    }
    case SYSTEMD_PROP_PAIRS: {
        int r = sdbus.message_open_container(m, 'r', "sv");
        if (r >= 0)
            r = sdbus.message_append(m, "s", p->name);
        if (r >= 0)
            r = sdbus.message_open_container(m, 'v', "a(ss)");
        if (r >= 0)
            r = sdbus.message_open_container(m, 'a', "(ss)");
        for (size_t i = 0; r >= 0 && i < p->n_pairs; i++)
            r = sdbus.message_append(m, "(ss)", p->pairs[2 * i], p->pairs[2 * i + 1]);
        for (int depth = 0; r >= 0 && depth < 3; depth++)
            r = sdbus.message_close_container(m);
        return r;
    }
    }
    return -EINVAL;
}

static int append_props(sd_bus_message *m, const struct systemd_props *props)
{
    int r = sdbus.message_open_container(m, 'a', "(sv)");
    for (size_t i = 0; r >= 0 && i < props->n; i++)
        r = append_prop(m, &props->items[i]);
    return r < 0 ? r : sdbus.message_close_container(m);
}

/* The JobRemoved signal of one job. */
struct job_wait {
    const char *job; /* object path, NULL until the method returned it */
    char result[32]; /* "done", "failed", "timeout", ...; empty until removed */
};

static int on_job_removed(sd_bus_message *m, void *data, sd_bus_error *e)
{
    (void)e;
    struct job_wait *w = data;
    uint32_t id;
    const char *path, *unit, *result;
    if (sdbus.message_read(m, "uoss", &id, &path, &unit, &result) < 0)
        return 0;
    if (w->job && strcmp(path, w->job) == 0)
        snprintf(w->result, sizeof(w->result), "%s", result);
    return 0;
}

static uint64_t now_usec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static int wait_for_job(sd_bus *bus, struct job_wait *w, const char *unit, cradle_error **err)
{
    uint64_t deadline = now_usec() + JOB_TIMEOUT_USEC;
    while (w->result[0] == '\0') {
        int r = sdbus.process(bus, NULL);
        if (r < 0)
            return bus_fail(err, r, NULL, "waiting for systemd's job on", unit);
        if (r > 0)
            continue;
        uint64_t now = now_usec();
        if (now >= deadline)
            return cradle_error_set(err, ETIMEDOUT, "Timeout waiting for systemd on %s", unit);
        r = sdbus.wait(bus, deadline - now);
        if (r < 0)
            return bus_fail(err, r, NULL, "waiting for systemd's job on", unit);
    }
    return 0;
}

/* Calls a Manager method that queues a job (its reply is the job's path), then waits for
 * that job to be removed. The JobRemoved match is in place before the call, so a job that
 * finishes at once is not missed. */
static int call_job(sd_bus *bus, sd_bus_message *m, struct job_wait *w, sd_bus_error *e,
                    const char *unit, cradle_error **err)
{
    _cleanup_bus_slot_ sd_bus_slot *slot = NULL;
    _cleanup_bus_message_ sd_bus_message *reply = NULL;
    int r = sdbus.match_signal(bus, &slot, SYSTEMD_DEST, SYSTEMD_PATH, SYSTEMD_MANAGER,
                               "JobRemoved", on_job_removed, w);
    if (r < 0)
        return bus_fail(err, r, NULL, "watching systemd's jobs for", unit);
    r = sdbus.call(bus, m, 0, e, &reply);
    if (r < 0)
        return r; /* the caller knows which D-Bus errors are expected */
    if ((r = sdbus.message_read(reply, "o", &w->job)) < 0)
        return bus_fail(err, r, NULL, "reading systemd's job for", unit);
    return wait_for_job(bus, w, unit, err) < 0 ? -EIO : 0;
}

static int reset_failed(sd_bus *bus, const char *unit)
{
    return sdbus.call_method(bus, SYSTEMD_DEST, SYSTEMD_PATH, SYSTEMD_MANAGER, "ResetFailedUnit",
                             NULL, NULL, "s", unit);
}

static int start_once(sd_bus *bus, const char *unit, const struct systemd_props *props,
                      struct job_wait *w, sd_bus_error *e, cradle_error **err)
{
    _cleanup_bus_message_ sd_bus_message *m = NULL;
    int r = sdbus.message_new_method_call(bus, &m, SYSTEMD_DEST, SYSTEMD_PATH, SYSTEMD_MANAGER,
                                          "StartTransientUnit");
    if (r >= 0)
        r = sdbus.message_append(m, "ss", unit, "replace");
    if (r >= 0)
        r = append_props(m, props);
    if (r >= 0)
        r = sdbus.message_append(m, "a(sa(sv))", 0);
    if (r < 0)
        return bus_fail(err, r, NULL, "building the request for unit", unit);
    return call_job(bus, m, w, e, unit, err);
}

int systemd_start_unit(struct sd_bus *bus, const char *unit, const struct systemd_props *props,
                       cradle_error **err)
{
    struct job_wait w = {0};
    _cleanup_bus_error_ sd_bus_error e = SD_BUS_ERROR_NULL;
    int r = start_once(bus, unit, props, &w, &e, err);
    if (r < 0 && sdbus.error_has_name(&e, ERROR_UNIT_EXISTS)) {
        /* Most likely a failed unit of an earlier container of that name: let systemd
         * forget it and try once more. */
        reset_failed(bus, unit);
        sdbus.error_free(&e);
        w = (struct job_wait){0};
        r = start_once(bus, unit, props, &w, &e, err);
    }
    /* EEXIST: the unit is someone else's (another container's, of the same name). */
    if (r < 0 && sdbus.error_has_name(&e, ERROR_UNIT_EXISTS))
        return bus_fail(err, -EEXIST, &e, "unable to start unit", unit);
    if (r < 0)
        return sdbus.error_is_set(&e) ? bus_fail(err, r, &e, "unable to start unit", unit) : -1;
    if (strcmp(w.result, "done") != 0) {
        reset_failed(bus, unit);
        return cradle_error_set(err, EIO, "error creating systemd unit `%s`: got `%s`", unit,
                                w.result);
    }
    return 0;
}

int systemd_set_unit_properties(struct sd_bus *bus, const char *unit,
                                const struct systemd_props *props, cradle_error **err)
{
    if (props->n == 0)
        return 0;
    _cleanup_bus_message_ sd_bus_message *m = NULL;
    _cleanup_bus_error_ sd_bus_error e = SD_BUS_ERROR_NULL;
    int r = sdbus.message_new_method_call(bus, &m, SYSTEMD_DEST, SYSTEMD_PATH, SYSTEMD_MANAGER,
                                          "SetUnitProperties");
    if (r >= 0)
        r = sdbus.message_append(m, "sb", unit, 1);
    if (r >= 0)
        r = append_props(m, props);
    if (r >= 0)
        r = sdbus.call(bus, m, 0, &e, NULL);
    if (r < 0)
        return bus_fail(err, r, &e, "unable to set unit properties of", unit);
    return 0;
}

int systemd_stop_unit(struct sd_bus *bus, const char *unit, cradle_error **err)
{
    struct job_wait w = {0};
    _cleanup_bus_message_ sd_bus_message *m = NULL;
    _cleanup_bus_error_ sd_bus_error e = SD_BUS_ERROR_NULL;
    int r = sdbus.message_new_method_call(bus, &m, SYSTEMD_DEST, SYSTEMD_PATH, SYSTEMD_MANAGER,
                                          "StopUnit");
    if (r >= 0)
        r = sdbus.message_append(m, "ss", unit, "replace");
    if (r < 0)
        return bus_fail(err, r, NULL, "building the request for unit", unit);
    r = call_job(bus, m, &w, &e, unit, err);
    if (r < 0 && !sdbus.error_has_name(&e, ERROR_NO_SUCH))
        return sdbus.error_is_set(&e) ? bus_fail(err, r, &e, "unable to stop unit", unit) : -1;
    /* A scope whose processes were killed ends "failed": let systemd forget it. */
    reset_failed(bus, unit);
    return 0;
}

bool cradle_cgroup_systemd_supported(void)
{
    return true;
}
