#!/usr/bin/env bats
# Namespaces: a user namespace with id mappings, and joining another process's
# namespaces by path.

load helpers

setup() {
    common_setup
    ID=$(new_id ns)
}

teardown() {
    common_teardown
}

# The container's root (host uid 100000) must be able to reach the rootfs: the test's
# temporary directories are private (0700) otherwise. runc needs the same.
userns_config() {
    chmod 755 "$BATS_RUN_TMPDIR" "$BUNDLE"
    update_config '.linux.namespaces += [{type: "user"}]
        | .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
        | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
}

# The namespace inode a process of the host sees for /proc/PID/ns/TYPE.
ns_of() {
    readlink "/proc/$1/ns/$2"
}

@test "a user namespace maps container root to host uid 100000" {
    userns_config
    set_args sh -c 'id -u; cat /proc/self/uid_map; echo > /dev/null && echo devnull-ok'
    run runtime run --bundle "$BUNDLE" "$ID"
    assert_success
    assert_line --index 0 0
    assert_line --regexp '^ +0 +100000 +65536$'
    assert_line devnull-ok
}

@test "the user namespace's root is host uid 100000 seen from outside" {
    userns_config
    set_args sleep 30
    runtime create --bundle "$BUNDLE" "$ID"
    local pid
    pid=$(container_pid "$ID")
    run awk '/^Uid:/ {print $2}' "/proc/$pid/status"
    assert_output 100000
    [ "$(ns_of "$pid" user)" != "$(ns_of $$ user)" ] || fail "init is in the host's user namespace"
}

@test "mappings without a user namespace are refused" {
    # runc ignores the mappings and runs the container in the host's user namespace.
    skip_unless_cradle "runc ignores id mappings without a user namespace"
    update_config '.linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
    run runtime run --bundle "$BUNDLE" "$ID"
    assert_failure
    assert_output --partial uidMappings
    assert_no_trace "$ID"
}

@test "namespaces given by path are joined: network and uts of another container" {
    set_args sleep 30
    runtime create --bundle "$BUNDLE" "$ID"
    local first
    first=$(container_pid "$ID")
    local second_bundle=$BUNDLE
    update_config --arg net "/proc/$first/ns/net" --arg uts "/proc/$first/ns/uts" '
        .linux.namespaces |= map(if .type == "network" then .path = $net
            elif .type == "uts" then .path = $uts else . end)
        | del(.hostname)'
    set_args sleep 30
    runtime create --bundle "$second_bundle" "$ID-b"
    local second
    second=$(container_pid "$ID-b")
    [ "$(ns_of "$first" net)" = "$(ns_of "$second" net)" ] || fail "network namespace not joined"
    [ "$(ns_of "$first" uts)" = "$(ns_of "$second" uts)" ] || fail "uts namespace not joined"
    [ "$(ns_of "$first" mnt)" != "$(ns_of "$second" mnt)" ] || fail "mount namespace shared"
}

@test "a namespace path that does not exist is an error naming it" {
    update_config '.linux.namespaces |= map(if .type == "network"
        then .path = "/proc/999999999/ns/net" else . end)'
    run runtime run --bundle "$BUNDLE" "$ID"
    assert_failure
    assert_output --partial /proc/999999999/ns/net
    assert_no_trace "$ID"
}

@test "a pid namespace joined by path may be the runtime's own" {
    # The init's check for a dead creator must not take the creator, seen in the same pid
    # namespace, for a stranger.
    update_config --arg pid "$$" \
        '.linux.namespaces |= map(if .type == "pid" then .path = "/proc/\($pid)/ns/pid" else . end)'
    run_cmd sh -c 'test "$$" != 1 && echo joined'
    assert_success
    assert_output joined
}
