#include "commands.h"
#include "cradle/container.h"

static const char pause_usage[] =
    "Usage: cradle pause <container-id>\n\n"
    "Where \"<container-id>\" is the name for the instance of the container to be paused.\n\n"
    "The pause command suspends all processes in the instance of the container.\n\n"
    "Use cradle list to identify instances of containers and their current status.\n";

static const char resume_usage[] =
    "Usage: cradle resume <container-id>\n\n"
    "Where \"<container-id>\" is the name for the instance of the container to be resumed.\n\n"
    "The resume command resumes all processes in the instance of the container.\n\n"
    "Use cradle list to identify instances of containers and their current status.\n";

int cmd_pause(const struct global_opts *g, int argc, char **argv, cradle_error **err)
{
    const char *id;
    if (wants_help(argc, argv, pause_usage))
        return 0;
    if (one_container_id(argc, argv, 1, "pause", &id, err) < 0)
        return 1;
    return cradle_container_pause(g->root, id, err) < 0 ? 1 : 0;
}

int cmd_resume(const struct global_opts *g, int argc, char **argv, cradle_error **err)
{
    const char *id;
    if (wants_help(argc, argv, resume_usage))
        return 0;
    if (one_container_id(argc, argv, 1, "resume", &id, err) < 0)
        return 1;
    return cradle_container_resume(g->root, id, err) < 0 ? 1 : 0;
}
