/* Building and parsing small config.json documents in unit tests. */
#ifndef CRADLE_TEST_SPEC_DOCUMENTS_H
#define CRADLE_TEST_SPEC_DOCUMENTS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"
#include "cradle/spec.h"

/* A minimal valid document with `extra` members appended (may be empty). */
static inline char *spec_document(const char *extra)
{
    char *doc = NULL;
    if (asprintf(&doc, "{\"ociVersion\": \"1.0.2\", \"root\": {\"path\": \"rootfs\"}%s%s}",
                 *extra ? ", " : "", extra) < 0)
        return NULL;
    return doc;
}

/* The parsed document, or NULL (the error is printed). Caller frees. */
static inline struct cradle_spec *spec_parse_text_ok(const char *text)
{
    struct cradle_spec *spec = NULL;
    _cleanup_error_ cradle_error *err = NULL;
    if (cradle_spec_parse(text, &spec, &err) < 0) {
        fprintf(stderr, "unexpected error: %s\n", err->msg);
        return NULL;
    }
    return spec;
}

/* The error message for a whole document, or NULL when it parses. Caller frees. */
static inline char *spec_error_of_text(const char *text)
{
    struct cradle_spec *spec = NULL;
    _cleanup_error_ cradle_error *err = NULL;
    if (cradle_spec_parse(text, &spec, &err) == 0) {
        cradle_spec_free(spec);
        return NULL;
    }
    return strdup(err->msg);
}

/* The parse error of a whole document, else its validation error (cradle_spec_validate),
 * else NULL. Caller frees. */
static inline char *spec_validate_error_of_text(const char *text)
{
    struct cradle_spec *spec = NULL;
    _cleanup_error_ cradle_error *err = NULL;
    if (cradle_spec_parse(text, &spec, &err) < 0)
        return strdup(err->msg);
    char *msg = cradle_spec_validate(spec, &err) < 0 ? cradle_error_text(err) : NULL;
    cradle_spec_free(spec);
    return msg;
}

#endif
