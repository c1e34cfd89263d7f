/* exec's pieces (exec*.c), private to container/ and its unit tests. */
#ifndef CRADLE_EXEC_INTERNAL_H
#define CRADLE_EXEC_INTERNAL_H

#include "cradle/container.h"
#include "cradle/spec.h"

/* The process exec runs, in spec->process (spec: the container's config copy): the
 * --process file's, or config.process with the flags on top as runc's getProcess puts
 * them (args, cwd, env replaced by key or appended, user, additional gids, caps added as
 * runc adds them, no_new_privs, terminal = -t). LSM labels are refused as create refuses
 * them. */
int cradle_exec_build_process(const struct cradle_exec_opts *opts, struct cradle_spec *spec,
                              cradle_error **err);

/* One --cgroup argument: the sub-cgroup path for a controller ("" for every hierarchy). */
struct cradle_exec_subcgroup {
    char *controller;
    char *path;
};

/* Parses the --cgroup arguments (NULL-terminated) as runc 1.1 does: PATH alone (only as
 * the one argument) or CTRL[,CTRL]:PATH; a later entry for the same controller wins, and
 * an empty controller means every hierarchy. *subs is NULL when there are none. */
int cradle_exec_parse_subcgroups(char *const *args, struct cradle_exec_subcgroup **subs,
                                 size_t *n_subs, cradle_error **err);
void cradle_exec_subcgroups_free(struct cradle_exec_subcgroup *subs, size_t n_subs);

/* For an unprivileged caller and a container with a user namespace, or a runtime run in a
 * user namespace (rootless Podman's): joins the init's user namespace (if it has one), and
 * its pid and time namespaces for the children, for good (exec_rootless.c); *joined is
 * what was joined (0 for root of the initial namespace). */
int cradle_exec_rootless_join(int init_pidfd, unsigned long ns_flags, unsigned long *joined,
                              cradle_error **err);

/* For each of cg's directories, an O_DIRECTORY fd of it or of the sub-cgroup asked for
 * it, opened beneath it (".." or anything that leaves it is refused); fds has cg->n_dirs
 * entries, -1 where nothing was opened (the caller closes the others, even on failure). */
struct cradle_cgroup;
int cradle_exec_open_cgroup_dirs(const struct cradle_cgroup *cg,
                                 const struct cradle_exec_subcgroup *subs, size_t n_subs, int *fds,
                                 cradle_error **err);

#endif
