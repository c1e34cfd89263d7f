/* cradle_spec_parse and cradle_spec_load: the document, its top-level fields, and the
 * dispatch to the section parsers. */
#include "spec_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cradle/cleanup.h"
#include "cradle/fileutil.h"

static void tokener_freep(struct json_tokener **tok)
{
    if (*tok)
        json_tokener_free(*tok);
}

static void json_putp(struct json_object **obj)
{
    json_object_put(*obj);
}

#define _cleanup_tokener_ __attribute__((cleanup(tokener_freep)))
#define _cleanup_json_    __attribute__((cleanup(json_putp)))

static int invalid_json(const char *text, size_t offset, const char *what, cradle_error **err)
{
    size_t line = 1, column = 1;
    for (size_t i = 0; i < offset; i++) {
        column++;
        if (text[i] == '\n') {
            line++;
            column = 1;
        }
    }
    return cradle_error_set(err, 0, "config.json: invalid JSON: %s at line %zu column %zu", what,
                            line, column);
}

static int parse_document(const char *text, struct json_object **out, cradle_error **err)
{
    size_t len = strlen(text);
    if (len > INT_MAX)
        return cradle_error_set(err, EFBIG, "config.json: %zu bytes is too large", len);
    _cleanup_tokener_ struct json_tokener *tok = json_tokener_new();
    if (tok == NULL)
        return cradle_error_sys(err, "config.json: creating the JSON parser");

    _cleanup_json_ struct json_object *doc = json_tokener_parse_ex(tok, text, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    if (jerr == json_tokener_continue)
        return invalid_json(text, len, "unexpected end of input", err);
    if (jerr != json_tokener_success)
        return invalid_json(text, end, json_tokener_error_desc(jerr), err);
    end += strspn(text + end, " \t\r\n");
    if (end < len)
        return invalid_json(text, end, "unexpected data after the document", err);
    if (!json_object_is_type(doc, json_type_object))
        return cradle_error_set(err, 0, "config.json: expected object, got %s",
                                spec_type_name(doc));
    *out = TAKE_PTR(doc);
    return 0;
}

static int parse_root(struct json_object *doc, struct cradle_spec *spec, cradle_error **err)
{
    struct json_object *root = NULL;
    int r = spec_get_object(doc, "", "root", &root, err);
    if (r <= 0)
        return r < 0 ? -1 : spec_missing("", "root", err);
    r = spec_get_string(root, "root", "path", &spec->root_path, err);
    if (r <= 0)
        return r < 0 ? -1 : spec_missing("root", "path", err);
    return spec_get_bool(root, "root", "readonly", &spec->root_readonly, err) < 0 ? -1 : 0;
}

static int parse_sections(struct json_object *doc, struct cradle_spec *spec, cradle_error **err)
{
    struct json_object *sub = NULL;
    int r;

    if ((r = spec_get_object(doc, "", "process", &sub, err)) < 0)
        return -1;
    spec->has_process = r > 0;
    if (r > 0 && spec_parse_process(sub, spec, err) < 0)
        return -1;
    if ((r = spec_get_array(doc, "", "mounts", &sub, err)) < 0 ||
        (r > 0 && spec_parse_mounts(sub, spec, err) < 0))
        return -1;
    if ((r = spec_get_object(doc, "", "linux", &sub, err)) < 0)
        return -1;
    spec->has_linux = r > 0;
    if (r > 0 && spec_parse_linux(sub, spec, err) < 0)
        return -1;
    if ((r = spec_get_object(doc, "", "hooks", &sub, err)) < 0 ||
        (r > 0 && spec_parse_hooks(sub, &spec->hooks, err) < 0))
        return -1;
    return 0;
}

int cradle_spec_parse(const char *json_text, struct cradle_spec **out, cradle_error **err)
{
    _cleanup_json_ struct json_object *doc = NULL;
    if (parse_document(json_text, &doc, err) < 0)
        return -1;

    _cleanup_spec_ struct cradle_spec *spec = calloc(1, sizeof(*spec));
    if (spec == NULL)
        return cradle_error_sys(err, "config.json: allocating the spec");

    int r = spec_get_string(doc, "", "ociVersion", &spec->oci_version, err);
    if (r <= 0)
        return r < 0 ? -1 : spec_missing("", "ociVersion", err);
    if (parse_root(doc, spec, err) < 0 ||
        spec_get_string(doc, "", "hostname", &spec->hostname, err) < 0 ||
        spec_get_string(doc, "", "domainname", &spec->domainname, err) < 0 ||
        spec_get_keyvals(doc, "", "annotations", &spec->annotations, &spec->n_annotations, err) <
            0 ||
        parse_sections(doc, spec, err) < 0)
        return -1;
    *out = TAKE_PTR(spec);
    return 0;
}

int cradle_spec_read_config(const char *bundle_dir, char **out, cradle_error **err)
{
    _cleanup_free_ char *path = NULL;
    _cleanup_free_ char *text = NULL;
    size_t len = 0;
    if (asprintf(&path, "%s/config.json", bundle_dir) < 0)
        return cradle_error_sys(err, "building the path of %s/config.json", bundle_dir);
    if (cradle_read_file_at(AT_FDCWD, path, &text, &len) < 0)
        return cradle_error_sys(err, "open %s", path);
    if (strlen(text) != len)
        return cradle_error_set(err, 0, "%s: contains a NUL byte", path);
    *out = TAKE_PTR(text);
    return 0;
}

int cradle_spec_load(const char *bundle_dir, struct cradle_spec **out, cradle_error **err)
{
    _cleanup_free_ char *text = NULL;
    if (cradle_spec_read_config(bundle_dir, &text, err) < 0)
        return -1;
    return cradle_spec_parse(text, out, err);
}
