/* cradle_resources_free. */
#include "cradle/resources.h"

#include <stdlib.h>
#include <string.h>

void cradle_resources_free(struct cradle_resources *res)
{
    free(res->cpu.cpus);
    free(res->cpu.mems);
    free(res->blkio.weight_devices);
    free(res->blkio.read_bps.items);
    free(res->blkio.write_bps.items);
    free(res->blkio.read_iops.items);
    free(res->blkio.write_iops.items);
    for (size_t i = 0; res->hugepages && i < res->n_hugepages; i++)
        free(res->hugepages[i].page_size);
    free(res->hugepages);
    for (size_t i = 0; res->network.priorities && i < res->network.n_priorities; i++)
        free(res->network.priorities[i].name);
    free(res->network.priorities);
    for (size_t i = 0; res->rdma && i < res->n_rdma; i++)
        free(res->rdma[i].device);
    free(res->rdma);
    for (size_t i = 0; res->unified && i < res->n_unified; i++) {
        free(res->unified[i].key);
        free(res->unified[i].value);
    }
    free(res->unified);
    for (size_t i = 0; res->devices && i < res->n_devices; i++)
        free(res->devices[i].access);
    free(res->devices);
    memset(res, 0, sizeof(*res));
}
