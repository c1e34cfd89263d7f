/* The container's resources as last applied (resources.json in its state directory): what
 * create applied, then each update merged onto it, as runc keeps them in its config. */
#include <errno.h>
#include <json-c/json.h>
#include <string.h>

#include "container_private.h"

#define RESOURCES_FILE "resources.json"

int cradle_resources_store(int dir_fd, const struct cradle_resources *res, cradle_error **err)
{
    struct json_object *obj = cradle_resources_to_json(res);
    if (obj == NULL)
        return cradle_error_set(err, ENOMEM, "writing %s", RESOURCES_FILE);
    int ret = cradle_state_write_json(dir_fd, RESOURCES_FILE, obj, err);
    json_object_put(obj);
    return ret;
}

int cradle_resources_load(int dir_fd, struct cradle_resources *out, cradle_error **err)
{
    struct json_object *obj = NULL;
    memset(out, 0, sizeof(*out));
    if (cradle_state_read_json(dir_fd, RESOURCES_FILE, &obj, err) < 0)
        return -1;
    /* None: a container created without a copy has only what update adds. */
    if (obj == NULL)
        return 0;
    int ret = cradle_resources_parse(obj, RESOURCES_FILE, out, err);
    json_object_put(obj);
    return ret;
}
