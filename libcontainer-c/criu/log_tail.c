#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"
#include "cradle/criu.h"

char *criu_log_last_error(const char *log_path)
{
    _cleanup_fclose_ FILE *f = fopen(log_path, "re");
    if (f == NULL)
        return NULL;
    _cleanup_free_ char *line = NULL;
    size_t cap = 0;
    char *last = NULL;
    while (getline(&line, &cap, f) >= 0) {
        /* criu prefixes failures with "Error (file:line): " and ends with a summary
         * ("Dumping FAILED.") that says less than the error before it. */
        if (strstr(line, "Error") == NULL || (last && strstr(line, "FAILED")))
            continue;
        line[strcspn(line, "\n")] = '\0';
        free(last);
        last = strdup(line);
    }
    return last;
}
