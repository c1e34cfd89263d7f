/* linux.resources: parsed by the resources module, which `update -r` shares. */
#include "spec_internal.h"

int spec_parse_resources(struct json_object *obj, struct cradle_spec *spec, cradle_error **err)
{
    return cradle_resources_parse(obj, "linux.resources", &spec->linux_.resources, err);
}
