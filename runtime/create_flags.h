#ifndef CRADLE_RUNTIME_CREATE_FLAGS_H
#define CRADLE_RUNTIME_CREATE_FLAGS_H

#include "cradle/container.h"
#include "cradle/error.h"

/* The flags only "run" takes. */
struct run_flags {
    bool detach; /* --detach, -d */
    bool keep;   /* --keep: the stopped container stays until "delete" */
};

/* The flags "create" and "run" share; RUN receives run's own (NULL for create: they are
 * then unknown flags). Returns optind. */
int parse_create_flags(int argc, char **argv, struct cradle_create_opts *opts,
                       struct run_flags *run, cradle_error **err);

#endif
