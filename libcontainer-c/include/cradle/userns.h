/* Whether cradle itself runs in a user namespace other than the initial one: as root of
 * the namespace rootless Podman (or any engine run by an ordinary user) creates and runs
 * the runtime in, with no user namespace in the config. runc's userns.RunningInUserNS. */
#ifndef CRADLE_USERNS_H
#define CRADLE_USERNS_H

#include <stdbool.h>

/* True unless TEXT, the contents of a uid_map, is the initial namespace's identity
 * mapping of every id ("0 0 4294967295"). */
bool cradle_uid_map_is_userns(const char *text);

/* cradle_uid_map_is_userns of /proc/self/uid_map, read once; false when it cannot be
 * read (a kernel without user namespaces). */
bool cradle_running_in_userns(void);

#endif
