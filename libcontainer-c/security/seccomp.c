/* Builds and loads the libseccomp filter linux.seccomp describes, following runc's
 * rules: unknown syscall names are skipped, a rule repeating the default action is
 * skipped (libseccomp refuses it), and conditions on one argument index repeated within
 * a rule become one rule per condition. As runc, the program libseccomp generates gets
 * the -ENOSYS stub of seccomp_enosys.c in front and is loaded with seccomp(2) itself. */
#include "cradle/seccomp.h"

#include <ctype.h>
#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "seccomp_internal.h"

#define SYSCALL_MAX_ARGS 6
/* runc's threshold for libseccomp's binary-tree layout (2.5.x misbehaves with no rules). */
#define BINARY_TREE_MIN_RULES 32

/* The program to load, built while an error can still fail `create`. */
struct cradle_seccomp_filter {
    struct sock_filter *prog;
    size_t len;
    unsigned kernel_flags; /* SECCOMP_FILTER_FLAG_* */
};

#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

static void release_ctx(scmp_filter_ctx *ctx)
{
    if (*ctx != NULL)
        seccomp_release(*ctx);
}

static uint32_t action_value(enum cradle_seccomp_action action, bool has_errno_ret,
                             uint32_t errno_ret)
{
    uint16_t ret = has_errno_ret ? (uint16_t)errno_ret : EPERM;
    switch (action) {
    case CRADLE_SECCOMP_ACT_KILL_THREAD:
        return SCMP_ACT_KILL_THREAD;
    case CRADLE_SECCOMP_ACT_KILL_PROCESS:
        return SCMP_ACT_KILL_PROCESS;
    case CRADLE_SECCOMP_ACT_TRAP:
        return SCMP_ACT_TRAP;
    case CRADLE_SECCOMP_ACT_ERRNO:
        return SCMP_ACT_ERRNO(ret);
    case CRADLE_SECCOMP_ACT_TRACE:
        return SCMP_ACT_TRACE(ret);
    case CRADLE_SECCOMP_ACT_ALLOW:
        return SCMP_ACT_ALLOW;
    case CRADLE_SECCOMP_ACT_LOG:
        return SCMP_ACT_LOG;
    case CRADLE_SECCOMP_ACT_NOTIFY:
        return SCMP_ACT_NOTIFY;
    }
    return SCMP_ACT_KILL_PROCESS; /* not reached: the switch covers every action */
}

static enum scmp_compare compare_op(enum cradle_seccomp_op op)
{
    switch (op) {
    case CRADLE_SECCOMP_OP_NE:
        return SCMP_CMP_NE;
    case CRADLE_SECCOMP_OP_LT:
        return SCMP_CMP_LT;
    case CRADLE_SECCOMP_OP_LE:
        return SCMP_CMP_LE;
    case CRADLE_SECCOMP_OP_EQ:
        return SCMP_CMP_EQ;
    case CRADLE_SECCOMP_OP_GE:
        return SCMP_CMP_GE;
    case CRADLE_SECCOMP_OP_GT:
        return SCMP_CMP_GT;
    case CRADLE_SECCOMP_OP_MASKED_EQ:
        return SCMP_CMP_MASKED_EQ;
    }
    return _SCMP_CMP_MIN; /* not reached; libseccomp rejects it */
}

/* libseccomp returns -errno; the message then ends with strerror of it. */
#define LIBSECCOMP_ERROR(r, err, ...)                                                              \
    ({                                                                                             \
        errno = -(r);                                                                              \
        cradle_error_sys((err), __VA_ARGS__);                                                      \
    })

static const char *libseccomp_version(void)
{
    static char text[32];
    const struct scmp_version *v = seccomp_version();
    snprintf(text, sizeof(text), "%u.%u.%u", v->major, v->minor, v->micro);
    return text;
}

uint32_t seccomp_arch_token(const char *oci_name)
{
    const char *prefix = "SCMP_ARCH_";
    char name[32];
    if (strncmp(oci_name, prefix, strlen(prefix)) != 0 ||
        strlen(oci_name) - strlen(prefix) >= sizeof(name))
        return 0;
    size_t len = strlen(oci_name) - strlen(prefix);
    for (size_t i = 0; i <= len; i++)
        name[i] = (char)tolower((unsigned char)oci_name[strlen(prefix) + i]);
    return seccomp_arch_resolve_name(name);
}

/* libseccomp's probe: seccomp(2) checks the flags before it reads the program, so a NULL
 * program fails with EFAULT for flags it takes and EINVAL for others; nothing is loaded.
 * WAIT_KILLABLE_RECV is only taken beside a listener. */
bool cradle_seccomp_flag_supported(const char *oci_name)
{
    static const struct {
        const char *name;
        unsigned long flags;
    } probes[] = {
        {"SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC},
        {"SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG},
        {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW},
        {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
         SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV},
    };
    for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
        if (strcmp(probes[i].name, oci_name) == 0)
            return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, probes[i].flags, NULL) < 0 &&
                   errno == EFAULT;
    return false;
}

bool cradle_seccomp_arch_known(const char *oci_name)
{
    return seccomp_arch_token(oci_name) != 0;
}

int cradle_seccomp_check_supported(const struct cradle_spec_seccomp *sc, cradle_error **err)
{
    for (size_t i = 0; i < sc->n_architectures; i++)
        if (seccomp_arch_token(sc->architectures[i]) == 0)
            return cradle_error_set(err, ENOTSUP,
                                    "linux.seccomp.architectures: %s is not supported by "
                                    "libseccomp %s",
                                    sc->architectures[i], libseccomp_version());
    return 0;
}

/* The validation pass checked that libseccomp knows the architecture. */
static int add_architecture(scmp_filter_ctx ctx, const char *oci_name, cradle_error **err)
{
    int r = seccomp_arch_add(ctx, seccomp_arch_token(oci_name));
    if (r < 0 && r != -EEXIST) /* the native architecture is always there */
        return LIBSECCOMP_ERROR(r, err, "linux.seccomp.architectures: adding %s", oci_name);
    return 0;
}

static int set_attribute(scmp_filter_ctx ctx, enum scmp_filter_attr attr, const char *flag,
                         cradle_error **err)
{
    int r = seccomp_attr_set(ctx, attr, 1);
    return r < 0 ? LIBSECCOMP_ERROR(r, err, "linux.seccomp.flags: setting %s", flag) : 0;
}

static int set_flags(scmp_filter_ctx ctx, unsigned flags, cradle_error **err)
{
    if ((flags & CRADLE_SECCOMP_FLAG_TSYNC) &&
        set_attribute(ctx, SCMP_FLTATR_CTL_TSYNC, "SECCOMP_FILTER_FLAG_TSYNC", err) < 0)
        return -1;
    if ((flags & CRADLE_SECCOMP_FLAG_LOG) &&
        set_attribute(ctx, SCMP_FLTATR_CTL_LOG, "SECCOMP_FILTER_FLAG_LOG", err) < 0)
        return -1;
    if ((flags & CRADLE_SECCOMP_FLAG_SPEC_ALLOW) &&
        set_attribute(ctx, SCMP_FLTATR_CTL_SSB, "SECCOMP_FILTER_FLAG_SPEC_ALLOW", err) < 0)
        return -1;
    return 0;
}

/* runc: if two conditions test the same argument, each condition becomes its own rule
 * (an OR); otherwise all conditions form one rule (an AND). */
static bool repeats_an_index(const struct cradle_spec_seccomp_syscall *call)
{
    unsigned seen[SYSCALL_MAX_ARGS] = {0};
    for (size_t i = 0; i < call->n_args; i++) {
        if (++seen[call->args[i].index] > 1)
            return true;
    }
    return false;
}

static int add_rules_for_name(scmp_filter_ctx ctx, const struct cradle_spec_seccomp_syscall *call,
                              uint32_t action, const struct scmp_arg_cmp *conds, size_t index,
                              const char *name, cradle_error **err)
{
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR)
        return 0; /* not a syscall this libseccomp knows: skipped, as runc does */
    int r = 0;
    if (call->n_args == 0 || !repeats_an_index(call)) {
        r = seccomp_rule_add_array(ctx, action, nr, (unsigned)call->n_args, conds);
    } else {
        for (size_t i = 0; i < call->n_args && r == 0; i++)
            r = seccomp_rule_add_array(ctx, action, nr, 1, &conds[i]);
    }
    if (r < 0)
        return LIBSECCOMP_ERROR(r, err, "linux.seccomp.syscalls[%zu]: adding the rule for %s",
                                index, name);
    return 0;
}

static int add_syscall_rules(scmp_filter_ctx ctx, const struct cradle_spec_seccomp_syscall *call,
                             size_t index, uint32_t default_action, cradle_error **err)
{
    uint32_t action = action_value(call->action, call->has_errno_ret, call->errno_ret);
    if (action == default_action)
        return 0;
    _cleanup_free_ struct scmp_arg_cmp *conds = calloc(call->n_args + 1, sizeof(*conds));
    if (conds == NULL)
        return cradle_error_sys(err, "linux.seccomp.syscalls[%zu]: allocating conditions", index);
    for (size_t i = 0; i < call->n_args; i++) {
        const struct cradle_spec_seccomp_arg *arg = &call->args[i];
        conds[i] = (struct scmp_arg_cmp){.arg = arg->index,
                                         .op = compare_op(arg->op),
                                         .datum_a = arg->value,
                                         .datum_b = arg->value_two};
    }
    for (size_t i = 0; i < call->n_names; i++) {
        if (add_rules_for_name(ctx, call, action, conds, index, call->names[i], err) < 0)
            return -1;
    }
    return 0;
}

static int build_into(scmp_filter_ctx ctx, const struct cradle_spec_seccomp *sc,
                      uint32_t default_action, cradle_error **err)
{
    /* no_new_privs is process.noNewPrivileges' business, not the filter's. */
    int r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
    if (r < 0)
        return LIBSECCOMP_ERROR(r, err, "linux.seccomp: clearing the no_new_privs attribute");
    for (size_t i = 0; i < sc->n_architectures; i++) {
        if (add_architecture(ctx, sc->architectures[i], err) < 0)
            return -1;
    }
    if (set_flags(ctx, sc->flags, err) < 0)
        return -1;
    /* Only a faster filter: a libseccomp without it still builds a correct one. */
    if (sc->n_syscalls > BINARY_TREE_MIN_RULES)
        seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
    for (size_t i = 0; i < sc->n_syscalls; i++) {
        if (add_syscall_rules(ctx, &sc->syscalls[i], i, default_action, err) < 0)
            return -1;
    }
    return 0;
}

/* seccomp(2) loads the program, so the flags go to the kernel as they are, whatever the
 * libseccomp. As runc: a listener when any rule notifies (even one whose syscalls this
 * libseccomp does not know). WAIT_KILLABLE_RECV means something only with a listener
 * (the kernel refuses it without one), and TSYNC needs TSYNC_ESRCH beside one. */
static unsigned kernel_flags(const struct cradle_spec_seccomp *sc)
{
    unsigned out = 0;
    bool listener = cradle_seccomp_notifies(sc);
    if (sc->flags & CRADLE_SECCOMP_FLAG_TSYNC)
        out |= SECCOMP_FILTER_FLAG_TSYNC | (listener ? SECCOMP_FILTER_FLAG_TSYNC_ESRCH : 0);
    if (sc->flags & CRADLE_SECCOMP_FLAG_LOG)
        out |= SECCOMP_FILTER_FLAG_LOG;
    if (sc->flags & CRADLE_SECCOMP_FLAG_SPEC_ALLOW)
        out |= SECCOMP_FILTER_FLAG_SPEC_ALLOW;
    if (listener)
        out |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
    if (listener && (sc->flags & CRADLE_SECCOMP_FLAG_WAIT_KILLABLE_RECV))
        out |= SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
    return out;
}

/* libseccomp's program, through a memfd (libseccomp 2.5 only exports to an fd). */
static int export_program(scmp_filter_ctx ctx, struct sock_filter **out, size_t *n_out,
                          cradle_error **err)
{
    _cleanup_close_ int fd = memfd_create("cradle-seccomp", MFD_CLOEXEC);
    if (fd < 0)
        return cradle_error_sys(err, "linux.seccomp: memfd for the filter");
    int r = seccomp_export_bpf(ctx, fd);
    if (r < 0)
        return LIBSECCOMP_ERROR(r, err, "linux.seccomp: exporting the filter");
    struct stat st;
    if (fstat(fd, &st) < 0)
        return cradle_error_sys(err, "linux.seccomp: reading the filter");
    size_t len = (size_t)st.st_size / sizeof(struct sock_filter);
    _cleanup_free_ struct sock_filter *prog = calloc(len + 1, sizeof(*prog));
    if (prog == NULL)
        return cradle_error_sys(err, "linux.seccomp: reading the filter");
    if (pread(fd, prog, len * sizeof(*prog), 0) != (ssize_t)(len * sizeof(*prog)))
        return cradle_error_sys(err, "linux.seccomp: reading the filter");
    *out = TAKE_PTR(prog);
    *n_out = len;
    return 0;
}

/* The stub first, then libseccomp's program. */
static int assemble(const struct cradle_spec_seccomp *sc, scmp_filter_ctx ctx,
                    struct cradle_seccomp_filter *filter, cradle_error **err)
{
    _cleanup_free_ struct sock_filter *stub = NULL, *prog = NULL;
    size_t n_stub = 0, n_prog = 0;
    if (seccomp_enosys_stub(sc, &stub, &n_stub, err) < 0 ||
        export_program(ctx, &prog, &n_prog, err) < 0)
        return -1;
    if (n_stub + n_prog > BPF_MAXINSNS)
        return cradle_error_set(err, EINVAL,
                                "linux.seccomp: the filter has %zu instructions, more than the "
                                "kernel's %d",
                                n_stub + n_prog, BPF_MAXINSNS);
    filter->prog = calloc(n_stub + n_prog, sizeof(*filter->prog));
    if (filter->prog == NULL)
        return cradle_error_sys(err, "linux.seccomp: allocating the filter");
    if (n_stub > 0)
        memcpy(filter->prog, stub, n_stub * sizeof(*stub));
    memcpy(filter->prog + n_stub, prog, n_prog * sizeof(*prog));
    filter->len = n_stub + n_prog;
    filter->kernel_flags = kernel_flags(sc);
    return 0;
}

int cradle_seccomp_build(const struct cradle_spec_seccomp *sc, struct cradle_seccomp_filter **out,
                         cradle_error **err)
{
    uint32_t default_action =
        action_value(sc->default_action, sc->has_default_errno_ret, sc->default_errno_ret);
    _cleanup_seccomp_filter_ struct cradle_seccomp_filter *filter = calloc(1, sizeof(*filter));
    if (filter == NULL)
        return cradle_error_sys(err, "linux.seccomp: allocating the filter");
    __attribute__((cleanup(release_ctx))) scmp_filter_ctx ctx = seccomp_init(default_action);
    if (ctx == NULL)
        return cradle_error_set(err, EINVAL,
                                "linux.seccomp.defaultAction: libseccomp %s refused it",
                                libseccomp_version());
    if (build_into(ctx, sc, default_action, err) < 0 || assemble(sc, ctx, filter, err) < 0)
        return -1;
    *out = TAKE_PTR(filter);
    return 0;
}

int cradle_seccomp_load(const struct cradle_seccomp_filter *filter, int *listener_fd,
                        cradle_error **err)
{
    struct sock_fprog fprog = {.len = (unsigned short)filter->len, .filter = filter->prog};
    *listener_fd = -1;
    /* prctl when no flag is asked for, as runc: it works where seccomp(2) is filtered. */
    long r = filter->kernel_flags == 0
                 ? prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0)
                 : syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, filter->kernel_flags, &fprog);
    if (r < 0 && errno == EACCES)
        return cradle_error_sys(err, "loading the linux.seccomp filter (without "
                                     "process.noNewPrivileges it needs CAP_SYS_ADMIN)");
    if (r < 0)
        return cradle_error_sys(err, "loading the linux.seccomp filter");
    if (filter->kernel_flags & SECCOMP_FILTER_FLAG_NEW_LISTENER)
        *listener_fd = (int)r; /* the kernel makes it close-on-exec */
    return 0;
}

void cradle_seccomp_filter_free(struct cradle_seccomp_filter *filter)
{
    if (filter == NULL)
        return;
    free(filter->prog);
    free(filter);
}
