#!/usr/bin/env bats
# process.scheduler, process.ioPriority and process.execCPUAffinity (runtime-spec 1.2,
# issue 9), applied as runc 1.2 applies them: sched_setattr and ioprio_set in the setup the
# init and exec share, before the capabilities go; for exec, the child is born with
# execCPUAffinity.initial and sets .final once in the container's cgroup. Every effect is
# read from inside the container by tests/tools/schedinfo.c (sched_getattr, ioprio_get,
# sched_getaffinity; busybox has no chrt). runc 1.1.5 has none of these fields (it ignores
# them): there every test skips, saying so.
#   RUNTIME=/usr/sbin/runc bats tests/integration/process_sched.bats

load helpers

setup_file() {
    SCHEDINFO=$BATS_FILE_TMPDIR/schedinfo
    gcc -static -O2 -o "$SCHEDINFO" "$REPO_ROOT/tests/tools/schedinfo.c"
    export SCHEDINFO
}

setup() {
    common_setup
    cp "$SCHEDINFO" "$BUNDLE/rootfs/bin/schedinfo"
    ID=$(new_id sched)
}

teardown() {
    # A foreground exec a test left in the background goes with its process.
    [ -n "${EXEC_RUNTIME_PID:-}" ] && kill "$EXEC_RUNTIME_PID" 2>/dev/null
    common_teardown
}

skip_on_runc() {
    is_runc && skip "runc 1.1.5 has no $1"
    return 0
}

# The container of $BUNDLE, detached, as $ID.
start_container() {
    set_args sleep inf
    runtime run -d --bundle "$BUNDLE" "$ID" >"$BATS_TEST_TMPDIR/init.log" 2>&1 </dev/null ||
        fail "run -d failed: $(cat "$BATS_TEST_TMPDIR/init.log")"
}

# `run` of `RUNTIME exec ARGS...`, bounded.
rt_exec() {
    run timeout 30 "${RUNTIME:-$CRADLE}" --root "$STATE_ROOT" exec "$@" </dev/null
}

# A --process file for exec: args and cwd, plus the JSON members $2 (may be empty).
process_file() {
    local file=$BATS_TEST_TMPDIR/$1.json
    jq -n --argjson extra "{${2:-}}" '{args: ["schedinfo"], cwd: "/"} + $extra' >"$file"
    echo "$file"
}

# On a kernel with real-time group scheduling (cgroup v1 cpu.rt_runtime_us), a cgroup
# without real-time runtime refuses SCHED_FIFO and SCHED_RR: give the container some.
allow_realtime() {
    if [ -e /sys/fs/cgroup/cpu/cpu.rt_runtime_us ]; then
        update_config '.linux.resources.cpu.realtimeRuntime = 10000
            | .linux.resources.cpu.realtimePeriod = 1000000'
    fi
}

needs_two_cpus() {
    [ "$(nproc)" -ge 2 ] || skip "needs CPUs 0 and 1 (this host has $(nproc))"
}

@test "process.scheduler SCHED_BATCH with nice: the init and an exec'd process have it" {
    skip_on_runc process.scheduler
    update_config '.process.scheduler = {policy: "SCHED_BATCH", nice: 7}'
    start_container

    rt_exec "$ID" schedinfo 1
    assert_success
    assert_line --index 0 "policy=SCHED_BATCH nice=7 priority=0 flags=0"
    # exec takes the config's process, scheduler included (runc 1.2 does).
    rt_exec "$ID" schedinfo
    assert_success
    assert_line --index 0 "policy=SCHED_BATCH nice=7 priority=0 flags=0"
}

@test "process.scheduler SCHED_IDLE, and SCHED_OTHER with a negative nice reset on fork" {
    skip_on_runc process.scheduler
    update_config '.process.scheduler = {policy: "SCHED_IDLE"}'
    run_cmd schedinfo
    assert_success
    assert_line --index 0 "policy=SCHED_IDLE nice=0 priority=0 flags=0"

    update_config '.process.scheduler = {policy: "SCHED_OTHER", nice: -5,
        flags: ["SCHED_FLAG_RESET_ON_FORK"]}'
    run_cmd sh -c 'schedinfo $$; schedinfo; true'
    assert_success
    # The shell has it; its child starts again from nice 0 (the flag's effect).
    assert_line --index 0 "policy=SCHED_OTHER nice=-5 priority=0 flags=0x1"
    assert_line --index 3 "policy=SCHED_OTHER nice=0 priority=0 flags=0"
}

@test "process.scheduler SCHED_FIFO and SCHED_RR with a real-time priority" {
    skip_on_runc process.scheduler
    allow_realtime
    update_config '.process.scheduler = {policy: "SCHED_FIFO", priority: 10}'
    run_cmd schedinfo
    assert_success
    assert_line --index 0 "policy=SCHED_FIFO nice=0 priority=10 flags=0"

    update_config '.process.scheduler = {policy: "SCHED_RR", priority: 99}'
    start_container
    rt_exec "$ID" schedinfo 1
    assert_success
    assert_line --index 0 "policy=SCHED_RR nice=0 priority=99 flags=0"
    rt_exec "$ID" schedinfo
    assert_success
    assert_line --index 0 "policy=SCHED_RR nice=0 priority=99 flags=0"
}

# A SCHED_DEADLINE task cannot fork: the init is schedinfo itself.
@test "process.scheduler SCHED_DEADLINE: runtime, deadline and period, for the init and exec" {
    skip_on_runc process.scheduler
    update_config '.process.scheduler = {policy: "SCHED_DEADLINE", runtime: 42000,
        deadline: 1000000, period: 1000000}'
    run_cmd schedinfo
    assert_success
    assert_line --index 0 \
        "policy=SCHED_DEADLINE nice=0 priority=0 flags=0 runtime=42000 deadline=1000000 period=1000000"

    update_config 'del(.process.scheduler)'
    start_container
    rt_exec --process "$(process_file dl '"scheduler": {"policy": "SCHED_DEADLINE",
        "runtime": 50000, "deadline": 500000, "period": 2000000}')" "$ID"
    assert_success
    assert_line --index 0 \
        "policy=SCHED_DEADLINE nice=0 priority=0 flags=0 runtime=50000 deadline=500000 period=2000000"
    # The init keeps its own.
    rt_exec "$ID" schedinfo 1
    assert_line --index 0 "policy=SCHED_OTHER nice=0 priority=0 flags=0"
}

@test "process.ioPriority: the init and exec get the class and level; --process brings its own" {
    skip_on_runc process.ioPriority
    update_config '.process.ioPriority = {class: "IOPRIO_CLASS_IDLE"}
        | .process.scheduler = {policy: "SCHED_BATCH"}'
    start_container
    rt_exec "$ID" schedinfo 1
    assert_success
    assert_line --index 1 "ioprio=idle/0"
    rt_exec "$ID" schedinfo
    assert_line --index 1 "ioprio=idle/0"

    # A process file replaces the config's process whole, scheduling included.
    rt_exec --process "$(process_file be '"ioPriority": {"class": "IOPRIO_CLASS_BE",
        "priority": 3}')" "$ID"
    assert_success
    assert_line --index 0 "policy=SCHED_OTHER nice=0 priority=0 flags=0"
    assert_line --index 1 "ioprio=best-effort/3"
    # The real-time class needs CAP_SYS_ADMIN or CAP_SYS_NICE, which the setup still has.
    rt_exec --process "$(process_file rt '"ioPriority": {"class": "IOPRIO_CLASS_RT",
        "priority": 2}, "scheduler": {"policy": "SCHED_IDLE"}')" "$ID"
    assert_success
    assert_line --index 0 "policy=SCHED_IDLE nice=0 priority=0 flags=0"
    assert_line --index 1 "ioprio=realtime/2"
}

@test "execCPUAffinity: initial alone stays, final replaces it; the init is not concerned" {
    skip_on_runc process.execCPUAffinity
    needs_two_cpus
    update_config '.process.execCPUAffinity = {initial: "1"}'
    start_container
    rt_exec "$ID" schedinfo 1
    assert_line --index 2 "cpus=0-1"
    # exec of the config's process: its initial affinity.
    rt_exec "$ID" schedinfo
    assert_success
    assert_line --index 2 "cpus=1"

    local members expected
    while IFS='|' read -r members expected; do
        rt_exec --process "$(process_file aff "\"execCPUAffinity\": {$members}")" "$ID"
        assert_success
        assert_line --index 2 "$expected"
    done <<'EOF'
"initial": "1"|cpus=1
"initial": "1", "final": "0"|cpus=0
"final": "1"|cpus=1
"initial": " 0 , 1 ,"|cpus=0-1
"initial": "0-1", "final": "1-1"|cpus=1
"initial": "", "final": ""|cpus=0-1
EOF
}

@test "execCPUAffinity.initial is the runtime's only while the process is born" {
    skip_on_runc process.execCPUAffinity
    needs_two_cpus
    start_container
    local own pid_file=$BATS_TEST_TMPDIR/exec.pid
    own=$(awk '$1 == "Cpus_allowed_list:" { print $2 }' /proc/self/status)
    # A foreground exec: the runtime stays while its process runs.
    "$CRADLE" --root "$STATE_ROOT" exec --pid-file "$pid_file" \
        --process "$(process_file sleep '"args": ["sleep", "100"], "execCPUAffinity":
            {"initial": "1", "final": "0"}')" "$ID" </dev/null >/dev/null 2>&1 &
    EXEC_RUNTIME_PID=$!
    local i
    for ((i = 0; i < 200; i++)); do
        [ -s "$pid_file" ] && break
        sleep 0.05
    done
    [ -s "$pid_file" ] || fail "the exec'd process never started"
    run awk '$1 == "Cpus_allowed_list:" { print $2 }' "/proc/$(cat "$pid_file")/status"
    assert_output 0
    run awk '$1 == "Cpus_allowed_list:" { print $2 }' "/proc/$EXEC_RUNTIME_PID/status"
    assert_output "$own"
    kill "$(cat "$pid_file")"
    wait "$EXEC_RUNTIME_PID" || true
    EXEC_RUNTIME_PID=
}

# What the scheduler was set with (root, every capability) does not stay: the process
# cannot raise its own priority afterwards.
@test "a process cannot raise the priority it was given: capabilities go after the scheduler" {
    skip_on_runc process.scheduler
    update_config '.process.scheduler = {policy: "SCHED_BATCH", nice: 5}
        | .process.ioPriority = {class: "IOPRIO_CLASS_BE", priority: 6}'
    run_cmd sh -c 'renice -n -10 -p $$ && echo RAISED; ionice -c 1 -n 0 -p $$ && echo RT;
        schedinfo $$'
    refute_line RAISED
    refute_line RT
    assert_line "policy=SCHED_BATCH nice=5 priority=0 flags=0"
    assert_line "ioprio=best-effort/6"

    start_container
    rt_exec --user 1000:1000 "$ID" sh -c 'renice -n -1 -p $$ && echo RAISED; schedinfo $$'
    refute_line RAISED
    assert_line "policy=SCHED_BATCH nice=5 priority=0 flags=0"
}

@test "bad process.scheduler, ioPriority and execCPUAffinity: create fails naming the field, nothing left" {
    skip_on_runc "process.scheduler, ioPriority or execCPUAffinity (it ignores them)"
    set_args true
    local filter expected
    while IFS='|' read -r filter expected; do
        [ -n "$filter" ] || continue
        update_config "del(.process.scheduler, .process.ioPriority, .process.execCPUAffinity)
            | $filter"
        run_create "$ID"
        assert_failure
        assert_output --partial "$expected"
        assert_no_trace "$ID"
    done <<'EOF'
.process.scheduler = {nice: 1}|process.scheduler.policy: scheduler policy is required
.process.scheduler = {policy: "SCHED_NORMAL"}|process.scheduler.policy: invalid scheduler policy: SCHED_NORMAL
.process.scheduler = {policy: "SCHED_OTHER", flags: ["SCHED_FLAG_NONE"]}|process.scheduler.flags[0]: invalid scheduler flag: SCHED_FLAG_NONE
.process.scheduler = {policy: "SCHED_OTHER", nice: 20}|process.scheduler.nice: invalid scheduler.nice: 20 when scheduler.policy is SCHED_OTHER
.process.scheduler = {policy: "SCHED_BATCH", priority: 5}|process.scheduler.priority: scheduler.priority can only be specified for SchedFIFO or SchedRR policy
.process.scheduler = {policy: "SCHED_RR", priority: 5, runtime: 1}|process.scheduler: scheduler runtime/deadline/period can only be specified for SchedDeadline policy
.process.scheduler = {policy: "SCHED_OTHER", nice: "1"}|process.scheduler.nice: expected a 32-bit integer, got string
.process.ioPriority = {priority: 1}|process.ioPriority.class: missing
.process.ioPriority = {class: "IOPRIO_CLASS_NONE"}|process.ioPriority.class: invalid io priority class: IOPRIO_CLASS_NONE
.process.ioPriority = {class: "IOPRIO_CLASS_BE", priority: 8}|process.ioPriority.priority: invalid ioPriority.Priority: 8
.process.execCPUAffinity = {initial: "2-1"}|process.execCPUAffinity.initial: invalid range: 2-1
.process.execCPUAffinity = {final: "1024"}|process.execCPUAffinity.final: values larger than 1023 are not supported
.process.execCPUAffinity = {final: ","}|process.execCPUAffinity.final: no CPUs found in
EOF
}

# What only the kernel judges fails where it is applied, naming the field.
@test "a scheduler the kernel refuses fails create naming the field, nothing left" {
    skip_on_runc process.scheduler
    set_args true
    # A real-time policy needs a priority of 1 to 99.
    update_config '.process.scheduler = {policy: "SCHED_FIFO"}'
    run_create "$ID"
    assert_failure
    assert_output --partial "process.scheduler: error setting scheduler: invalid argument"
    assert_no_trace "$ID"
    # Linux has no SCHED_ISO (runtime-spec names it; runc 1.2 passes it to the kernel too).
    update_config '.process.scheduler = {policy: "SCHED_ISO"}'
    run_create "$ID"
    assert_failure
    assert_output --partial "process.scheduler: error setting scheduler: invalid argument"
    assert_no_trace "$ID"
    if [ -e /sys/fs/cgroup/cpu/cpu.rt_runtime_us ]; then
        update_config '.process.scheduler = {policy: "SCHED_RR", priority: 1}'
        run_create "$ID"
        assert_failure
        assert_output --partial "process.scheduler: error setting scheduler: operation not permitted"
        assert_no_trace "$ID"
    fi
}

@test "bad or refused scheduling for exec: the exec fails naming the field, the container runs on" {
    skip_on_runc "process.scheduler, ioPriority or execCPUAffinity"
    needs_two_cpus
    update_config '.linux.resources.cpu.cpus = "0"'
    start_container
    rt_exec --process "$(process_file bad '"ioPriority": {"class": "IOPRIO_CLASS_BE",
        "priority": -1}')" "$ID"
    assert_failure
    assert_output --partial "process.ioPriority.priority: invalid ioPriority.Priority: -1"
    rt_exec --process "$(process_file badlist '"execCPUAffinity": {"initial": "x"}')" "$ID"
    assert_failure
    assert_output --partial 'process.execCPUAffinity.initial: invalid CPU number \"x\"'
    # CPU 1 is outside the container's cpuset: the kernel refuses the final affinity.
    rt_exec --process "$(process_file outside '"execCPUAffinity": {"final": "1"}')" "$ID"
    assert_failure
    assert_output --partial "error setting final CPU affinity: invalid argument"
    # SCHED_DEADLINE needs every CPU of its root domain in the affinity.
    rt_exec --process "$(process_file dl '"scheduler": {"policy": "SCHED_DEADLINE",
        "runtime": 50000, "deadline": 500000, "period": 2000000}')" "$ID"
    assert_failure
    assert_output --partial "process.scheduler: error setting scheduler: operation not permitted"

    # Nothing of those execs stays: the init alone, still running.
    run runtime ps "$ID"
    assert_success
    assert_equal "$(runtime ps "$ID" | tail -n +2 | wc -l)" 1
    [ "$(runtime state "$ID" | jq -r .status)" = running ]
}
