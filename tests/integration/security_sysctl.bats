#!/usr/bin/env bats
# Issue 6 item 3: linux.sysctl is only allowed for keys the container's own namespaces
# own, with runc's rules and wording. Any other key names the host's value: a container
# could change kernel.printk_ratelimit, the host's IPC limits, its forwarding or its
# domain name, and kernel.core_pattern would be an escape. Each forbidden case runs
# against cradle, runc and crun; the file prints who is vulnerable.
#
# The host's values are read before and after. A value that changes is restored at once;
# keys whose change could disturb the host (ip_forward, hostname, core_pattern) are set
# to the host's own value, so a runtime that writes them is caught by its create
# succeeding instead.

load helpers
load security_helpers

setup() {
    common_setup
    HOST_FILE=
}

teardown() {
    restore_host_value
    [ -n "${NETNS:-}" ] && ip netns del "$NETNS" 2>/dev/null
    common_teardown
}

teardown_file() {
    print_attack_table
}

restore_host_value() {
    if [ -n "${HOST_FILE:-}" ] && [ "$(cat "$HOST_FILE")" != "$HOST_BEFORE" ]; then
        printf '%s\n' "$HOST_BEFORE" >"$HOST_FILE"
    fi
}

# Keeps only the pid and mount namespaces: ipc, network and uts are the host's.
use_host_namespaces() {
    update_config '.linux.namespaces = [{type: "pid"}, {type: "mount"}] | del(.hostname)'
}

# attack_sysctl ATTACK KEY VALUE EXPECTED [cradle-only-words]: creates a container with linux.sysctl
# KEY=VALUE on every runtime of attack_runtimes (each with its own state dir; cradle with
# the test's). "vulnerable" when the create succeeds or the host's value changed, "safe"
# when it is refused with the host's value intact. Leaves cradle's result in $status and
# $output, and checks that runc refuses with the same words as cradle (unless a fifth
# argument says cradle's words are its own).
attack_sysctl() {
    local attack=$1 key=$2 value=$3 expected=$4 rt id rc out outcome root
    local cradle_status cradle_output
    HOST_FILE=/proc/sys/${key//.//}
    HOST_BEFORE=$(cat "$HOST_FILE")
    update_config --arg k "$key" --arg v "$value" '.linux.sysctl = {($k): $v}'
    set_args true
    while read -r rt; do
        id=$(new_id "$(runtime_name "$rt")")
        root=$STATE_ROOT
        [ "$rt" = "$CRADLE" ] || root=$(mktemp -d "$BATS_TEST_TMPDIR/state.XXXXXX")
        RUNTIME=$rt STATE_ROOT=$root run_create "$id"
        rc=$status out=$output
        if [ "$(cat "$HOST_FILE")" != "$HOST_BEFORE" ]; then
            outcome=vulnerable
            restore_host_value
        elif [ "$rc" -eq 0 ]; then
            outcome=vulnerable
        elif [[ $out == *"cgroups in hybrid mode not supported"* ]]; then
            outcome="n/a: refuses this hybrid cgroup host"
        else
            outcome=safe
        fi
        record_attack "$attack" "$rt" "$outcome"
        RUNTIME=$rt STATE_ROOT=$root runtime delete --force "$id" >/dev/null 2>&1 || true
        if [ "$rt" = "$CRADLE" ]; then
            cradle_status=$rc cradle_output=$out
            CRADLE_ID=$id
        elif [ "$(runtime_name "$rt")" = runc ] && [ "$outcome" = safe ] && [ -z "${5:-}" ]; then
            [[ $out == *"$(logged "$expected")"* ]] || fail "runc said: $out"
        fi
    done < <(attack_runtimes)
    status=$cradle_status output=$cradle_output
}

# $1 as the error log line shows it: quotes escaped.
logged() {
    printf '%s' "${1//\"/\\\"}"
}

# Cradle refused with the runc-shaped message, left nothing and the host kept its value.
assert_refused() {
    assert_failure
    assert_output --partial "$(logged "linux.sysctl: $1")"
    assert_no_trace "$CRADLE_ID"
    [ "$(cat "$HOST_FILE")" = "$HOST_BEFORE" ] || fail "the host's $HOST_FILE changed"
}

@test "issue 6 item 3: kernel.printk_ratelimit is refused: it is in no namespace" {
    local expected='sysctl "kernel.printk_ratelimit" is not in a separate kernel namespace'
    attack_sysctl "issue6.3 kernel.printk_ratelimit (all ns)" kernel.printk_ratelimit \
        "$(($(cat /proc/sys/kernel/printk_ratelimit) + 1))" "$expected"
    assert_refused "$expected"
}

@test "issue 6 item 3: fs.mqueue.queues_max without an ipc namespace is refused" {
    use_host_namespaces
    local expected='sysctl "fs.mqueue.queues_max" is not allowed in the hosts ipc namespace'
    attack_sysctl "issue6.3 fs.mqueue.queues_max (host ipc)" fs.mqueue.queues_max \
        "$(($(cat /proc/sys/fs/mqueue/queues_max) + 1))" "$expected"
    assert_refused "$expected"
}

@test "issue 6 item 3: kernel.msgmax without an ipc namespace is refused" {
    use_host_namespaces
    local expected='sysctl "kernel.msgmax" is not allowed in the hosts ipc namespace'
    attack_sysctl "issue6.3 kernel.msgmax (host ipc)" kernel.msgmax \
        "$(($(cat /proc/sys/kernel/msgmax) + 1))" "$expected"
    assert_refused "$expected"
}

@test "issue 6 item 3: net.ipv4.ip_forward without a network namespace is refused" {
    use_host_namespaces
    local expected='sysctl "net.ipv4.ip_forward" not allowed in host network namespace'
    attack_sysctl "issue6.3 net.ipv4.ip_forward (host netns)" net.ipv4.ip_forward \
        "$(cat /proc/sys/net/ipv4/ip_forward)" "$expected"
    assert_refused "$expected"
}

@test "issue 6 item 3: a network namespace path that is the host's own is the host's" {
    update_config '.linux.namespaces |= map(if .type == "network"
        then .path = "/proc/self/ns/net" else . end)'
    local expected='sysctl "net.ipv4.ip_forward" not allowed in host network namespace'
    attack_sysctl "issue6.3 net.ipv4.ip_forward (netns path = host)" net.ipv4.ip_forward \
        "$(cat /proc/sys/net/ipv4/ip_forward)" "$expected"
    assert_refused "$expected"
}

# Found in review: runc checks the path for the network namespace only, so it writes the
# host's values through these.
@test "issue 6 item 3: an ipc namespace path that is the host's own is the host's" {
    update_config '.linux.namespaces |= map(if .type == "ipc"
        then .path = "/proc/self/ns/ipc" else . end)'
    local expected='sysctl "kernel.msgmax" is not allowed in the hosts ipc namespace'
    attack_sysctl "issue6.3 kernel.msgmax (ipc path = host)" kernel.msgmax \
        "$(($(cat /proc/sys/kernel/msgmax) + 1))" "$expected" cradle-only-words
    assert_refused "$expected"
}

@test "issue 6 item 3: a uts namespace path that is the host's own is the host's" {
    update_config '.linux.namespaces |= map(if .type == "uts"
        then .path = "/proc/self/ns/uts" else . end) | del(.hostname)'
    local expected='sysctl "kernel.domainname" is not in a separate kernel namespace'
    attack_sysctl "issue6.3 kernel.domainname (uts path = host)" kernel.domainname \
        "cradle-attack-$$" "$expected" cradle-only-words
    assert_refused "$expected"
}

@test "hostname with a uts namespace path that is the host's own is refused" {
    local before
    before=$(hostname)
    update_config '.linux.namespaces |= map(if .type == "uts"
        then .path = "/proc/self/ns/uts" else . end) | .hostname = "cradle-attack"'
    set_args true
    run_create "$(new_id)"
    assert_failure
    assert_output --partial "hostname: unable to set hostname without a private UTS namespace"
    [ "$(hostname)" = "$before" ] || fail "the host's hostname changed"
}

@test "issue 6 item 3: kernel.domainname without a uts namespace is refused" {
    use_host_namespaces
    local expected='sysctl "kernel.domainname" is not in a separate kernel namespace'
    attack_sysctl "issue6.3 kernel.domainname (host uts)" kernel.domainname cradle-attack \
        "$expected"
    assert_refused "$expected"
}

@test "issue 6 item 3: kernel.hostname is refused: it is the hostname field's" {
    local expected='sysctl "kernel.hostname" is not allowed as it conflicts with the OCI "hostname" field'
    attack_sysctl "issue6.3 kernel.hostname (own uts)" kernel.hostname "$(hostname)" "$expected"
    assert_refused "$expected"
}

@test "issue 6 item 3: kernel.core_pattern is refused whatever the namespaces" {
    local expected='sysctl "kernel.core_pattern" is not in a separate kernel namespace'
    attack_sysctl "issue6.3 kernel.core_pattern (all ns)" kernel.core_pattern \
        "$(cat /proc/sys/kernel/core_pattern)" "$expected"
    assert_refused "$expected"
}

@test "issue 6 item 3: a key climbing out of net/ with .. is refused in a network namespace" {
    HOST_FILE=/proc/sys/kernel/core_pattern
    HOST_BEFORE=$(cat "$HOST_FILE")
    update_config --arg v "$HOST_BEFORE" '.linux.sysctl = {"net/../kernel/core_pattern": $v}'
    set_args true
    CRADLE_ID=$(new_id dotdot)
    run_create "$CRADLE_ID"
    assert_refused '"net/../kernel/core_pattern" does not name a file below /proc/sys'
}

@test "issue 6 item 3: ipc sysctls are set inside a private ipc namespace only" {
    local msgmax queues
    msgmax=$(cat /proc/sys/kernel/msgmax) queues=$(cat /proc/sys/fs/mqueue/queues_max)
    update_config --arg m "$((msgmax + 1))" --arg q "$((queues + 1))" \
        '.linux.sysctl = {"kernel.msgmax": $m, "fs.mqueue.queues_max": $q}'
    run_cmd cat /proc/sys/kernel/msgmax /proc/sys/fs/mqueue/queues_max
    assert_success
    assert_output "$((msgmax + 1))
$((queues + 1))"
    [ "$(cat /proc/sys/kernel/msgmax)" = "$msgmax" ]
    [ "$(cat /proc/sys/fs/mqueue/queues_max)" = "$queues" ]
}

@test "issue 6 item 3: net sysctls are set inside a private network namespace only" {
    local forward
    forward=$(cat /proc/sys/net/ipv4/ip_forward)
    update_config --arg f "$((1 - forward))" '.linux.sysctl = {"net.ipv4.ip_forward": $f}'
    run_cmd cat /proc/sys/net/ipv4/ip_forward
    assert_success
    assert_output "$((1 - forward))"
    [ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$forward" ]
}

@test "issue 6 item 3: kernel.domainname is set inside a private uts namespace only" {
    local host
    host=$(cat /proc/sys/kernel/domainname)
    update_config '.linux.sysctl = {"kernel.domainname": "inside.example"}'
    run_cmd cat /proc/sys/kernel/domainname
    assert_success
    assert_output inside.example
    [ "$(cat /proc/sys/kernel/domainname)" = "$host" ]
}

# sysctl(8)'s convention, as runc's validator reads keys: '.' and '/' swap roles, so
# "eth0/100" in a dotted key is the interface "eth0.100". The joined namespace holds a
# veth named eth0.100 (a dotted name), made by this test.
@test "issue 6 item 3: a dotted interface name works in both key forms" {
    NETNS=cradle-sysctl-$$-$RANDOM
    ip netns add "$NETNS"
    ip -n "$NETNS" link add eth0.100 type veth peer name peer0
    update_config --arg p "/var/run/netns/$NETNS" '.linux.namespaces |= map(if .type == "network"
        then .path = $p else . end)'
    update_config '.linux.sysctl = {"net.ipv4.conf.eth0/100.forwarding": "1",
        "net/ipv4/conf/peer0/forwarding": "1"}'
    run_cmd cat /proc/sys/net/ipv4/conf/eth0.100/forwarding /proc/sys/net/ipv4/conf/peer0/forwarding
    assert_success
    assert_output "1
1"
    update_config '.linux.sysctl = {"net/ipv4/conf/eth0.100/forwarding": "0"}'
    run_cmd cat /proc/sys/net/ipv4/conf/eth0.100/forwarding
    assert_success
    assert_output 0
}
