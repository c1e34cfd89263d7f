/* The small stages of the container's init (init_stages.c). */
#ifndef CRADLE_INIT_STAGES_H
#define CRADLE_INIT_STAGES_H

#include "cradle/process.h"

/* The child's log lines (warnings, debug) go to the parent over ctx->sync_fd, which logs
 * them: the runtime's --log descriptor is closed in the child. */
void cradle_init_forward_logs(const struct cradle_init_ctx *ctx);

/* setns() into the namespaces the spec names by path (user first). */
int cradle_init_join_namespaces(const struct cradle_init_ctx *ctx, cradle_error **err);

/* Waits for the parent's SYNC_GO (id maps written, cgroups joined). With rootless_maps,
 * first becomes dumpable and asks for the maps (SYNC_ID_MAPS), as runc's nsexec does: an
 * unprivileged parent, and newuidmap, can only open the /proc files of a dumpable process.
 * It is non-dumpable again before going on (init_rootless.c). */
int cradle_init_wait_for_go(const struct cradle_init_ctx *ctx, cradle_error **err);

/* In a new user namespace: become uid/gid 0 of it (mapped by the parent). */
int cradle_init_become_root(const struct cradle_init_ctx *ctx, cradle_error **err);

/* hostname and domainname; they need the container's own UTS namespace. */
int cradle_init_set_names(const struct cradle_init_ctx *ctx, cradle_error **err);

/* A fresh session keyring named after the container, unless --no-new-keyring. */
int cradle_init_session_keyring(const struct cradle_init_ctx *ctx, cradle_error **err);

/* linux.sysctl, written under the container's /proc/sys. */
int cradle_init_apply_sysctls(const struct cradle_spec *spec, cradle_error **err);

/* Sets HOME, when the environment has none (or an empty one), as runc does: the home of
 * uid's first entry in the container's /etc/passwd, else "/". Runs after pivot_root. */
int cradle_init_set_home(uid_t uid, cradle_error **err);

/* As runc's init before execve: every signal disposition back to its default (a caller
 * that ignores SIGHUP or SIGPIPE must not pass that on) and no signal blocked. */
void cradle_init_reset_signals(void);

/* Adds search permission on the session keyring SERIAL: for its user, or for "other" with a
 * user namespace (keyring_perm.c). */
int cradle_keyring_allow_search(long serial, bool userns, cradle_error **err);

/* With a new time namespace: unshare it, write linux.timeOffsets, enter it (init_timens.c).
 * Runs before the init becomes its user namespace's root. */
int cradle_init_time_namespace(const struct cradle_init_ctx *ctx, cradle_error **err);

/* PR_SET_DUMPABLE for the init's own /proc files, which a rootless caller must reach while
 * it writes them (id maps, time offsets); err may be NULL to keep an earlier error. */
int cradle_init_set_dumpable(int on, cradle_error **err);

/* linux.personality (personality.c) and linux.memoryPolicy (mempolicy.c), for the init and
 * exec alike. */
int cradle_process_set_personality(const struct cradle_spec_personality *pers, cradle_error **err);
int cradle_process_set_mempolicy(const struct cradle_spec_memory_policy *mp, cradle_error **err);

#endif
