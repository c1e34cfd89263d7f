/* libFuzzer target: config.json text through cradle_spec_parse, the one JSON reader. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/error.h"
#include "cradle/spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* cradle_spec_parse takes a C string. */
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct cradle_spec *spec = NULL;
    cradle_error *err = NULL;
    if (cradle_spec_parse(text, &spec, &err) == 0)
        cradle_spec_free(spec);
    cradle_error_free(&err);
    free(text);
    return 0;
}
