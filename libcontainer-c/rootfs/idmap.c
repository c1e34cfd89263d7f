/* Id-mapped binds, as runc 1.2 makes them: the parent's detached clone of the source
 * (open_tree) gets the mount's mapping with mount_setattr(MOUNT_ATTR_IDMAP), which takes
 * it from a user namespace. A mount without mappings of its own takes the container's
 * user namespace (opened when joined by path); one with its own gets a namespace made for
 * it by a throwaway child that only waits for the parent to write its maps and open it:
 * the namespace lives on in the fd. One namespace serves every mount of the same mapping. */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/id_map.h"
#include "rootfs_internal.h"

#ifndef MOUNT_ATTR_IDMAP
#define MOUNT_ATTR_IDMAP 0x00100000
#endif

static bool same_maps(const struct cradle_spec_id_mapping *a, size_t n_a,
                      const struct cradle_spec_id_mapping *b, size_t n_b)
{
    return n_a == n_b && (n_a == 0 || memcmp(a, b, n_a * sizeof(*a)) == 0);
}

static bool same_mapping(const struct cradle_spec_mount *a, const struct cradle_spec_mount *b)
{
    return same_maps(a->uid_mappings, a->n_uid_mappings, b->uid_mappings, b->n_uid_mappings) &&
           same_maps(a->gid_mappings, a->n_gid_mappings, b->gid_mappings, b->n_gid_mappings);
}

static void reap(pid_t pid)
{
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
}

static int open_userns_of(pid_t pid, const struct cradle_spec_mount *m, cradle_error **err)
{
    if (cradle_write_id_map(pid, "uid_map", m->uid_mappings, m->n_uid_mappings, "uidMappings",
                            err) < 0 ||
        cradle_write_id_map(pid, "gid_map", m->gid_mappings, m->n_gid_mappings, "gidMappings",
                            err) < 0)
        return -1;
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/ns/user", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return cradle_error_sys(err, "opening %s", path);
    return fd;
}

/* A new user namespace with M's uidMappings and gidMappings. */
static int new_userns(const struct cradle_spec_mount *m, cradle_error **err)
{
    int hold[2];
    if (pipe2(hold, O_CLOEXEC) < 0)
        return cradle_error_sys(err, "pipe for an id-mapping user namespace");
    struct clone_args args = {.flags = CLONE_NEWUSER, .exit_signal = SIGCHLD};
    pid_t pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
    if (pid == 0) {
        /* Waits for the parent's end to close (or the parent to die), nothing else. */
        char byte;
        close(hold[1]);
        while (read(hold[0], &byte, 1) < 0 && errno == EINTR)
            ;
        _exit(0);
    }
    close(hold[0]);
    if (pid < 0) {
        close(hold[1]);
        return cradle_error_sys(err, "clone3 of an id-mapping user namespace");
    }
    int fd = open_userns_of(pid, m, err);
    close(hold[1]);
    reap(pid);
    return fd;
}

/* The user namespace for mount INDEX; *owned tells the caller to close it. */
static int userns_for(const struct cradle_spec *spec, size_t index, int *cache, bool *owned,
                      cradle_error **err)
{
    const struct cradle_spec_mount *m = &spec->mounts[index];
    *owned = true;
    if (m->uid_mappings == NULL && m->gid_mappings == NULL) {
        const struct cradle_spec_namespace *ns = cradle_spec_find_namespace(spec, CLONE_NEWUSER);
        if (ns && ns->path) {
            int fd = open(ns->path, O_RDONLY | O_CLOEXEC);
            if (fd < 0)
                return cradle_error_sys(err, "opening the user namespace %s", ns->path);
            return fd;
        }
        /* The container's own mappings, as runc 1.2 fills them in. */
        struct cradle_spec_mount container = {
            .uid_mappings = spec->linux_.uid_mappings,
            .n_uid_mappings = spec->linux_.n_uid_mappings,
            .gid_mappings = spec->linux_.gid_mappings,
            .n_gid_mappings = spec->linux_.n_gid_mappings,
        };
        return new_userns(&container, err);
    }
    *owned = false;
    for (size_t i = 0; i < index; i++) {
        if (cache[i] >= 0 && same_mapping(&spec->mounts[i], m)) {
            cache[index] = cache[i];
            return cache[index];
        }
    }
    return cache[index] = new_userns(m, err);
}

int rootfs_idmap_tree(const struct cradle_spec *spec, size_t index, int tree, int *cache,
                      cradle_error **err)
{
    const struct cradle_spec_mount *m = &spec->mounts[index];
    bool owned;
    int userns = userns_for(spec, index, cache, &owned, err);
    if (userns < 0)
        return -1;
    struct mount_attr attr = {.attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t)userns};
    unsigned int flags = AT_EMPTY_PATH | (m->idmap_recursive ? AT_RECURSIVE : 0);
    int r = mount_setattr(tree, "", flags, &attr, sizeof(attr));
    int saved = errno;
    if (owned)
        close(userns);
    if (r < 0) {
        errno = saved;
        return cradle_error_sys(err, "failed to set MOUNT_ATTR_IDMAP on %s%s", m->source,
                                saved == EINVAL ? " (maybe the filesystem used doesn't support "
                                                  "idmap mounts on this kernel?)"
                                                : "");
    }
    return 0;
}

void rootfs_idmap_cache_close(int *cache, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (cache[i] < 0)
            continue;
        bool shared = false;
        for (size_t j = 0; j < i && !shared; j++)
            shared = cache[j] == cache[i];
        if (!shared)
            close(cache[i]);
    }
}
