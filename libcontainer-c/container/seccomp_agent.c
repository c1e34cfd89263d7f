/* The notify fd's way to the seccomp agent, as runc's sendContainerProcessState: a unix
 * stream connection to linux.seccomp.listenerPath, and one message carrying the
 * runtime-spec's ContainerProcessState as JSON with the fd as SCM_RIGHTS. */
#include "seccomp_agent.h"

#include <errno.h>
#include <json-c/json.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/fds.h"
#include "cradle/process.h"

/* What runc 1.1 writes in its states (specs.Version), cradle's state JSON included. */
#define PROCESS_STATE_VERSION "1.0.2-dev"

/* specs.State: ociVersion, id, status, pid, bundle, and annotations when there are any. */
static struct json_object *container_state(const struct cradle_state *state,
                                           enum cradle_status status)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "ociVersion", json_object_new_string(PROCESS_STATE_VERSION));
    json_object_object_add(o, "id", json_object_new_string(state->id));
    json_object_object_add(o, "status", json_object_new_string(cradle_status_name(status)));
    json_object_object_add(o, "pid", json_object_new_int(state->pid));
    json_object_object_add(o, "bundle", json_object_new_string(state->bundle));
    if (state->n_annotations > 0) {
        struct json_object *ann = json_object_new_object();
        for (size_t i = 0; i < state->n_annotations; i++)
            json_object_object_add(ann, state->annotations[i].key,
                                   json_object_new_string(state->annotations[i].value));
        json_object_object_add(o, "annotations", ann);
    }
    return o;
}

/* specs.ContainerProcessState: fds names the descriptors the message carries, in order. */
static char *process_state_json(const struct cradle_spec_seccomp *sc, pid_t pid,
                                const struct cradle_state *state, enum cradle_status status)
{
    struct json_object *o = json_object_new_object();
    struct json_object *fds = json_object_new_array();
    json_object_array_add(fds, json_object_new_string("seccompFd"));
    json_object_object_add(o, "ociVersion", json_object_new_string(PROCESS_STATE_VERSION));
    json_object_object_add(o, "fds", fds);
    json_object_object_add(o, "pid", json_object_new_int(pid));
    if (sc->listener_metadata != NULL && sc->listener_metadata[0] != '\0')
        json_object_object_add(o, "metadata", json_object_new_string(sc->listener_metadata));
    json_object_object_add(o, "state", container_state(state, status));
    char *out = strdup(
        json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(o);
    return out;
}

/* runc's words, Go's dial error included. */
static int connect_agent(const char *path, int *out, cradle_error **err)
{
    char text[128];
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    size_t len = strlen(path);
    if (len >= sizeof(addr.sun_path)) /* the validation pass refused it already */
        return cradle_error_set(err, ENAMETOOLONG, "dial unix %s: path too long", path);
    memcpy(addr.sun_path, path, len);
    _cleanup_close_ int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (sock < 0 || connect(sock, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        int e = errno;
        return cradle_error_set(err, e,
                                "failed to connect with seccomp agent specified in the seccomp "
                                "profile: dial unix %s: %s: %s",
                                path, sock < 0 ? "socket" : "connect", cradle_go_strerror(e, text));
    }
    *out = TAKE_FD(sock);
    return 0;
}

int cradle_seccomp_agent_take(int sync_fd, const struct cradle_spec *spec, pid_t pid,
                              const struct cradle_state *state, enum cradle_status status,
                              cradle_error **err)
{
    const struct cradle_spec_seccomp *sc = &spec->linux_.seccomp;
    if (!spec->linux_.has_seccomp || !cradle_seccomp_notifies(sc))
        return 0;
    _cleanup_sync_msg_ struct cradle_sync_msg msg = CRADLE_SYNC_MSG_INIT;
    if (cradle_sync_expect(sync_fd, SYNC_SECCOMP, &msg, err) < 0)
        return -1;
    if (msg.fd < 0)
        return cradle_error_set(err, EPROTO, "the container process sent no seccomp fd");
    _cleanup_free_ char *json = process_state_json(sc, pid, state, status);
    if (json == NULL)
        return cradle_error_set(err, ENOMEM, "seccomp agent's state JSON");
    _cleanup_close_ int sock = -1;
    if (connect_agent(sc->listener_path, &sock, err) < 0)
        return -1;
    size_t len = strlen(json);
    ssize_t n = cradle_send_with_fd(sock, json, len, msg.fd);
    if (n < 0 || (size_t)n != len) {
        char text[128];
        return cradle_error_set(err, n < 0 ? errno : EPROTO, "cannot send seccomp fd to %s: %s",
                                sc->listener_path,
                                n < 0 ? cradle_go_strerror(errno, text) : "short write");
    }
    return 0;
}
