#!/bin/bash
# PID 1 of the pure cgroup v2 guest booted by run-in-cgroup2.sh (user-mode-linux, the host's /
# read-only through hostfs). The kernel command line gives it, as environment:
#   cradle_job=DIR    host directory holding job.sh (the caller's env, cwd and command); the
#                     exit status goes back there as DIR/status
#   cradle_mode=plain|systemd
# Plain: sets up the mounts and cgroup2, runs the job in the root cgroup, powers off.
# systemd: sets up the same mounts, then execs systemd as PID 1 with a unit that runs
# "guest-init.sh run" (the job and the power-off).
# One block, read whole before it runs: an edit of this file (a git pull, a new version) does
# not change the script under a guest that is still running.
{
set -u
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
job=/run/cradle-job
self=$(readlink -f "$0")

die() {
    echo "guest-init: $*" >&2
    sync
    busybox poweroff -f
}

setup_mounts() {
    mount -t proc proc /proc || die "cannot mount /proc"
    mount -t sysfs sysfs /sys || die "cannot mount /sys"
    mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev || die "cannot mount /dev"
    mount -t tmpfs -o mode=755 tmpfs /run
    mount -t tmpfs -o mode=1777 tmpfs /tmp
    mount -t tmpfs -o mode=1777 tmpfs /var/tmp
    mkdir -p /dev/pts /dev/shm
    mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
    mount -t tmpfs -o mode=1777 tmpfs /dev/shm
    ln -sfn /proc/self/fd /dev/fd
    ln -sfn /proc/self/fd/0 /dev/stdin
    ln -sfn /proc/self/fd/1 /dev/stdout
    ln -sfn /proc/self/fd/2 /dev/stderr
    mount -t cgroup2 -o nsdelegate,memory_recursiveprot cgroup2 /sys/fs/cgroup || die "cannot mount cgroup2"
    mkdir -p "$job"
    [ -n "${cradle_job:-}" ] || die "no cradle_job=DIR on the kernel command line"
    mount -t hostfs -o "$cradle_job" hostfs "$job" || die "cannot mount the job directory $cradle_job"
    hostname cradle-vm
    ip link set lo up 2>/dev/null
}

# Every controller this kernel has (cpu, io, memory, pids on Debian's 6.1) for the children.
enable_controllers() {
    local c controllers
    read -ra controllers </sys/fs/cgroup/cgroup.controllers
    for c in "${controllers[@]}"; do
        echo "+$c" >/sys/fs/cgroup/cgroup.subtree_control || die "cannot enable the $c controller"
    done
}

# Runs job.sh with a clean environment (job.sh sets the caller's), its stdout and stderr
# through pipes (not a tty: bats picks its output format from that) to the consoles the
# host wired to its own stdout (tty1) and stderr (tty2). Records the status, powers off.
run_job() {
    local status out err i
    for i in 1 2; do stty -F /dev/tty$i raw -echo; done
    mkfifo /run/cradle-out /run/cradle-err
    cat /run/cradle-out >/dev/tty1 &
    out=$!
    cat /run/cradle-err >/dev/tty2 &
    err=$!
    env -i /bin/bash --noprofile --norc "$job/job.sh" </dev/null >/run/cradle-out 2>/run/cradle-err
    status=$?
    # A process the job left behind may hold the pipes open: give the output 5 s to drain.
    for i in $(seq 50); do
        kill -0 "$out" 2>/dev/null || kill -0 "$err" 2>/dev/null || break
        sleep 0.1
    done
    kill "$out" "$err" 2>/dev/null
    echo "$status" >"$job/status"
    sync
    busybox poweroff -f
}

# Units masked in the guest: remount-fs would apply the host's fstab to the root (it must stay
# read-only); the others only cost boot time (no modules, no persistent journal or utmp).
masked_units=(systemd-remount-fs.service modprobe@.service systemd-modules-load.service
    systemd-journal-flush.service systemd-update-utmp.service systemd-ask-password-console.path)

write_systemd_unit() {
    local unit
    mkdir -p /run/systemd/system
    for unit in "${masked_units[@]}"; do
        ln -s /dev/null "/run/systemd/system/$unit"
    done
    # No default dependencies: only dbus (systemd-run and the systemd cgroup drivers need the
    # bus) and what it pulls in start, not the host's enabled services.
    cat >/run/systemd/system/cradle-job.service <<UNIT
[Unit]
Description=cradle guest job
DefaultDependencies=no
Wants=dbus.socket
After=dbus.socket

[Service]
Type=oneshot
ExecStart=$self run
UNIT
}

case "${1:-}" in
run)
    run_job
    ;;
*)
    setup_mounts
    if [ "${cradle_mode:-plain}" = systemd ]; then
        write_systemd_unit
        exec /lib/systemd/systemd --unit=cradle-job.service
    fi
    enable_controllers
    run_job
    ;;
esac
exit
}
