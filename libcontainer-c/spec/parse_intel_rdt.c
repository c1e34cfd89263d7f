/* linux.intelRdt (runtime-spec 1.2): the resctrl group and its schemata. */
#include "spec_internal.h"

#include "cradle/cleanup.h"

#define RDT_PATH "linux.intelRdt"

int spec_parse_intel_rdt(struct json_object *obj, struct cradle_spec_intel_rdt *rdt,
                         cradle_error **err)
{
    if (spec_get_string(obj, RDT_PATH, "closID", &rdt->clos_id, err) < 0 ||
        spec_get_string(obj, RDT_PATH, "l3CacheSchema", &rdt->l3_cache_schema, err) < 0 ||
        spec_get_string(obj, RDT_PATH, "memBwSchema", &rdt->mem_bw_schema, err) < 0 ||
        spec_get_strv(obj, RDT_PATH, "schemata", &rdt->schemata, &rdt->n_schemata, err) < 0 ||
        spec_get_bool(obj, RDT_PATH, "enableMonitoring", &rdt->enable_monitoring, err) < 0)
        return -1;
    return 0;
}

void spec_free_intel_rdt(struct cradle_spec_intel_rdt *rdt)
{
    free(rdt->clos_id);
    free(rdt->l3_cache_schema);
    free(rdt->mem_bw_schema);
    cleanup_strvp(&rdt->schemata);
}
