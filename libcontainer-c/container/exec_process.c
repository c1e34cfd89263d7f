/* The process exec runs: the --process file, or config.process of the container's config
 * copy with runc exec's flags on top (runc's getProcess). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"
#include "cradle/fileutil.h"
#include "cradle/log.h"
#include "cradle/process.h"
#include "exec_internal.h"

static size_t strv_len(char *const *v)
{
    size_t n = 0;
    while (v && v[n])
        n++;
    return n;
}

static int strv_copy(char *const *v, char ***out, size_t *n_out, cradle_error **err)
{
    size_t n = strv_len(v);
    _cleanup_strv_ char **copy = calloc(n + 1, sizeof(char *));
    if (copy == NULL)
        return cradle_error_set(err, ENOMEM, "process.args");
    for (size_t i = 0; i < n; i++)
        if ((copy[i] = strdup(v[i])) == NULL)
            return cradle_error_set(err, ENOMEM, "process.args");
    cleanup_strvp(out);
    *out = TAKE_PTR(copy);
    *n_out = n;
    return 0;
}

static int replace_string(char **field, const char *value, cradle_error **err)
{
    char *copy = strdup(value);
    if (copy == NULL)
        return cradle_error_set(err, ENOMEM, "process");
    free(*field);
    *field = copy;
    return 0;
}

/* As runc's environment (Go's os.Setenv): a variable already set is replaced where it
 * stands, a new one is appended. */
static int set_env(struct cradle_spec_process *p, const char *kv, cradle_error **err)
{
    const char *eq = strchr(kv, '=');
    if (eq == NULL)
        return cradle_error_set(err, EINVAL, "invalid environment variable: \"%s\"", kv);
    if (eq == kv)
        return cradle_error_set(err, EINVAL, "environment variable name can't be empty: \"%s\"",
                                kv);
    size_t key_len = (size_t)(eq - kv) + 1;
    for (size_t i = 0; i < p->n_env; i++)
        if (strncmp(p->env[i], kv, key_len) == 0)
            return replace_string(&p->env[i], kv, err);
    char **grown = realloc(p->env, (p->n_env + 2) * sizeof(char *));
    if (grown == NULL)
        return cradle_error_set(err, ENOMEM, "process.env");
    p->env = grown;
    if ((p->env[p->n_env] = strdup(kv)) == NULL)
        return cradle_error_set(err, ENOMEM, "process.env");
    p->env[++p->n_env] = NULL;
    return 0;
}

/* runc's strconv.Atoi: an optional sign, then decimal digits only. */
static int parse_id(const char *text, const char *what, uint32_t *out, cradle_error **err)
{
    const char *digits = text + (text[0] == '-' || text[0] == '+');
    char *end = NULL;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (digits[0] < '0' || digits[0] > '9' || *end != '\0' || errno != 0)
        return cradle_error_set(err, EINVAL,
                                "parsing %s as int for %s failed: strconv.Atoi: parsing \"%s\": "
                                "invalid syntax",
                                text, what, text);
    *out = (uint32_t)v;
    return 0;
}

/* -u UID[:GID]: runc splits at the first ':' only, so "1:2:3" has the gid "2:3". */
static int set_user(struct cradle_spec_user *u, const char *spec, cradle_error **err)
{
    _cleanup_free_ char *copy = strdup(spec);
    if (copy == NULL)
        return cradle_error_set(err, ENOMEM, "--user");
    char *colon = strchr(copy, ':');
    if (colon) {
        *colon = '\0';
        if (parse_id(colon + 1, "gid", &u->gid, err) < 0)
            return -1;
    }
    return parse_id(copy, "uid", &u->uid, err);
}

static int add_gids(struct cradle_spec_user *u, const long long *gids, size_t n, cradle_error **err)
{
    for (size_t i = 0; i < n; i++)
        if (gids[i] < 0)
            return cradle_error_set(err, EINVAL, "additional-gids must be a positive number %lld",
                                    gids[i]);
    uint32_t *grown = realloc(u->additional_gids, (u->n_additional_gids + n + 1) * sizeof(*grown));
    if (grown == NULL)
        return cradle_error_set(err, ENOMEM, "process.user.additionalGids");
    u->additional_gids = grown;
    for (size_t i = 0; i < n; i++)
        u->additional_gids[u->n_additional_gids++] = (uint32_t)gids[i];
    return 0;
}

/* As runc 1.1: each goes to the bounding, effective and permitted sets, and to the ambient
 * one only when the process has inheritable capabilities (-c adds none). A name runc does
 * not know is a warning (capabilities.New), not an error. */
static void add_caps(struct cradle_spec_process *p, char *const *caps)
{
    for (size_t i = 0; caps && caps[i]; i++) {
        int cap = cradle_cap_from_name(caps[i]);
        if (cap < 0 || cap > cradle_cap_last_cap()) {
            cradle_warn("ignoring unknown or unavailable capabilities: [%s]", caps[i]);
            continue;
        }
        uint64_t bit = 1ULL << cap;
        struct cradle_spec_capabilities *c = &p->capabilities;
        c->bounding |= bit;
        c->effective |= bit;
        c->permitted |= bit;
        if (c->inheritable)
            c->ambient |= bit;
        p->has_capabilities = true;
    }
}

static int overlay_flags(const struct cradle_exec_opts *opts, struct cradle_spec_process *p,
                         cradle_error **err)
{
    if (strv_copy(opts->args, &p->args, &p->n_args, err) < 0)
        return -1;
    if (opts->cwd && *opts->cwd && replace_string(&p->cwd, opts->cwd, err) < 0)
        return -1;
    if (opts->apparmor && *opts->apparmor &&
        replace_string(&p->apparmor_profile, opts->apparmor, err) < 0)
        return -1;
    if (opts->process_label && *opts->process_label &&
        replace_string(&p->selinux_label, opts->process_label, err) < 0)
        return -1;
    add_caps(p, opts->caps);
    for (size_t i = 0; opts->env && opts->env[i]; i++)
        if (set_env(p, opts->env[i], err) < 0)
            return -1;
    p->terminal = opts->tty;
    if (opts->no_new_privs)
        p->no_new_privileges = true;
    if (opts->user && *opts->user && set_user(&p->user, opts->user, err) < 0)
        return -1;
    if (add_gids(&p->user, opts->additional_gids, opts->n_additional_gids, err) < 0)
        return -1;
    /* runc's validateProcessSpec. */
    if (p->cwd == NULL || p->cwd[0] == '\0')
        return cradle_error_set(err, EINVAL, "Cwd property must not be empty");
    if (p->cwd[0] != '/')
        return cradle_error_set(err, EINVAL, "Cwd must be an absolute path");
    if (p->n_args == 0)
        return cradle_error_set(err, EINVAL, "args must not be empty");
    return 0;
}

/* The --process file replaces the config's process whole (runc reads nothing else). */
static int load_process_file(const char *path, struct cradle_spec *spec, cradle_error **err)
{
    _cleanup_free_ char *text = NULL;
    size_t len = 0;
    if (cradle_read_file_at(AT_FDCWD, path, &text, &len) < 0) {
        char buf[128];
        int e = errno;
        return cradle_error_set(err, e, "open %s: %s", path, cradle_go_strerror(e, buf));
    }
    if (strlen(text) != len)
        return cradle_error_set(err, EINVAL, "%s: contains a NUL byte", path);
    _cleanup_spec_ struct cradle_spec *file = NULL;
    if (cradle_spec_parse_process(text, &file, err) < 0)
        return -1;
    struct cradle_spec_process swap = spec->process;
    spec->process = file->process;
    file->process = swap;
    return 0;
}

static int build_process(const struct cradle_exec_opts *opts, struct cradle_spec *spec,
                         cradle_error **err)
{
    if (opts->process_file)
        return load_process_file(opts->process_file, spec, err);
    if (!spec->has_process)
        return cradle_error_set(err, EINVAL, "process: missing from config.json");
    struct cradle_spec_process *p = &spec->process;
    /* The LSM labels are written by the shared process setup, as runc's setns init. */
    return overlay_flags(opts, p, err);
}

int cradle_exec_build_process(const struct cradle_exec_opts *opts, struct cradle_spec *spec,
                              cradle_error **err)
{
    if (build_process(opts, spec, err) < 0)
        return -1;
    /* Ambient capabilities that cannot be raised go silently, as runc's exec: create warned
     * about the config's already. */
    struct cradle_spec_capabilities *caps = &spec->process.capabilities;
    caps->ambient &= caps->inheritable & caps->permitted;
    return cradle_spec_validate_process(spec, err);
}
