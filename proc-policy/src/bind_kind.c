/* What a bind source is, judged on the opened file: a path that names /proc may be a
 * symlink to anywhere, the filesystem of the fd cannot lie. */
#include <linux/magic.h>
#include <sys/vfs.h>

#include "cradle/proc_policy.h"

enum pp_kind pp_bind_source_kind(int source_fd)
{
    struct statfs sf;
    if (source_fd < 0 || fstatfs(source_fd, &sf) < 0)
        return PP_KIND_OTHER;
    if (sf.f_type == PROC_SUPER_MAGIC)
        return PP_KIND_BIND_PROCFS;
    if (sf.f_type == FUSE_SUPER_MAGIC)
        return PP_KIND_BIND_FUSE;
    return PP_KIND_OTHER;
}
