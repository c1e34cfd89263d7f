/* Log output in runc's shape: without --log, logfmt lines on stderr
 * (time="..." level=error msg="..."); with --log, lines go to the file in the chosen format
 * (text or json) and a fatal error is also printed plainly on stderr. Warnings and, with
 * --debug, debug lines from the library come through the same writer. */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "cradle/cleanup.h"
#include "cradle/log.h"

static int log_fd = STDERR_FILENO;

static void timestamp(char *buf, size_t len)
{
    struct timespec ts;
    struct tm tm;
    char date[40];
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf, len, "%s.%09ldZ", date, ts.tv_nsec);
}

static char *format_logfmt(const char *when, const char *level, const char *msg)
{
    char *line = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&line, &size);
    if (out == NULL)
        return NULL;
    fprintf(out, "time=\"%s\" level=%s msg=\"", when, level);
    for (const char *p = msg; *p; p++) {
        if (*p == '"' || *p == '\\')
            fputc('\\', out);
        if (*p == '\n')
            fputs("\\n", out);
        else
            fputc(*p, out);
    }
    fputs("\"\n", out);
    fclose(out);
    return line;
}

static char *format_json(const char *when, const char *level, const char *msg)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "level", json_object_new_string(level));
    json_object_object_add(o, "msg", json_object_new_string(msg));
    json_object_object_add(o, "time", json_object_new_string(when));
    char *line = NULL;
    if (asprintf(&line, "%s\n",
                 json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
                                                       JSON_C_TO_STRING_NOSLASHESCAPE)) < 0)
        line = NULL;
    json_object_put(o);
    return line;
}

/* One write per line, so that lines from the runtime and its children (which share the
 * O_APPEND descriptor) never interleave. */
static void write_line(const struct global_opts *g, enum cradle_log_level level, const char *msg)
{
    char when[64];
    timestamp(when, sizeof(when));
    const char *name = cradle_log_level_name(level);
    _cleanup_free_ char *line =
        g->log_json ? format_json(when, name, msg) : format_logfmt(when, name, msg);
    if (line == NULL)
        return;
    size_t len = strlen(line);
    while (write(log_fd, line, len) < 0 && errno == EINTR)
        ;
}

static void library_line(enum cradle_log_level level, const char *msg, void *data)
{
    write_line(data, level, msg);
}

int log_open(const struct global_opts *g, cradle_error **err)
{
    if (g->log_file) {
        int fd = open(g->log_file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd < 0)
            return cradle_error_sys(err, "open log file %s", g->log_file);
        log_fd = fd;
    }
    cradle_log_set_handler(library_line, (void *)g,
                           g->debug ? CRADLE_LOG_DEBUG : CRADLE_LOG_WARNING);
    return 0;
}

void log_error(const struct global_opts *g, const cradle_error *err)
{
    _cleanup_free_ char *msg = cradle_error_text(err);
    const char *text = msg ? msg : "out of memory";
    write_line(g, CRADLE_LOG_ERROR, text);
    if (log_fd != STDERR_FILENO)
        fprintf(stderr, "%s\n", text);
}
