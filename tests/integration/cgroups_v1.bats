#!/usr/bin/env bats
# linux.resources on cgroup v1 and hybrid hosts: every group read back from the
# container's v1 cgroup files and, where it can be seen, checked from inside the
# container. Where runc (the reference) behaves the same, each test runs against both.
# A host without a v1 memory controller (a pure cgroup v2 host, e.g. the CI guest) skips
# the whole file.

load helpers

# The mountpoint of the v1 hierarchy that has controller $1 ("" when none).
v1_mount() {
    awk -v c="$1" '{
        for (i = 1; $i != "-"; i++) {}
        if ($(i + 1) != "cgroup") next
        n = split($(i + 3), opts, ",")
        for (j = 1; j <= n; j++) if (opts[j] == c) { print $5; exit }
    }' /proc/self/mountinfo
}

# The text of file $3 in container $2's cgroup of controller $1.
cg_read() {
    cat "$(v1_mount "$1")/$2/$3"
}

# cradle, and runc where it is installed.
runtimes() {
    echo "$CRADLE"
    if [ -x /usr/sbin/runc ]; then echo /usr/sbin/runc; fi
}

# Makes $1 the runtime under test, with a state dir of its own.
use_runtime() {
    RUNTIME=$1
    STATE_ROOT=$BATS_TEST_TMPDIR/state-$(basename "$1")
    mkdir -p "$STATE_ROOT"
}

setup() {
    [ -e "$(v1_mount memory)/memory.limit_in_bytes" ] ||
        skip "no cgroup v1 memory controller on this host (pure cgroup v2)"
    common_setup
    use_runtime "${RUNTIME:-$CRADLE}"
}

teardown() {
    local rt
    for rt in $(runtimes); do
        use_runtime "$rt"
        common_teardown
    done
}

# Sets linux.resources (JSON $1) and cgroupsPath "/$2" in the bundle.
set_resources() {
    update_config --argjson r "$1" --arg p "/$2" '.linux.resources = $r | .linux.cgroupsPath = $p'
}

# Creates container $1 (its process waits for start), failing the test on error.
create_ok() {
    run_create "$1"
    [ "$status" -eq 0 ] || fail "$(basename "$RUNTIME") create $1 failed: $output"
}

@test "memory: limit, reservation, swap and swappiness in the v1 files; past the limit the OOM killer ends the container with 137" {
    local rt id
    for rt in $(runtimes); do
        use_runtime "$rt"
        id=$(new_id mem)
        set_resources '{"memory": {"limit": 33554432, "reservation": 16777216,
            "swap": 33554432, "swappiness": 10}}' "$id"
        create_ok "$id"
        assert_equal "$(cg_read memory "$id" memory.limit_in_bytes)" 33554432
        assert_equal "$(cg_read memory "$id" memory.soft_limit_in_bytes)" 16777216
        assert_equal "$(cg_read memory "$id" memory.memsw.limit_in_bytes)" 33554432
        assert_equal "$(cg_read memory "$id" memory.swappiness)" 10
        runtime delete --force "$id"

        # tail holds a line without a newline in memory: 100 MiB of zeros.
        set_args sh -c 'head -c 100m /dev/zero | tail'
        id=$(new_id oom)
        update_config --arg p "/$id" '.linux.cgroupsPath = $p'
        run runtime run --bundle "$BUNDLE" "$id"
        assert_equal "$status" 137
        runtime delete --force "$id" 2>/dev/null || true
    done
}

# Starts container $1 running the bundle's process detached, failing the test on error.
run_detached() {
    runtime run -d --bundle "$BUNDLE" "$1" >/dev/null 2>&1 </dev/null ||
        fail "$(basename "$RUNTIME") run -d $1 failed"
}

@test "update: memory and swap raised and lowered together (runc's write order)" {
    [ -e "$(v1_mount memory)/memory.memsw.limit_in_bytes" ] || skip "no swap accounting (memory.memsw.*)"
    local rt id
    set_args sleep 100
    for rt in $(runtimes); do
        use_runtime "$rt"
        id=$(new_id order)
        set_resources '{"memory": {"limit": 33554432, "swap": 33554432}}' "$id"
        run_detached "$id"
        # memsw may never be below the limit: raising writes swap first ...
        runtime update --memory 128M --memory-swap 256M "$id"
        assert_equal "$(cg_read memory "$id" memory.limit_in_bytes)" 134217728
        assert_equal "$(cg_read memory "$id" memory.memsw.limit_in_bytes)" 268435456
        # ... lowering writes the limit first.
        runtime update --memory 16M --memory-swap 32M "$id"
        assert_equal "$(cg_read memory "$id" memory.limit_in_bytes)" 16777216
        assert_equal "$(cg_read memory "$id" memory.memsw.limit_in_bytes)" 33554432
        runtime delete --force "$id"
    done
}

@test "update: pids, shares and quota change; a memory limit below usage fails with runc's message and changes nothing" {
    local rt id i usage
    set_args sh -c 'dd if=/dev/zero of=/dev/shm/fill bs=1M count=8 2>/dev/null; sleep 100'
    for rt in $(runtimes); do
        use_runtime "$rt"
        id=$(new_id update)
        set_resources '{"memory": {"limit": 67108864}, "pids": {"limit": 20}}' "$id"
        run_detached "$id"
        runtime update --pids-limit 30 --cpu-share 256 --cpu-quota 20000 --cpu-period 100000 "$id"
        assert_equal "$(cg_read pids "$id" pids.max)" 30
        assert_equal "$(cg_read cpu "$id" cpu.shares)" 256
        assert_equal "$(cg_read cpu "$id" cpu.cfs_quota_us)" 20000
        # The 8 MiB file in /dev/shm is charged to the container and cannot be reclaimed.
        for ((i = 0; i < 100; i++)); do
            usage=$(cg_read memory "$id" memory.usage_in_bytes)
            [ "$usage" -gt 8388608 ] && break
            sleep 0.05
        done
        [ "$usage" -gt 8388608 ] || fail "the container never used 8 MiB ($usage)"
        run runtime update --memory 2M "$id"
        assert_failure
        assert_output --partial "unable to set memory limit to 2097152 (current usage: "
        assert_equal "$(cg_read memory "$id" memory.limit_in_bytes)" 67108864
        if is_cradle; then
            # checkBeforeUpdate (runc 1.2; runc 1.1 writes and fails as above).
            run runtime update -r - "$id" <<<'{"memory": {"limit": 4000000, "checkBeforeUpdate": true}}'
            assert_failure
            assert_output --partial "rejecting memory limit 4000000 below usage"
        fi
        runtime delete --force "$id"
    done
}

@test "events: an OOM kill in the v1 memory cgroup is reported" {
    local rt id events_pid i
    mkdir "$BATS_TEST_TMPDIR/shared"
    update_config --arg s "$BATS_TEST_TMPDIR/shared" '.mounts += [{destination: "/shared",
        type: "bind", source: $s, options: ["rbind"]}]'
    set_args sh -c 'while [ ! -e /shared/go ]; do sleep 0.05; done; head -c 100m /dev/zero | tail; sleep 100'
    for rt in $(runtimes); do
        use_runtime "$rt"
        rm -f "$BATS_TEST_TMPDIR/shared/go"
        id=$(new_id events)
        set_resources '{"memory": {"limit": 33554432, "swap": 33554432}}' "$id"
        run_detached "$id"
        runtime events "$id" >"$BATS_TEST_TMPDIR/events-$id" 2>&1 &
        events_pid=$!
        # Fact: events has its OOM eventfd and waits in poll.
        for ((i = 0; i < 100; i++)); do
            ls -l "/proc/$events_pid/fd" 2>/dev/null | grep -q eventfd &&
                grep -q poll "/proc/$events_pid/wchan" 2>/dev/null && break
            sleep 0.05
        done
        touch "$BATS_TEST_TMPDIR/shared/go"
        for ((i = 0; i < 100; i++)); do
            grep -q '"type":"oom"' "$BATS_TEST_TMPDIR/events-$id" && break
            sleep 0.05
        done
        kill "$events_pid" 2>/dev/null || true
        wait "$events_pid" 2>/dev/null || true
        run cat "$BATS_TEST_TMPDIR/events-$id"
        assert_output --partial "{\"type\":\"oom\",\"id\":\"$id\"}"
        runtime delete --force "$id"
    done
}

@test "pids: pids.max holds the limit and a fork past it fails inside" {
    local rt id
    for rt in $(runtimes); do
        use_runtime "$rt"
        id=$(new_id pids)
        set_resources '{"pids": {"limit": 8}}' "$id"
        set_args sh -c 'for i in 1 2 3 4 5 6 7 8 9 10 11 12; do sleep 30 & done; echo done'
        run runtime run --bundle "$BUNDLE" "$id"
        assert_output --partial "can't fork"
        runtime delete --force "$id" 2>/dev/null || true

        id=$(new_id pidsmax)
        set_resources '{"pids": {"limit": -1}}' "$id"
        create_ok "$id"
        assert_equal "$(cg_read pids "$id" pids.max)" max
        runtime delete --force "$id"
    done
}

@test "cpu: shares, quota, period and cpuset read back; the process runs on the given cpus" {
    local rt id
    for rt in $(runtimes); do
        use_runtime "$rt"
        id=$(new_id cpu)
        set_resources '{"cpu": {"shares": 512, "quota": 50000, "period": 100000,
            "cpus": "0", "mems": "0"}}' "$id"
        set_args sh -c 'grep Cpus_allowed_list /proc/self/status'
        create_ok "$id"
        assert_equal "$(cg_read cpu "$id" cpu.shares)" 512
        assert_equal "$(cg_read cpu "$id" cpu.cfs_quota_us)" 50000
        assert_equal "$(cg_read cpu "$id" cpu.cfs_period_us)" 100000
        assert_equal "$(cg_read cpuset "$id" cpuset.cpus)" 0
        assert_equal "$(cg_read cpuset "$id" cpuset.mems)" 0
        runtime delete --force "$id"

        run runtime run --bundle "$BUNDLE" "$(new_id cpurun)"
        assert_success
        assert_output --regexp 'Cpus_allowed_list:[[:space:]]+0$'
    done
}

@test "cpu: a shares value the kernel clamps fails with runc's message" {
    local rt id
    for rt in $(runtimes); do
        use_runtime "$rt"
        id=$(new_id shares)
        set_resources '{"cpu": {"shares": 1}}' "$id"
        run_create "$id"
        assert_failure
        assert_output --partial "the minimum allowed cpu-shares is 2"
    done
    is_cradle || return 0
    use_runtime "$CRADLE"
    assert_no_trace "$id"
}

@test "cpu: burst and idle are written where the v1 kernel has the files" {
    skip_unless_cradle "runc 1.1 writes neither on cgroup v1"
    local id
    id=$(new_id burst)
    [ -e "$(v1_mount cpu)/cpu.cfs_burst_us" ] || skip "no cpu.cfs_burst_us on this kernel"
    set_resources '{"cpu": {"quota": 50000, "period": 100000, "burst": 20000, "idle": 1}}' "$id"
    create_ok "$id"
    assert_equal "$(cg_read cpu "$id" cpu.cfs_burst_us)" 20000
    if [ -e "$(v1_mount cpu)/cpu.idle" ]; then
        assert_equal "$(cg_read cpu "$id" cpu.idle)" 1
    fi
}

@test "Docker's zero values write nothing: cpu.shares stays the parent's, no limits" {
    local rt id parent_shares
    parent_shares=$(cat "$(v1_mount cpu)/cpu.shares")
    for rt in $(runtimes); do
        use_runtime "$rt"
        id=$(new_id zero)
        set_resources '{"memory": {"limit": 0, "reservation": 0, "swap": 0, "kernel": 0,
            "kernelTCP": 0}, "cpu": {"shares": 0, "quota": 0, "period": 0,
            "realtimeRuntime": 0, "realtimePeriod": 0, "cpus": "", "mems": ""},
            "blockIO": {"weight": 0}, "pids": {"limit": 0}}' "$id"
        create_ok "$id"
        assert_equal "$(cg_read cpu "$id" cpu.shares)" "$parent_shares"
        assert_equal "$(cg_read cpu "$id" cpu.cfs_quota_us)" -1
        assert_equal "$(cg_read memory "$id" memory.limit_in_bytes)" \
            "$(cat "$(v1_mount memory)/memory.limit_in_bytes")"
        assert_equal "$(cg_read pids "$id" pids.max)" max
        runtime delete --force "$id"
    done
}

@test "Podman-style resources (pids 2048, memory, shares) work" {
    local rt id
    for rt in $(runtimes); do
        use_runtime "$rt"
        id=$(new_id podman)
        set_resources '{"pids": {"limit": 2048}, "memory": {"limit": 536870912,
            "swap": 1073741824}, "cpu": {"shares": 1024}}' "$id"
        set_args sh -c 'echo ok'
        create_ok "$id"
        assert_equal "$(cg_read pids "$id" pids.max)" 2048
        assert_equal "$(cg_read memory "$id" memory.limit_in_bytes)" 536870912
        assert_equal "$(cg_read cpu "$id" cpu.shares)" 1024
        runtime delete --force "$id"
        run runtime run --bundle "$BUNDLE" "$(new_id podmanrun)"
        assert_success
        assert_output ok
    done
}

@test "hugetlb: the page size's limit_in_bytes; an unknown page size fails naming the field" {
    [ -n "$(v1_mount hugetlb)" ] || skip "no v1 hugetlb controller on this host"
    [ -e /sys/kernel/mm/hugepages/hugepages-2048kB ] || skip "no 2MB huge pages"
    local rt id
    for rt in $(runtimes); do
        use_runtime "$rt"
        id=$(new_id huge)
        set_resources '{"hugepageLimits": [{"pageSize": "2MB", "limit": 4194304}]}' "$id"
        create_ok "$id"
        assert_equal "$(cg_read hugetlb "$id" hugetlb.2MB.limit_in_bytes)" 4194304
        runtime delete --force "$id"

        id=$(new_id hugebad)
        set_resources '{"hugepageLimits": [{"pageSize": "3MB", "limit": 4194304}]}' "$id"
        run_create "$id"
        assert_failure
        assert_output --partial "hugetlb.3MB.limit_in_bytes"
        if is_cradle; then
            assert_output --partial 'linux.resources.hugepageLimits[0]: page size'
            assert_output --partial 'is not one of this host'
            assert_no_trace "$id"
        fi
    done
}

@test "blkio: the weight goes to BFQ's file without CFQ; throttles read back; leafWeight without CFQ is one clear error" {
    local blkio rt id dev
    blkio=$(v1_mount blkio)
    [ -n "$blkio" ] || skip "no v1 blkio controller on this host"
    dev=$(cat /sys/block/"$(ls /sys/block | grep -v -e loop -e zram | head -n1)"/dev)
    for rt in $(runtimes); do
        use_runtime "$rt"
        id=$(new_id blkio)
        set_resources '{"blockIO": {"weight": 500}}' "$id"
        update_config --arg d "$dev" '.linux.resources.blockIO.throttleReadBpsDevice =
            [{major: ($d | split(":")[0] | tonumber), minor: ($d | split(":")[1] | tonumber),
              rate: 1048576}]'
        run_create "$id"
        if [ -e "$blkio/$id/blkio.weight" ]; then
            assert_success
            assert_equal "$(cg_read blkio "$id" blkio.weight)" 500
        elif [ -e "$blkio/$id/blkio.bfq.weight" ]; then
            assert_success
            assert_equal "$(cg_read blkio "$id" blkio.bfq.weight)" 500
        else
            assert_failure
            is_cradle && assert_output --partial "linux.resources.blockIO.weight"
        fi
        if [ "$status" -eq 0 ]; then
            assert_equal "$(cg_read blkio "$id" blkio.throttle.read_bps_device)" "$dev 1048576"
        fi
        runtime delete --force "$id" 2>/dev/null || true
    done

    use_runtime "$CRADLE"
    [ -e "$blkio/blkio.leaf_weight" ] && return 0
    id=$(new_id leaf)
    set_resources '{"blockIO": {"leafWeight": 300}}' "$id"
    run_create "$id"
    assert_failure
    assert_output --partial "linux.resources.blockIO.leafWeight:"
    assert_output --partial "blkio.leaf_weight does not exist on this host"
    assert_no_trace "$id"
}

@test "a value the kernel rejects: one error naming the field and the cgroup file, nothing left" {
    local id
    use_runtime "$CRADLE"
    id=$(new_id reject)
    set_resources '{"cpu": {"cpus": "4095"}}' "$id"
    run_create "$id"
    assert_failure
    # (the log line escapes the quotes around the value)
    assert_output --partial "linux.resources.cpu.cpus: writing"
    assert_output --partial "4095"
    assert_output --partial " to $(v1_mount cpuset)/$id/cpuset.cpus: "
    assert_equal "$(grep -c 'linux.resources' <<<"$output")" 1
    assert_no_trace "$id"
}

@test "unified is refused on a v1 host as runc refuses it" {
    local rt id
    for rt in $(runtimes); do
        use_runtime "$rt"
        id=$(new_id unified)
        set_resources '{"unified": {"memory.high": "1000000"}}' "$id"
        run_create "$id"
        assert_failure
        assert_output --partial "cannot use unified on cgroup v1"
    done
}

@test "network: a classID without a net_cls hierarchy is a clear error (runc ignores it)" {
    skip_unless_cradle "runc silently skips controllers that are not mounted"
    [ -z "$(v1_mount net_cls)" ] || skip "this host has net_cls mounted"
    local id
    id=$(new_id netcls)
    set_resources '{"network": {"classID": 1048577}}' "$id"
    run_create "$id"
    assert_failure
    assert_output --partial "linux.resources.network.classID: no net_cls cgroup controller on this host"
    assert_no_trace "$id"
}

@test "kernel memory: a warning as runc gives, nothing written" {
    local rt id
    for rt in $(runtimes); do
        use_runtime "$rt"
        id=$(new_id kmem)
        set_resources '{"memory": {"limit": 67108864, "kernel": 16777216, "kernelTCP": 8388608}}' "$id"
        create_ok "$id"
        assert_output --partial "Kernel memory settings are ignored and will be removed"
        if [ -e "$(v1_mount memory)/$id/memory.kmem.limit_in_bytes" ]; then
            refute [ "$(cg_read memory "$id" memory.kmem.limit_in_bytes)" = 16777216 ]
        fi
        runtime delete --force "$id"
    done
}
