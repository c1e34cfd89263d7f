/* `cradle policy explain [--bundle DIR]`: the proc-policy decision for every mount of a
 * bundle the policy judges: a destination under /proc, as written or once resolved
 * through the symlinks of the rootfs on disk, a fresh procfs or a bind from procfs
 * anywhere, and every procfs an rbind carries from below its source. Reads only: nothing
 * is created or mounted. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "commands.h"
#include "cradle/carried_procfs.h"
#include "cradle/cleanup.h"
#include "cradle/container.h"
#include "cradle/pathsafe.h"
#include "cradle/proc_policy.h"
#include "cradle/rootfs.h"
#include "cradle/spec.h"

static const char usage[] =
    "Usage: cradle policy explain [command options]\n\n"
    "For every mount of the bundle under /proc, every procfs, every bind from procfs and\n"
    "every procfs an rbind carries from below its source, print what it is, the\n"
    "proc-policy decision, the rule and the reason. Exits 0 when every such mount is\n"
    "allowed, 1 otherwise.\n\n"
    "OPTIONS:\n"
    "   --bundle value, -b value  path to the root of the bundle directory (default: \".\")\n";

struct explain_job {
    const struct cradle_spec *spec;
    const struct pp_policy *policy;
    struct pp_context ctx;
    int bundle_fd;
    int root_fd;
    const char *rootfs; /* canonical host path */
};

/* Symlinks followed while resolving one destination, as the kernel's MAXSYMLINKS. */
#define MAX_SYMLINKS 40

/* Opens the longest existing prefix of PATH (absolute, normalised) inside the rootfs,
 * following its symlinks there and never out of it. *len is the prefix's length. */
static int open_longest_prefix(const struct explain_job *job, const char *path, size_t *len,
                               cradle_error **err)
{
    _cleanup_free_ char *prefix = strdup(path);
    if (prefix == NULL)
        return cradle_error_set(err, ENOMEM, "resolving %s", path);
    *len = strlen(prefix);
    for (;;) {
        cradle_error *open_err = NULL;
        int fd = cradle_open_in_root(job->root_fd, *len ? prefix : "/", O_PATH, &open_err);
        int open_errno = errno;
        cradle_error_free(&open_err);
        if (fd >= 0)
            return fd;
        if (open_errno != ENOENT && open_errno != ENOTDIR) {
            errno = open_errno;
            return cradle_error_sys(err, "resolving %s in the rootfs %s", path, job->rootfs);
        }
        while (*len > 0 && prefix[*len - 1] != '/')
            (*len)--;
        while (*len > 0 && prefix[*len - 1] == '/')
            (*len)--;
        prefix[*len] = '\0';
    }
}

/* Where PATH lands inside the rootfs as it is on disk, as create would find it: existing
 * components through their symlinks, a dangling symlink through its target, the missing
 * rest as written. *out is normalised. Reads only. */
static int resolve_in_rootfs(const struct explain_job *job, const char *path, int depth, char **out,
                             cradle_error **err)
{
    size_t len = 0;
    _cleanup_close_ int fd = open_longest_prefix(job, path, &len, err);
    if (fd < 0)
        return -1;
    _cleanup_free_ char *found = NULL;
    if (cradle_fd_path_in_root(fd, job->rootfs, &found, err) < 0)
        return -1;
    const char *rest = path + len;
    while (*rest == '/')
        rest++;
    size_t name_len = strcspn(rest, "/");
    _cleanup_free_ char *name = strndup(rest, name_len);
    char target[PATH_MAX];
    ssize_t n = name ? readlinkat(fd, name, target, sizeof(target) - 1) : -1;
    _cleanup_free_ char *next = NULL;
    int r;
    if (n > 0) {
        if (depth >= MAX_SYMLINKS)
            return cradle_error_set(err, ELOOP, "resolving %s: too many symlinks", path);
        target[n] = '\0';
        if (target[0] == '/')
            r = asprintf(&next, "%s/%s", target, rest + name_len);
        else
            r = asprintf(&next, "%s/%s/%s", found, target, rest + name_len);
    } else {
        r = asprintf(&next, "%s/%s", found, rest);
    }
    if (r < 0 || name == NULL) {
        next = NULL;
        return cradle_error_set(err, ENOMEM, "resolving %s", path);
    }
    _cleanup_free_ char *normalized = pp_normalize_path(next);
    if (normalized == NULL)
        return cradle_error_set(err, ENOMEM, "resolving %s", path);
    if (n > 0)
        return resolve_in_rootfs(job, normalized, depth + 1, out, err);
    *out = TAKE_PTR(normalized);
    return 0;
}

/* The bind source, opened as create opens it (relative to the bundle); -1 with *err set
 * when it cannot be opened, or when the mount is not a bind. */
static int open_source(const struct explain_job *job, const struct cradle_spec_mount *m,
                       cradle_error **err)
{
    if (!m->is_bind || m->source == NULL)
        return -1;
    int fd = openat(job->bundle_fd, m->source, O_PATH | O_CLOEXEC);
    if (fd < 0)
        cradle_error_sys(err, "opening the source %s", m->source);
    return fd;
}

/* What the mount is, as the policy sees it: "bind-procfs /proc/sys/kernel/ns_last_pid". */
static void describe_request(const struct pp_request *req, char *out, size_t size)
{
    if (req->kind != PP_KIND_BIND_PROCFS)
        snprintf(out, size, "%s", pp_kind_keyword(req->kind));
    else if (req->source)
        snprintf(out, size, "%s %s", pp_kind_keyword(req->kind), req->source);
    else
        snprintf(out, size, "%s of an unknown procfs file", pp_kind_keyword(req->kind));
}

/* Prints one decision line; *allowed is false when it is denied. */
static void print_decision(size_t index, const char *destination, const char *what,
                           const struct pp_decision *d, bool *allowed)
{
    printf("mounts[%zu] %s (%s): %s", index, destination, what, d->allowed ? "allowed" : "denied");
    if (d->rule)
        printf(" by rule %s (%s)", d->rule->name, d->rule->origin);
    printf(": %s", d->reason);
    if (!d->allowed)
        *allowed = false;
}

/* An rbind: one line for each procfs mounted below its source, which it carries along. */
static int explain_carried(const struct explain_job *job, size_t index, int source_fd,
                           const char *destination, bool *allowed, cradle_error **err)
{
    const struct cradle_spec_mount *m = &job->spec->mounts[index];
    struct cradle_carried_procfs_list carried;
    if (cradle_carried_procfs(m, source_fd, destination, &carried, err) < 0)
        return cradle_error_wrap(err, "mounts[%zu]", index);
    for (size_t i = 0; i < carried.n; i++) {
        const struct cradle_carried_procfs *c = &carried.items[i];
        struct pp_request req = {.destination = c->destination,
                                 .kind = PP_KIND_BIND_PROCFS,
                                 .readonly = c->readonly,
                                 .source = c->source};
        struct pp_decision d;
        pp_decide(job->policy, &req, &job->ctx, &d);
        char what[PATH_MAX + 64];
        describe_request(&req, what, sizeof(what));
        size_t len = strlen(what);
        snprintf(what + len, sizeof(what) - len, ", carried by the rbind of %s at %s", m->source,
                 destination);
        print_decision(index, c->destination, what, &d, allowed);
        putchar('\n');
    }
    cradle_carried_procfs_list_free(&carried);
    return 0;
}

/* Prints the decision for mounts[index] when the policy judges it (or it is written
 * under /proc), and for every procfs it carries as an rbind; *allowed is false when one
 * of them is denied. */
static int explain_mount(const struct explain_job *job, size_t index, bool *allowed,
                         cradle_error **err)
{
    const struct cradle_spec_mount *m = &job->spec->mounts[index];
    if (m->destination == NULL)
        return 0;
    _cleanup_free_ char *absolute = NULL;
    if (asprintf(&absolute, "/%s", m->destination) < 0)
        return cradle_error_set(err, ENOMEM, "mounts[%zu]", index);
    _cleanup_free_ char *lexical = pp_normalize_path(absolute);
    _cleanup_free_ char *resolved = NULL;
    if (lexical == NULL)
        return cradle_error_set(err, ENOMEM, "mounts[%zu]", index);
    if (resolve_in_rootfs(job, lexical, 0, &resolved, err) < 0)
        return cradle_error_wrap(err, "mounts[%zu]", index);

    _cleanup_error_ cradle_error *source_err = NULL;
    _cleanup_close_ int source_fd = open_source(job, m, &source_err);
    _cleanup_free_ char *source_path = NULL;
    struct pp_request req = {.destination = resolved};
    cradle_rootfs_policy_request(m, source_fd, &req, &source_path);
    struct pp_decision d;
    pp_decide(job->policy, &req, &job->ctx, &d);
    if (!d.judged && !pp_path_is_under_proc(lexical))
        return explain_carried(job, index, source_fd, resolved, allowed, err);

    char what[PATH_MAX + 64];
    describe_request(&req, what, sizeof(what));
    print_decision(index, resolved, what, &d, allowed);
    if (strcmp(lexical, resolved) != 0)
        printf(" (destination %s resolves to %s in the rootfs)", m->destination, resolved);
    if (source_err)
        printf(" (%s: %s, judged as kind other)", source_err->msg, strerror(source_err->errnum));
    putchar('\n');
    return explain_carried(job, index, source_fd, resolved, allowed, err);
}

static int explain(const struct global_opts *g, const char *bundle_arg, cradle_error **err)
{
    _cleanup_free_ char *bundle = realpath(bundle_arg, NULL);
    if (bundle == NULL)
        return cradle_error_sys(err, "bundle %s", bundle_arg);
    _cleanup_spec_ struct cradle_spec *spec = NULL;
    if (cradle_spec_load(bundle, &spec, err) < 0)
        return -1;
    _cleanup_close_ int bundle_fd = open(bundle, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (bundle_fd < 0)
        return cradle_error_sys(err, "bundle %s", bundle);
    _cleanup_free_ char *rootfs = NULL;
    if (cradle_bundle_rootfs(bundle, spec, &rootfs, err) < 0)
        return -1;
    _cleanup_close_ int root_fd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root_fd < 0)
        return cradle_error_sys(err, "root.path: opening rootfs %s", rootfs);

    struct pp_policy policy;
    char why[512];
    if (pp_policy_load(&policy, g->proc_policy_file, why, sizeof(why)) < 0)
        return cradle_error_set(err, errno, "proc-policy: %s", why);
    struct explain_job job = {.spec = spec,
                              .policy = &policy,
                              .bundle_fd = bundle_fd,
                              .root_fd = root_fd,
                              .rootfs = rootfs};
    bool allowed = true;
    int r = cradle_policy_context(spec, &job.ctx, err);
    for (size_t i = 0; r == 0 && i < spec->n_mounts; i++)
        r = explain_mount(&job, i, &allowed, err);
    cradle_policy_context_free(&job.ctx);
    pp_policy_free(&policy);
    if (r < 0)
        return -1;
    return allowed ? 0 : 1;
}

int cmd_policy(const struct global_opts *g, int argc, char **argv, cradle_error **err)
{
    static const struct option opts[] = {
        {"bundle", required_argument, NULL, 'b'},
        {0, 0, 0, 0},
    };
    if (wants_help(argc, argv, usage))
        return 0;
    if (argc < 2 || strcmp(argv[1], "explain") != 0)
        return cradle_error_set(err, EINVAL, "usage: cradle policy explain [--bundle DIR]");
    const char *bundle = ".";
    int c;
    opterr = 0;
    optind = 2;
    while ((c = getopt_long(argc, argv, "+b:", opts, NULL)) != -1) {
        if (c != 'b')
            return cradle_error_set(err, EINVAL, "flag provided but not defined: %s",
                                    argv[optind - 1]);
        bundle = optarg;
    }
    if (optind != argc)
        return cradle_error_set(err, EINVAL, "\"policy explain\" takes no arguments");
    int r = explain(g, bundle, err);
    return r < 0 ? 1 : r;
}
