/* Error output in runc's shape: without --log, one logfmt line on stderr
 * (time="..." level=error msg="..."); with --log, the entry goes to the file in the
 * chosen format and the plain message to stderr. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "cradle/cleanup.h"

static void timestamp(char *buf, size_t len)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void write_logfmt(FILE *out, const char *when, const char *msg)
{
    fprintf(out, "time=\"%s\" level=error msg=\"", when);
    for (const char *p = msg; *p; p++) {
        if (*p == '"' || *p == '\\')
            fputc('\\', out);
        if (*p == '\n')
            fputs("\\n", out);
        else
            fputc(*p, out);
    }
    fputs("\"\n", out);
}

static void write_json(FILE *out, const char *when, const char *msg)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "level", json_object_new_string("error"));
    json_object_object_add(o, "msg", json_object_new_string(msg));
    json_object_object_add(o, "time", json_object_new_string(when));
    fprintf(
        out, "%s\n",
        json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(o);
}

void log_error(const struct global_opts *g, const cradle_error *err)
{
    _cleanup_free_ char *msg = cradle_error_text(err);
    const char *text = msg ? msg : "out of memory";
    char when[64];
    timestamp(when, sizeof(when));
    _cleanup_fclose_ FILE *log = g->log_file ? fopen(g->log_file, "ae") : NULL;
    if (log == NULL) {
        if (g->log_json)
            write_json(stderr, when, text);
        else
            write_logfmt(stderr, when, text);
        return;
    }
    if (g->log_json)
        write_json(log, when, text);
    else
        write_logfmt(log, when, text);
    fprintf(stderr, "%s\n", text);
}
