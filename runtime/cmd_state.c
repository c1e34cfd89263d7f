#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "commands.h"
#include "cradle/cleanup.h"
#include "cradle/container.h"
#include "cradle/state.h"

static const char usage[] = "Usage: cradle state <container-id>\n\n"
                            "Outputs the state of a container in JSON.\n";

int cmd_state(const struct global_opts *g, int argc, char **argv, cradle_error **err)
{
    if (wants_help(argc, argv, usage))
        return 0;
    const char *id;
    if (one_container_id(argc, argv, 1, "state", &id, err) < 0)
        return 1;
    _cleanup_close_ int root_fd = -1, dir_fd = -1;
    _cleanup_state_ struct cradle_state *s = NULL;
    if (cradle_state_load(g->root, id, false, &root_fd, &dir_fd, &s, err) < 0)
        return 1;
    _cleanup_free_ char *json =
        cradle_state_to_oci_json(s, cradle_container_status(dir_fd, s), true, false);
    if (json == NULL)
        return cradle_error_set(err, 0, "out of memory"), 1;
    printf("%s\n", json);
    return 0;
}
