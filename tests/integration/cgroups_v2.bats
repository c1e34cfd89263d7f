#!/usr/bin/env bats
# linux.resources on a pure cgroup v2 host (runc's fs2 conversions): each group read back from
# the container's cgroup files on the host AND checked from inside the container (OOM kill
# at the memory limit, fork failing at the pids limit, CPU throttled by cpu.max). Skips
# unless /sys/fs/cgroup is cgroup2 with the cpu, memory and pids controllers enabled: run
# it in the guest, against cradle and against runc (same expectations):
#   tests/vm/run-in-cgroup2.sh env CRADLE=$PWD/build/cradle bats tests/integration/cgroups_v2.bats
#   tests/vm/run-in-cgroup2.sh env RUNTIME=/usr/sbin/runc bats tests/integration/cgroups_v2.bats

load helpers

setup() {
    [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ] ||
        skip "needs a pure cgroup v2 host (run it through tests/vm/run-in-cgroup2.sh)"
    local c
    for c in cpu memory pids; do
        grep -qw "$c" /sys/fs/cgroup/cgroup.subtree_control ||
            skip "needs the $c controller enabled in /sys/fs/cgroup/cgroup.subtree_control"
    done
    common_setup
    ID=$(new_id v2)
    CG=/sys/fs/cgroup/$ID
    # Its own cgroup namespace: inside, /sys/fs/cgroup is the container's cgroup.
    update_config --arg path "/$ID" '.linux.cgroupsPath = $path
        | if any(.linux.namespaces[]; .type == "cgroup") then .
          else .linux.namespaces += [{"type": "cgroup"}] end'
}

teardown() {
    common_teardown
}

# Sets linux.resources (merged into the spec's) from a JSON object.
set_resources() {
    update_config --argjson r "$1" '.linux.resources += $r'
}

# Passes when the output holds message (runc's log quotes it: backslashes are dropped).
assert_message() {
    [[ ${output//\\/} == *"$1"* ]] || fail "no \"$1\" in: $output"
}

# Starts the container detached with a long sleep, so that its cgroup can be read. The
# output goes through a file: the init inherits it and would keep a pipe open.
run_detached() {
    local log=$BATS_TEST_TMPDIR/run.log
    set_args sleep 1000
    runtime run -d --bundle "$BUNDLE" "$ID" </dev/null >"$log" 2>&1 || fail "$(cat "$log")"
}

# Runs sh -c "$1" in the foreground in a new container with the same resources (its own id
# and cgroup: the detached one may still run).
run_inside() {
    local id
    id=$(new_id in)
    update_config --arg path "/$id" '.linux.cgroupsPath = $path'
    set_args sh -c "$1"
    run runtime run --bundle "$BUNDLE" "$id"
}

@test "memory: limit, reservation and swap (memory+swap minus limit) in memory.max/low/swap.max" {
    set_resources '{"memory": {"limit": 67108864, "reservation": 33554432, "swap": 100663296}}'
    run_detached
    assert_equal "$(cat "$CG/memory.max")" 67108864
    assert_equal "$(cat "$CG/memory.low")" 33554432
    assert_equal "$(cat "$CG/memory.swap.max")" 33554432
    run_inside 'cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/memory.swap.max'
    assert_success
    assert_output $'67108864\n33554432'
}

@test "memory: an allocation past a 64M limit is OOM-killed (137)" {
    # swap == limit: no swap to escape into.
    set_resources '{"memory": {"limit": 67108864, "swap": 67108864}}'
    # busybox tail keeps a line in memory until it ends: /dev/zero has none.
    set_args tail /dev/zero
    run runtime run --bundle "$BUNDLE" "$ID" </dev/null
    assert_equal "$status" 137
}

@test "memory: -1 is unlimited, swap too" {
    set_resources '{"memory": {"limit": -1}}'
    run_detached
    assert_equal "$(cat "$CG/memory.max")" max
    assert_equal "$(cat "$CG/memory.swap.max")" max
}

@test "memory: swap without a limit is refused with runc's message" {
    set_resources '{"memory": {"swap": 67108864}}'
    run_create "$ID"
    assert_failure
    assert_output --partial "unable to set swap limit without memory limit"
    [ ! -d "$CG" ] || fail "cgroup left: $CG"
}

@test "pids: pids.max 20, a fork past it fails" {
    set_resources '{"pids": {"limit": 20}}'
    run_detached
    assert_equal "$(cat "$CG/pids.max")" 20
    # busybox sh gives up (status 2) at the failed fork; its exit ends the sleeps (pid
    # namespace).
    run_inside 'cat /sys/fs/cgroup/pids.max; i=0; while [ $i -lt 40 ]; do
        sleep 100 & i=$((i+1)); done 2>&1; echo all forked'
    assert_line --index 0 20
    assert_output --partial "can't fork"
    refute_output --partial "all forked"
}

@test "cpu: shares -> cpu.weight, quota/period -> cpu.max, and the container is throttled" {
    set_resources '{"cpu": {"shares": 1024, "quota": 10000, "period": 100000}}'
    run_detached
    assert_equal "$(cat "$CG/cpu.weight")" 39
    assert_equal "$(cat "$CG/cpu.max")" "10000 100000"
    # 10% of a CPU: a busy loop is throttled within a few periods.
    run_inside 'cat /sys/fs/cgroup/cpu.max; i=0; while [ $i -lt 30000 ]; do i=$((i+1)); done
        grep nr_throttled /sys/fs/cgroup/cpu.stat'
    assert_success
    assert_line --index 0 "10000 100000"
    [[ ${lines[1]} =~ ^nr_throttled\ [1-9] ]] || fail "not throttled: $output"
}

@test "cpu: a quota alone gets the default period; a period alone an unlimited quota" {
    set_resources '{"cpu": {"quota": 50000}}'
    run_detached
    assert_equal "$(cat "$CG/cpu.max")" "50000 100000"
    runtime delete -f "$ID"
    update_config '.linux.resources.cpu = {"period": 250000}'
    run_detached
    assert_equal "$(cat "$CG/cpu.max")" "max 250000"
}

@test "zero values write nothing (Docker's zero entries, Podman's pids limit 0)" {
    # blockIO.weight 0 would fail if written: this kernel may have no io.weight.
    set_resources '{"memory": {"limit": 0, "reservation": 0, "swap": 0},
        "cpu": {"shares": 0, "quota": 0, "period": 0}, "pids": {"limit": 0},
        "blockIO": {"weight": 0}}'
    run_detached
    assert_equal "$(cat "$CG/memory.max")" max
    assert_equal "$(cat "$CG/memory.low")" 0
    assert_equal "$(cat "$CG/cpu.weight")" 100
    assert_equal "$(cat "$CG/cpu.max")" "max 100000"
    assert_equal "$(cat "$CG/pids.max")" max
}

@test "blockIO.weight: io.weight (converted) where the kernel has it, else an error naming it" {
    grep -qw io /sys/fs/cgroup/cgroup.subtree_control || skip "no io controller"
    local probe=/sys/fs/cgroup/probe-$ID has_weight=no
    mkdir "$probe"
    [ -e "$probe/io.weight" ] || [ -e "$probe/io.bfq.weight" ] && has_weight=yes
    rmdir "$probe"
    set_resources '{"blockIO": {"weight": 500}}'
    if [ $has_weight = yes ]; then
        run_detached
        [ -e "$CG/io.bfq.weight" ] || assert_equal "$(cat "$CG/io.weight")" "default 4950"
    else
        run_create "$ID"
        assert_failure
        assert_output --partial "io.weight"
        if is_cradle; then
            assert_output --partial "linux.resources.blockIO.weight: /sys/fs/cgroup/$ID has neither io.bfq.weight nor io.weight"
        fi
        [ ! -d "$CG" ] || fail "cgroup left: $CG"
    fi
}

@test "blockIO throttles: one io.max line per device" {
    grep -qw io /sys/fs/cgroup/cgroup.subtree_control || skip "no io controller"
    local dev
    dev=$(cat /sys/block/*/dev 2>/dev/null | head -n 1)
    [ -n "$dev" ] || skip "no block device on this host"
    local major=${dev%:*} minor=${dev#*:}
    set_resources "{\"blockIO\": {
        \"throttleReadBpsDevice\": [{\"major\": $major, \"minor\": $minor, \"rate\": 1048576}],
        \"throttleWriteIOPSDevice\": [{\"major\": $major, \"minor\": $minor, \"rate\": 100}]}}"
    run_detached
    run cat "$CG/io.max"
    assert_output "$dev rbps=1048576 wbps=max riops=max wiops=100"
}

@test "unified: raw cgroup2 files written last, read back inside" {
    set_resources '{"memory": {"limit": 67108864}, "unified": {"memory.high": "33554432",
        "pids.max": "7"}, "pids": {"limit": 20}}'
    run_detached
    assert_equal "$(cat "$CG/memory.high")" 33554432
    # unified overrides the converted value.
    assert_equal "$(cat "$CG/pids.max")" 7
    run_inside 'cat /sys/fs/cgroup/memory.high'
    assert_output 33554432
}

@test "unified: runc's errors for a path, a key without controller, a missing controller" {
    set_resources '{"unified": {"../memory.max": "1"}}'
    run_create "$ID"
    assert_failure
    if is_cradle; then
        # cradle refuses it when it reads the config, naming the field.
        assert_message 'linux.resources.unified: "../memory.max" is not a cgroup file name'
    else
        assert_message 'unified resource "../memory.max" must be a file name (no slashes)'
    fi
    [ ! -d "$CG" ] || fail "cgroup left: $CG"

    update_config '.linux.resources.unified = {"nodot": "1"}'
    run_create "$ID"
    assert_failure
    assert_message 'unified resource "nodot" must be in the form CONTROLLER.PARAMETER'

    grep -qw hugetlb /sys/fs/cgroup/cgroup.subtree_control && return 0
    update_config '.linux.resources.unified = {"hugetlb.2MB.max": "0"}'
    run_create "$ID"
    assert_failure
    assert_message 'unified resource "hugetlb.2MB.max" can'"'"'t be set: controller "hugetlb" not available'
}

@test "update: new limits converted and written to the running container's files" {
    set_resources '{"memory": {"limit": 67108864, "swap": 134217728}, "pids": {"limit": 20},
        "cpu": {"shares": 1024, "quota": 50000}}'
    run_detached
    run runtime update --memory 134217728 --memory-swap 268435456 --pids-limit 30 \
        --cpu-quota 20000 --cpu-share 512 "$ID"
    assert_success
    assert_equal "$(cat "$CG/memory.max")" 134217728
    assert_equal "$(cat "$CG/memory.swap.max")" 134217728
    assert_equal "$(cat "$CG/pids.max")" 30
    assert_equal "$(cat "$CG/cpu.max")" "20000 100000"
    assert_equal "$(cat "$CG/cpu.weight")" 20
    run runtime update --pids-limit -1 "$ID"
    assert_success
    assert_equal "$(cat "$CG/pids.max")" max
}

@test "update --memory -1 lifts the memory and the swap limit (as runc)" {
    # Only the update's own fields are applied (memory -1, swap unset: both "max"); applying
    # the stored swap again without a memory limit would be refused by runc's conversion.
    set_resources '{"memory": {"limit": 67108864, "swap": 134217728}}'
    run_detached
    run runtime update --memory -1 "$ID"
    assert_success
    assert_equal "$(cat "$CG/memory.max")" max
    assert_equal "$(cat "$CG/memory.swap.max")" max
}

@test "memory.checkBeforeUpdate: update refuses a limit below the current usage" {
    skip_unless_cradle "runc 1.1 does not implement checkBeforeUpdate (runc 1.2 does)"
    set_resources '{"memory": {"limit": 67108864, "checkBeforeUpdate": true}}'
    run_detached
    local r=$BATS_TEST_TMPDIR/r.json
    echo '{"memory": {"limit": 4096, "checkBeforeUpdate": true}}' >"$r"
    run runtime update -r "$r" "$ID"
    assert_failure
    assert_output --partial "rejecting memory limit 4096 below usage"
    assert_equal "$(cat "$CG/memory.max")" 67108864
    echo '{"memory": {"limit": 134217728, "checkBeforeUpdate": true}}' >"$r"
    run runtime update -r "$r" "$ID"
    assert_success
    assert_equal "$(cat "$CG/memory.max")" 134217728
}

@test "events --stats: runc's data shape from the cgroup2 files" {
    set_resources '{"memory": {"limit": 67108864}, "pids": {"limit": 20}}'
    run_detached
    run runtime events --stats "$ID"
    assert_success
    local data
    data=$(jq -c '.data' <<<"$output")
    assert_equal "$(jq -c 'keys' <<<"$data")" \
        '["blkio","cpu","cpuset","hugetlb","intel_rdt","memory","network_interfaces","pids"]'
    assert_equal "$(jq -c '.pids' <<<"$data")" '{"current":1,"limit":20}'
    assert_equal "$(jq '.memory.usage.limit' <<<"$data")" 67108864
    assert_equal "$(jq -c '.memory.kernel' <<<"$data")" '{"limit":0,"failcnt":0}'
    [ "$(jq '.memory.raw.anon' <<<"$data")" -gt 0 ] || fail "no memory.stat: $data"
    [ "$(jq '.cpu.usage.total' <<<"$data")" -gt 0 ] || fail "no cpu.stat: $data"
}
