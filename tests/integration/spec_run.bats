#!/usr/bin/env bats
# `spec` then `run`: every process and container field of config.json, checked from inside.

load helpers

setup() {
    common_setup
}

teardown() {
    common_teardown
}

@test "spec then run prints hello" {
    run_cmd echo hello
    assert_success
    assert_output hello
}

@test "spec writes a valid default config" {
    run jq -e '.ociVersion and .process.args == ["sh"] and .root.path == "rootfs"' "$BUNDLE/config.json"
    assert_success
    # Asking again must not overwrite an existing config.json.
    run bash -c 'cd "$1" && "$2" spec' _ "$BUNDLE" "${RUNTIME:-$CRADLE}"
    assert_failure
}

@test "hostname" {
    update_config '.hostname = "box-one"'
    run_cmd hostname
    assert_success
    assert_output box-one
}

@test "uid, gid and additional groups" {
    update_config '.process.user = {uid: 1000, gid: 1000, additionalGids: [10, 65534]}'
    run_cmd id
    assert_success
    assert_output --partial "uid=1000(user) gid=1000(user)"
    assert_output --partial "groups=10,65534(nogroup)"
    # The runtime must not add groups that were not asked for (e.g. root's 0).
    refute_output --partial "0(root)"
}

@test "umask" {
    update_config '.process.user.umask = 63' # 0077
    run_cmd sh -c 'umask; touch /dev/shm/f; stat -c %a /dev/shm/f'
    assert_success
    assert_line --index 0 0077
    assert_line --index 1 600
}

@test "environment" {
    update_config '.process.env = ["PATH=/bin", "CRADLE_A=one", "CRADLE_B=two words"]'
    run_cmd sh -c 'echo "$CRADLE_A|$CRADLE_B|$PATH"'
    assert_success
    assert_output "one|two words|/bin"
}

@test "working directory" {
    update_config '.process.cwd = "/home/user"'
    run_cmd pwd
    assert_success
    assert_output /home/user
}

@test "working directory that does not exist is created" {
    # runc creates a missing cwd before exec; engines rely on it (image WORKDIR).
    update_config '.process.cwd = "/made/by/runtime"'
    run_cmd pwd
    assert_success
    assert_output /made/by/runtime
}

@test "capability sets from /proc/self/status" {
    # CAP_CHOWN (0) + CAP_KILL (5) = 0x21 in every set but ambient.
    update_config '.process.capabilities = {bounding: ["CAP_CHOWN", "CAP_KILL"],
        effective: ["CAP_CHOWN", "CAP_KILL"], permitted: ["CAP_CHOWN", "CAP_KILL"],
        inheritable: ["CAP_KILL"], ambient: []}'
    run_cmd grep ^Cap /proc/self/status
    assert_success
    assert_line "CapBnd:	0000000000000021"
    assert_line "CapEff:	0000000000000021"
    assert_line "CapPrm:	0000000000000021"
    assert_line "CapInh:	0000000000000020"
    assert_line "CapAmb:	0000000000000000"
}

@test "no capabilities for a non-root user without ambient set" {
    update_config '.process.user = {uid: 1000, gid: 1000} | .process.capabilities.ambient = []'
    run_cmd grep -e ^CapEff -e ^CapPrm /proc/self/status
    assert_success
    assert_line "CapEff:	0000000000000000"
    assert_line "CapPrm:	0000000000000000"
}

@test "noNewPrivileges" {
    update_config '.process.noNewPrivileges = true'
    run_cmd grep ^NoNewPrivs /proc/self/status
    assert_success
    assert_output "NoNewPrivs:	1"
}

@test "rlimits below the host's hard limit" {
    # The host has no CAP_SYS_RESOURCE: a hard limit above the host's own would fail.
    local hard
    hard=$(ulimit -Hn)
    update_config --argjson h "$hard" '.process.rlimits = [
        {type: "RLIMIT_NOFILE", soft: 512, hard: ($h - 1)},
        {type: "RLIMIT_NPROC", soft: 300, hard: 400},
        {type: "RLIMIT_CORE", soft: 0, hard: 0}]'
    run_cmd sh -c 'ulimit -n; ulimit -Hn; ulimit -u; ulimit -Hu; ulimit -c'
    assert_success
    assert_line --index 0 512
    assert_line --index 1 $((hard - 1))
    assert_line --index 2 300
    assert_line --index 3 400
    assert_line --index 4 0
}

@test "pid 1 in a new pid namespace" {
    run_cmd sh -c 'echo $$; ps -o pid | wc -l'
    assert_success
    assert_line --index 0 1
    # ps header + sh + ps + wc at most: nothing from the host is visible.
    (( $(echo "$output" | sed -n 2p) <= 4 ))
}

@test "loopback is up in a new network namespace" {
    run_cmd sh -c 'cat /sys/class/net/lo/operstate; cat /sys/class/net/lo/flags; ls /sys/class/net'
    assert_success
    # operstate of lo is "unknown" when up (it has no carrier); IFF_UP is bit 0 of flags.
    assert_line --index 0 unknown
    (( $(echo "$output" | sed -n 2p) & 1 ))
    assert_line --index 2 lo
}

@test "sysctl applied in the container's namespaces" {
    local host_forward host_rmid
    host_forward=$(cat /proc/sys/net/ipv4/ip_forward)
    host_rmid=$(cat /proc/sys/kernel/shm_rmid_forced)
    update_config '.linux.sysctl = {"net.ipv4.ip_forward": "1", "kernel.shm_rmid_forced": "1"}'
    run_cmd sh -c 'cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shm_rmid_forced'
    assert_success
    assert_line --index 0 1
    assert_line --index 1 1
    # Both are per-namespace (net, ipc): the host's values are untouched.
    [ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$host_forward" ]
    [ "$(cat /proc/sys/kernel/shm_rmid_forced)" = "$host_rmid" ]
}

@test "exit code of the container process" {
    run_cmd sh -c 'exit 3'
    assert_failure 3
}

@test "oomScoreAdj" {
    update_config '.process.oomScoreAdj = 500'
    run_cmd cat /proc/self/oom_score_adj
    assert_success
    assert_output 500
}

@test "domainname" {
    skip_unless_cradle "runc 1.1.5 ignores domainname (runc 1.2 added it)"
    update_config '.domainname = "example.org"'
    run_cmd cat /proc/sys/kernel/domainname
    assert_success
    assert_output example.org
}

@test "hostname without a UTS namespace is refused" {
    update_config '.linux.namespaces |= map(select(.type != "uts"))'
    run_cmd true
    assert_failure
    assert_output --partial "UTS namespace"
}

# issue 11 item 1: Docker sends these on every container, Podman pids.limit 0; runc and
# crun read them as "not set".
@test "resources that ask for nothing run: Docker's zero entries, pids limit 0" {
    update_config '.linux.resources += {memory: {disableOOMKiller: false}, cpu: {shares: 0},
        blockIO: {weight: 0}, pids: {limit: 0}}'
    run_cmd echo ran
    assert_success
    assert_output ran
}
