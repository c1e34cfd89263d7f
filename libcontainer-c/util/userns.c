#include "cradle/userns.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>

#include "cradle/cleanup.h"
#include "cradle/fileutil.h"

bool cradle_uid_map_is_userns(const char *text)
{
    uint64_t inside, outside, count;
    char rest;
    /* One line mapping all of 0..2^32-2 onto itself and nothing after it. */
    int n =
        sscanf(text, " %" SCNu64 " %" SCNu64 " %" SCNu64 " %c", &inside, &outside, &count, &rest);
    return !(n == 3 && inside == 0 && outside == 0 && count == UINT32_MAX);
}

bool cradle_running_in_userns(void)
{
    static int cached = -1;
    if (cached < 0) {
        _cleanup_free_ char *text = NULL;
        cached = cradle_read_file_at(AT_FDCWD, "/proc/self/uid_map", &text, NULL) == 0 &&
                 cradle_uid_map_is_userns(text);
    }
    return cached;
}
