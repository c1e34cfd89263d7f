#!/usr/bin/env bats
# linux.seccomp.listenerPath and listenerMetadata (SCMP_ACT_NOTIFY): the filter's notify fd
# and the container process state reach the agent at listenerPath (tests/tools/seccomp-agent)
# exactly as runc sends them, for the init and for each exec'd process; the agent's answers
# take effect inside; no notify fd reaches the container; bad profiles fail naming the field
# and leave nothing behind. The same tests run on runc 1.1.5 (listenerPath since runc 1.1).

load helpers
load security_helpers

setup() {
    common_setup
    WORK=$(mktemp -d "$BATS_RUN_TMPDIR/notify.XXXXXX")
    AGENT_PID=
}

teardown() {
    common_teardown
    [ -n "${AGENT_PID:-}" ] && kill "$AGENT_PID" 2>/dev/null
    [ -n "${WORK:-}" ] && rm -rf "$WORK"
    return 0
}

# A profile that allows everything and sends mkdir and mkdirat to the agent; $1 is
# process.noNewPrivileges (the filter is loaded at another point of the init).
notify_mkdir() {
    update_config --arg sock "$WORK/agent.sock" --argjson nnp "${1:-false}" '
        .process.noNewPrivileges = $nnp
        | .annotations = {"org.example.owner": "notify-test"}
        | .linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", listenerPath: $sock,
            listenerMetadata: "meta-1",
            syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_NOTIFY"}]}'
}

# Line $1 (1-based) of the states the agent received.
agent_state() {
    sed -n "${1}p" "$WORK/states"
}

# The fact that the container process state $1 has runc's ContainerProcessState shape
# for container $2, process pid $3 (the init or an exec'd process) and status $4.
assert_process_state() {
    local state=$1 id=$2 pid=$3 status=$4
    assert_equal "$(jq -c keys <<<"$state")" '["fds","metadata","ociVersion","pid","state"]'
    assert_equal "$(jq -c .state\|keys <<<"$state")" \
        '["annotations","bundle","id","ociVersion","pid","status"]'
    assert_equal "$(jq -c .fds <<<"$state")" '["seccompFd"]'
    assert_equal "$(jq -r .metadata <<<"$state")" meta-1
    assert_equal "$(jq -r .pid <<<"$state")" "$pid"
    assert_equal "$(jq -r .state.id <<<"$state")" "$id"
    assert_equal "$(jq -r .state.status <<<"$state")" "$status"
    assert_equal "$(jq -r .state.bundle <<<"$state")" "$BUNDLE"
    assert_equal "$(jq -c .state.annotations <<<"$state")" '{"org.example.owner":"notify-test"}'
    assert_equal "$(jq -r .ociVersion <<<"$state")" "$(jq -r .state.ociVersion <<<"$state")"
}

# The init's answer from the agent, and the state it got with the fd, for either point
# at which the init loads the filter.
check_init_notified() {
    start_seccomp_agent "$WORK" errno:31
    notify_mkdir "$1"
    local id
    id=$(new_id)
    set_args sh -c 'mkdir /dev/shm/made; echo "rc=$?"; [ -d /dev/shm/made ] || echo absent; echo "pid=$$"'
    run runtime run --bundle "$BUNDLE" "$id"
    assert_success
    assert_line --partial "can't create directory '/dev/shm/made': Too many links"
    assert_line rc=1
    assert_line absent
    assert_line pid=1
    assert_equal "$(grep -c '^fds 1$' "$WORK/events")" 1
    assert_equal "$(grep -c '^notify mkdir' "$WORK/events")" 1
    local state
    state=$(agent_state 1)
    assert_process_state "$state" "$id" "$(jq -r .state.pid <<<"$state")" creating
    assert_equal "$(wc -l <"$WORK/states")" 1
}

@test "notify: mkdir gets the agent's errno; the agent gets runc's state with the fd" {
    check_init_notified false
}

@test "notify: with noNewPrivileges the init hands the fd over before it waits for start" {
    check_init_notified true
}

@test "notify: the init's own syscalls after the hand-over go to the agent too (close, recvmsg, openat)" {
    # As in runc: only the hand-over itself cannot be notified; what the init does after
    # it waits for the agent, which has the fd by then.
    local nnp
    for nnp in false true; do
        rm -f "$WORK/ready" "$WORK/events" "$WORK/states"
        start_seccomp_agent "$WORK" errno:31
        notify_mkdir "$nnp"
        update_config '.linux.seccomp.syscalls[0].names += ["close", "read", "recvmsg", "openat"]'
        run_cmd sh -c 'mkdir /dev/shm/made; echo "rc=$?"'
        assert_success
        assert_line rc=1
        grep -q '^notify close$' "$WORK/events" || fail "no close notified: $(cat "$WORK/events")"
        kill "$AGENT_PID" 2>/dev/null || true
    done
}

@test "notify: a success the agent fakes is what the container sees" {
    start_seccomp_agent "$WORK" fake
    notify_mkdir true
    run_cmd sh -c 'mkdir /dev/shm/made && echo "mkdir ok"; [ -d /dev/shm/made ] || echo absent'
    assert_success
    assert_line "mkdir ok"
    assert_line absent
}

@test "notify: create hands the fd over; the agent answers after start; exec'd processes send their own" {
    start_seccomp_agent "$WORK" errno:31
    notify_mkdir false
    set_args sleep 300
    local id init
    id=$(new_id)
    run_create "$id"
    assert_success
    init=$(container_pid "$id")
    # Sent at create, before the container process can run.
    assert_equal "$(wc -l <"$WORK/states")" 1
    assert_process_state "$(agent_state 1)" "$id" "$init" creating
    runtime start "$id"
    run runtime exec "$id" sh -c 'mkdir /dev/shm/made; echo "rc=$?"; echo "ppid=$PPID"'
    assert_success
    assert_line --partial "Too many links"
    assert_line rc=1
    assert_equal "$(wc -l <"$WORK/states")" 2
    local state
    state=$(agent_state 2)
    assert_process_state "$state" "$id" "$(jq -r .pid <<<"$state")" running
    assert_equal "$(jq -r .state.pid <<<"$state")" "$init"
    [ "$(jq -r .pid <<<"$state")" != "$init" ] || fail "the exec'd process's pid is the init's"
    assert_equal "$(grep -c '^fds 1$' "$WORK/events")" 2
}

@test "notify: no notify fd reaches the container, its init or an exec'd process" {
    start_seccomp_agent "$WORK" errno:31
    notify_mkdir false
    set_args sh -c 'ls -l /proc/1/fd/ > /dev/shm/init-fds; sleep 300'
    local id
    id=$(new_id)
    run_create "$id"
    assert_success
    runtime start "$id"
    # From a neighbour in the container: the init's fds and its own.
    run runtime exec "$id" sh -c 'i=0; while [ ! -s /dev/shm/init-fds ] && [ $i -lt 200 ]; do
            sleep 0.05; i=$((i + 1)); done
        cat /dev/shm/init-fds; ls -l /proc/1/fd/ /proc/self/fd/'
    assert_success
    assert_output --partial "0 -> "
    refute_output --partial seccomp
    refute_output --partial anon_inode
    # Only stdio, in the init and in an exec'd shell ("; true": sh does not exec ls).
    run runtime exec "$id" sh -c 'ls /proc/1/fd; echo --; ls /proc/$$/fd; true'
    assert_success
    assert_equal "$(echo $output)" "0 1 2 -- 0 1 2"
}

@test "notify: SCMP_ACT_NOTIFY without listenerPath fails, naming it, and leaves nothing" {
    update_config '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
        syscalls: [{names: ["mkdir"], action: "SCMP_ACT_NOTIFY"}]}'
    local id
    id=$(new_id)
    run_create "$id"
    assert_failure
    assert_output --partial "listenerPath is not set"
    is_runc || assert_output --partial "linux.seccomp.syscalls[0].action: SCMP_ACT_NOTIFY needs an agent"
    runtime delete --force "$id" 2>/dev/null || true
    assert_no_trace "$id"
}

@test "notify: an unreachable listenerPath fails create with runc's words and leaves nothing" {
    notify_mkdir false
    local id
    id=$(new_id)
    run_create "$id"
    assert_failure
    assert_output --partial "failed to connect with seccomp agent specified in the seccomp profile: dial unix $WORK/agent.sock: connect: no such file or directory"
    is_runc && runtime delete --force "$id" 2>/dev/null
    assert_no_trace "$id"
}

@test "notify: exec fails with runc's words when the agent is gone or the command is missing" {
    start_seccomp_agent "$WORK" errno:31
    notify_mkdir false
    set_args sleep 300
    local id i
    id=$(new_id)
    run_create "$id"
    assert_success
    runtime start "$id"
    run runtime exec "$id" nosuchcmd
    assert_failure 255
    assert_output --partial "unable to start container process: exec: "
    assert_output --partial "nosuchcmd"
    assert_output --partial "executable file not found in \$PATH"
    kill "$AGENT_PID"
    for ((i = 0; i < 100; i++)); do
        kill -0 "$AGENT_PID" 2>/dev/null || break
        sleep 0.05
    done
    run runtime exec "$id" true
    assert_failure 255
    assert_output --partial "unable to start container process: failed to connect with seccomp agent specified in the seccomp profile: dial unix $WORK/agent.sock: connect: connection refused"
}

@test "notify: SCMP_ACT_NOTIFY on write is refused as runc refuses it (sendmsg too, on cradle)" {
    local id name
    for name in write sendmsg; do
        [ "$name" = sendmsg ] && ! is_cradle && continue
        update_config --arg sock "$WORK/agent.sock" --arg name "$name" '
            .linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", listenerPath: $sock,
                syscalls: [{names: ["getpid", $name], action: "SCMP_ACT_NOTIFY"}]}'
        id=$(new_id "$name")
        run_create "$id"
        assert_failure
        assert_output --partial "SCMP_ACT_NOTIFY cannot be used for the $name syscall"
        is_runc && runtime delete --force "$id" 2>/dev/null
        assert_no_trace "$id"
    done
}

@test "notify: a listenerPath without a notify rule is not used" {
    start_seccomp_agent "$WORK" errno:31
    update_config --arg sock "$WORK/agent.sock" '.linux.seccomp = {
        defaultAction: "SCMP_ACT_ALLOW", listenerPath: $sock,
        syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 38}]}'
    run_cmd sh -c 'mkdir /dev/shm/made'
    assert_failure
    assert_output --partial "Function not implemented"
    [ ! -e "$WORK/states" ] || fail "the agent got: $(cat "$WORK/states")"
}

@test "notify: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV and TSYNC go with a listener" {
    is_runc && skip "runc 1.1.5 has no SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"
    start_seccomp_agent "$WORK" fake
    notify_mkdir false
    update_config '.linux.seccomp.flags = ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
        "SECCOMP_FILTER_FLAG_TSYNC"]'
    run_cmd sh -c 'mkdir /dev/shm/made && echo "mkdir ok"'
    assert_success
    assert_line "mkdir ok"
}

@test "notify: cradle features lists SCMP_ACT_NOTIFY and the flags, as runc 1.2" {
    skip_unless_cradle "cradle features"
    run runtime features
    assert_success
    assert_equal "$(jq '.linux.seccomp.actions | index("SCMP_ACT_NOTIFY") != null' <<<"$output")" true
    assert_equal "$(jq -c .linux.seccomp.knownFlags <<<"$output")" \
        '["SECCOMP_FILTER_FLAG_TSYNC","SECCOMP_FILTER_FLAG_LOG","SECCOMP_FILTER_FLAG_SPEC_ALLOW","SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"]'
    # Linux 6.0 took the last of them: this kernel takes them all.
    assert_equal "$(jq -c .linux.seccomp.supportedFlags <<<"$output")" \
        "$(jq -c .linux.seccomp.knownFlags <<<"$output")"
}
