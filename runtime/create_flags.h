#ifndef CRADLE_RUNTIME_CREATE_FLAGS_H
#define CRADLE_RUNTIME_CREATE_FLAGS_H

#include "cradle/container.h"
#include "cradle/error.h"

/* The flags "create" and "run" share (run also takes --detach/-d). Returns optind. */
int parse_create_flags(int argc, char **argv, struct cradle_create_opts *opts, bool *detach,
                       bool allow_detach, cradle_error **err);

#endif
