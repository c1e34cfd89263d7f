/* linux.resources.blockIO on cgroup2 (runc's setIo): the weight through io.bfq.weight when
 * the BFQ scheduler is there, else io.weight converted; per-device weights through
 * io.bfq.weight when the kernel takes them; throttles as io.max lines. leafWeight has no
 * cgroup2 file and is ignored, as runc ignores it. */
#include "v2_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cradle/cleanup.h"

/* io.bfq.weight reads "default 100" (plus per-device lines) on kernels that take
 * per-device weights (5.4+), a bare "100" before. NULL text: no BFQ. */
static bool bfq_takes_devices(const char *bfq)
{
    uint64_t ignored;
    return bfq && cgroup_parse_uint(bfq, &ignored) < 0;
}

static int apply_weight(const struct v2_files *f, uint64_t weight, bool have_bfq,
                        cradle_error **err)
{
    static const char field[] = "linux.resources.blockIO.weight";
    char value[32];
    if (have_bfq) {
        snprintf(value, sizeof(value), "%" PRIu64, weight);
        return v2_write_field(f, field, "io.bfq.weight", value, err);
    }
    snprintf(value, sizeof(value), "%" PRIu64, v2_io_weight_from_blkio(weight));
    if (f->write(f, "io.weight", value, err) == 0)
        return 0;
    if ((*err)->errnum != ENOENT)
        return cradle_error_wrap(err, "%s", field);
    cradle_error_free(err);
    return cradle_error_set(err, ENOENT,
                            "%s: %s has neither io.bfq.weight nor io.weight (this kernel has no "
                            "io weight control)",
                            field, f->dir);
}

static int apply_throttles(const struct v2_files *f, const struct cradle_throttle_list *list,
                           const char *field, const char *key, cradle_error **err)
{
    for (size_t i = 0; i < list->n; i++) {
        const struct cradle_throttle_device *d = &list->items[i];
        char line[96];
        snprintf(line, sizeof(line), "%" PRId64 ":%" PRId64 " %s=%" PRIu64, d->major, d->minor, key,
                 d->rate);
        if (v2_write_field(f, field, "io.max", line, err) < 0)
            return -1;
    }
    return 0;
}

int v2_apply_io(const struct v2_files *f, const struct cradle_resources_blkio *io,
                cradle_error **err)
{
    uint64_t weight = io->weight.set ? io->weight.value : 0;
    _cleanup_free_ char *bfq = NULL;
    if (weight != 0 || io->n_weight_devices > 0) {
        if (f->read(f, "io.bfq.weight", &bfq, err) < 0) {
            if ((*err)->errnum != ENOENT)
                return cradle_error_wrap(err, "linux.resources.blockIO.weight");
            cradle_error_free(err);
        }
    }
    if (weight != 0 && apply_weight(f, weight, bfq != NULL, err) < 0)
        return -1;
    if (bfq_takes_devices(bfq)) {
        for (size_t i = 0; i < io->n_weight_devices; i++) {
            const struct cradle_weight_device *d = &io->weight_devices[i];
            char line[96];
            if (!d->weight.set)
                continue;
            snprintf(line, sizeof(line), "%" PRId64 ":%" PRId64 " %" PRIu64, d->major, d->minor,
                     d->weight.value);
            if (v2_write_field(f, "linux.resources.blockIO.weightDevice", "io.bfq.weight", line,
                               err) < 0)
                return -1;
        }
    }
    if (apply_throttles(f, &io->read_bps, "linux.resources.blockIO.throttleReadBpsDevice", "rbps",
                        err) < 0 ||
        apply_throttles(f, &io->write_bps, "linux.resources.blockIO.throttleWriteBpsDevice", "wbps",
                        err) < 0 ||
        apply_throttles(f, &io->read_iops, "linux.resources.blockIO.throttleReadIOPSDevice",
                        "riops", err) < 0 ||
        apply_throttles(f, &io->write_iops, "linux.resources.blockIO.throttleWriteIOPSDevice",
                        "wiops", err) < 0)
        return -1;
    return 0;
}
