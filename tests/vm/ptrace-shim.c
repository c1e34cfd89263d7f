/* LD_PRELOAD shim for user-mode-linux on hosts with a large XSAVE area (AVX-512, AMX).
 *
 * UML saves and restores its processes' FPU state with PTRACE_GETREGSET/SETREGSET of
 * NT_X86_XSTATE using a buffer of a size fixed when it was built. The host kernel's
 * SETREGSET refuses (EFAULT) a buffer smaller than the host's full XSAVE size, and UML then
 * panics at boot ("ptrace set fp regs failed, errno = 14"). Here, when UML's buffer is
 * smaller than the host's state:
 *   - GETREGSET reads the full state into a shadow buffer kept per UML buffer address (one
 *     per UML thread's saved registers) and copies back the prefix UML asked for;
 *   - SETREGSET overlays UML's prefix on that shadow (or on the thread's current state if
 *     there is none yet) and passes the full size, so the state UML cannot hold survives.
 * Calls with a big enough buffer, and every other request, go straight to glibc's ptrace:
 * the shim is a pass-through on hosts that do not need it.
 *
 * CRADLE_VM_SHIM_TEST_LEN=N (tests only) treats UML's buffers as N bytes long, to exercise
 * the shadow path on a host that does not need it. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/uio.h>

#define XSTATE_PROBE_SIZE (64 * 1024)

typedef long (*ptrace_fn)(enum __ptrace_request, pid_t, void *, void *);

struct shadow {
    const void *uml_buf;
    unsigned char *state;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static ptrace_fn real_ptrace;
static size_t full_size; /* the host's XSAVE size, learnt from the first GETREGSET */
static size_t test_len;
static struct shadow *shadows;
static size_t n_shadows, cap_shadows;

static void init_once(void)
{
    const char *len = getenv("CRADLE_VM_SHIM_TEST_LEN");

    real_ptrace = (ptrace_fn)dlsym(RTLD_NEXT, "ptrace");
    if (len)
        test_len = strtoul(len, NULL, 10);
}

/* The host's full NT_X86_XSTATE size: the kernel shortens iov_len to what it wrote. */
static int learn_full_size(pid_t pid)
{
    struct iovec iov;

    if (full_size)
        return 0;
    iov.iov_len = XSTATE_PROBE_SIZE;
    iov.iov_base = malloc(iov.iov_len);
    if (!iov.iov_base)
        return -1;
    if (real_ptrace(PTRACE_GETREGSET, pid, (void *)NT_X86_XSTATE, &iov) == 0)
        full_size = iov.iov_len;
    free(iov.iov_base);
    return full_size ? 0 : -1;
}

/* The shadow of UML buffer BUF; *fresh says it was just made (its content is undefined). */
static struct shadow *shadow_of(const void *buf, int *fresh)
{
    size_t i;

    *fresh = 0;
    for (i = 0; i < n_shadows; i++)
        if (shadows[i].uml_buf == buf)
            return &shadows[i];
    if (n_shadows == cap_shadows) {
        size_t cap = cap_shadows ? 2 * cap_shadows : 64;
        struct shadow *grown = realloc(shadows, cap * sizeof(*grown));

        if (!grown)
            return NULL;
        shadows = grown;
        cap_shadows = cap;
    }
    shadows[n_shadows].state = malloc(full_size);
    if (!shadows[n_shadows].state)
        return NULL;
    shadows[n_shadows].uml_buf = buf;
    *fresh = 1;
    return &shadows[n_shadows++];
}

static long xstate_get(pid_t pid, struct iovec *uml, size_t uml_len)
{
    int fresh;
    struct shadow *sh = shadow_of(uml->iov_base, &fresh);
    struct iovec full = {NULL, full_size};
    long rc;

    if (!sh) {
        errno = ENOMEM;
        return -1;
    }
    full.iov_base = sh->state;
    rc = real_ptrace(PTRACE_GETREGSET, pid, (void *)NT_X86_XSTATE, &full);
    if (rc < 0)
        return rc;
    if (uml_len > full.iov_len)
        uml_len = full.iov_len;
    memcpy(uml->iov_base, sh->state, uml_len);
    uml->iov_len = uml_len;
    return rc;
}

static long xstate_set(pid_t pid, struct iovec *uml, size_t uml_len)
{
    int fresh;
    struct shadow *sh = shadow_of(uml->iov_base, &fresh);
    struct iovec full = {NULL, full_size};

    if (!sh) {
        errno = ENOMEM;
        return -1;
    }
    full.iov_base = sh->state;
    if (fresh && real_ptrace(PTRACE_GETREGSET, pid, (void *)NT_X86_XSTATE, &full) < 0)
        return -1;
    memcpy(sh->state, uml->iov_base, uml_len);
    full.iov_len = full_size;
    return real_ptrace(PTRACE_SETREGSET, pid, (void *)NT_X86_XSTATE, &full);
}

long ptrace(enum __ptrace_request request, ...)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    va_list ap;
    pid_t pid;
    void *addr, *data;
    struct iovec *iov;
    size_t uml_len;
    long rc;

    va_start(ap, request);
    pid = va_arg(ap, pid_t);
    addr = va_arg(ap, void *);
    data = va_arg(ap, void *);
    va_end(ap);
    pthread_once(&once, init_once);

    if ((request != PTRACE_GETREGSET && request != PTRACE_SETREGSET) ||
        (long)addr != NT_X86_XSTATE || !data)
        return real_ptrace(request, pid, addr, data);
    iov = data;
    uml_len = iov->iov_len;
    if (test_len && test_len < uml_len)
        uml_len = test_len;
    pthread_mutex_lock(&lock);
    if (learn_full_size(pid) < 0 || uml_len >= full_size) {
        pthread_mutex_unlock(&lock);
        return real_ptrace(request, pid, addr, data);
    }
    rc =
        request == PTRACE_GETREGSET ? xstate_get(pid, iov, uml_len) : xstate_set(pid, iov, uml_len);
    pthread_mutex_unlock(&lock);
    return rc;
}
