/* linux.timeOffsets: the init makes its time namespace itself. A process created by clone3
 * with CLONE_NEWTIME is in the new namespace from its first instruction, and a namespace's
 * offsets are frozen once a process is in it (time_namespaces(7)): they could not be
 * written any more. unshare(CLONE_NEWTIME) instead makes a namespace for the caller's
 * children only, whose offsets can still be written; the init then enters it itself
 * through /proc/self/ns/time_for_children, before any process of the container exists.
 * runc 1.2 gets the same order from its stage-1 process (unshare, offsets, fork). */
#include "init_stages.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/fileutil.h"

static int write_offsets(const struct cradle_spec_linux *lnx, bool rootless, cradle_error **err)
{
    static const char *const clocks[] = {"monotonic", "boottime"};
    char buf[128];
    size_t len = 0;
    for (size_t i = 0; i < 2; i++) {
        const struct cradle_spec_time_offset *off = &lnx->time_offsets[i];
        if (!off->set)
            continue;
        len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s %" PRId64 " %" PRIu32 "\n",
                                clocks[i], off->secs, off->nanosecs);
    }
    if (len == 0)
        return 0;
    /* A non-dumpable process's /proc files belong to the host's root: the init writes them
     * while it still has the caller's uid, before it becomes root of its user namespace. An
     * unprivileged caller's uid is not root's: the init is dumpable for the write (as for
     * its id maps, init_rootless.c), while no other process is in its namespaces. */
    if (rootless && cradle_init_set_dumpable(1, err) < 0)
        return -1;
    int r = cradle_write_file_at(AT_FDCWD, "/proc/self/timens_offsets", buf, len);
    int e = errno;
    if (rootless && cradle_init_set_dumpable(0, err) < 0)
        return -1;
    errno = e;
    if (r < 0)
        return cradle_error_sys(err, "linux.timeOffsets: write /proc/self/timens_offsets");
    return 0;
}

int cradle_init_time_namespace(const struct cradle_init_ctx *ctx, cradle_error **err)
{
    if (!ctx->unshare_timens)
        return 0;
    if (unshare(CLONE_NEWTIME) < 0)
        return cradle_error_sys(err, "unshare the time namespace");
    if (write_offsets(&ctx->spec->linux_, ctx->rootless_maps, err) < 0)
        return -1;
    _cleanup_close_ int fd = open("/proc/self/ns/time_for_children", O_RDONLY | O_CLOEXEC);
    if (fd < 0 || setns(fd, CLONE_NEWTIME) < 0)
        return cradle_error_sys(err, "enter the container's time namespace");
    return 0;
}
