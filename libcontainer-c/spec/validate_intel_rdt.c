/* linux.intelRdt against the host, as runc's validator checks it (runc 1.4 refuses the
 * field when resctrl is not mounted, as the runtime-spec asks). */
#include "spec_internal.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#define RESCTRL_ROOT         "/sys/fs/resctrl"
#define RDTGROUP_SUPER_MAGIC 0x7655821

static bool resctrl_mounted(void)
{
    struct statfs sfs;
    return statfs(RESCTRL_ROOT, &sfs) == 0 && (unsigned long)sfs.f_type == RDTGROUP_SUPER_MAGIC;
}

static bool resctrl_has(const char *info_dir)
{
    struct stat st;
    return stat(info_dir, &st) == 0 && S_ISDIR(st.st_mode);
}

int spec_validate_intel_rdt(const struct cradle_spec *spec, cradle_error **err)
{
    const struct cradle_spec_intel_rdt *rdt = &spec->linux_.intel_rdt;
    if (!spec->linux_.has_intel_rdt)
        return 0;
    if (!resctrl_mounted())
        return cradle_error_set(err, ENOTSUP,
                                "intelRdt is specified in config, but Intel RDT is not enabled");
    const char *clos = rdt->clos_id;
    if (clos && (strcmp(clos, ".") == 0 || strcmp(clos, "..") == 0 || strchr(clos, '/')))
        return cradle_error_set(err, EINVAL, "invalid intelRdt.ClosID \"%s\"", clos);
    if (rdt->l3_cache_schema && *rdt->l3_cache_schema && !resctrl_has(RESCTRL_ROOT "/info/L3"))
        return cradle_error_set(err, ENOTSUP,
                                "intelRdt.l3CacheSchema is specified in config, but Intel "
                                "RDT/CAT is not enabled");
    if (rdt->mem_bw_schema && *rdt->mem_bw_schema && !resctrl_has(RESCTRL_ROOT "/info/MB"))
        return cradle_error_set(err, ENOTSUP,
                                "intelRdt.memBwSchema is specified in config, but Intel RDT/MBA "
                                "is not enabled");
    /* Hardware with resctrl is needed to build and test the groups; none was at hand. */
    return cradle_error_set(err, ENOTSUP,
                            "not supported yet: linux.intelRdt (resctrl groups are not "
                            "implemented)");
}
