/* The value syntaxes of runc's command-line flags, parsed as runc (Go) parses them. */
#ifndef CRADLE_UNITS_H
#define CRADLE_UNITS_H

#include <stdint.h>

/* A memory size as docker/go-units RAMInBytes reads it (runc update --memory etc.): a
 * decimal number, an optional space, an optional k/m/g/t/p unit (powers of 1024, any
 * case), an optional "i" and an optional "b": "64m", "1.5GiB", "512 kb", "1024".
 * Returns 0, or -1 with errno EINVAL or ERANGE. */
int cradle_parse_ram_size(const char *text, int64_t *bytes);

/* A Go time.Duration (runc events --interval): a sequence of decimal numbers with units
 * ns, us (or µs), ms, s, m, h, such as "5s", "1m30s", "0.5s", "100ms"; a bare "0" too; an
 * optional sign. Returns 0, or -1 with errno EINVAL or ERANGE. */
int cradle_parse_duration(const char *text, int64_t *ns);

#endif
