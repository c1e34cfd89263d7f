#!/usr/bin/env bats
# The commands over a running container's cgroup (issue 8): update, pause, resume, ps,
# events, kill --all and delete -f with sub-cgroups. Each effect is read back from the
# cgroup files and checked from inside the container. Runs on the host (v1/hybrid) and in
# the pure cgroup v2 guest (tests/vm/run-in-cgroup2.sh); the same file against runc:
#   RUNTIME=/usr/sbin/runc bats tests/integration/cgroups_commands.bats
# The containers' processes report through files in their writable rootfs and wait on
# fifos there, so every step waits for a fact, never for time.

load helpers

setup() {
    common_setup
    ID=$(new_id cg)
    ROOT=$BUNDLE/rootfs
    # The same absolute cgroup for every runtime (runc's default is below its own cgroup).
    update_config --arg cg "/$ID" '.linux.cgroupsPath = $cg | .root.readonly = false'
    BACKGROUND=()
}

teardown() {
    local pid
    for pid in "${BACKGROUND[@]}"; do
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    common_teardown
}

# Starts the container detached; its output goes to a file (the init keeps it open).
start_detached() {
    runtime run -d --bundle "$BUNDLE" "$ID" </dev/null >"$BATS_TEST_TMPDIR/run.log" 2>&1 3>&- ||
        fail "run -d failed: $(cat "$BATS_TEST_TMPDIR/run.log")"
}

# Polls (every 50 ms, for at most $1 seconds) until the command in $2... succeeds.
wait_until() {
    local timeout=$1 i
    shift
    for ((i = 0; i < timeout * 20; i++)); do
        "$@" && return 0
        sleep 0.05
    done
    return 1
}

has_content() {
    [ -s "$1" ]
}

# The container's directory for controller $1: its v1 hierarchy's, else cgroup2's.
cg_dir() {
    if [ -d "/sys/fs/cgroup/$1/$ID" ]; then
        echo "/sys/fs/cgroup/$1/$ID"
    elif [ -f /sys/fs/cgroup/cgroup.controllers ]; then
        echo "/sys/fs/cgroup/$ID"
    else
        echo "/sys/fs/cgroup/unified/$ID"
    fi
}

is_v1() {
    [ -d "/sys/fs/cgroup/$1/$ID" ]
}

# Opens fifo $1 in the rootfs for writing: returns once the container reads it.
signal_container() {
    echo go >"$ROOT/tmp/$1"
}

@test "update, pause, resume, ps and events: --help exits 0" {
    local cmd
    for cmd in update pause resume ps events; do
        run runtime "$cmd" --help
        assert_success
        assert_output --partial "$cmd"
    done
}

@test "update raises a running container's pids limit: forking past the old one fails, then works" {
    update_config '.linux.resources.pids = {"limit": 4}'
    mkfifo "$ROOT/tmp/go1" "$ROOT/tmp/go2" "$ROOT/tmp/end"
    # A child shell forks sleeps until it cannot (ash exits when a fork fails); the init
    # then counts the processes left in its pid namespace.
    local try='sh -c "for i in 1 2 3 4 5; do sleep 1000 & done"'
    set_args sh -c "read a </tmp/go1; $try; echo \$? >/tmp/rc1; set -- /proc/[0-9]*; echo \$# >/tmp/n1;
        read a </tmp/go2; $try; echo \$? >/tmp/rc2; set -- /proc/[0-9]*; echo \$# >/tmp/n2;
        read a </tmp/end"
    start_detached
    assert_equal "$(cat "$(cg_dir pids)/pids.max")" 4

    signal_container go1
    wait_until 20 has_content "$ROOT/tmp/n1" || fail "no count from the container"
    [ "$(cat "$ROOT/tmp/rc1")" != 0 ] || fail "all forks succeeded under the limit"
    assert_equal "$(cat "$ROOT/tmp/n1")" 3 # the init and two sleeps

    run runtime update --pids-limit 20 "$ID"
    assert_success
    assert_equal "$(cat "$(cg_dir pids)/pids.max")" 20
    signal_container go2
    wait_until 20 has_content "$ROOT/tmp/n2" || fail "no count from the container"
    assert_equal "$(cat "$ROOT/tmp/rc2")" 0
    assert_equal "$(cat "$ROOT/tmp/n2")" 8
}

@test "update sets memory and cpu limits from flags, -r FILE and -r - (merged onto the current ones)" {
    set_args sleep 1000
    start_detached
    local mem_file=memory.max quota
    is_v1 memory && mem_file=memory.limit_in_bytes

    run runtime update --memory 64m --cpu-quota 20000 --cpu-period 100000 "$ID"
    assert_success
    assert_equal "$(cat "$(cg_dir memory)/$mem_file")" 67108864
    if is_v1 cpu; then
        assert_equal "$(cat "$(cg_dir cpu)/cpu.cfs_quota_us")" 20000
    else
        assert_equal "$(cat "$(cg_dir cpu)/cpu.max")" "20000 100000"
    fi

    echo '{"memory": {"limit": 50331648}, "pids": {"limit": 42}}' >"$BATS_TEST_TMPDIR/r.json"
    run runtime update -r "$BATS_TEST_TMPDIR/r.json" "$ID"
    assert_success
    assert_equal "$(cat "$(cg_dir memory)/$mem_file")" 50331648
    assert_equal "$(cat "$(cg_dir pids)/pids.max")" 42

    # With -r, the flags are ignored (as runc); what the file leaves out stays.
    run runtime update --pids-limit 7 -r - "$ID" <<<'{"pids": {"limit": 43}}'
    assert_success
    assert_equal "$(cat "$(cg_dir pids)/pids.max")" 43
    assert_equal "$(cat "$(cg_dir memory)/$mem_file")" 50331648
    if is_v1 cpu; then
        quota=$(cat "$(cg_dir cpu)/cpu.cfs_quota_us")
    else
        quota=$(cut -d' ' -f1 "$(cg_dir cpu)/cpu.max")
    fi
    assert_equal "$quota" 20000

    run runtime update --pids-limit -1 "$ID"
    assert_success
    assert_equal "$(cat "$(cg_dir pids)/pids.max")" max
}

@test "update refuses bad values and a stopped container with runc's messages" {
    set_args true
    start_detached
    wait_for_status "$ID" 5 stopped
    run runtime update --memory abc "$ID"
    assert_failure 1
    assert_output --partial "invalid value for memory: invalid size: 'abc'"
    run runtime update --cpu-share x "$ID"
    assert_failure 1
    assert_output --partial 'invalid value for cpu-share: strconv.ParseUint: parsing \"x\": invalid syntax'
    run runtime update --pids-limit 10 "$ID"
    assert_failure 1
    assert_output --partial "container not running"
    run runtime update --pids-limit 10 "nosuch-$ID"
    assert_failure 1
    assert_output --partial "does not exist"
}

counter_value() {
    cat "$ROOT/tmp/$1" 2>/dev/null || true
}

# Waits until counter file $1 holds something other than $2 (and not empty).
counter_moved() {
    local now
    now=$(counter_value "$1")
    [ -n "$now" ] && [ "$now" != "$2" ]
}

# Waits for counter $1 to move $2 times.
wait_moves() {
    local file=$1 moves=$2 last i
    last=$(counter_value "$file")
    for ((i = 0; i < moves; i++)); do
        wait_until 20 counter_moved "$file" "$last" || return 1
        last=$(counter_value "$file")
    done
}

@test "pause stops a counter (state and list say paused, the cgroup is frozen); resume continues it" {
    local counter='i=0; while :; do i=$((i+1)); echo $i >/tmp/$0; sleep 0.02; done'
    set_args sh -c "$counter" count
    start_detached
    # A second container counting beside it: when it has moved, the paused one would have.
    local paused_id=$ID
    ID=$(new_id ref)
    update_config --arg cg "/$ID" '.linux.cgroupsPath = $cg'
    set_args sh -c "$counter" ref
    start_detached
    ID=$paused_id
    wait_moves count 2 || fail "the counter does not run"

    run runtime pause "$ID"
    assert_success
    if is_v1 freezer; then
        assert_equal "$(cat "$(cg_dir freezer)/freezer.state")" FROZEN
    else
        run grep -x 'frozen 1' "$(cg_dir freezer)/cgroup.events"
        assert_success
    fi
    assert_equal "$(runtime state "$ID" | jq -r .status)" paused
    run runtime list
    assert_output --regexp "$ID +[0-9]+ +paused"

    local frozen_at
    frozen_at=$(counter_value count)
    wait_moves ref 5 || fail "the reference counter does not run"
    assert_equal "$(counter_value count)" "$frozen_at"

    run runtime resume "$ID"
    assert_success
    assert_equal "$(runtime state "$ID" | jq -r .status)" running
    wait_until 20 counter_moved count "$frozen_at" || fail "the counter did not resume"
}

@test "pause of a stopped container and resume of a running one fail with runc's messages" {
    mkfifo "$ROOT/tmp/end"
    set_args sh -c 'read a </tmp/end'
    start_detached
    run runtime resume "$ID"
    assert_failure 1
    assert_output --partial "container not paused"
    signal_container end
    wait_for_status "$ID" 5 stopped
    run runtime pause "$ID"
    assert_failure 1
    assert_output --partial "container not running"
    run runtime resume "$ID"
    assert_failure 1
    assert_output --partial "container not paused"
}

# Waits until the container's cgroup holds $1 processes.
has_pids() {
    [ "$(runtime ps -f json "$ID" | jq length)" = "$1" ]
}

@test "ps lists the container's processes as json" {
    set_args sh -c 'sleep 1001 & exec sleep 1002'
    start_detached
    wait_until 20 has_pids 2 || fail "the container does not have its two processes"
    run runtime ps -f json "$ID"
    assert_success
    assert_equal "$(jq "index($(container_pid "$ID")) != null" <<<"$output")" true

    run runtime ps -f xml "$ID"
    assert_failure 1
    assert_output --partial "invalid format option"
}

@test "ps lists the container's processes as the host's ps table (with ps options)" {
    # The guest's procps cannot read the boot time it wants.
    ps -ef >/dev/null 2>&1 || skip "the host's ps fails: $(ps -ef 2>&1 | tail -1)"
    set_args sh -c 'sleep 1001 & exec sleep 1002'
    start_detached
    wait_until 20 has_pids 2 || fail "the container does not have its two processes"
    local init
    init=$(container_pid "$ID")

    run runtime ps "$ID"
    assert_success
    assert_line --index 0 --regexp '^UID +PID +PPID'
    assert_line --regexp "^[^ ]+ +$init .*sleep 1002$"
    assert_line --regexp "sleep 1001$"
    assert_equal "${#lines[@]}" 3

    run runtime ps "$ID" -o pid,args
    assert_success
    assert_line --index 0 --regexp '^ *PID COMMAND$'
    assert_line --regexp "^ *$init sleep 1002$"
    assert_equal "${#lines[@]}" 3
}

@test "events --stats prints one stats event in runc's shape" {
    set_args sleep 1000
    start_detached
    run runtime events --stats "$ID"
    assert_success
    assert_equal "${#lines[@]}" 1
    assert_equal "$(jq -r .type <<<"$output")" stats
    assert_equal "$(jq -r .id <<<"$output")" "$ID"
    assert_equal "$(jq -r '.data.pids.current' <<<"$output")" 1
    assert_equal "$(jq -r '.data.memory.usage.usage > 0' <<<"$output")" true
    assert_equal "$(jq -r '.data.cpu.usage.total > 0' <<<"$output")" true

    run runtime events --interval 0s "$ID"
    assert_failure 1
    assert_output --partial "duration interval must be greater than 0"
}

# True once process $1 has the OOM notification open (an eventfd on v1, inotify on v2).
watches_oom() {
    ls -l "/proc/$1/fd" 2>/dev/null | grep -q -e 'anon_inode:\[eventfd\]' -e 'anon_inode:inotify'
}

# runc's oom event line, exactly (the stream may end with a stats line being written).
has_oom_event() {
    grep -Fqx "{\"type\":\"oom\",\"id\":\"$ID\"}" "$1"
}

@test "events reports an oom kill in the container and streams stats" {
    update_config '.linux.resources.memory = {"limit": 33554432, "swap": 33554432}'
    mkfifo "$ROOT/tmp/go"
    # dd's 64M buffer is filled from /dev/zero: past the 32M limit, the OOM killer ends it.
    set_args sh -c 'read a </tmp/go; dd if=/dev/zero of=/dev/null bs=64M count=1; echo $? >/tmp/rc;
        read a </tmp/go'
    start_detached
    local events=$BATS_TEST_TMPDIR/events
    # Not through the runtime function: $! must be the runtime's own pid.
    "${RUNTIME:-$CRADLE}" --root "$STATE_ROOT" events --interval 100ms "$ID" >"$events" 2>&1 3>&- &
    local watcher=$!
    BACKGROUND+=("$watcher")
    wait_until 20 watches_oom "$watcher" || fail "events does not watch for OOM: $(grep -v stats "$events")"
    signal_container go
    wait_until 20 has_content "$ROOT/tmp/rc" || fail "the allocation did not end"
    assert_equal "$(cat "$ROOT/tmp/rc")" 137
    wait_until 20 has_oom_event "$events" || fail "no oom event: $(grep -v stats "$events")"
    wait_until 20 grep -q '"type":"stats"' "$events" || fail "no stats event"
    run jq -e --arg id "$ID" '.type == "stats" and .id == $id and .data.memory != null' \
        <<<"$(grep -m1 '"type":"stats"' "$events")"
    assert_success

    # cradle's stream ends with the container's init (runc's v1 one only at delete).
    is_cradle || return 0
    signal_container go
    wait_until 20 exited "$watcher" || fail "events outlived the container"
    wait "$watcher" || fail "events exited with status $?"
}

# True once process $1 is gone or a zombie (a child of this shell not reaped yet).
exited() {
    [ ! -e "/proc/$1" ] || [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" = Z ]
}

# Puts process $1 into a new sub-cgroup "sub" of the container's cgroup in every hierarchy,
# as a process with a writable cgroup mount in the container would.
move_to_sub_cgroup() {
    local pid=$1 dir
    for dir in $(cgroup_dirs_of "$ID"); do
        mkdir "$dir/sub"
        if [ -f "$dir/cpuset.cpus" ]; then
            cat "$dir/cpuset.cpus" >"$dir/sub/cpuset.cpus"
            cat "$dir/cpuset.mems" >"$dir/sub/cpuset.mems"
        fi
        echo "$pid" >"$dir/sub/cgroup.procs"
    done
}

# The pid of the container's process whose command line is $1.
pid_of() {
    local pid
    for pid in $(runtime ps -f json "$ID" | jq '.[]'); do
        if [ "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" = "$1 " ]; then
            echo "$pid"
            return 0
        fi
    done
    return 1
}

gone() {
    ! kill -0 "$1" 2>/dev/null
}

# Without a pid namespace of its own, the container's processes outlive its init: only the
# cgroup reaches them.
setup_sub_cgroup_process() {
    update_config '.linux.namespaces |= map(select(.type != "pid"))'
    set_args sh -c 'sleep 1001 & exec sleep 1002'
    start_detached
    wait_until 20 has_pids 2 || fail "the container does not have its two processes"
    SUB_PID=$(pid_of "sleep 1001")
    INIT_PID=$(container_pid "$ID")
    move_to_sub_cgroup "$SUB_PID"
    run runtime ps -f json "$ID"
    assert_equal "$(jq 'length' <<<"$output")" 2
}

@test "kill --all reaches a process in a sub-cgroup; delete then leaves nothing" {
    setup_sub_cgroup_process
    run runtime kill --all "$ID" KILL
    assert_success
    wait_until 10 gone "$SUB_PID" || fail "the process in the sub-cgroup survived"
    wait_until 10 gone "$INIT_PID" || fail "the init survived"
    wait_for_status "$ID" 5 stopped
    run runtime delete "$ID"
    assert_success
    assert_no_trace "$ID"
}

@test "kill --all with another signal reaches a process in a sub-cgroup" {
    setup_sub_cgroup_process
    run runtime kill --all "$ID" TERM
    assert_success
    wait_until 10 gone "$SUB_PID" || fail "the process in the sub-cgroup survived"
    wait_until 10 gone "$INIT_PID" || fail "the init survived"
}

@test "delete -f kills a process in a sub-cgroup and removes the sub-cgroup" {
    setup_sub_cgroup_process
    run runtime delete -f "$ID"
    assert_success
    wait_until 10 gone "$SUB_PID" || fail "the process in the sub-cgroup survived"
    assert_no_trace "$ID"
}

@test "delete -f of a container with its own pid namespace and a sub-cgroup leaves nothing" {
    set_args sh -c 'sleep 1001 & exec sleep 1002'
    start_detached
    wait_until 20 has_pids 2 || fail "the container does not have its two processes"
    local sub
    sub=$(pid_of "sleep 1001")
    move_to_sub_cgroup "$sub"
    run runtime delete -f "$ID"
    assert_success
    gone "$sub" || fail "the process in the sub-cgroup survived"
    assert_no_trace "$ID"
}

@test "a paused container is ended by kill KILL and removed by delete -f" {
    set_args sleep 1000
    start_detached
    run runtime pause "$ID"
    assert_success
    run runtime kill "$ID" KILL
    assert_success
    wait_for_status "$ID" 5 stopped || fail "the paused container survived SIGKILL"

    ID=$(new_id paused)
    update_config --arg cg "/$ID" '.linux.cgroupsPath = $cg'
    start_detached
    run runtime pause "$ID"
    assert_success
    run runtime delete -f "$ID"
    assert_success
    run runtime state "$ID"
    assert_failure
    [ -z "$(cgroup_dirs_of "$ID")" ] || fail "cgroup left: $(cgroup_dirs_of "$ID")"
}

@test "a paused created container is paused until resumed: start refuses it, as runc" {
    set_args true
    run_create "$ID"
    assert_success
    run runtime pause "$ID"
    assert_success
    assert_equal "$(runtime state "$ID" | jq -r .status)" paused
    run runtime start "$ID"
    assert_failure 1
    assert_output --partial "cannot start a container in the paused state"
    run runtime resume "$ID"
    assert_success
    assert_equal "$(runtime state "$ID" | jq -r .status)" created
    run runtime start "$ID"
    assert_success
    wait_for_status "$ID" 5 stopped
}

@test "under --systemd-cgroup, pause, ps, update and delete -f act on the container's scope" {
    [ -d /run/systemd/system ] || skip "systemd is not PID 1 (tests/vm/run-in-cgroup2.sh --systemd)"
    update_config --arg cg "system.slice:cradle-test:$ID" '.linux.cgroupsPath = $cg'
    set_args sh -c 'sleep 1001 & exec sleep 1002'
    local scope=/sys/fs/cgroup/system.slice/cradle-test-$ID.scope
    "${RUNTIME:-$CRADLE}" --systemd-cgroup --root "$STATE_ROOT" run -d --bundle "$BUNDLE" "$ID" \
        </dev/null >"$BATS_TEST_TMPDIR/run.log" 2>&1 3>&- || fail "$(cat "$BATS_TEST_TMPDIR/run.log")"
    [ -d "$scope" ] || fail "no scope $scope"
    wait_until 20 has_pids 2 || fail "the container does not have its two processes"

    run runtime pause "$ID"
    assert_success
    run grep -x 'frozen 1' "$scope/cgroup.events"
    assert_success
    assert_equal "$(runtime state "$ID" | jq -r .status)" paused
    run runtime resume "$ID"
    assert_success
    assert_equal "$(runtime state "$ID" | jq -r .status)" running

    run runtime update --pids-limit 30 "$ID"
    assert_success
    assert_equal "$(cat "$scope/pids.max")" 30

    run runtime delete -f "$ID"
    assert_success
    [ ! -d "$scope" ] || fail "scope left: $scope"
}

@test "a container that made sub-cgroups of its own (cgroup namespace, rw cgroup mount) leaves nothing" {
    # (runc's spec has the cgroup namespace already on a cgroup v2 host)
    update_config '.linux.namespaces |= (map(select(.type != "cgroup")) + [{"type": "cgroup"}])
        | .mounts |= map(if .destination == "/sys/fs/cgroup"
                         then .options = ((.options - ["ro"]) + ["rw"]) else . end)'
    mkfifo "$ROOT/tmp/end"
    # In every hierarchy (v1 ones and cgroup2), the init makes "sub" and moves itself there.
    set_args sh -c 'for d in /sys/fs/cgroup /sys/fs/cgroup/*; do
            [ -f $d/cgroup.procs ] || continue
            mkdir $d/sub || exit 1
            if [ -f $d/cpuset.cpus ]; then
                cat $d/cpuset.cpus >$d/sub/cpuset.cpus; cat $d/cpuset.mems >$d/sub/cpuset.mems
            fi
            echo $$ >$d/sub/cgroup.procs || exit 1
        done
        echo moved >/tmp/ready; read a </tmp/end'
    start_detached
    wait_until 20 has_content "$ROOT/tmp/ready" || fail "the container did not make its sub-cgroups"
    run grep -c ":/$ID/sub\$" "/proc/$(container_pid "$ID")/cgroup"
    [ "$output" -ge 1 ] || fail "not in a sub-cgroup: $(cat "/proc/$(container_pid "$ID")/cgroup")"

    run runtime delete -f "$ID"
    assert_success
    assert_no_trace "$ID"
}
