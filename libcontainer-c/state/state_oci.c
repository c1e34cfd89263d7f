#include "cradle/state.h"

#include <json-c/json.h>
#include <string.h>

#include "cradle/cleanup.h"
#include "cradle/passwd.h"

#define OCI_VERSION "1.0.2-dev"

char *cradle_state_to_oci_json(const struct cradle_state *s, enum cradle_status status, bool pretty,
                               bool owner_name)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "ociVersion", json_object_new_string(OCI_VERSION));
    json_object_object_add(o, "id", json_object_new_string(s->id));
    /* runc reports pid 0 once the container has stopped. */
    json_object_object_add(o, "pid",
                           json_object_new_int(status == CRADLE_STATUS_STOPPED ? 0 : s->pid));
    json_object_object_add(o, "status", json_object_new_string(cradle_status_name(status)));
    json_object_object_add(o, "bundle", json_object_new_string(s->bundle));
    json_object_object_add(o, "rootfs", json_object_new_string(s->rootfs));
    json_object_object_add(o, "created", json_object_new_string(s->created));
    /* Not in runc's state: the init's exit status once known (see exit_monitor.h). */
    if (status == CRADLE_STATUS_STOPPED && s->exit_status >= 0)
        json_object_object_add(o, "exitStatus", json_object_new_int(s->exit_status));
    /* runc's "state" leaves owner empty while "list" names the user: do the same. */
    _cleanup_free_ char *owner =
        owner_name ? cradle_passwd_field(s->owner_uid, CRADLE_PASSWD_NAME) : NULL;
    json_object_object_add(o, "owner", json_object_new_string(owner ? owner : ""));
    if (s->n_annotations > 0) {
        json_object *ann = json_object_new_object();
        for (size_t i = 0; i < s->n_annotations; i++)
            json_object_object_add(ann, s->annotations[i].key,
                                   json_object_new_string(s->annotations[i].value));
        json_object_object_add(o, "annotations", ann);
    }
    int flags =
        JSON_C_TO_STRING_NOSLASHESCAPE |
        (pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED : JSON_C_TO_STRING_PLAIN);
    char *out = strdup(json_object_to_json_string_ext(o, flags));
    json_object_put(o);
    return out;
}
