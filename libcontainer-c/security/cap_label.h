/* Names a capability for error messages, falling back to its number when the name
 * table does not know it (a kernel newer than cradle). */
#ifndef CRADLE_SECURITY_CAP_LABEL_H
#define CRADLE_SECURITY_CAP_LABEL_H

#include <stddef.h>

#define CAP_LABEL_MAX 32

/* Writes "CAP_SYS_ADMIN" or "capability 41" into buf and returns buf. */
const char *cap_label(int cap, char buf[CAP_LABEL_MAX]);

#endif
