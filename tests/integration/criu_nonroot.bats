#!/usr/bin/env bats
# The seed use case, end to end: CRIU run as a non-root user inside unprivileged
# containers. Container A (uid 1000, its only capability CAP_CHECKPOINT_RESTORE) runs a
# counter and checkpoints it with `criu dump --unprivileged`; a fresh container B with the
# same settings restores it with `criu restore --unprivileged`, and the counter goes on
# counting with the same pid.
#
# Restoring a process with its old pid is the hard part. Kernels >= 5.5 let CRIU ask for
# the pid directly (clone3() with set_tid, allowed with CAP_CHECKPOINT_RESTORE in the
# container's user namespace). Older kernels (RHEL 8's 4.18) only offer
# /proc/sys/kernel/ns_last_pid: write pid-1, then fork. Containers see /proc/sys read-only,
# so that path needs a read-write bind of ns_last_pid, and a read-write /proc file in a
# container is exactly what an administrator should control. The "old-kernel path" tests
# force CRIU onto that path here (a seccomp rule makes clone3 fail with ENOSYS) and show
# the three outcomes: the policy-approved mount works; no mount fails inside CRIU; the
# mount without CAP_CHECKPOINT_RESTORE in the bounding set is refused by cradle up front.
#
# Run with RUNTIME=/usr/sbin/runc to see a reference runtime on the same bundles; the
# "reference:" tests at the end do that for runc and crun in every run.

load docs_helpers

CR_CAP=CAP_CHECKPOINT_RESTORE
CRIU_ROOTFS=${CRIU_ROOTFS:-$REPO_ROOT/tests/fixtures/cache/criu-rootfs}

# Makes clone3 fail with ENOSYS, as on a kernel without it: CRIU then writes ns_last_pid.
NO_CLONE3_SECCOMP='{"defaultAction": "SCMP_ACT_ALLOW",
    "syscalls": [{"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}]}'
NS_LAST_PID_MOUNT='{"destination": "/proc/sys/kernel/ns_last_pid", "type": "bind",
    "source": "/proc/sys/kernel/ns_last_pid", "options": ["rbind", "rw"]}'

# Container A. The counter replaces /data/count by a rename, so that a reader never sees it
# half written. The subshells use up a few pids first, so that the counter's pid is not
# one that CRIU itself gets in container B (a restored pid must be free there); the
# counter is not pid 1 either, which CRIU could not restore inside a container.
DUMP_SCRIPT='for n in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do (:); done
{ i=0; while :; do i=$((i+1)); echo $i > /data/count.new; mv /data/count.new /data/count; sleep 0.1; done; } </dev/null >/dev/null 2>&1 &
echo $! > /data/pid
sleep 2
mkdir -p /data/img
criu dump --unprivileged -t $! -D /data/img --shell-job -v4 -o dump.log && echo dumped
wait'

# Container B: report whether clone3 set_tid is usable, restore, then show the counter.
RESTORE_SCRIPT='criu check --unprivileged --feature clone3_set_tid 2>&1 | tail -n 1
rm -f /data/restored.pid
if ! criu restore --unprivileged -D /data/img --shell-job -d -v4 -o restore.log --pidfile /data/restored.pid; then
    echo restore failed:; grep Error /data/img/restore.log; exit 1
fi
pid=$(cat /data/restored.pid)
sleep 1
echo "restored pid=$pid comm=$(cat /proc/$pid/comm) count=$(cat /data/count)"'

setup_file() {
    # Builds and installs CRIU 4.1.1 when the criu on PATH fails `criu check`.
    local why
    why=$("$REPO_ROOT/scripts/get-criu.sh" 2>&1) || skip "no working criu: $why"
    "$REPO_ROOT/tests/fixtures/make-criu-rootfs.sh" "$CRIU_ROOTFS"
}

setup() {
    STATE_ROOT=$BATS_TEST_TMPDIR/state
    DATA=$BATS_TEST_TMPDIR/data
    mkdir -p "$DATA"
    chown 1000:1000 "$DATA"
}

teardown() {
    local id
    for id in $(runtime list -q 2>/dev/null); do
        runtime delete --force "$id" >/dev/null 2>&1 || true
    done
    doc_sandbox_teardown
}

# Makes a bundle for container $1 with the seed's settings and sets $BUNDLE to it: uid
# 1000, no terminal, noNewPrivileges, CAP_CHECKPOINT_RESTORE in all five sets and nothing
# else, no seccomp, the default namespaces and readonlyPaths (/proc/sys read-only), the
# shared read-only rootfs, and $DATA bound read-write at /data for the images.
new_criu_bundle() {
    BUNDLE=$BATS_TEST_TMPDIR/$1
    rm -rf "$BUNDLE"
    mkdir -p "$BUNDLE"
    (cd "$BUNDLE" && "${RUNTIME:-$CRADLE}" spec)
    update_config --arg rootfs "$CRIU_ROOTFS" --arg data "$DATA" --arg cap "$CR_CAP" '
        .root = {path: $rootfs, readonly: true}
        | .process.terminal = false
        | .process.user = {uid: 1000, gid: 1000}
        | .process.noNewPrivileges = true
        | .process.capabilities = {bounding: [$cap], permitted: [$cap], effective: [$cap],
            inheritable: [$cap], ambient: [$cap]}
        | del(.linux.seccomp)
        | .mounts += [{destination: "/data", type: "bind", source: $data,
            options: ["rbind", "rw"]}]'
}

# Runs container A on an emptied $DATA: starts the counter, dumps it. Sets DUMPED_PID
# and DUMPED_COUNT.
dump_counter() {
    rm -rf "${DATA:?}"/*
    new_criu_bundle dump
    set_args sh -c "$DUMP_SCRIPT"
    run runtime run --bundle "$BUNDLE" "$(new_id dump)"
    [ "$status" -eq 0 ] && [[ $output == *dumped* ]] ||
        fail "criu dump failed (status $status): $output
$(grep Error "$DATA/img/dump.log" 2>/dev/null)"
    DUMPED_PID=$(cat "$DATA/pid")
    DUMPED_COUNT=$(cat "$DATA/count")
}

# Makes the bundle of container B; the old-kernel tests then add to it.
new_restore_bundle() {
    new_criu_bundle restore
    set_args sh -c "$RESTORE_SCRIPT"
}

old_kernel_path() {
    update_config --argjson seccomp "$NO_CLONE3_SECCOMP" '.linux.seccomp = $seccomp'
}

with_ns_last_pid_mount() {
    update_config --argjson mount "$NS_LAST_PID_MOUNT" '.mounts += [$mount]'
}

without_cap_in_bounding() {
    update_config --arg cap "$CR_CAP" '.process.capabilities.bounding -= [$cap]'
}

# Runs container B; the bats `run` result is the runtime's.
restore_counter() {
    run runtime run --bundle "$BUNDLE" "$(new_id restore)"
}

# Which way CRIU created the restored processes, from its log: "clone3_set_tid" or
# "ns_last_pid" (the log says "Forking task" but not "Creating process using clone3()").
restore_path_taken() {
    local log=$DATA/img/restore.log
    if grep -q 'Creating process using clone3()' "$log"; then
        echo clone3_set_tid
    elif grep -q 'Forking task with' "$log"; then
        echo ns_last_pid
    else
        echo "none (no task was forked)"
    fi
}

assert_restore_path() {
    local taken
    taken=$(restore_path_taken)
    [ "$taken" = "$1" ] || fail "CRIU took the $taken path, expected $1"
}

# The restored counter has its old pid and counts on from the dumped value (a counter
# started afresh would be near 10 after B's one second, below the ~20 it was dumped at).
assert_counter_continued() {
    assert_success
    assert_line --regexp "^restored pid=$DUMPED_PID comm=sh count=[0-9]+\$"
    local count=${output##*count=}
    [ "$count" -gt "$DUMPED_COUNT" ] ||
        fail "count $count after restore is not above the dumped $DUMPED_COUNT"
}

@test "examples/criu-nonroot/README.md runs verbatim: container B restores the counter A dumped, same pid, counting on" {
    run_doc_block "$(doc_block_run_by examples/criu-nonroot/README.md tests/integration/criu_nonroot.bats)"
    assert_success
    # `cat count pid` after the dump, then `ps -o pid,comm` in container B.
    local dumped_pid
    dumped_pid=$(sed -n '/^bundles ready/{n;n;p;q}' <<<"$output")
    [[ $dumped_pid =~ ^[0-9]+$ ]] || fail "no pid after the dump in: $output"
    assert_line --regexp "^ *$dumped_pid +sh\$"
}

@test "uid 1000 checkpoints a counter in container A; fresh container B restores it, same pid (clone3 set_tid)" {
    dump_counter
    new_restore_bundle
    restore_counter
    assert_line "clone3_set_tid is supported"
    assert_counter_continued
    assert_restore_path clone3_set_tid
}

@test "old-kernel path, with the policy-approved ns_last_pid mount: the restore writes ns_last_pid and works" {
    dump_counter
    new_restore_bundle
    old_kernel_path
    with_ns_last_pid_mount
    restore_counter
    assert_line --partial "clone3() with set_tid not supported"
    assert_counter_continued
    assert_restore_path ns_last_pid
}

@test "old-kernel path, without the mount: CRIU fails on the read-only ns_last_pid" {
    dump_counter
    new_restore_bundle
    old_kernel_path
    restore_counter
    assert_failure
    assert_line --partial "clone3() with set_tid not supported"
    assert_output --partial "Can't open -1/sys/kernel/ns_last_pid on procfs: Read-only file system"
    assert_output --partial "Setting PID failed"
    assert_restore_path ns_last_pid
}

@test "old-kernel path, mount without $CR_CAP in the bounding set: refused before the container exists" {
    dump_counter
    new_restore_bundle
    old_kernel_path
    with_ns_last_pid_mount
    without_cap_in_bounding
    restore_counter
    assert_failure
    if ! is_cradle; then
        # runc and crun mount ns_last_pid for any container; they fail only later, when
        # they cannot raise a permitted capability missing from the bounding set (see the
        # reference tests for their messages).
        return
    fi
    assert_output --partial "mount of /proc/sys/kernel/ns_last_pid denied: rule ns_last_pid requires CAP_CHECKPOINT_RESTORE in process.capabilities.bounding"
    [ ! -e "$DATA/img/restore.log" ] || fail "CRIU ran although the container was refused"
}

# The four cases above on reference runtime $1 (its own state dir), same bundles.
run_scenario_on() {
    RUNTIME=$1
    STATE_ROOT=$BATS_TEST_TMPDIR/state-$(basename "$1")

    dump_counter
    new_restore_bundle
    restore_counter
    assert_counter_continued
    assert_restore_path clone3_set_tid

    dump_counter
    new_restore_bundle
    old_kernel_path
    with_ns_last_pid_mount
    restore_counter
    assert_counter_continued
    assert_restore_path ns_last_pid

    dump_counter
    new_restore_bundle
    old_kernel_path
    restore_counter
    assert_failure
    assert_output --partial "ns_last_pid on procfs: Read-only file system"

    new_restore_bundle
    old_kernel_path
    with_ns_last_pid_mount
    without_cap_in_bounding
    restore_counter
    assert_failure
}

@test "reference: runc 1.1.5 on the same bundles" {
    # runc has ns_last_pid in its fixed /proc allowlist and binds it read-write for any
    # container that asks; it has no way to require CAP_CHECKPOINT_RESTORE for it. The
    # last case fails only because of the capability sets ("unable to apply caps").
    command -v runc >/dev/null || skip "runc is not installed"
    run_scenario_on "$(command -v runc)"
    assert_output --partial "unable to apply caps"
}

@test "reference: crun 1.8.1 on the same bundles" {
    # crun checks no /proc destination at all: it binds any /proc file read-write into any
    # container (even /proc/sys/kernel/hostname, which runc refuses). The last case fails
    # only at capset ("capset: Operation not permitted"), as runc does.
    # crun refuses a hybrid cgroup layout (here: an empty cgroup2 at /sys/fs/cgroup/unified)
    # unless hugetlb is mounted as a v1 hierarchy; a test must not mount anything on the
    # host, so on such a host it skips with crun's own message.
    command -v crun >/dev/null || skip "crun is not installed"
    RUNTIME=$(command -v crun)
    STATE_ROOT=$BATS_TEST_TMPDIR/state-crun
    new_criu_bundle probe
    set_args true
    run runtime run --bundle "$BUNDLE" "$(new_id probe)"
    [[ $output == *"cgroups in hybrid mode not supported"* ]] &&
        skip "crun refuses this hybrid cgroup layout: $output"
    run_scenario_on "$RUNTIME"
    assert_output --partial "capset: Operation not permitted"
}
