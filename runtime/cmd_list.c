#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "cradle/cleanup.h"
#include "cradle/container.h"
#include "cradle/passwd.h"
#include "cradle/state.h"

static const char usage[] =
    "Usage: cradle list [command options]\n\n"
    "OPTIONS:\n"
    "   --format value, -f value  select one of: table or json (default: \"table\")\n"
    "   --quiet, -q               display only container IDs\n";

struct row {
    struct cradle_state *state;
    enum cradle_status status;
};

/* runc's tabwriter: columns at least 12 wide, 3 spaces of padding, last column bare. */
static void print_table(const struct row *rows, size_t n)
{
    const char *heads[] = {"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"};
    size_t width[5];
    char pid[5][32];
    for (int c = 0; c < 5; c++)
        width[c] = strlen(heads[c]);
    for (size_t i = 0; i < n; i++) {
        const struct cradle_state *s = rows[i].state;
        size_t lens[5] = {strlen(s->id), 0, strlen(cradle_status_name(rows[i].status)),
                          strlen(s->bundle), strlen(s->created)};
        snprintf(pid[0], sizeof(pid[0]), "%d",
                 rows[i].status == CRADLE_STATUS_STOPPED ? 0 : s->pid);
        lens[1] = strlen(pid[0]);
        for (int c = 0; c < 5; c++)
            if (lens[c] > width[c])
                width[c] = lens[c];
    }
    for (int c = 0; c < 5; c++)
        width[c] = width[c] + 3 < 12 ? 12 : width[c] + 3;
    printf("%-*s%-*s%-*s%-*s%-*s%s\n", (int)width[0], heads[0], (int)width[1], heads[1],
           (int)width[2], heads[2], (int)width[3], heads[3], (int)width[4], heads[4], heads[5]);
    for (size_t i = 0; i < n; i++) {
        const struct cradle_state *s = rows[i].state;
        _cleanup_free_ char *owner = cradle_passwd_field(s->owner_uid, CRADLE_PASSWD_NAME);
        char pidtext[32];
        snprintf(pidtext, sizeof(pidtext), "%d",
                 rows[i].status == CRADLE_STATUS_STOPPED ? 0 : s->pid);
        printf("%-*s%-*s%-*s%-*s%-*s%s\n", (int)width[0], s->id, (int)width[1], pidtext,
               (int)width[2], cradle_status_name(rows[i].status), (int)width[3], s->bundle,
               (int)width[4], s->created, owner ? owner : "");
    }
}

static void print_json(const struct row *rows, size_t n)
{
    json_object *arr = json_object_new_array();
    for (size_t i = 0; i < n; i++) {
        _cleanup_free_ char *one =
            cradle_state_to_oci_json(rows[i].state, rows[i].status, false, true);
        json_object *o = one ? json_tokener_parse(one) : NULL;
        if (o)
            json_object_array_add(arr, o);
    }
    printf("%s\n", json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN |
                                                           JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(arr);
}

static size_t load_rows(int root_fd, char **ids, struct row *rows)
{
    size_t n = 0;
    for (size_t i = 0; ids[i]; i++) {
        _cleanup_close_ int dir_fd = cradle_state_open(root_fd, ids[i], NULL);
        if (dir_fd < 0 || cradle_state_read(dir_fd, ids[i], &rows[n].state, NULL) < 0)
            continue;
        rows[n].status = cradle_container_status(dir_fd, rows[n].state);
        n++;
    }
    return n;
}

int cmd_list(const struct global_opts *g, int argc, char **argv, cradle_error **err)
{
    if (wants_help(argc, argv, usage))
        return 0;
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'}, {"quiet", no_argument, NULL, 'q'}, {0, 0, 0, 0}};
    bool quiet = false, json = false;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+f:q", opts, NULL)) != -1) {
        if (c == 'q')
            quiet = true;
        else if (c == 'f' && (strcmp(optarg, "json") == 0 || strcmp(optarg, "table") == 0))
            json = strcmp(optarg, "json") == 0;
        else if (c == 'f')
            return cradle_error_set(err, 0, "invalid format option"), 1;
        else
            return cradle_error_set(err, 0, "flag provided but not defined: %s", argv[optind - 1]),
                   1;
    }
    _cleanup_close_ int root_fd = open(g->root, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    _cleanup_strv_ char **ids = NULL;
    if (root_fd < 0) {
        if (errno != ENOENT)
            return cradle_error_sys(err, "open %s", g->root), 1;
        ids = calloc(1, sizeof(char *));
    } else if (cradle_state_list_ids(root_fd, &ids, err) < 0) {
        return 1;
    }
    size_t count = 0;
    while (ids && ids[count])
        count++;
    struct row *rows = calloc(count + 1, sizeof(*rows));
    if (rows == NULL)
        return cradle_error_set(err, ENOMEM, "list"), 1;
    size_t n = root_fd >= 0 ? load_rows(root_fd, ids, rows) : 0;
    if (quiet)
        for (size_t i = 0; i < n; i++)
            printf("%s\n", rows[i].state->id);
    else if (json)
        print_json(rows, n);
    else
        print_table(rows, n);
    for (size_t i = 0; i < n; i++)
        cradle_state_free(rows[i].state);
    free(rows);
    return 0;
}
