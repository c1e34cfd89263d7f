/* state.json: cradle's own record of a container (not the OCI state, which is derived
 * from it by state_oci.c). */
#include "cradle/state.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/exit_monitor.h"
#include "cradle/fileutil.h"

#define STATE_FILE    "state.json"
#define CREATING_MARK "creating"

static json_object *strv_to_json(char *const *v)
{
    json_object *arr = json_object_new_array();
    for (size_t i = 0; v && v[i]; i++)
        json_object_array_add(arr, json_object_new_string(v[i]));
    return arr;
}

static json_object *hooks_to_json(const struct cradle_spec_hook_list *list)
{
    json_object *arr = json_object_new_array();
    for (size_t i = 0; i < list->n_hooks; i++) {
        const struct cradle_spec_hook *h = &list->hooks[i];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "path", json_object_new_string(h->path));
        json_object_object_add(o, "args", strv_to_json(h->args));
        if (h->has_env)
            json_object_object_add(o, "env", strv_to_json(h->env));
        if (h->has_timeout)
            json_object_object_add(o, "timeout", json_object_new_int(h->timeout));
        json_object_array_add(arr, o);
    }
    return arr;
}

static json_object *state_to_json(const struct cradle_state *s)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", json_object_new_string(s->id));
    json_object_object_add(o, "pid", json_object_new_int(s->pid));
    json_object_object_add(o, "pid_start_time", json_object_new_uint64(s->pid_start_time));
    json_object_object_add(o, "bundle", json_object_new_string(s->bundle));
    json_object_object_add(o, "rootfs", json_object_new_string(s->rootfs));
    json_object_object_add(o, "created", json_object_new_string(s->created));
    json_object_object_add(o, "owner_uid", json_object_new_int64(s->owner_uid));
    json_object *ann = json_object_new_object();
    for (size_t i = 0; i < s->n_annotations; i++)
        json_object_object_add(ann, s->annotations[i].key,
                               json_object_new_string(s->annotations[i].value));
    json_object_object_add(o, "annotations", ann);
    json_object *cg = json_object_new_object();
    json_object_object_add(cg, "path",
                           s->cgroup_path ? json_object_new_string(s->cgroup_path) : NULL);
    json_object_object_add(cg, "dirs", strv_to_json(s->cgroup_dirs));
    json_object_object_add(cg, "created", strv_to_json(s->cgroup_created));
    if (s->systemd_unit)
        json_object_object_add(cg, "systemd_unit", json_object_new_string(s->systemd_unit));
    json_object_object_add(o, "cgroup", cg);
    json_object_object_add(o, "own_pidns", json_object_new_boolean(s->own_pidns));
    if (s->no_new_keyring)
        json_object_object_add(o, "no_new_keyring", json_object_new_boolean(1));
    if (s->rootfs_mount_id)
        json_object_object_add(o, "rootfs_mount_id", json_object_new_uint64(s->rootfs_mount_id));
    json_object_object_add(o, "poststart", hooks_to_json(&s->poststart));
    json_object_object_add(o, "poststop", hooks_to_json(&s->poststop));
    if (s->resources)
        json_object_object_add(o, "resources", json_object_get(s->resources));
    if (s->creating) {
        json_object *creator = json_object_new_object();
        json_object_object_add(creator, "pid", json_object_new_int(s->creator_pid));
        json_object_object_add(creator, "pid_start_time",
                               json_object_new_uint64(s->creator_start_time));
        json_object_object_add(o, "creator", creator);
    }
    return o;
}

int cradle_state_mark_creating(int dir_fd, cradle_error **err)
{
    int fd = openat(dir_fd, CREATING_MARK, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return cradle_error_sys(err, "mark the container as creating");
    close(fd);
    return 0;
}

int cradle_state_mark_created(int dir_fd, cradle_error **err)
{
    if (unlinkat(dir_fd, CREATING_MARK, 0) < 0)
        return cradle_error_sys(err, "mark the container as created");
    return 0;
}

int cradle_state_write(int dir_fd, const struct cradle_state *state, cradle_error **err)
{
    json_object *o = state_to_json(state);
    int ret = cradle_state_write_json(dir_fd, STATE_FILE, o, err);
    json_object_put(o);
    return ret < 0 ? cradle_error_wrap(err, "write state of %s", state->id) : 0;
}

static char *dup_string(json_object *o, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return strdup(json_object_get_string(v));
}

static char **dup_strv(json_object *arr)
{
    size_t n = arr && json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;
    char **v = calloc(n + 1, sizeof(char *));
    for (size_t i = 0; v && i < n; i++)
        v[i] = strdup(json_object_get_string(json_object_array_get_idx(arr, i)));
    return v;
}

static size_t strv_len(char *const *v)
{
    size_t n = 0;
    while (v && v[n])
        n++;
    return n;
}

static void hooks_from_json(json_object *arr, struct cradle_spec_hook_list *list)
{
    size_t n = arr && json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;
    list->hooks = calloc(n ? n : 1, sizeof(*list->hooks));
    if (list->hooks == NULL)
        return;
    list->n_hooks = n;
    for (size_t i = 0; i < n; i++) {
        json_object *h = json_object_array_get_idx(arr, i), *v;
        struct cradle_spec_hook *hook = &list->hooks[i];
        hook->path = dup_string(h, "path");
        json_object_object_get_ex(h, "args", &v);
        hook->args = dup_strv(v);
        hook->n_args = strv_len(hook->args);
        hook->has_env = json_object_object_get_ex(h, "env", &v);
        hook->env = dup_strv(hook->has_env ? v : NULL);
        hook->n_env = strv_len(hook->env);
        if (json_object_object_get_ex(h, "timeout", &v)) {
            hook->has_timeout = true;
            hook->timeout = json_object_get_int(v);
        }
    }
}

static void state_from_json(json_object *o, struct cradle_state *s)
{
    json_object *v;
    s->id = dup_string(o, "id");
    if (json_object_object_get_ex(o, "pid", &v))
        s->pid = json_object_get_int(v);
    if (json_object_object_get_ex(o, "pid_start_time", &v))
        s->pid_start_time = json_object_get_uint64(v);
    s->bundle = dup_string(o, "bundle");
    s->rootfs = dup_string(o, "rootfs");
    s->created = dup_string(o, "created");
    if (json_object_object_get_ex(o, "owner_uid", &v))
        s->owner_uid = (uid_t)json_object_get_int64(v);
    if (json_object_object_get_ex(o, "annotations", &v) &&
        json_object_is_type(v, json_type_object)) {
        size_t n = (size_t)json_object_object_length(v), i = 0;
        s->annotations = calloc(n ? n : 1, sizeof(*s->annotations));
        json_object_object_foreach(v, key, val)
        {
            if (s->annotations == NULL)
                break;
            s->annotations[i].key = strdup(key);
            s->annotations[i].value = strdup(json_object_get_string(val));
            s->n_annotations = ++i;
        }
    }
    if (json_object_object_get_ex(o, "cgroup", &v)) {
        json_object *arr;
        s->cgroup_path = dup_string(v, "path");
        json_object_object_get_ex(v, "dirs", &arr);
        s->cgroup_dirs = dup_strv(arr);
        json_object_object_get_ex(v, "created", &arr);
        s->cgroup_created = dup_strv(arr);
        s->systemd_unit = dup_string(v, "systemd_unit");
    }
    if (json_object_object_get_ex(o, "own_pidns", &v))
        s->own_pidns = json_object_get_boolean(v);
    if (json_object_object_get_ex(o, "no_new_keyring", &v))
        s->no_new_keyring = json_object_get_boolean(v);
    if (json_object_object_get_ex(o, "rootfs_mount_id", &v))
        s->rootfs_mount_id = json_object_get_uint64(v);
    if (json_object_object_get_ex(o, "poststart", &v))
        hooks_from_json(v, &s->poststart);
    if (json_object_object_get_ex(o, "poststop", &v))
        hooks_from_json(v, &s->poststop);
    if (json_object_object_get_ex(o, "resources", &v) && json_object_is_type(v, json_type_object))
        s->resources = json_object_get(v);
    if (json_object_object_get_ex(o, "creator", &v)) {
        json_object *field;
        s->creating = true;
        if (json_object_object_get_ex(v, "pid", &field))
            s->creator_pid = json_object_get_int(field);
        if (json_object_object_get_ex(v, "pid_start_time", &field))
            s->creator_start_time = json_object_get_uint64(field);
    }
}

static struct cradle_state *stopped_stub(const char *id)
{
    struct cradle_state *s = calloc(1, sizeof(*s));
    if (s == NULL)
        return NULL;
    s->id = strdup(id);
    s->bundle = strdup("");
    s->rootfs = strdup("");
    s->created = strdup("");
    s->exit_status = -1;
    if (s->id == NULL || s->bundle == NULL || s->rootfs == NULL || s->created == NULL) {
        cradle_state_free(s);
        return NULL;
    }
    return s;
}

int cradle_state_read(int dir_fd, const char *id, struct cradle_state **out, cradle_error **err)
{
    _cleanup_free_ char *text = NULL;
    if (cradle_read_file_at(dir_fd, STATE_FILE, &text, NULL) < 0) {
        if (errno != ENOENT)
            return cradle_error_sys(err, "read state of %s", id);
        if ((*out = stopped_stub(id)) == NULL)
            return cradle_error_set(err, ENOMEM, "read state of %s", id);
        return 0;
    }
    json_object *o = json_tokener_parse(text);
    if (o == NULL || !json_object_is_type(o, json_type_object)) {
        json_object_put(o);
        return cradle_error_set(err, EINVAL, "state of %s is corrupt", id);
    }
    struct cradle_state *s = calloc(1, sizeof(*s));
    if (s == NULL) {
        json_object_put(o);
        return cradle_error_set(err, ENOMEM, "read state of %s", id);
    }
    state_from_json(o, s);
    json_object_put(o);
    struct stat st;
    s->creating = s->creating && fstatat(dir_fd, CREATING_MARK, &st, AT_SYMLINK_NOFOLLOW) == 0;
    s->exit_status = cradle_exit_status_read(dir_fd);
    if (s->id == NULL || s->bundle == NULL || s->rootfs == NULL || s->created == NULL) {
        cradle_state_free(s);
        return cradle_error_set(err, EINVAL, "state of %s is corrupt", id);
    }
    *out = s;
    return 0;
}

void cradle_state_free(struct cradle_state *s)
{
    if (s == NULL)
        return;
    free(s->id);
    free(s->bundle);
    free(s->rootfs);
    free(s->created);
    for (size_t i = 0; i < s->n_annotations; i++) {
        free(s->annotations[i].key);
        free(s->annotations[i].value);
    }
    free(s->annotations);
    free(s->cgroup_path);
    cleanup_strvp(&s->cgroup_dirs);
    cleanup_strvp(&s->cgroup_created);
    free(s->systemd_unit);
    cradle_spec_hook_list_free(&s->poststart);
    cradle_spec_hook_list_free(&s->poststop);
    json_object_put(s->resources);
    free(s);
}
