#!/usr/bin/env bats
# A user namespace joined by path while the container makes its other namespaces: these
# must be owned by the joined user namespace (made from inside it, as runc's nsexec and
# crun do), or the container's root has no power over its own hostname, lo and mounts.

load helpers

setup() {
    common_setup
    ID=$(new_id usj)
    chmod 755 "$BATS_RUN_TMPDIR" "$BUNDLE"
}

teardown() {
    common_teardown
    if [ -n "${HOLDER:-}" ]; then
        kill -9 "$HOLDER" 2>/dev/null || true
        wait "$HOLDER" 2>/dev/null || true
    fi
    if [ -n "${RUNNER:-}" ]; then
        kill -9 "$RUNNER" 2>/dev/null || true
        wait "$RUNNER" 2>/dev/null || true
    fi
    return 0
}

# The container joins $1 (a user namespace's path) and makes new pid, network, ipc, uts,
# mount and cgroup namespaces, with a hostname; its process may administer them.
join_userns() {
    update_config --arg p "$1" '.linux.namespaces = [{type: "pid"}, {type: "network"},
            {type: "ipc"}, {type: "uts"}, {type: "mount"}, {type: "cgroup"},
            {type: "user", path: $p}]
        | .hostname = "joined"
        | .process.capabilities |= with_entries(.value += ["CAP_SYS_ADMIN"])'
    # runc 1.1.5 wants the joined namespace's mappings repeated (runc 1.2, crun and
    # cradle read them from the namespace).
    if is_runc; then
        update_config '.linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
            | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
    fi
}

# What the container's root may do only in namespaces its user namespace owns.
PROVE='id -u; hostname; hostname renamed && hostname; echo $(($(cat /sys/class/net/lo/flags) & 1));
    mount -t tmpfs t /tmp && echo mounted; echo $$'

assert_proved() {
    assert_success
    assert_line --index 0 0
    assert_line --index 1 joined
    assert_line --index 2 renamed
    # IFF_UP
    assert_line --index 3 1
    assert_line --index 4 mounted
    assert_line --index 5 1
}

# Fails unless every namespace of process $1 but the user namespace is owned by $2 (the
# inode of a user namespace), and $1 is in that user namespace.
assert_owned_by() {
    local pid=$1 owner=$2 type ns ons
    [ "$(stat -L -c %i "/proc/$pid/ns/user")" = "$owner" ] || fail "not in the joined user namespace"
    while read -r type ns ons; do
        # Not made by the container (time, unless asked for): the host's.
        [ "$type" = user ] || [ "$ns" = "$(stat -L -c %i "/proc/self/ns/$type")" ] && continue
        [ "$ons" = "$owner" ] || fail "$type namespace $ns owned by $ons, not $owner"
    done < <(lsns -n -o TYPE,NS,ONS -p "$pid")
}

@test "joined by path, the user namespace owns the namespaces the container makes" {
    hold_userns
    join_userns "$USERNS"
    run_cmd sh -c "$PROVE"
    assert_proved
}

@test "joined by path, the user namespace of another container owns the new namespaces" {
    update_config '.linux.namespaces += [{type: "user"}]
        | .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
        | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
    set_args sleep 1000
    runtime create --bundle "$BUNDLE" "$ID" >/dev/null 2>&1 </dev/null
    local first
    first=$(container_pid "$ID")
    is_runc || update_config 'del(.linux.uidMappings, .linux.gidMappings)'
    join_userns "/proc/$first/ns/user"
    set_args sleep 1000
    runtime create --bundle "$BUNDLE" "$ID-b" >/dev/null 2>&1 </dev/null
    local second
    second=$(container_pid "$ID-b")
    assert_owned_by "$second" "$(stat -L -c %i "/proc/$first/ns/user")"
    [ "$(readlink "/proc/$first/ns/uts")" != "$(readlink "/proc/$second/ns/uts")" ] ||
        fail "uts namespace shared"
    run runtime exec "$ID-b" sh -c "$PROVE"
    # exec joins the init's pid namespace: its shell is not pid 1 there.
    assert_success
    assert_line --index 0 0
    assert_line --index 1 joined
    assert_line --index 2 renamed
    assert_line --index 3 1
    assert_line --index 4 mounted
    refute_line --index 5 1
}

@test "joined by path, the init is the runtime's child and nothing else is left" {
    hold_userns
    join_userns "$USERNS"
    set_args sleep 1000
    # In the foreground, the runtime waits for its init: it must have no other child (an
    # intermediate left unreaped would be a zombie here).
    "${RUNTIME:-$CRADLE}" --root "$STATE_ROOT" run --bundle "$BUNDLE" "$ID" \
        >"$BATS_RUN_TMPDIR/$ID.log" 2>&1 </dev/null &
    RUNNER=$!
    wait_for_status "$ID" 10 running || fail "not running: $(cat "$BATS_RUN_TMPDIR/$ID.log")"
    local init
    init=$(container_pid "$ID")
    assert_owned_by "$init" "$(stat -L -c %i "$USERNS")"
    local children
    children=$(cat /proc/"$RUNNER"/task/*/children | xargs) # runc's threads are parents too
    [ "$children" = "$init" ] || fail "the runtime's children: $children (init $init)"
    # Only the holder and the container's init are in the joined user namespace.
    local pid in=()
    for pid in $(ls /proc | grep -E '^[0-9]+$'); do
        [ "$(readlink "/proc/$pid/ns/user" 2>/dev/null)" = "$(readlink "$USERNS")" ] && in+=("$pid")
    done
    [ "${in[*]}" = "$(printf '%s\n' "$HOLDER" "$init" | sort -n | tr '\n' ' ' | sed 's/ $//')" ] ||
        fail "in the joined user namespace: ${in[*]}"
    runtime kill "$ID" KILL
    wait "$RUNNER" || true
    RUNNER=
    runtime delete "$ID" >/dev/null 2>&1 || true
    assert_no_trace "$ID"
}

@test "attack: a neighbour sharing the pid namespace sees only the init, never an intermediate" {
    # The first container owns the user and pid namespaces; its shell records, with builtins
    # only (it forks nothing), every pid it ever sees while the second joins both.
    update_config '.linux.namespaces += [{type: "user"}]
        | .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
        | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
        | .mounts += [{destination: "/tmp", type: "tmpfs", source: "tmpfs"}]'
    set_args sh -c 'mkdir /tmp/seen; : >/tmp/ready
        while :; do for p in /proc/[0-9]*; do : >"/tmp/seen/${p#/proc/}"; done; done'
    runtime create --bundle "$BUNDLE" "$ID" >/dev/null 2>&1 </dev/null
    runtime start "$ID"
    local first i
    first=$(container_pid "$ID")
    for ((i = 0; i < 100; i++)); do
        [ -e "/proc/$first/root/tmp/ready" ] && break
        sleep 0.05
    done
    is_runc || update_config 'del(.linux.uidMappings, .linux.gidMappings)'
    join_userns "/proc/$first/ns/user"
    update_config --arg p "/proc/$first/ns/pid" '.linux.namespaces |=
        map(if .type == "pid" then .path = $p else . end)
        | .mounts |= map(select(.destination != "/tmp"))'
    set_args sleep 1000
    runtime create --bundle "$BUNDLE" "$ID-b" >/dev/null 2>&1 </dev/null
    local second
    second=$(container_pid "$ID-b")
    assert_owned_by "$second" "$(stat -L -c %i "/proc/$first/ns/user")"
    [ "$(readlink "/proc/$first/ns/pid")" = "$(readlink "/proc/$second/ns/pid")" ] ||
        fail "pid namespace not joined"
    # Its pid as the neighbour sees it, once the neighbour has seen it.
    local inner
    inner=$(awk '/^NSpid:/ { print $3 }' "/proc/$second/status")
    for ((i = 0; i < 100; i++)); do
        [ -e "/proc/$first/root/tmp/seen/$inner" ] && break
        sleep 0.05
    done
    run ls "/proc/$first/root/tmp/seen"
    assert_output "$(printf '%s\n' 1 "$inner" | sort)"
}

@test "joined by path, the user namespace also owns a new time namespace" {
    is_runc && skip "runc 1.1.5 has no time namespace"
    hold_userns
    join_userns "$USERNS"
    update_config '.linux.namespaces += [{type: "time"}]
        | .linux.timeOffsets = {monotonic: {secs: 86400, nanosecs: 0}}'
    set_args sleep 1000
    runtime create --bundle "$BUNDLE" "$ID" >/dev/null 2>&1 </dev/null
    local init
    init=$(container_pid "$ID")
    assert_owned_by "$init" "$(stat -L -c %i "$USERNS")"
    [ "$(readlink "/proc/$init/ns/time")" != "$(readlink /proc/self/ns/time)" ] ||
        fail "no time namespace"
}

@test "a user namespace path that cannot be joined is an error naming it, nothing left" {
    # A user namespace may not be joined from inside itself, nor the host's by its root.
    join_userns /proc/1/ns/user
    run runtime run --bundle "$BUNDLE" "$ID"
    assert_failure
    assert_output --partial /proc/1/ns/user
    assert_no_trace "$ID"
}

# criu cannot restore into a user namespace joined by path ("join-ns with user-namespace is
# not fully tested and dangerous", then EACCES on its ns file): a checkpoint, which ends
# the container, would lose it. cradle refuses before dumping.
@test "cradle: checkpoint of a container in a user namespace joined by path is refused, it runs on" {
    skip_unless_cradle "runc 1.1.5 dumps it, and its restore fails"
    local why
    why=$("$REPO_ROOT/scripts/get-criu.sh" 2>&1) || skip "no working criu: $why"
    hold_userns
    join_userns "$USERNS"
    set_args sleep 1000
    run_create "$ID"
    assert_success
    runtime start "$ID"
    run env PATH=/usr/local/sbin:$PATH "${RUNTIME:-$CRADLE}" --root "$STATE_ROOT" checkpoint \
        --image-path "$BATS_TEST_TMPDIR/images" "$ID"
    assert_failure
    assert_output --partial "criu cannot restore into a user namespace joined by path: not checkpointed"
    run runtime state "$ID"
    assert_success
    assert_output --partial '"status": "running"'
}
