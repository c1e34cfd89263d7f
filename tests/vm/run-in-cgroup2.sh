#!/bin/bash
# Runs COMMAND as root in a pure cgroup v2 guest: Debian's user-mode-linux kernel (Linux 6.1 as
# an ordinary process) booted with the host's / read-only (hostfs), tmpfs on /tmp, /run,
# /var/tmp and /dev/shm, cgroup2 on /sys/fs/cgroup with every controller enabled. COMMAND
# runs in the caller's working directory with the caller's exported environment (minus
# TMPDIR and bash's own variables); its stdout and stderr stream to ours; we exit with its
# status. --systemd: systemd is PID 1 (with dbus) and COMMAND runs in a service unit.
#
# Usage: tests/vm/run-in-cgroup2.sh [--systemd] COMMAND [ARGS...]
# CRADLE_VM_CACHE: where the unpacked kernel lives (default build-vm/ in the repo).
# CRADLE_VM_TIMEOUT: seconds before the guest is stopped (default 3600).
# CRADLE_VM_CONSOLE=FILE: keep the guest kernel's console (boot messages, systemd's) there.
# One block, read whole before it runs: an edit of this file (a git pull, a new version) does
# not change the script under a guest that is still running.
{
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
vm_dir=$repo/tests/vm
cache=${CRADLE_VM_CACHE:-$repo/build-vm}
timeout_s=${CRADLE_VM_TIMEOUT:-3600}

fail() {
    echo "run-in-cgroup2.sh: $*" >&2
    exit 125
}

mode=plain
if [ "${1:-}" = --systemd ]; then
    mode=systemd
    shift
fi
[ $# -gt 0 ] || fail "usage: run-in-cgroup2.sh [--systemd] COMMAND [ARGS...]"
[ "$(id -u)" -eq 0 ] || fail "run as root (the guest's root is the host's /, seen as its owner)"

case $PWD/ in
/tmp/* | /run/* | /var/tmp/* | /dev/shm/*) fail "the guest covers $PWD with its own tmpfs: run from elsewhere" ;;
esac

# Debian's user-mode-linux package, unpacked (not installed) once into the cache, and the
# shim; under a lock, for callers running in parallel.
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
uml=$cache/uml/usr/bin/linux.uml
if [ ! -x "$uml" ]; then
    "$vm_dir/get-uml.sh" "$cache" || fail "no user-mode-linux kernel in $cache (scripts/setup.sh deps fetches it)"
fi

# The ptrace shim UML needs on hosts with a large XSAVE area (see ptrace-shim.c); a
# pass-through elsewhere, so always loaded. Built once per source change.
shim=$cache/ptrace-shim.so
if [ ! "$shim" -nt "$vm_dir/ptrace-shim.c" ]; then
    if ! cc -O2 -fPIC -shared -o "$shim.tmp" "$vm_dir/ptrace-shim.c" -lpthread -ldl; then
        fail "cannot build $shim (a C compiler is needed: scripts/setup.sh deps installs it)"
    fi
    mv "$shim.tmp" "$shim"
fi
exec 9>&-

# The guest cannot write the host's tree: build the fixtures the tests copy beforehand.
"$repo/tests/fixtures/make-busybox-rootfs.sh" "${ROOTFS_CACHE:-$repo/tests/fixtures/cache/busybox-rootfs}"

# The job directory: the guest mounts it writable (a second hostfs mount) to read job.sh and
# leave the status. Not under /tmp or /run, which the guest covers with its own tmpfs.
mkdir -p "$cache/jobs"
job=$(mktemp -d "$cache/jobs/job.XXXXXX")
trap 'rm -rf "$job"' EXIT

# job.sh: the caller's exported environment, cwd and command, each word quoted.
{
    while IFS= read -r name; do
        case $name in
        BASH* | SHELLOPTS | SHLVL | PWD | OLDPWD | _ | TMPDIR) continue ;;
        esac
        printf 'export %s=%q\n' "$name" "${!name}"
    done < <(compgen -e)
    printf 'cd -- %q || exit 125\n' "$PWD"
    printf 'exec'
    printf ' %q' "$@"
    printf '\n'
} >"$job/job.sh"

# The kernel's console (boot messages) goes to console.log; the guest writes the command's
# stdout to tty1 and stderr to tty2, wired to our fds 3 and 4.
# systemd: no fstab (the host's); boot status only for errors.
mode_args=()
[ "$mode" = plain ] || mode_args=(fstab=no systemd.show_status=error)
rc=0
LD_PRELOAD=$shim timeout -k 10 "$timeout_s" "$uml" mem=1G rootfstype=hostfs rootflags=/ ro \
    init="$vm_dir/guest-init.sh" cradle_job="$job" cradle_mode="$mode" "${mode_args[@]}" \
    con=null ssl=null con0=null,fd:1 con1=null,fd:3 con2=null,fd:4 \
    3>&1 4>&2 </dev/null >"$job/console.log" 2>&1 || rc=$?

[ -z "${CRADLE_VM_CONSOLE:-}" ] || cp "$job/console.log" "$CRADLE_VM_CONSOLE"
if [ ! -s "$job/status" ]; then
    tail -n 30 "$job/console.log" >&2
    if [ "$rc" -eq 124 ]; then
        fail "the guest was stopped after ${timeout_s}s (CRADLE_VM_TIMEOUT)"
    elif grep -q 'ptrace set fp regs failed' "$job/console.log"; then
        fail "the guest kernel could not restore FPU state although $shim was loaded (see ptrace-shim.c)"
    fi
    fail "the guest did not report an exit status (linux.uml exited with $rc)"
fi
exit "$(cat "$job/status")"
}
