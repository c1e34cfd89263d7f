/* Private to spec/: the linux.seccomp section parser (parse_seccomp.c). */
#ifndef CRADLE_PARSE_SECCOMP_H
#define CRADLE_PARSE_SECCOMP_H

#include <json-c/json.h>

#include "cradle/error.h"
#include "cradle/spec.h"

/* Fills spec->linux_.seccomp from the linux.seccomp object. */
int spec_parse_seccomp(struct json_object *obj, struct cradle_spec *spec, cradle_error **err);

#endif
