#!/usr/bin/env bats
# libsystemd.so.0 is loaded (dlopen) only when --systemd-cgroup is used: cradle does not
# link it, a container made without that flag never maps it, and with the flag a host
# without it gets one clear error and nothing left. cradle-only (runc links no libsystemd).
#   CRADLE=$PWD/build/cradle bats tests/integration/systemd_dlopen.bats
#   tests/vm/run-in-cgroup2.sh --systemd env CRADLE=$PWD/build/cradle bats tests/integration/systemd_dlopen.bats

load helpers

setup() {
    skip_unless_cradle "cradle's own loading of libsystemd"
    common_setup
    ID=$(new_id sdl)
}

teardown() {
    common_teardown
}

@test "dlopen: cradle is not linked with libsystemd" {
    run ldd "$CRADLE"
    [[ $output == *"not a dynamic executable"* ]] && skip "a static build has no systemd driver"
    assert_success
    assert_output --partial libc.so
    refute_output --partial libsystemd
}

@test "dlopen: a container made without --systemd-cgroup never maps libsystemd" {
    set_args true
    run_create "$ID"
    assert_success
    # The created init is a clone of the runtime (after its re-exec) blocked on the exec
    # fifo: its mappings are the runtime's.
    local pid
    pid=$(container_pid "$ID")
    run cat "/proc/$pid/maps"
    assert_success
    assert_output --partial libc.so
    refute_output --partial libsystemd
}

@test "dlopen: --systemd-cgroup without libsystemd.so.0 fails clearly and leaves nothing" {
    [ -d /run/systemd/system ] || skip "needs systemd as PID 1 (run it through tests/vm/run-in-cgroup2.sh --systemd)"
    local lib
    lib=$(ldconfig -p | awk '$1 == "libsystemd.so.0" { print $NF; exit }')
    [ -n "$lib" ] || skip "libsystemd.so.0 is not installed here"
    update_config --arg path "system.slice:ctest:$ID" '.linux.cgroupsPath = $path'
    set_args true
    # In a mount namespace of its own, an empty file stands in for the library.
    : >"$BATS_TEST_TMPDIR/empty.so"
    run unshare -m --propagation private sh -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"' \
        sh "$BATS_TEST_TMPDIR/empty.so" "$lib" \
        "$CRADLE" --root "$STATE_ROOT" --systemd-cgroup run --bundle "$BUNDLE" "$ID"
    assert_failure
    assert_output --partial "--systemd-cgroup needs libsystemd.so.0: "
    assert_no_trace "$ID"
    run systemctl show -p LoadState --value "ctest-$ID.scope"
    assert_output not-found
}
