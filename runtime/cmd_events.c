/* events: runc's JSON event lines (stats, oom) for a container. */
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "cradle/container.h"
#include "cradle/units.h"

static const char usage[] =
    "Usage: cradle events [command options] <container-id>\n\n"
    "Where \"<container-id>\" is the name for the instance of the container.\n\n"
    "The events command displays information about the container. By default the\n"
    "information is displayed once every 5 seconds.\n\n"
    "OPTIONS:\n"
    "   --interval value  set the stats collection interval (default: 5s)\n"
    "   --stats           display the container's stats then exit\n";

enum { OPT_INTERVAL = 256, OPT_STATS };

/* One JSON object per line, flushed at once: engines read the stream as it comes. */
static int print_event(struct json_object *event, void *data, cradle_error **err)
{
    (void)data;
    int ret = 0;
    if (printf("%s\n", json_object_to_json_string_ext(
                           event, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)) < 0 ||
        fflush(stdout) != 0)
        ret = cradle_error_sys(err, "writing event");
    json_object_put(event);
    return ret;
}

int cmd_events(const struct global_opts *g, int argc, char **argv, cradle_error **err)
{
    if (wants_help(argc, argv, usage))
        return 0;
    static const struct option opts[] = {{"interval", required_argument, NULL, OPT_INTERVAL},
                                         {"stats", no_argument, NULL, OPT_STATS},
                                         {0, 0, 0, 0}};
    bool stats = false;
    int64_t interval_ns = 5000000000LL;
    int c;
    opterr = 0;
    while ((c = getopt_long_only(argc, argv, "+", opts, NULL)) != -1) {
        if (c == OPT_STATS)
            stats = true;
        else if (c == OPT_INTERVAL && cradle_parse_duration(optarg, &interval_ns) < 0)
            return cradle_error_set(err, 0, "invalid value \"%s\" for flag -interval: parse error",
                                    optarg),
                   1;
        else if (c != OPT_INTERVAL)
            return cradle_error_set(err, 0, "flag provided but not defined: %s", argv[optind - 1]),
                   1;
    }
    const char *id;
    if (one_container_id(argc, argv, optind, "events", &id, err) < 0)
        return 1;
    if (interval_ns <= 0)
        return cradle_error_set(err, 0, "duration interval must be greater than 0"), 1;
    /* Below a millisecond the stream would only spin. */
    long interval_ms = interval_ns < 1000000 ? 1 : (long)(interval_ns / 1000000);
    return cradle_container_events(g->root, id, stats, interval_ms, print_event, NULL, err) < 0 ? 1
                                                                                                : 0;
}
