#!/usr/bin/env bats
# linux.netDevices (runtime-spec 1.2): a host interface moved into the container's network
# namespace and renamed, as runc 1.3 does it (its permanent global addresses kept, the link
# up), seen from inside with busybox ip; gone from the host while the container runs; on
# delete the kernel destroys a virtual device with its namespace, and a namespace joined by
# path keeps it. Each test makes its own veth pair and removes it. runc 1.1.5 has no
# linux.netDevices: those tests skip on it.

load helpers

setup() {
    common_setup
    is_cradle || skip "runc 1.1.5 has no linux.netDevices"
    # Interface names are at most 15 bytes: unique per run and test.
    HOST_IF="nd$$t${BATS_TEST_NUMBER}"
    PEER_IF="np$$t${BATS_TEST_NUMBER}"
    ip link add "$HOST_IF" type veth peer name "$PEER_IF"
}

teardown() {
    common_teardown
    [ -n "${HOST_IF:-}" ] && ip link del "$HOST_IF" 2>/dev/null
    [ -n "${PEER_IF:-}" ] && ip link del "$PEER_IF" 2>/dev/null
    [ -n "${NETNS:-}" ] && ip netns del "$NETNS" 2>/dev/null
    return 0
}

# Waits up to 5 s for interface $1 to be gone from the host.
wait_link_gone() {
    local i
    for ((i = 0; i < 100; i++)); do
        ip link show "$1" >/dev/null 2>&1 || return 0
        sleep 0.05
    done
    return 1
}

@test "a host veth end is moved in and renamed, with its address, and up" {
    ip addr add 10.201.7.1/24 dev "$HOST_IF"
    update_config --arg dev "$HOST_IF" '.linux.netDevices = {($dev): {"name": "ctr0"}}'
    run_cmd sh -c 'ip link show ctr0; ip addr show dev ctr0; ip link show '"$HOST_IF"' || echo "no $0"'
    assert_success
    assert_output --partial "ctr0@"
    assert_output --partial ",UP"
    assert_output --partial "inet 10.201.7.1/24 brd 10.201.7.255 scope global ctr0"
    assert_output --partial "no sh"
    # The namespace went with the container, and the veth pair with it.
    wait_link_gone "$HOST_IF"
    wait_link_gone "$PEER_IF"
}

@test "without a name the device keeps its own; it is gone from the host while the container runs" {
    local id
    id=$(new_id)
    update_config --arg dev "$HOST_IF" '.linux.netDevices = {($dev): {}}'
    set_args sleep 100
    runtime run -d --bundle "$BUNDLE" "$id" >"$BATS_TEST_TMPDIR/run.log" 2>&1 </dev/null
    run ip link show "$HOST_IF"
    assert_failure
    run runtime exec "$id" ip link show "$HOST_IF"
    assert_success
    assert_output --partial "$HOST_IF@"
    # Only the device named moved: its peer stays on the host.
    ip link show "$PEER_IF" >/dev/null
    runtime delete --force "$id"
    wait_link_gone "$PEER_IF"
}

@test "a network namespace joined by path gets the device and keeps it after delete" {
    NETNS="ndns$$t${BATS_TEST_NUMBER}"
    ip netns add "$NETNS"
    update_config --arg dev "$HOST_IF" --arg ns "/var/run/netns/$NETNS" \
        '.linux.netDevices = {($dev): {"name": "joined0"}}
        | (.linux.namespaces[] | select(.type == "network")).path = $ns'
    run_cmd ip link show joined0
    assert_success
    run ip netns exec "$NETNS" ip link show joined0
    assert_success
    run ip link show "$HOST_IF"
    assert_failure
}

@test "a missing host device: runc's error, nothing left behind" {
    local id
    id=$(new_id)
    update_config '.linux.netDevices = {"nosuchdev0": {"name": "ctr0"}}'
    run_create "$id"
    assert_failure
    assert_output --partial "link not found for interface nosuchdev0 on runtime namespace"
    assert_no_trace "$id"
}

@test "netDevices without a network namespace of the container's own is refused" {
    local id
    id=$(new_id)
    update_config --arg dev "$HOST_IF" '.linux.netDevices = {($dev): {}}
        | del(.linux.namespaces[] | select(.type == "network"))'
    run_create "$id"
    assert_failure
    assert_output --partial "unable to move network devices without a private NET namespace"
    assert_no_trace "$id"
    # The host's own namespace by path is no namespace of the container's own either.
    update_config '.linux.namespaces += [{"type": "network", "path": "/proc/self/ns/net"}]'
    run_create "$id"
    assert_failure
    assert_output --partial "unable to move network devices without a private NET namespace"
    assert_no_trace "$id"
    ip link show "$HOST_IF" >/dev/null
}

@test "invalid interface names are refused before anything is made" {
    local id name
    id=$(new_id)
    for name in "a/b" ".." "a:b" "a b" "abcdefghijklmnop"; do
        update_config --arg dev "$HOST_IF" --arg name "$name" \
            '.linux.netDevices = {($dev): {"name": $name}}'
        run_create "$id"
        assert_failure
        assert_output --partial "invalid network device name \\\"$name\\\""
        assert_no_trace "$id"
    done
    update_config '.linux.netDevices = {"../../x": {}}'
    run_create "$id"
    assert_failure
    assert_output --partial 'invalid network device name \"../../x\"'
}

# A rename onto a name the container's namespace already has: the kernel would move the
# device and only then fail the rename (a veth then dies with the namespace). It is
# refused before the move: the device stays on the host, up as it was.
@test "a rename that clashes inside fails and leaves the device on the host" {
    local id
    id=$(new_id)
    ip link set "$HOST_IF" up
    update_config --arg dev "$HOST_IF" '.linux.netDevices = {($dev): {"name": "lo"}}'
    run_create "$id"
    assert_failure
    assert_output --partial "fail to move network device $HOST_IF to network namespace"
    assert_output --partial "file exists"
    assert_no_trace "$id"
    run ip link show "$HOST_IF"
    assert_success
    assert_output --partial ",UP"
}

# A bridge cannot leave its namespace: the kernel refuses the move after the runtime has
# set the link down, as runc does first. A failed create must not leave a host link down.
@test "a device the kernel will not move stays up on the host" {
    local id br="nb$$t${BATS_TEST_NUMBER}"
    id=$(new_id)
    ip link add "$br" type bridge
    ip link set "$br" up
    update_config --arg dev "$br" '.linux.netDevices = {($dev): {"name": "ctr0"}}'
    run_create "$id"
    local out=$output status_create=$status
    run ip link show "$br"
    ip link del "$br"
    [ "$status_create" -ne 0 ]
    [[ "$out" == *"fail to move network device $br to network namespace"* ]]
    assert_success
    assert_output --partial ",UP"
    assert_no_trace "$id"
}

@test "a container with a user namespace gets the device too" {
    update_config --arg dev "$HOST_IF" '.linux.netDevices = {($dev): {"name": "ctr0"}}
        | .linux.namespaces += [{"type": "user"}]
        | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
        | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
    chown -R 100000:100000 "$BUNDLE/rootfs"
    chmod 755 "$BATS_RUN_TMPDIR" "$BUNDLE"
    run_cmd ip link show ctr0
    assert_success
    assert_output --partial "ctr0@"
}
