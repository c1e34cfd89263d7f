#include "criu_flags.h"

int criu_flag(int c, const char *arg, struct cradle_criu_opts *o, cradle_error **err)
{
    switch (c) {
    case CRIU_OPT_IMAGE_PATH:
        o->image_path = arg;
        return 1;
    case CRIU_OPT_WORK_PATH:
        o->work_path = arg;
        return 1;
    case CRIU_OPT_TCP_ESTABLISHED:
        o->tcp_established = true;
        return 1;
    case CRIU_OPT_EXT_UNIX_SK:
        o->ext_unix_sk = true;
        return 1;
    case CRIU_OPT_SHELL_JOB:
        o->shell_job = true;
        return 1;
    case CRIU_OPT_FILE_LOCKS:
        o->file_locks = true;
        return 1;
    case CRIU_OPT_MANAGE_CGROUPS_MODE:
        o->manage_cgroups_mode = arg;
        return cradle_criu_check_cgroups_mode(arg, err) < 0 ? -1 : 1;
    case CRIU_OPT_LAZY_PAGES:
        o->lazy_pages = true;
        return 1;
    case CRIU_OPT_EMPTY_NS:
        return cradle_criu_empty_ns(arg, o, err) < 0 ? -1 : 1;
    case CRIU_OPT_AUTO_DEDUP:
        o->auto_dedup = true;
        return 1;
    default:
        return 0;
    }
}
