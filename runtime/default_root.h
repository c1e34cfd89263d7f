/* The state root when --root is not given, as runc chooses it. */
#ifndef CRADLE_RUNTIME_DEFAULT_ROOT_H
#define CRADLE_RUNTIME_DEFAULT_ROOT_H

#include <stdbool.h>

#include "cradle/error.h"

/* $XDG_RUNTIME_DIR/cradle for a caller who has XDG_RUNTIME_DIR set and whose effective
 * uid is not 0, or is 0 in a user namespace with $USER other than root (rootless Podman's
 * runtime; runc: $XDG_RUNTIME_DIR/runc), else CRADLE_DEFAULT_ROOT. *owned
 * receives the allocated string (or NULL), which the caller frees; *in_xdg tells whether
 * the XDG directory was chosen. */
const char *default_root(char **owned, bool *in_xdg);

/* Makes the XDG state root, as runc does before any command: parents and the directory
 * 0700, then the sticky bit, so that the XDG runtime-dir cleaner leaves it alone. */
int default_root_prepare(const char *root, cradle_error **err);

#endif
