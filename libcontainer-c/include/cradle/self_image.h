/* CVE-2019-5736: the container's init is a clone of the runtime, so /proc/<init>/exe is the
 * runtime's own image, and a container process that opens it could write the host's binary
 * once the init has exec'd. A runtime process that may become part of a container must
 * therefore run from an image that cannot be opened for writing. See docs/security.md. */
#ifndef CRADLE_SELF_IMAGE_H
#define CRADLE_SELF_IMAGE_H

#include "cradle/error.h"

/* 1 when the file behind /proc/self/exe cannot be written by design: it is on a read-only
 * mount, or it is a memfd sealed against writes; 0 when it is writable; -1 on error. The
 * property is read from the file itself, so nothing in the environment can fake it. */
int cradle_self_image_is_protected(cradle_error **err);

/* Returns 0 at once when the runtime already runs from a protected image; otherwise
 * re-executes it (argv, the current environment) from one and returns only on failure.
 * The image is the binary seen through a private read-only overlayfs mount (no copy),
 * or, where that cannot be made, a sealed memfd copy. */
int cradle_self_image_ensure(char *const argv[], cradle_error **err);

#endif
