/* process.env as runc's init applies it: one os.Setenv per entry, so a name given twice
 * keeps the place of its first entry and the value of its last. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/process.h"

static size_t name_len(const char *entry)
{
    return (size_t)(strchr(entry, '=') - entry);
}

int cradle_env_resolve(char *const *env, char ***out, cradle_error **err)
{
    size_t n = 0;
    while (env && env[n])
        n++;
    char **res = calloc(n + 1, sizeof(char *));
    if (res == NULL)
        return cradle_error_set(err, ENOMEM, "process.env");
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        const char *eq = strchr(env[i], '=');
        if (eq == NULL || eq == env[i]) {
            free(res);
            return cradle_error_set(err, EINVAL,
                                    eq ? "environment variable name can't be empty: \"%s\""
                                       : "invalid environment variable: \"%s\"",
                                    env[i]);
        }
        size_t len = name_len(env[i]);
        size_t j = 0;
        while (j < kept && !(name_len(res[j]) == len && strncmp(res[j], env[i], len) == 0))
            j++;
        res[j] = env[i];
        if (j == kept)
            kept++;
    }
    *out = res;
    return 0;
}
