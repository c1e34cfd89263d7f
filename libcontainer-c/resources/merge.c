/* cradle_resources_merge: runc `update` semantics, a field the update sets replaces the
 * base's; a list the update has replaces the base's list as a whole. */
#include "cradle/resources.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MERGE_OPT(base, update, field)                                                             \
    do {                                                                                           \
        if ((update)->field.set)                                                                   \
            (base)->field = (update)->field;                                                       \
    } while (0)

/* *dst = a copy of src (NULL stays NULL); 0 or -1 (ENOMEM). */
static int copy_string(char **dst, const char *src)
{
    char *copy = NULL;
    if (src != NULL && (copy = strdup(src)) == NULL)
        return -1;
    free(*dst);
    *dst = copy;
    return 0;
}

/* A copy of n items of size bytes (the pointers inside still shared). */
static void *copy_items(const void *items, size_t n, size_t size)
{
    void *copy = calloc(n ? n : 1, size);
    if (copy != NULL && n > 0)
        memcpy(copy, items, n * size);
    return copy;
}

static void merge_memory(struct cradle_resources_memory *base,
                         const struct cradle_resources_memory *update)
{
    MERGE_OPT(base, update, limit);
    MERGE_OPT(base, update, reservation);
    MERGE_OPT(base, update, swap);
    MERGE_OPT(base, update, swappiness);
    MERGE_OPT(base, update, use_hierarchy);
    base->disable_oom_killer = base->disable_oom_killer || update->disable_oom_killer;
    /* Both are about this request only: whether to check usage first, what to warn about. */
    base->check_before_update = update->check_before_update;
    base->kernel_set = update->kernel_set;
}

static int merge_cpu(struct cradle_resources_cpu *base, const struct cradle_resources_cpu *update)
{
    MERGE_OPT(base, update, shares);
    MERGE_OPT(base, update, quota);
    MERGE_OPT(base, update, period);
    MERGE_OPT(base, update, burst);
    MERGE_OPT(base, update, realtime_runtime);
    MERGE_OPT(base, update, realtime_period);
    MERGE_OPT(base, update, idle);
    if ((update->cpus != NULL && copy_string(&base->cpus, update->cpus) < 0) ||
        (update->mems != NULL && copy_string(&base->mems, update->mems) < 0))
        return -1;
    return 0;
}

static int merge_throttle(struct cradle_throttle_list *base,
                          const struct cradle_throttle_list *update)
{
    if (update->items == NULL)
        return 0;
    struct cradle_throttle_device *items = copy_items(update->items, update->n, sizeof(*items));
    if (items == NULL)
        return -1;
    free(base->items);
    base->items = items;
    base->n = update->n;
    return 0;
}

static int merge_blkio(struct cradle_resources_blkio *base,
                       const struct cradle_resources_blkio *update)
{
    MERGE_OPT(base, update, weight);
    MERGE_OPT(base, update, leaf_weight);
    if (update->weight_devices != NULL) {
        struct cradle_weight_device *wd =
            copy_items(update->weight_devices, update->n_weight_devices, sizeof(*wd));
        if (wd == NULL)
            return -1;
        free(base->weight_devices);
        base->weight_devices = wd;
        base->n_weight_devices = update->n_weight_devices;
    }
    if (merge_throttle(&base->read_bps, &update->read_bps) < 0 ||
        merge_throttle(&base->write_bps, &update->write_bps) < 0 ||
        merge_throttle(&base->read_iops, &update->read_iops) < 0 ||
        merge_throttle(&base->write_iops, &update->write_iops) < 0)
        return -1;
    return 0;
}

/* The lists whose items own strings: copied whole into a fresh struct, then swapped in, so
 * that a failure leaves base as it was. */
static int copy_owned_lists(struct cradle_resources *dst, const struct cradle_resources *src)
{
    if (src->hugepages != NULL) {
        dst->hugepages = copy_items(src->hugepages, src->n_hugepages, sizeof(*dst->hugepages));
        if (dst->hugepages == NULL)
            return -1;
        for (size_t i = 0; i < src->n_hugepages; i++, dst->n_hugepages++)
            if ((dst->hugepages[i].page_size = strdup(src->hugepages[i].page_size)) == NULL)
                return -1;
    }
    if (src->network.priorities != NULL) {
        struct cradle_resources_network *net = &dst->network;
        net->priorities = copy_items(src->network.priorities, src->network.n_priorities,
                                     sizeof(*net->priorities));
        if (net->priorities == NULL)
            return -1;
        for (size_t i = 0; i < src->network.n_priorities; i++, net->n_priorities++)
            if ((net->priorities[i].name = strdup(src->network.priorities[i].name)) == NULL)
                return -1;
    }
    if (src->rdma != NULL) {
        dst->rdma = copy_items(src->rdma, src->n_rdma, sizeof(*dst->rdma));
        if (dst->rdma == NULL)
            return -1;
        for (size_t i = 0; i < src->n_rdma; i++, dst->n_rdma++)
            if ((dst->rdma[i].device = strdup(src->rdma[i].device)) == NULL)
                return -1;
    }
    if (src->unified != NULL) {
        dst->unified = calloc(src->n_unified ? src->n_unified : 1, sizeof(*dst->unified));
        if (dst->unified == NULL)
            return -1;
        for (size_t i = 0; i < src->n_unified; i++) {
            dst->unified[i].key = strdup(src->unified[i].key);
            dst->unified[i].value = strdup(src->unified[i].value);
            dst->n_unified++;
            if (dst->unified[i].key == NULL || dst->unified[i].value == NULL)
                return -1;
        }
    }
    if (src->has_devices) {
        dst->has_devices = true;
        dst->devices = copy_items(src->devices, src->n_devices, sizeof(*dst->devices));
        if (dst->devices == NULL)
            return -1;
        for (size_t i = 0; i < src->n_devices; i++, dst->n_devices++)
            if ((dst->devices[i].access = strdup(src->devices[i].access)) == NULL)
                return -1;
    }
    return 0;
}

#define SWAP_IN(base, fresh, items, n)                                                             \
    do {                                                                                           \
        if ((fresh)->items != NULL) {                                                              \
            struct cradle_resources _old = {0};                                                    \
            _old.items = (base)->items;                                                            \
            _old.n = (base)->n;                                                                    \
            (base)->items = (fresh)->items;                                                        \
            (base)->n = (fresh)->n;                                                                \
            (fresh)->items = _old.items;                                                           \
            (fresh)->n = _old.n;                                                                   \
        }                                                                                          \
    } while (0)

int cradle_resources_merge(struct cradle_resources *base, const struct cradle_resources *update,
                           cradle_error **err)
{
    struct cradle_resources fresh = {0};
    if (copy_owned_lists(&fresh, update) < 0 || merge_cpu(&base->cpu, &update->cpu) < 0 ||
        merge_blkio(&base->blkio, &update->blkio) < 0) {
        cradle_resources_free(&fresh);
        return cradle_error_set(err, ENOMEM, "merging resources: out of memory");
    }
    merge_memory(&base->memory, &update->memory);
    MERGE_OPT(base, update, pids.limit);
    MERGE_OPT(base, update, network.class_id);
    /* Swap each list the update has into base; fresh then holds base's old ones. */
    SWAP_IN(base, &fresh, hugepages, n_hugepages);
    SWAP_IN(base, &fresh, network.priorities, network.n_priorities);
    SWAP_IN(base, &fresh, rdma, n_rdma);
    SWAP_IN(base, &fresh, unified, n_unified);
    if (update->has_devices) {
        SWAP_IN(base, &fresh, devices, n_devices);
        base->has_devices = true;
    }
    cradle_resources_free(&fresh);
    return 0;
}
