#!/usr/bin/env bats
# linux.resources.devices access strings as runc 1.1 reads them: the r, w and m letters in
# any order, other letters ignored ("rwa" is "rw"); an empty access is an error. Each case
# runs against cradle and runc: read back from the v1 devices.list (on hosts with the v1
# devices controller) and checked from inside the container by opening /dev/kmsg
# write-only, an open that needs no capability and writes nothing. Also: errors in other
# resources fields name the field.

load helpers

RUNC=/usr/sbin/runc

setup() {
    common_setup
    CGROUP_NAME=cradle-devacc-$$-$RANDOM
}

teardown() {
    local rt id dir
    for rt in "$CRADLE" "$RUNC"; do
        for id in $(rt_run "$rt" list -q 2>/dev/null); do
            rt_run "$rt" delete --force "$id" >/dev/null 2>&1 || true
        done
    done
    rm -rf "$STATE_ROOT" "$BUNDLE"
    for dir in /sys/fs/cgroup/*/"$CGROUP_NAME" /sys/fs/cgroup/"$CGROUP_NAME"; do
        [ -d "$dir" ] && rmdir "$dir" 2>/dev/null || true
    done
}

# Runs runtime $1 with its own state dir under the test's.
rt_run() {
    local rt=$1
    shift
    "$rt" --root "$STATE_ROOT/$(basename "$rt")" "$@"
}

# The bundle: every device denied, then c 1:11 (/dev/kmsg, not among the default allowed
# devices the runtimes append) allowed with access $1; the node itself from linux.devices.
use_kmsg_rule() {
    update_config --arg access "$1" --arg path "/$CGROUP_NAME" '
        .linux.cgroupsPath = $path
        | .linux.devices = [{path: "/dev/kmsg", type: "c", major: 1, minor: 11,
                             fileMode: 438, uid: 0, gid: 0}]
        | .linux.resources.devices = [{allow: false, access: "rwm"},
            {allow: true, type: "c", major: 1, minor: 11, access: $access}]'
    set_args sh -c '(: >/dev/kmsg) && echo WRITE_OPEN_OK; exit 0'
}

# Runs the bundle in the foreground with runtime $1; prints its output and the container's.
run_with() {
    rt_run "$1" run --bundle "$BUNDLE" "$(new_id run)" 2>&1 </dev/null
}

@test "device access 'rwa' is 'rw' (cradle and runc): the write open succeeds" {
    use_kmsg_rule rwa
    for rt in "$CRADLE" "$RUNC"; do
        out=$(run_with "$rt")
        [[ $out == *WRITE_OPEN_OK* ]] || fail "$(basename "$rt"): $out"
    done
}

@test "device access 'ra' is 'r' and 'mr' is 'rm' (cradle and runc): the write open is denied" {
    for access in ra mr; do
        use_kmsg_rule "$access"
        for rt in "$CRADLE" "$RUNC"; do
            out=$(run_with "$rt")
            [[ $out != *WRITE_OPEN_OK* ]] || fail "$(basename "$rt") $access: $out"
            [[ $out == *"Operation not permitted"* ]] || fail "$(basename "$rt") $access: $out"
        done
    done
}

@test "device access strings reach devices.list normalized (v1), as runc writes them" {
    [ -d /sys/fs/cgroup/devices ] || skip "no v1 devices controller on this host (cgroup v2: eBPF)"
    local pair given want rt id
    for pair in rwa:rw wr:rw mrr:rm aw:w rwmx:rwm; do
        given=${pair%%:*} want=${pair#*:}
        use_kmsg_rule "$given"
        for rt in "$CRADLE" "$RUNC"; do
            id=$(new_id list)
            # The created init keeps its stdio: not through bats' run, whose pipe it would hold.
            rt_run "$rt" create --bundle "$BUNDLE" "$id" </dev/null >"$BATS_TEST_TMPDIR/log" 2>&1 ||
                fail "$(basename "$rt") $given: $(cat "$BATS_TEST_TMPDIR/log")"
            run grep '^c 1:11 ' "/sys/fs/cgroup/devices/$CGROUP_NAME/devices.list"
            [ "$output" = "c 1:11 $want" ] || fail "$(basename "$rt") $given: '$output'"
            rt_run "$rt" delete --force "$id"
        done
    done
}

@test "on an 'a' rule the access letters do not matter (cradle and runc): 'x' denies all" {
    use_kmsg_rule w
    update_config '.linux.resources.devices[0].access = "x"'
    for rt in "$CRADLE" "$RUNC"; do
        out=$(run_with "$rt")
        [[ $out == *WRITE_OPEN_OK* ]] || fail "$(basename "$rt") after deny 'x': $out"
    done
    update_config '.linux.resources.devices = [{allow: false, access: "x"}]'
    for rt in "$CRADLE" "$RUNC"; do
        out=$(run_with "$rt")
        [[ $out == *"Operation not permitted"* ]] || fail "$(basename "$rt") deny 'x' only: $out"
    done
}

@test "an empty device access is refused before anything is created (cradle and runc)" {
    use_kmsg_rule ""
    run rt_run "$CRADLE" run --bundle "$BUNDLE" "$(new_id empty)"
    assert_failure
    assert_output --partial "linux.resources.devices[1].access: cannot be empty"
    [ -z "$(ls -A "$STATE_ROOT/cradle")" ] || fail "state left: $(ls -A "$STATE_ROOT/cradle")"
    out=$(run_with "$RUNC") && fail "runc accepted an empty access: $out"
    [[ $out == *"device access at 1 field cannot be empty"* ]] || fail "runc: $out"
}

@test "an access with none of r, w, m is refused naming the field" {
    use_kmsg_rule a
    run rt_run "$CRADLE" run --bundle "$BUNDLE" "$(new_id none)"
    assert_failure
    assert_output --partial 'linux.resources.devices[1].access: \"a\" has none of r, w or m'
}

@test "resources type, range and file-name errors name the field" {
    local filter expected
    while IFS='|' read -r filter expected; do
        update_config ".linux.resources = $filter"
        run rt_run "$CRADLE" run --bundle "$BUNDLE" "$(new_id err)"
        assert_failure
        assert_output --partial "$expected"
    done <<'EOF'
{memory: {limit: "64m"}}|linux.resources.memory.limit: expected a 64-bit integer, got string
{memory: {swappiness: 150}}|linux.resources.memory.swappiness: 150 is out of range (0-100)
{blockIO: {weight: 70000}}|linux.resources.blockIO.weight: 70000 is out of range (0 to 65535)
{pids: {limit: "max"}}|linux.resources.pids.limit: expected a 64-bit integer, got string
{unified: {"../x": "1"}}|linux.resources.unified: \"../x\" is not a cgroup file name
EOF
}
