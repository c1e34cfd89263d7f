/* The init's keep-list: the only descriptors of the runtime that survive into the child. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "cradle/fds.h"
#include "cradle/process.h"

/* The first descriptor the child may close: below it are stdio and the preserved fds. */
static int first_closable(const struct cradle_init_ctx *ctx)
{
    return 3 + (ctx->preserve_fds > 0 ? ctx->preserve_fds : 0);
}

int cradle_init_keep_fd(struct cradle_init_ctx *ctx, int *fd, cradle_error **err)
{
    if (*fd < 0)
        return 0;
    int *grown = realloc(ctx->keep_fds, (ctx->n_keep_fds + 1) * sizeof(*grown));
    if (grown == NULL)
        return cradle_error_set(err, ENOMEM, "init descriptors");
    ctx->keep_fds = grown;
    if (*fd < first_closable(ctx)) {
        int moved = fcntl(*fd, F_DUPFD_CLOEXEC, first_closable(ctx));
        if (moved < 0)
            return cradle_error_sys(err, "moving fd %d above the preserved fds", *fd);
        close(*fd);
        *fd = moved;
    }
    ctx->keep_fds[ctx->n_keep_fds++] = *fd;
    return 0;
}

void cradle_init_ctx_release(struct cradle_init_ctx *ctx)
{
    free(ctx->keep_fds);
    ctx->keep_fds = NULL;
    ctx->n_keep_fds = 0;
}

/* A close-on-exec descriptor in the --preserve-fds range cannot be the caller's (it would
 * not have survived the execve of cradle): cradle opened it where the caller left a gap
 * (e.g. its state root), and it goes too. */
static void close_runtime_fds_in_preserved_range(const struct cradle_init_ctx *ctx)
{
    for (int fd = 3; fd < first_closable(ctx); fd++) {
        int flags = fcntl(fd, F_GETFD);
        if (flags >= 0 && (flags & FD_CLOEXEC))
            close(fd);
    }
}

int cradle_init_close_inherited_fds(const struct cradle_init_ctx *ctx, cradle_error **err)
{
    if (cradle_close_fds_except(first_closable(ctx), ctx->keep_fds, ctx->n_keep_fds) < 0)
        return cradle_error_sys(err, "closing the runtime's descriptors in the init");
    close_runtime_fds_in_preserved_range(ctx);
    return 0;
}
