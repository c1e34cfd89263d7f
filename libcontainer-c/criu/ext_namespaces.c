#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>

#include "cradle/criu.h"

/* CLONE_NEWTIME may be missing from older headers. */
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

struct ns_name {
    int type;
    const char *criu; /* criu's name for it */
    const char *key;  /* the key runc uses for an external one */
};

static const struct ns_name names[] = {
    {CLONE_NEWNET, "net", "extRootNetNS"}, {CLONE_NEWPID, "pid", "extRootPidNS"},
    {CLONE_NEWIPC, "ipc", NULL},           {CLONE_NEWUTS, "uts", NULL},
    {CLONE_NEWUSER, "user", NULL},         {CLONE_NEWTIME, "time", NULL},
    {CLONE_NEWCGROUP, "cgroup", NULL},
};

static const struct ns_name *name_of(int type)
{
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].type == type)
            return &names[i];
    return NULL;
}

int criu_add_dump_namespaces(struct criu_args *a, const struct cradle_spec *spec,
                             cradle_error **err)
{
    for (size_t i = 0; i < spec->linux_.n_namespaces; i++) {
        const struct cradle_spec_namespace *ns = &spec->linux_.namespaces[i];
        const struct ns_name *name = name_of(ns->type);
        /* Refused before the dump, which ends the container: its restore would fail
         * (criu cannot join these; measured for a user namespace), and it would be lost. */
        if (ns->path && (ns->type == CLONE_NEWCGROUP || ns->type == CLONE_NEWUSER))
            return cradle_error_set(err, ENOTSUP,
                                    "linux.namespaces[%zu]: criu cannot restore into a %s "
                                    "namespace joined by path: not checkpointed",
                                    i, name->criu);
        if (ns->path == NULL || name == NULL || name->key == NULL)
            continue;
        struct stat st;
        if (stat(ns->path, &st) < 0)
            return cradle_error_sys(err, "linux.namespaces[%zu].path %s", i, ns->path);
        if (criu_args_add(a, "--external", err) < 0 ||
            criu_args_addf(a, err, "%s[%llu]:%s", name->criu, (unsigned long long)st.st_ino,
                           name->key) < 0)
            return -1;
    }
    return 0;
}

int criu_add_restore_namespaces(struct criu_args *a, const struct cradle_spec *spec, int *fds,
                                size_t max_fds, size_t *n_fds, cradle_error **err)
{
    for (size_t i = 0; i < spec->linux_.n_namespaces; i++) {
        const struct cradle_spec_namespace *ns = &spec->linux_.namespaces[i];
        const struct ns_name *name = name_of(ns->type);
        if (ns->path == NULL || name == NULL)
            continue;
        if (ns->type == CLONE_NEWCGROUP)
            return cradle_error_set(err, ENOTSUP,
                                    "linux.namespaces[%zu]: criu cannot restore into a cgroup "
                                    "namespace joined by path",
                                    i);
        if (name->key == NULL) {
            if (criu_args_add(a, "--join-ns", err) < 0 ||
                criu_args_addf(a, err, "%s:%s", name->criu, ns->path) < 0)
                return -1;
            continue;
        }
        if (*n_fds >= max_fds)
            return cradle_error_set(err, E2BIG, "linux.namespaces: too many to inherit");
        /* criu gets the fd across exec (criu_run keeps it open) under the same number. */
        int fd = open(ns->path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return cradle_error_sys(err, "linux.namespaces[%zu].path %s", i, ns->path);
        fds[(*n_fds)++] = fd;
        if (criu_args_add(a, "--inherit-fd", err) < 0 ||
            criu_args_addf(a, err, "fd[%d]:%s", fd, name->key) < 0)
            return -1;
    }
    return 0;
}
