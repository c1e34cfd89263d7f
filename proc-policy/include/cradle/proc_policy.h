/* The proc-mount policy: which mounts may reach procfs inside a container: every mount at
 * or under /proc, every fresh procfs wherever it goes, and every bind whose source is on
 * procfs wherever it goes. A policy is an ordered list of rules; the decision is a pure
 * function of the policy, the mount request and the container's context, so it can be
 * tested exhaustively and explained. This library depends on nothing else in cradle. */
#ifndef CRADLE_PROC_POLICY_H
#define CRADLE_PROC_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What kind of mount is being made (exactly one bit per request, any set per rule). */
enum pp_kind {
    PP_KIND_PROC = 1u << 0,        /* a fresh procfs (type "proc") */
    PP_KIND_BIND_PROCFS = 1u << 1, /* a bind mount whose source is on procfs */
    PP_KIND_BIND_FUSE = 1u << 2,   /* a bind mount whose source is on FUSE (lxcfs) */
    PP_KIND_TMPFS = 1u << 3,       /* a tmpfs */
    PP_KIND_OTHER = 1u << 4,       /* anything else: never allowed under /proc */
};

enum pp_access {
    PP_ACCESS_RO = 1u << 0,
    PP_ACCESS_RW = 1u << 1,
};

enum pp_gate_type {
    PP_GATE_CAP_BOUNDING, /* capability `cap` is in the bounding set */
    PP_GATE_USERNS,       /* the container has its own user namespace */
    PP_GATE_PIDNS,        /* the container has its own pid namespace */
    PP_GATE_ANNOTATION,   /* annotation `key` is present (with `value`, when not NULL) */
};

struct pp_gate {
    enum pp_gate_type type;
    int cap;     /* PP_GATE_CAP_BOUNDING */
    char *key;   /* PP_GATE_ANNOTATION */
    char *value; /* PP_GATE_ANNOTATION; NULL = any value */
};

struct pp_rule {
    char *name;
    char *destination; /* normalised absolute path; outside /proc only for proc and
                          bind-procfs kinds, the only mounts judged there */
    bool prefix;       /* matches destination and everything below it */
    bool deny;         /* a matching deny rule refuses the mount */
    unsigned kinds;    /* enum pp_kind bits */
    unsigned access;   /* enum pp_access bits */
    /* The procfs file or directory a bind from procfs must have as its source, written as
     * where it shows in a procfs mounted at /proc ("/proc" is the root of a procfs). NULL:
     * the same path as the mount's destination (the procfs's own file at that place). */
    char *source;
    struct pp_gate *gates;
    size_t n_gates;
    char *origin; /* "built-in" or "file:line" */
};

struct pp_policy {
    struct pp_rule *rules;
    size_t n_rules;
};

/* A mount as the policy sees it. */
struct pp_request {
    const char *destination; /* absolute path inside the rootfs, symlinks already resolved */
    enum pp_kind kind;
    bool readonly;
    /* PP_KIND_BIND_PROCFS: which procfs file or directory the opened source is, written
     * as in a procfs mounted at /proc ("/proc/sys/kernel/ns_last_pid", "/proc" for the
     * root); NULL when it could not be told (then no rule allows the bind). */
    const char *source;
};

/* The container's side of the gates. */
struct pp_context {
    uint64_t bounding; /* bit n = capability n */
    bool own_userns;
    bool own_pidns;
    const char *const *annotation_keys; /* n_annotations entries each */
    const char *const *annotation_values;
    size_t n_annotations;
};

struct pp_decision {
    bool allowed;
    bool judged;                /* false: the mount neither lands under /proc nor reaches procfs */
    const struct pp_rule *rule; /* the rule that decided, NULL when none matched */
    char reason[512];           /* one line, e.g. "mount of /proc/sys/kernel/ns_last_pid denied:
                                   rule ns_last_pid requires CAP_CHECKPOINT_RESTORE in
                                   process.capabilities.bounding" */
};

/* Lexically normalises an absolute path: collapses "//", removes "." and trailing
 * slashes, resolves ".." (never above "/"). Returns a new string, or NULL on ENOMEM or
 * a relative path. */
char *pp_normalize_path(const char *path);

/* true when the normalised path is /proc or below it: the mounts the policy judges. */
bool pp_path_is_under_proc(const char *normalized);

/* Decides one mount. A mount is judged when its destination is under /proc, when it is a
 * fresh procfs, or when it is a bind from procfs; any other mount is allowed without a
 * rule (judged false). The most specific matching rule (exact beats prefix, longer prefix
 * beats shorter) decides; among equals a deny rule wins. No matching rule: denied. A bind
 * from procfs is allowed only when its source is the procfs file the rule names. */
void pp_decide(const struct pp_policy *policy, const struct pp_request *req,
               const struct pp_context *ctx, struct pp_decision *out);

/* The built-in rules: at /proc a fresh proc or a bind of the root of a procfs (what runc
 * allows there); runc's lxcfs-style files as FUSE binds; /proc/sys/kernel/ns_last_pid
 * (bind of the procfs's own ns_last_pid, ro or rw) gated on CAP_CHECKPOINT_RESTORE in the
 * bounding set. Returns 0, or -1 on ENOMEM. */
int pp_policy_builtin(struct pp_policy *out);

void pp_policy_free(struct pp_policy *policy);

const char *pp_kind_name(enum pp_kind kind);

/* Policy files (format: docs/proc-policy.5.md). The functions below return 0, or -1 with
 * errno set and `why` holding one line that names file:line and what is wrong. This
 * library reports through a message buffer, like pp_decision.reason, so that it keeps
 * depending on nothing else in cradle; callers turn it into their own error. */

/* The system policy: DIR/proc-policy.conf, then every DIR/proc-policy.d/NAME.conf in
 * lexical order. */
#define PP_SYSTEM_DIR "/etc/cradle"
/* Replaces PP_SYSTEM_DIR so that tests never write to /etc, only in a build configured
 * with -DCRADLE_TESTING=ON: the security policy of an installed cradle does not move with
 * the environment. */
#define PP_SYSTEM_DIR_ENV "CRADLE_PROC_POLICY_DIR"

/* Parses policy text (LEN bytes, need not be NUL-terminated) and applies it to POLICY in
 * order: a rule replaces the one of the same name (and moves last), "remove" deletes one.
 * SOURCE names the text in messages and origins ("SOURCE:LINE"). On error POLICY is left
 * as it was. */
int pp_policy_apply_text(struct pp_policy *policy, const char *text, size_t len, const char *source,
                         char *why, size_t why_size);

/* pp_policy_apply_text on the contents of PATH, which must be a regular file (a symlink to
 * one is followed; a dangling symlink, a FIFO, a directory or a device is an error naming
 * PATH, and opening never blocks). */
int pp_policy_apply_file(struct pp_policy *policy, const char *path, char *why, size_t why_size);

/* The effective policy: the built-in rules, then POLICY_FILE when it is not NULL (it
 * replaces the system files), else the system files under SYSTEM_DIR (a file or directory
 * that does not exist is fine; one that exists but cannot be read, a dangling symlink
 * included, is an error). On error *out is empty. */
int pp_policy_load_from(struct pp_policy *out, const char *system_dir, const char *policy_file,
                        char *why, size_t why_size);

/* pp_policy_load_from with PP_SYSTEM_DIR (or, in a CRADLE_TESTING build only,
 * $CRADLE_PROC_POLICY_DIR when it is set). */
int pp_policy_load(struct pp_policy *out, const char *policy_file, char *why, size_t why_size);

/* true when a mount of KIND at the normalised destination DEST is judged by the policy:
 * DEST is under /proc, or KIND is a fresh proc or a bind from procfs. */
bool pp_mount_is_judged(const char *dest, enum pp_kind kind);

/* The word policy files use for a kind: "proc", "bind-procfs", "bind-fuse", "tmpfs". */
const char *pp_kind_keyword(enum pp_kind kind);

/* A gate as policy files write it: "cap:CAP_X", "userns", "pidns", "annotation:K=V". */
void pp_format_gate(const struct pp_gate *gate, char *out, size_t size);

/* The kind of a bind mount from its opened source (an O_PATH fd is enough): procfs, FUSE,
 * or other, judged by fstatfs() of the file itself, never by its path. */
enum pp_kind pp_bind_source_kind(int source_fd);

#endif
