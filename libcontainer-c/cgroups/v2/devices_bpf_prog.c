/* The eBPF device filter for cgroup2, generated from the same device set as the v1 rules
 * (runc's devicefilter): the context (struct bpf_cgroup_dev_ctx) is loaded into
 * registers once, then one block per exception jumps to the next block unless the device
 * matches, and returns the exception's verdict when it does; the last block returns the
 * default. Exceptions never overlap in verdict (all allow or all deny), so their order
 * does not matter. */
#include <errno.h>
#include <linux/bpf.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "../devices.h"

#define INSN(c, d, s, o, i)                                                                        \
    ((struct bpf_insn){.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})
#define LOAD_U32(dst, src, off)    INSN(BPF_LDX | BPF_MEM | BPF_W, dst, src, off, 0)
#define ALU32_IMM(op, dst, imm)    INSN(BPF_ALU | (op) | BPF_K, dst, 0, 0, imm)
#define MOV32_REG(dst, src)        INSN(BPF_ALU | BPF_MOV | BPF_X, dst, src, 0, 0)
#define JMP_IMM(op, dst, imm, off) INSN(BPF_JMP | (op) | BPF_K, dst, 0, off, imm)
#define JMP_REG(op, dst, src, off) INSN(BPF_JMP | (op) | BPF_X, dst, src, off, 0)
#define EXIT()                     INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

/* Registers holding the request: R2 device type, R3 access, R4 major, R5 minor. */
enum { R0, R1, R2, R3, R4, R5 };

#define PROLOGUE_LEN 6

static unsigned bpf_access(unsigned access)
{
    return (access & DEVICE_ACCESS_READ ? BPF_DEVCG_ACC_READ : 0) |
           (access & DEVICE_ACCESS_WRITE ? BPF_DEVCG_ACC_WRITE : 0) |
           (access & DEVICE_ACCESS_MKNOD ? BPF_DEVCG_ACC_MKNOD : 0);
}

static bool checks_access(const struct device_exception *e)
{
    return e->access != DEVICE_ACCESS_ALL;
}

static size_t block_len(const struct device_exception *e)
{
    return 1 + (checks_access(e) ? 3 : 0) + (e->major >= 0) + (e->minor >= 0) + 2;
}

/* Appends e's block at out[*pos]. An allow exception matches a request whose access it
 * covers entirely (runc); a deny exception matches a request that asks for any access it
 * denies (the v1 kernel's partial match: a deny of "w" also stops an open for "rw"). */
static short jump_to(size_t target, size_t at)
{
    return (short)(target - at - 1);
}

static void append_block(const struct device_exception *e, bool verdict, struct bpf_insn *out,
                         size_t *pos)
{
    size_t i = *pos, next = *pos + block_len(e);
    int type = e->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR;
    out[i] = JMP_IMM(BPF_JNE, R2, type, jump_to(next, i));
    i++;
    if (checks_access(e)) {
        out[i++] = MOV32_REG(R1, R3);
        out[i++] = ALU32_IMM(BPF_AND, R1, (int)bpf_access(e->access));
        out[i] = verdict ? JMP_REG(BPF_JNE, R1, R3, jump_to(next, i))
                         : JMP_IMM(BPF_JEQ, R1, 0, jump_to(next, i));
        i++;
    }
    if (e->major >= 0) {
        out[i] = JMP_IMM(BPF_JNE, R4, (int)e->major, jump_to(next, i));
        i++;
    }
    if (e->minor >= 0) {
        out[i] = JMP_IMM(BPF_JNE, R5, (int)e->minor, jump_to(next, i));
        i++;
    }
    out[i++] = ALU32_IMM(BPF_MOV, R0, verdict ? 1 : 0);
    out[i++] = EXIT();
    *pos = i;
}

int device_filter_program(const struct device_set *set, struct bpf_insn **out, size_t *n,
                          cradle_error **err)
{
    size_t total = PROLOGUE_LEN + 2;
    for (size_t i = 0; i < set->n; i++) {
        const struct device_exception *e = &set->items[i];
        if ((e->type != 'b' && e->type != 'c') || e->major > INT32_MAX || e->minor > INT32_MAX)
            return cradle_error_set(err, EINVAL, "device filter: invalid exception %zu", i);
        total += block_len(e);
    }
    if (total > BPF_MAXINSNS)
        return cradle_error_set(err, E2BIG, "device filter: %zu device rules are too many", set->n);
    struct bpf_insn *insns = calloc(total, sizeof(*insns));
    if (insns == NULL)
        return cradle_error_set(err, ENOMEM, "device filter");
    size_t pos = 0;
    insns[pos++] = LOAD_U32(R2, R1, 0); /* access_type: type in the low 16 bits */
    insns[pos++] = ALU32_IMM(BPF_AND, R2, 0xFFFF);
    insns[pos++] = LOAD_U32(R3, R1, 0); /* access in the high 16 bits */
    insns[pos++] = ALU32_IMM(BPF_RSH, R3, 16);
    insns[pos++] = LOAD_U32(R4, R1, 4);
    insns[pos++] = LOAD_U32(R5, R1, 8);
    for (size_t i = 0; i < set->n; i++)
        append_block(&set->items[i], !set->default_allow, insns, &pos);
    insns[pos++] = ALU32_IMM(BPF_MOV, R0, set->default_allow ? 1 : 0);
    insns[pos++] = EXIT();
    *out = insns;
    *n = pos;
    return 0;
}
