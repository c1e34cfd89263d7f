/* The init's side of id maps written for an unprivileged caller. */
#include <sys/prctl.h>

#include "init_stages.h"

int cradle_init_set_dumpable(int on, cradle_error **err)
{
    if (prctl(PR_SET_DUMPABLE, on, 0, 0, 0) < 0)
        return cradle_error_sys(err, "prctl(PR_SET_DUMPABLE, %d)", on);
    return 0;
}

int cradle_init_wait_for_go(const struct cradle_init_ctx *ctx, cradle_error **err)
{
    _cleanup_sync_msg_ struct cradle_sync_msg msg = CRADLE_SYNC_MSG_INIT;
    if (!ctx->rootless_maps)
        return cradle_sync_expect(ctx->sync_fd, SYNC_GO, &msg, err);
    /* Dumpable only for the caller's own uid (the owner of this user namespace), with the
     * runtime's descriptors already closed, and until the maps are written. */
    if (cradle_init_set_dumpable(1, err) < 0 ||
        cradle_sync_send(ctx->sync_fd, SYNC_ID_MAPS, 0, NULL, err) < 0)
        return -1;
    int ret = cradle_sync_expect(ctx->sync_fd, SYNC_GO, &msg, err);
    if (cradle_init_set_dumpable(0, ret < 0 ? NULL : err) < 0)
        return -1;
    return ret;
}
