/* The -ENOSYS stub of seccomp_internal.h. Its layout, with E the ENOSYS return and F the
 * first instruction of libseccomp's program:
 *
 *     ld  [arch]
 *     jeq AUDIT_ARCH_a, section_a      one per architecture of the profile
 *     ja  F                            any other architecture
 *   section_a:
 *     ld  [nr]
 *     jgt max_a, E, F                  (x86_64 first tells x32 calls, bit 30, apart)
 *     ...
 *   E: ret ERRNO(ENOSYS)
 */
#include "seccomp_internal.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdlib.h>

#define X32_SYSCALL_BIT 0x40000000u

/* The highest syscall numbers the profile names on one kernel architecture: x86_64 has a
 * second number space, x32's, told apart by X32_SYSCALL_BIT. 0 is "none". */
struct arch_limit {
    uint32_t audit_arch;
    uint32_t native_max;
    uint32_t x32_max;
};

static bool is_allow_action(enum cradle_seccomp_action action)
{
    /* runc counts TRACE as allowing: a tracer handles newer syscalls itself. */
    return action == CRADLE_SECCOMP_ACT_ALLOW || action == CRADLE_SECCOMP_ACT_LOG ||
           action == CRADLE_SECCOMP_ACT_TRACE;
}

static uint32_t highest_syscall(const struct cradle_spec_seccomp *sc, uint32_t token)
{
    uint32_t max = 0;
    for (size_t i = 0; i < sc->n_syscalls; i++) {
        for (size_t j = 0; j < sc->syscalls[i].n_names; j++) {
            /* Unknown names and pseudo-syscalls (absent on this arch) are negative. */
            int nr = seccomp_syscall_resolve_name_arch(token, sc->syscalls[i].names[j]);
            if (nr > 0 && (uint32_t)nr > max)
                max = (uint32_t)nr;
        }
    }
    return max;
}

/* One entry per kernel architecture among the profile's architectures (runc: only
 * those; the native one is not added). Returns the number of entries. */
static size_t collect_limits(const struct cradle_spec_seccomp *sc, struct arch_limit *limits)
{
    size_t n = 0;
    for (size_t i = 0; i < sc->n_architectures; i++) {
        uint32_t token = seccomp_arch_token(sc->architectures[i]);
        if (token == 0)
            continue;
        bool x32 = token == SCMP_ARCH_X32;
        uint32_t audit = x32 ? AUDIT_ARCH_X86_64 : token;
        size_t k = 0;
        while (k < n && limits[k].audit_arch != audit)
            k++;
        if (k == n)
            limits[n++] = (struct arch_limit){.audit_arch = audit};
        uint32_t max = highest_syscall(sc, token);
        if (x32)
            limits[k].x32_max = max;
        else
            limits[k].native_max = max;
    }
    return n;
}

static size_t section_length(const struct arch_limit *l)
{
    if (l->native_max && l->x32_max)
        return 4;
    return l->audit_arch == AUDIT_ARCH_X86_64 ? 3 : 2;
}

static bool has_limit(const struct arch_limit *l)
{
    return l->native_max != 0 || l->x32_max != 0;
}

/* The offset from the instruction at pc to target (jumps only go forward). */
static uint8_t to(size_t pc, size_t target)
{
    return (uint8_t)(target - pc - 1);
}

#define LOAD(off)           BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (off))
#define JUMP(op, k, jt, jf) BPF_JUMP(BPF_JMP | (op) | BPF_K, (k), (jt), (jf))

/* Emits the section of one architecture at prog[pc]; E and F as in the layout above. */
static size_t emit_section(struct sock_filter *prog, size_t pc, const struct arch_limit *l,
                           size_t enosys, size_t filter)
{
    prog[pc] = (struct sock_filter)LOAD(offsetof(struct seccomp_data, nr));
    pc++;
    if (l->native_max && l->x32_max) {
        prog[pc] = (struct sock_filter)JUMP(BPF_JSET, X32_SYSCALL_BIT, 1, 0);
        pc++;
        prog[pc] = (struct sock_filter)JUMP(BPF_JGT, l->native_max, to(pc, enosys), to(pc, filter));
        pc++;
        prog[pc] = (struct sock_filter)JUMP(BPF_JGT, l->x32_max, to(pc, enosys), to(pc, filter));
        return pc + 1;
    }
    if (l->x32_max) {
        prog[pc] = (struct sock_filter)JUMP(BPF_JSET, X32_SYSCALL_BIT, 0, to(pc, filter));
        pc++;
    } else if (l->audit_arch == AUDIT_ARCH_X86_64) {
        prog[pc] = (struct sock_filter)JUMP(BPF_JSET, X32_SYSCALL_BIT, to(pc, filter), 0);
        pc++;
    }
    uint32_t max = l->x32_max ? l->x32_max : l->native_max;
    prog[pc] = (struct sock_filter)JUMP(BPF_JGT, max, to(pc, enosys), to(pc, filter));
    return pc + 1;
}

int seccomp_enosys_stub(const struct cradle_spec_seccomp *sc, struct sock_filter **out,
                        size_t *n_out, cradle_error **err)
{
    *out = NULL;
    *n_out = 0;
    if (is_allow_action(sc->default_action) || sc->n_architectures == 0)
        return 0;
    struct arch_limit *limits = calloc(sc->n_architectures, sizeof(*limits));
    if (limits == NULL)
        return cradle_error_sys(err, "linux.seccomp: the -ENOSYS stub");
    size_t n_archs = 0, all = collect_limits(sc, limits);
    for (size_t i = 0; i < all; i++)
        if (has_limit(&limits[i]))
            limits[n_archs++] = limits[i];

    /* Header: ld [arch], one jeq per architecture, ja F; then the sections, then E. */
    size_t len = 2 + n_archs;
    for (size_t i = 0; i < n_archs; i++)
        len += section_length(&limits[i]);
    size_t enosys = len, filter = len + 1;
    struct sock_filter *prog = calloc(filter, sizeof(*prog));
    if (prog == NULL) {
        free(limits);
        return cradle_error_sys(err, "linux.seccomp: the -ENOSYS stub");
    }

    size_t pc = 0, section = 2 + n_archs;
    prog[pc++] = (struct sock_filter)LOAD(offsetof(struct seccomp_data, arch));
    for (size_t i = 0; i < n_archs; i++, pc++) {
        prog[pc] = (struct sock_filter)JUMP(BPF_JEQ, limits[i].audit_arch, to(pc, section), 0);
        section += section_length(&limits[i]);
    }
    prog[pc] = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, (uint32_t)(filter - pc - 1));
    pc++;
    for (size_t i = 0; i < n_archs; i++)
        pc = emit_section(prog, pc, &limits[i], enosys, filter);
    prog[pc] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
    free(limits);
    *out = prog;
    *n_out = filter;
    return 0;
}
