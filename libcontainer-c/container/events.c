/* events: runc's stream of stats and oom events for a container. */
#include <errno.h>
#include <json-c/json.h>
#include <poll.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/log.h"
#include "container_private.h"

/* After an OOM notification, how long the kill count is watched for the kill to show:
 * the v1 eventfd fires when the cgroup is out of memory, before the victim is chosen. */
#define OOM_SETTLE_MS  1000
#define OOM_RECHECK_MS 10

static struct json_object *new_event(const char *type, const char *id, struct json_object *data)
{
    struct json_object *event = json_object_new_object();
    if (event == NULL) {
        json_object_put(data);
        return NULL;
    }
    json_object_object_add(event, "type", json_object_new_string(type));
    json_object_object_add(event, "id", json_object_new_string(id));
    if (data)
        json_object_object_add(event, "data", data);
    return event;
}

static int emit_event(const char *type, const char *id, struct json_object *data,
                      cradle_event_fn emit, void *emit_data, cradle_error **err)
{
    struct json_object *event = new_event(type, id, data);
    if (event == NULL)
        return cradle_error_set(err, ENOMEM, "%s event", type);
    return emit(event, emit_data, err);
}

static int emit_stats(const struct cradle_cgroup *cg, const char *id, cradle_event_fn emit,
                      void *emit_data, cradle_error **err)
{
    struct json_object *data = NULL;
    if (cradle_cgroup_stats(cg, &data, err) < 0)
        return -1;
    return emit_event("stats", id, data, emit, emit_data, err);
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

/* The stream: one OOM watch per loop, an oom event for each rise of the kill count. */
struct watch {
    const struct cradle_cgroup *cg;
    const char *id;
    cradle_event_fn emit;
    void *emit_data;
    uint64_t oom_kills;
    long oom_settle_until; /* ms; 0 when no notification is pending */
};

static int check_oom(struct watch *w, cradle_error **err)
{
    uint64_t kills = 0;
    if (cradle_cgroup_oom_kills(w->cg, &kills, NULL) < 0 || kills <= w->oom_kills)
        return 0;
    w->oom_kills = kills;
    w->oom_settle_until = 0;
    return emit_event("oom", w->id, NULL, w->emit, w->emit_data, err);
}

static void drain(int fd)
{
    char buf[4096];
    while (read(fd, buf, sizeof(buf)) < 0 && errno == EINTR)
        ;
}

static int stream(struct watch *w, int pidfd, long interval_ms, cradle_error **err)
{
    _cleanup_error_ cradle_error *oom_err = NULL;
    _cleanup_close_ int oom_fd = cradle_cgroup_oom_fd(w->cg, &oom_err);
    if (oom_fd < 0) {
        _cleanup_free_ char *text = cradle_error_text(oom_err);
        cradle_warn("no oom events: %s", text ? text : "no memory cgroup");
    }
    cradle_cgroup_oom_kills(w->cg, &w->oom_kills, NULL);
    long next_stats = now_ms() + interval_ms;
    for (;;) {
        long now = now_ms(), timeout = next_stats - now;
        if (w->oom_settle_until && timeout > OOM_RECHECK_MS)
            timeout = OOM_RECHECK_MS;
        struct pollfd fds[2] = {{.fd = pidfd, .events = POLLIN}, {.fd = oom_fd, .events = POLLIN}};
        int n = poll(fds, 2, timeout > 0 ? (int)timeout : 0);
        if (n < 0 && errno != EINTR)
            return cradle_error_sys(err, "waiting for events of %s", w->id);
        if (n > 0 && fds[1].revents & POLLIN) {
            drain(oom_fd);
            w->oom_settle_until = now_ms() + OOM_SETTLE_MS;
        }
        if (w->oom_settle_until && check_oom(w, err) < 0)
            return -1;
        if (w->oom_settle_until && now_ms() >= w->oom_settle_until)
            w->oom_settle_until = 0;
        /* The init is gone: the kill that took it, if any, has been counted by now. */
        if (n > 0 && fds[0].revents & (POLLIN | POLLHUP))
            return check_oom(w, err);
        if (now_ms() >= next_stats) {
            _cleanup_error_ cradle_error *stats_err = NULL;
            /* As runc: a failed read is logged and the stream goes on. */
            if (emit_stats(w->cg, w->id, w->emit, w->emit_data, &stats_err) < 0) {
                _cleanup_free_ char *text = cradle_error_text(stats_err);
                cradle_warn("%s", text ? text : "reading stats failed");
            }
            /* As Go's ticker: ticks missed while busy are dropped, the cadence is kept. */
            while (next_stats <= now_ms())
                next_stats += interval_ms;
        }
    }
}

int cradle_container_events(const char *root, const char *id, bool stats_only, long interval_ms,
                            cradle_event_fn emit, void *data, cradle_error **err)
{
    _cleanup_close_ int root_fd = -1, dir_fd = -1;
    _cleanup_state_ struct cradle_state *s = NULL;
    if (cradle_state_load(root, id, false, &root_fd, &dir_fd, &s, err) < 0)
        return -1;
    _cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, s->pid, 0);
    enum cradle_status status = cradle_container_status(dir_fd, s);
    if (pidfd < 0 || status == CRADLE_STATUS_STOPPED || status == CRADLE_STATUS_CREATING)
        return cradle_error_set(err, ESRCH, "container with id %s is not running", id);
    struct cradle_cgroup *cg = cradle_container_cgroup(s, err);
    if (cg == NULL)
        return -1;
    struct watch w = {.cg = cg, .id = id, .emit = emit, .emit_data = data};
    int ret =
        stats_only ? emit_stats(cg, id, emit, data, err) : stream(&w, pidfd, interval_ms, err);
    cradle_cgroup_free(cg);
    return ret;
}
