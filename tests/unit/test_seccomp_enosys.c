/* The -ENOSYS stub (security/seccomp_enosys.c), run on seccomp_data by a small cBPF
 * interpreter that knows the instructions the stub uses. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stdlib.h>

#include "../../libcontainer-c/security/seccomp_internal.h"
#include "harness.h"

#define FILTER  0xf11e4u /* the stub fell through to libseccomp's program */
#define X32_BIT 0x40000000u

static uint32_t run_stub(const struct sock_filter *prog, size_t n, uint32_t arch, uint32_t nr)
{
    uint32_t a = 0;
    for (size_t pc = 0; pc < n; pc++) {
        const struct sock_filter *insn = &prog[pc];
        switch (insn->code) {
        case BPF_LD | BPF_W | BPF_ABS:
            a = insn->k == offsetof(struct seccomp_data, arch) ? arch : nr;
            break;
        case BPF_JMP | BPF_JA:
            pc += insn->k;
            break;
        case BPF_JMP | BPF_JEQ | BPF_K:
            pc += a == insn->k ? insn->jt : insn->jf;
            break;
        case BPF_JMP | BPF_JGT | BPF_K:
            pc += a > insn->k ? insn->jt : insn->jf;
            break;
        case BPF_JMP | BPF_JSET | BPF_K:
            pc += (a & insn->k) ? insn->jt : insn->jf;
            break;
        case BPF_RET | BPF_K:
            return insn->k;
        default:
            return 0xbad;
        }
    }
    return FILTER;
}

static char *x86_names[] = {"read", "clone3", "no_such_syscall", NULL};
static struct cradle_spec_seccomp_syscall rules[] = {
    {.names = x86_names, .n_names = 3, .action = CRADLE_SECCOMP_ACT_ALLOW},
};

/* A profile with the given default action and architectures, naming read and clone3
 * (435 on x86_64, x32 and i386). */
static struct cradle_spec_seccomp profile(enum cradle_seccomp_action def, char **arches)
{
    size_t n = 0;
    while (arches[n])
        n++;
    return (struct cradle_spec_seccomp){.default_action = def,
                                        .architectures = arches,
                                        .n_architectures = n,
                                        .syscalls = rules,
                                        .n_syscalls = 1};
}

static uint32_t outcome(const struct cradle_spec_seccomp *sc, uint32_t arch, uint32_t nr)
{
    struct sock_filter *prog = NULL;
    size_t n = 0;
    cradle_error *err = NULL;
    CHECK(seccomp_enosys_stub(sc, &prog, &n, &err) == 0);
    uint32_t r = run_stub(prog, n, arch, nr);
    free(prog);
    return r;
}

#define ENOSYS_RET (SECCOMP_RET_ERRNO | ENOSYS)

static void test_permissive_defaults_get_no_stub(void)
{
    char *arches[] = {"SCMP_ARCH_X86_64", NULL};
    enum cradle_seccomp_action allowing[] = {CRADLE_SECCOMP_ACT_ALLOW, CRADLE_SECCOMP_ACT_LOG,
                                             CRADLE_SECCOMP_ACT_TRACE};
    for (size_t i = 0; i < 3; i++) {
        struct cradle_spec_seccomp sc = profile(allowing[i], arches);
        struct sock_filter *prog = NULL;
        size_t n = 1;
        cradle_error *err = NULL;
        CHECK(seccomp_enosys_stub(&sc, &prog, &n, &err) == 0);
        CHECK(n == 0 && prog == NULL);
    }
}

static void test_above_the_highest_named_syscall_is_enosys(void)
{
    char *arches[] = {"SCMP_ARCH_X86_64", NULL};
    struct cradle_spec_seccomp sc = profile(CRADLE_SECCOMP_ACT_ERRNO, arches);
    CHECK(outcome(&sc, AUDIT_ARCH_X86_64, 1000) == ENOSYS_RET);
    CHECK(outcome(&sc, AUDIT_ARCH_X86_64, 436) == ENOSYS_RET);
    CHECK(outcome(&sc, AUDIT_ARCH_X86_64, 435) == FILTER);
    CHECK(outcome(&sc, AUDIT_ARCH_X86_64, 0) == FILTER);
    /* Not the profile's architectures: libseccomp's program decides. */
    CHECK(outcome(&sc, AUDIT_ARCH_I386, 1000) == FILTER);
    CHECK(outcome(&sc, AUDIT_ARCH_X86_64, X32_BIT | 1000) == FILTER);
}

static void test_x32_has_its_own_limit(void)
{
    char *arches[] = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_X86", NULL};
    struct cradle_spec_seccomp sc = profile(CRADLE_SECCOMP_ACT_KILL_PROCESS, arches);
    CHECK(outcome(&sc, AUDIT_ARCH_X86_64, 1000) == ENOSYS_RET);
    CHECK(outcome(&sc, AUDIT_ARCH_X86_64, X32_BIT | 436) == ENOSYS_RET);
    CHECK(outcome(&sc, AUDIT_ARCH_X86_64, X32_BIT | 435) == FILTER);
    CHECK(outcome(&sc, AUDIT_ARCH_I386, 1000) == ENOSYS_RET);
    CHECK(outcome(&sc, AUDIT_ARCH_I386, 3) == FILTER);
}

static void test_only_x32_leaves_native_calls_to_the_filter(void)
{
    char *arches[] = {"SCMP_ARCH_X32", NULL};
    struct cradle_spec_seccomp sc = profile(CRADLE_SECCOMP_ACT_ERRNO, arches);
    CHECK(outcome(&sc, AUDIT_ARCH_X86_64, 1000) == FILTER);
    CHECK(outcome(&sc, AUDIT_ARCH_X86_64, X32_BIT | 1000) == ENOSYS_RET);
}

static void test_without_architectures_there_is_no_stub(void)
{
    char *arches[] = {NULL};
    struct cradle_spec_seccomp sc = profile(CRADLE_SECCOMP_ACT_ERRNO, arches);
    CHECK(outcome(&sc, AUDIT_ARCH_X86_64, 1000) == FILTER);
}

RUN_TESTS(test_permissive_defaults_get_no_stub, test_above_the_highest_named_syscall_is_enosys,
          test_x32_has_its_own_limit, test_only_x32_leaves_native_calls_to_the_filter,
          test_without_architectures_there_is_no_stub)
