/* Loading the device filter and swapping it in on the container's cgroup2 directory, as
 * runc's LoadAttachCgroupDeviceFilter: query what is attached, attach the new program with
 * BPF_F_ALLOW_MULTI, then detach the old ones. The kernel runs every program attached to a
 * cgroup and allows a device only when all do, so no moment allows more than both sets. */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../devices.h"
#include "cradle/cleanup.h"
#include "cradle/log.h"

/* The kernel's limit of programs per cgroup and attach type (BPF_CGROUP_MAX_PROGS). */
#define MAX_ATTACHED 64

static int bpf(int cmd, union bpf_attr *attr)
{
    return (int)syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

/* Kernels before 5.11 charge BPF programs to RLIMIT_MEMLOCK and answer EPERM past it: load
 * again with the limit lifted (as runc does), then put it back so that a container cloned
 * later does not inherit the lifted limit. */
static int load_without_memlock_limit(union bpf_attr *attr)
{
    struct rlimit saved, unlimited = {RLIM_INFINITY, RLIM_INFINITY};
    if (getrlimit(RLIMIT_MEMLOCK, &saved) < 0 || setrlimit(RLIMIT_MEMLOCK, &unlimited) < 0) {
        errno = EPERM;
        return -1;
    }
    int fd = bpf(BPF_PROG_LOAD, attr);
    int saved_errno = errno;
    setrlimit(RLIMIT_MEMLOCK, &saved);
    errno = saved_errno;
    return fd;
}

/* The last line of a verifier log but its "processed N insns" summary. */
static const char *verifier_reason(char *log, size_t size)
{
    size_t len = strnlen(log, size - 1);
    log[len] = '\0';
    for (;;) {
        while (len > 0 && log[len - 1] == '\n')
            log[--len] = '\0';
        char *last = strrchr(log, '\n');
        const char *line = last ? last + 1 : log;
        if (strncmp(line, "processed ", 10) != 0 || last == NULL)
            return line;
        *last = '\0';
        len = (size_t)(last - log);
    }
}

/* The kernel's verifier refused the program (a bug in cradle's generator): load it again
 * with the verifier's log and report why. */
static int verifier_error(union bpf_attr *attr, cradle_error **err)
{
    int errnum = errno;
    char log[16384] = "";
    attr->log_buf = (uint64_t)(uintptr_t)log;
    attr->log_size = sizeof(log);
    attr->log_level = 1;
    int fd = bpf(BPF_PROG_LOAD, attr);
    if (fd >= 0)
        return fd;
    errno = errnum;
    return cradle_error_sys(err, "loading the device filter (BPF_PROG_LOAD): verifier: %s",
                            verifier_reason(log, sizeof(log)));
}

int device_filter_load(const struct device_set *target, cradle_error **err)
{
    _cleanup_free_ struct bpf_insn *insns = NULL;
    size_t n = 0;
    if (device_filter_program(target, &insns, &n, err) < 0)
        return -1;
    union bpf_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
    attr.insns = (uint64_t)(uintptr_t)insns;
    attr.insn_cnt = (uint32_t)n;
    attr.license = (uint64_t)(uintptr_t) "Apache";
    int fd = bpf(BPF_PROG_LOAD, &attr);
    if (fd < 0 && errno == EPERM)
        fd = load_without_memlock_limit(&attr);
    if (fd < 0 && (errno == EINVAL || errno == EACCES))
        return verifier_error(&attr, err);
    if (fd < 0)
        return cradle_error_sys(err, "loading the device filter (BPF_PROG_LOAD)");
    return fd;
}

/* The ids of the programs attached directly to the cgroup dir_fd (not inherited ones). */
static int attached_ids(int dir_fd, uint32_t *ids, uint32_t *n, cradle_error **err)
{
    union bpf_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.query.target_fd = (uint32_t)dir_fd;
    attr.query.attach_type = BPF_CGROUP_DEVICE;
    attr.query.prog_ids = (uint64_t)(uintptr_t)ids;
    attr.query.prog_cnt = MAX_ATTACHED;
    if (bpf(BPF_PROG_QUERY, &attr) < 0)
        return cradle_error_sys(err, "listing the cgroup's device filters (BPF_PROG_QUERY)");
    *n = attr.query.prog_cnt;
    return 0;
}

static int detach_program(int dir_fd, uint32_t id, cradle_error **err)
{
    union bpf_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.prog_id = id;
    _cleanup_close_ int prog_fd = bpf(BPF_PROG_GET_FD_BY_ID, &attr);
    if (prog_fd < 0 && errno == ENOENT)
        return 0; /* detached and freed meanwhile */
    if (prog_fd < 0)
        return cradle_error_sys(err, "opening the old device filter %u (BPF_PROG_GET_FD_BY_ID)",
                                id);
    memset(&attr, 0, sizeof(attr));
    attr.target_fd = (uint32_t)dir_fd;
    attr.attach_bpf_fd = (uint32_t)prog_fd;
    attr.attach_type = BPF_CGROUP_DEVICE;
    if (bpf(BPF_PROG_DETACH, &attr) < 0 && errno != ENOENT)
        return cradle_error_sys(err, "detaching the old device filter %u (BPF_PROG_DETACH)", id);
    return 0;
}

int cgroup_devices_v2_apply(const char *dir, const struct device_set *target, cradle_error **err)
{
    _cleanup_close_ int dir_fd = open(dir, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (dir_fd < 0)
        return cradle_error_sys(err, "linux.resources.devices: opening %s", dir);
    uint32_t old[MAX_ATTACHED], n_old = 0;
    if (attached_ids(dir_fd, old, &n_old, err) < 0)
        return cradle_error_wrap(err, "linux.resources.devices");
    _cleanup_close_ int prog_fd = device_filter_load(target, err);
    if (prog_fd < 0)
        return cradle_error_wrap(err, "linux.resources.devices");

    union bpf_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.target_fd = (uint32_t)dir_fd;
    attr.attach_bpf_fd = (uint32_t)prog_fd;
    attr.attach_type = BPF_CGROUP_DEVICE;
    attr.attach_flags = BPF_F_ALLOW_MULTI;
    if (bpf(BPF_PROG_ATTACH, &attr) < 0)
        return cradle_error_sys(err,
                                "linux.resources.devices: failed to call BPF_PROG_ATTACH "
                                "(BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI) on %s",
                                dir);
    if (n_old > 1)
        cradle_debug("found more than one device filter (%u) attached to %s: removing them all",
                     n_old, dir);
    for (uint32_t i = 0; i < n_old; i++)
        if (detach_program(dir_fd, old[i], err) < 0)
            return cradle_error_wrap(err, "linux.resources.devices");
    return 0;
}
