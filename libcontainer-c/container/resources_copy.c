/* The container's resources as last applied, kept in its state (state.json): what create
 * applied, then each update merged onto it, as runc keeps them in its config. */
#include <errno.h>
#include <json-c/json.h>
#include <string.h>

#include "container_private.h"

int cradle_resources_record(struct cradle_state *state, const struct cradle_resources *res,
                            cradle_error **err)
{
    struct json_object *obj = cradle_resources_to_json(res);
    if (obj == NULL)
        return cradle_error_set(err, ENOMEM, "recording the resources of %s", state->id);
    json_object_put(state->resources);
    state->resources = obj;
    return 0;
}

int cradle_resources_recorded(const struct cradle_state *state, struct cradle_resources *out,
                              cradle_error **err)
{
    memset(out, 0, sizeof(*out));
    /* None: a container created without a record has only what update adds. */
    if (state->resources == NULL)
        return 0;
    return cradle_resources_parse(state->resources, "state.json resources", out, err);
}
