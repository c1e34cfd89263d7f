/* linux.resources.blockIO on the v1 blkio controller (runc's fs/blkio.go). The weight
 * files exist only with an I/O scheduler that has weights: blkio.weight with CFQ (gone
 * since 5.0), blkio.bfq.weight with BFQ; leaf weights only with CFQ. */
#include "cgroup_v1.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

bool cgroup_v1_wants_blkio(const struct cradle_resources *res)
{
    const struct cradle_resources_blkio *b = &res->blkio;
    return (b->weight.set && b->weight.value != 0) ||
           (b->leaf_weight.set && b->leaf_weight.value != 0) || b->n_weight_devices > 0 ||
           b->read_bps.n > 0 || b->write_bps.n > 0 || b->read_iops.n > 0 || b->write_iops.n > 0;
}

static int require_file(const char *dir, const char *file, const char *field, const char *why,
                        cradle_error **err)
{
    if (cgroup_v1_has_file(dir, file))
        return 0;
    return cradle_error_set(err, EOPNOTSUPP, "%s: %s/%s does not exist on this host (%s)", field,
                            dir, file, why);
}

/* As runc: blkio.weight where it exists, else BFQ's files. */
static const char *weight_file(const char *dir, bool per_device)
{
    if (cgroup_v1_has_file(dir, "blkio.weight"))
        return per_device ? "blkio.weight_device" : "blkio.weight";
    return per_device ? "blkio.bfq.weight_device" : "blkio.bfq.weight";
}

static int write_device_value(const char *dir, const char *file, int64_t major, int64_t minor,
                              uint64_t value, const char *field, cradle_error **err)
{
    char line[80];
    snprintf(line, sizeof(line), "%" PRId64 ":%" PRId64 " %" PRIu64, major, minor, value);
    return cgroup_v1_write(dir, file, line, field, err);
}

static int write_weights(const char *dir, const struct cradle_resources_blkio *b,
                         cradle_error **err)
{
    const char *no_weight = "no CFQ or BFQ I/O scheduler weights on this kernel";
    const char *no_leaf = "leaf weights need the CFQ I/O scheduler";
    if (b->weight.set && b->weight.value != 0) {
        const char *file = weight_file(dir, false);
        if (require_file(dir, file, "linux.resources.blockIO.weight", no_weight, err) < 0 ||
            cgroup_v1_write_u64(dir, file, b->weight.value, "linux.resources.blockIO.weight", err) <
                0)
            return -1;
    }
    if (b->leaf_weight.set && b->leaf_weight.value != 0) {
        const char *field = "linux.resources.blockIO.leafWeight";
        if (require_file(dir, "blkio.leaf_weight", field, no_leaf, err) < 0 ||
            cgroup_v1_write_u64(dir, "blkio.leaf_weight", b->leaf_weight.value, field, err) < 0)
            return -1;
    }
    for (size_t i = 0; i < b->n_weight_devices; i++) {
        const struct cradle_weight_device *wd = &b->weight_devices[i];
        char field[80];
        if (wd->weight.set && wd->weight.value != 0) {
            const char *file = weight_file(dir, true);
            snprintf(field, sizeof(field), "linux.resources.blockIO.weightDevice[%zu].weight", i);
            if (require_file(dir, file, field, no_weight, err) < 0 ||
                write_device_value(dir, file, wd->major, wd->minor, wd->weight.value, field, err) <
                    0)
                return -1;
        }
        if (wd->leaf_weight.set && wd->leaf_weight.value != 0) {
            snprintf(field, sizeof(field), "linux.resources.blockIO.weightDevice[%zu].leafWeight",
                     i);
            if (require_file(dir, "blkio.leaf_weight_device", field, no_leaf, err) < 0 ||
                write_device_value(dir, "blkio.leaf_weight_device", wd->major, wd->minor,
                                   wd->leaf_weight.value, field, err) < 0)
                return -1;
        }
    }
    return 0;
}

static int write_throttle(const char *dir, const struct cradle_throttle_list *list,
                          const char *file, const char *name, cradle_error **err)
{
    for (size_t i = 0; i < list->n; i++) {
        char field[80];
        snprintf(field, sizeof(field), "linux.resources.blockIO.%s[%zu]", name, i);
        if (write_device_value(dir, file, list->items[i].major, list->items[i].minor,
                               list->items[i].rate, field, err) < 0)
            return -1;
    }
    return 0;
}

int cgroup_v1_apply_blkio(const char *dir, const struct cradle_resources *res, cradle_error **err)
{
    const struct cradle_resources_blkio *b = &res->blkio;
    if (write_weights(dir, b, err) < 0 ||
        write_throttle(dir, &b->read_bps, "blkio.throttle.read_bps_device", "throttleReadBpsDevice",
                       err) < 0 ||
        write_throttle(dir, &b->write_bps, "blkio.throttle.write_bps_device",
                       "throttleWriteBpsDevice", err) < 0 ||
        write_throttle(dir, &b->read_iops, "blkio.throttle.read_iops_device",
                       "throttleReadIOPSDevice", err) < 0 ||
        write_throttle(dir, &b->write_iops, "blkio.throttle.write_iops_device",
                       "throttleWriteIOPSDevice", err) < 0)
        return -1;
    return 0;
}
