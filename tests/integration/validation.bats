#!/usr/bin/env bats
# The validation pass (cradle_spec_validate) seen from the command line: what it refuses
# names the field at fault and leaves nothing behind; what runc runs, cradle runs.

load helpers

setup() {
    common_setup
    ID=$(new_id val)
}

teardown() {
    common_teardown
}

@test "issue 6 item 11: a device node with fileMode 04755 is refused, nothing is created" {
    update_config '.linux.devices = [{path: "/dev/suid", type: "c", major: 1, minor: 3,
        fileMode: 2541}]'
    set_args true
    run_create "$ID"
    assert_failure
    assert_output --partial 'linux.devices[0].fileMode: 04755 has bits beyond 0777 (setuid, setgid or sticky)'
    assert_no_trace "$ID"
    [ ! -e "$BUNDLE/rootfs/dev/suid" ]
}

# mknod keeps 12 bits of major: 5000 would silently become device 904 (runc makes it).
@test "issue 6 item 11: a device major beyond the kernel's 12 bits is refused" {
    update_config '.linux.devices = [{path: "/dev/big", type: "c", major: 5000, minor: 3}]'
    set_args true
    run_create "$ID"
    assert_failure
    assert_output --partial 'linux.devices[0].major: 5000 is out of range (0 to 4095)'
    assert_no_trace "$ID"
}

@test "a device node with permission bits only is made with that mode" {
    update_config '.linux.devices = [{path: "/dev/mine", type: "c", major: 1, minor: 3,
        fileMode: 416}]'
    run_cmd stat -c '%a %t:%T' /dev/mine
    assert_success
    assert_output '640 1:3'
}

@test "hostname without a private uts namespace is refused with runc's words" {
    update_config '.linux.namespaces |= map(select(.type != "uts")) | .hostname = "h"'
    set_args true
    run_create "$ID"
    assert_failure
    assert_output --partial 'hostname: unable to set hostname without a private UTS namespace'
    assert_no_trace "$ID"
}

# issue 6: the default spec lists ambient capabilities that are not inheritable; runc and
# crun run it for a non-root user without them. cradle does too, and says so.
@test "the default spec with process.user.uid 42 runs; unraisable ambient caps dropped with a warning" {
    update_config '.process.user.uid = 42'
    run_cmd sh -c 'id -u; grep CapAmb /proc/self/status'
    assert_success
    assert_line 42
    assert_line --partial "can't raise ambient capability CAP_KILL: it is not in process.capabilities.inheritable"
    local cradle_amb
    cradle_amb=$(grep CapAmb <<<"$output")
    [ "$cradle_amb" = "CapAmb:	0000000000000000" ]
    if command -v runc >/dev/null; then
        RUNTIME=runc STATE_ROOT=$(mktemp -d "$BATS_TEST_TMPDIR/runc.XXXXXX") \
            run_cmd grep CapAmb /proc/self/status
        assert_success
        assert_output "$cradle_amb"
    fi
}

@test "ambient capabilities that are inheritable and permitted are raised for uid 42" {
    update_config '.process.user.uid = 42
        | .process.capabilities.inheritable = ["CAP_KILL"]
        | .process.capabilities.ambient = ["CAP_KILL", "CAP_NET_BIND_SERVICE"]'
    run_cmd grep CapAmb /proc/self/status
    assert_success
    assert_line --partial "can't raise ambient capability CAP_NET_BIND_SERVICE"
    assert_line "CapAmb:	0000000000000020"
}

@test "a cgroupsPath climbing out with .. is refused before anything is created" {
    update_config '.linux.cgroupsPath = "/cradle-test/../../escape"'
    set_args true
    run_create "$ID"
    assert_failure
    assert_output --partial 'linux.cgroupsPath \"/cradle-test/../../escape\": \"..\" is not allowed'
    assert_no_trace "$ID"
    [ -z "$(cgroup_dirs_of escape)" ]
}
