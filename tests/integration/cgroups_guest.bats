#!/usr/bin/env bats
# The pure cgroup v2 guest of tests/vm/run-in-cgroup2.sh is what the cgroups_*.bats files
# rely on: cgroup2 alone at /sys/fs/cgroup, the controllers enabled for children, a writable
# /tmp and the /dev bats needs, and runc running a busybox bundle there with its limits read
# back from the container's cgroup. Under --systemd, also systemd as PID 1 with a bus that
# `systemd-run` and `runc --systemd-cgroup` use. Skips on a host that is not pure cgroup v2:
#   tests/vm/run-in-cgroup2.sh bats tests/integration/cgroups_guest.bats
#   tests/vm/run-in-cgroup2.sh --systemd bats tests/integration/cgroups_guest.bats

load helpers

RUNC=/usr/sbin/runc

setup() {
    [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ] ||
        skip "needs a pure cgroup v2 host (run it through tests/vm/run-in-cgroup2.sh)"
    common_setup
    ID=$(new_id guest)
}

teardown() {
    [ -n "${UNIT:-}" ] && systemctl stop "$UNIT" 2>/dev/null
    [ -n "${ID:-}" ] && "$RUNC" --root "$STATE_ROOT" delete --force "$ID" >/dev/null 2>&1
    [ -n "${ID:-}" ] && "$RUNC" --root "$STATE_ROOT" --systemd-cgroup delete --force "$ID" >/dev/null 2>&1
    common_teardown
}

is_systemd_guest() {
    [ "$(cat /proc/1/comm)" = systemd ]
}

skip_unless_systemd() {
    is_systemd_guest || skip "needs systemd as PID 1 (tests/vm/run-in-cgroup2.sh --systemd)"
}

# runc run -d: the container's init would hold a `run` pipe open, so its output goes to a file.
runc_detached() {
    local log=$BATS_TEST_TMPDIR/runc.log
    "$RUNC" --root "$STATE_ROOT" "$@" run -d --bundle "$BUNDLE" "$ID" </dev/null >"$log" 2>&1 ||
        fail "runc run -d failed: $(cat "$log")"
}

# Limits runc applies to the test's container, read back in the cgroup files below.
set_limits() {
    update_config '.linux.resources.memory = {"limit": 67108864}
        | .linux.resources.pids = {"limit": 20}'
}

# nsdelegate and memory_recursiveprot belong to cgroup2's one superblock: any fresh cgroup2
# mount from the root cgroup namespace without them clears them system-wide, and runc and
# crun make one for a container without a cgroup namespace (cradle keeps the host's, see
# below). So this holds at boot, and only until such a runc container ran: test.sh runs
# this file first.
@test "cgroup2 is the only hierarchy, at /sys/fs/cgroup, with nsdelegate and memory_recursiveprot" {
    run grep -c ' - cgroup ' /proc/self/mountinfo
    assert_output 0
    run findmnt -n -o FSTYPE,OPTIONS /sys/fs/cgroup
    assert_output --regexp '^cgroup2 .*nsdelegate.*memory_recursiveprot'
}

# runc and crun clear them (above); cradle's cgroup2 mount carries the host's hierarchy-wide
# options, so a container without a cgroup namespace changes nothing for the host. The
# options are set again first: an earlier runc container may have cleared them.
@test "a cradle container without a cgroup namespace keeps nsdelegate and memory_recursiveprot" {
    mount -o remount,nsdelegate,memory_recursiveprot /sys/fs/cgroup
    update_config '.linux.namespaces |= map(select(.type != "cgroup"))'
    RUNTIME=$CRADLE run_cmd sh -c 'grep -c " - cgroup2 " /proc/self/mountinfo'
    assert_success
    assert_output 1
    run findmnt -n -o OPTIONS /sys/fs/cgroup
    assert_output --regexp 'nsdelegate.*memory_recursiveprot'
}

@test "cradle spec gives a container a cgroup namespace on a pure cgroup v2 host, as runc spec" {
    local dir=$BATS_TEST_TMPDIR/spec
    mkdir "$dir"
    (cd "$dir" && "$CRADLE" spec)
    run jq -c '[.linux.namespaces[].type]' "$dir/config.json"
    assert_output '["pid","network","ipc","uts","mount","cgroup"]'
    rm "$dir/config.json"
    (cd "$dir" && "$CRADLE" spec --rootless)
    run jq -c '[.linux.namespaces[].type]' "$dir/config.json"
    assert_output '["pid","ipc","uts","mount","cgroup","user"]'
}

@test "cpu, io, memory and pids are enabled for the root's children" {
    local c
    for c in cpu io memory pids; do
        grep -qw "$c" /sys/fs/cgroup/cgroup.subtree_control || fail "$c is not in the root's subtree_control"
    done
}

@test "the job runs as root in the root cgroup (plain) or in its service unit (systemd)" {
    assert_equal "$(id -u)" 0
    if is_systemd_guest; then
        assert_equal "$(cat /proc/self/cgroup)" "0::/system.slice/cradle-job.service"
    else
        assert_equal "$(cat /proc/self/cgroup)" "0::/"
    fi
}

@test "/tmp is a writable tmpfs; /dev has null, fd and pts; stdout is not a tty" {
    assert_equal "$(stat -f -c %T /tmp)" tmpfs
    touch "$BATS_TEST_TMPDIR/written"
    [ -c /dev/null ] && [ -e /dev/fd/0 ] && [ -c /dev/ptmx ] && [ -d /dev/pts ] || fail "/dev is incomplete"
    [ -t 1 ] && fail "stdout is a terminal: bats would not pick its format from the caller's"
    return 0
}

@test "runc runs a busybox bundle; its memory and pids limits land in the cgroup files" {
    local cg=/sys/fs/cgroup/$ID
    set_limits
    update_config --arg path "/$ID" '.linux.cgroupsPath = $path'
    set_args sh -c 'echo hello from $(hostname)'
    run "$RUNC" --root "$STATE_ROOT" run --bundle "$BUNDLE" "$ID" </dev/null
    assert_success
    assert_output "hello from runc"

    set_args sleep 1000
    runc_detached
    assert_equal "$(cat "$cg/memory.max")" 67108864
    assert_equal "$(cat "$cg/pids.max")" 20
    "$RUNC" --root "$STATE_ROOT" delete --force "$ID"
    [ ! -e "$cg" ] || fail "runc left $cg"
}

@test "systemd guest: systemd-run applies MemoryMax and TasksMax through the bus" {
    skip_unless_systemd
    UNIT=cradle-guest-$$-$RANDOM.service
    systemd-run --unit "$UNIT" -p MemoryMax=64M -p TasksMax=20 sleep 1000
    assert_equal "$(cat /sys/fs/cgroup/system.slice/$UNIT/memory.max)" 67108864
    assert_equal "$(cat /sys/fs/cgroup/system.slice/$UNIT/pids.max)" 20
}

@test "systemd guest: runc --systemd-cgroup puts the container in a scope with its limits" {
    skip_unless_systemd
    local cg=/sys/fs/cgroup/system.slice/runc-$ID.scope
    set_limits
    update_config --arg path "system.slice:runc:$ID" '.linux.cgroupsPath = $path'
    set_args sleep 1000
    runc_detached --systemd-cgroup
    assert_equal "$(systemctl show -p ActiveState --value "runc-$ID.scope")" active
    assert_equal "$(cat "$cg/memory.max")" 67108864
    assert_equal "$(cat "$cg/pids.max")" 20
    "$RUNC" --root "$STATE_ROOT" --systemd-cgroup delete --force "$ID"
    [ ! -e "$cg" ] || fail "runc left $cg"
}
