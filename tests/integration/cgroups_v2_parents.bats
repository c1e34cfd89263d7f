#!/usr/bin/env bats
# A cgroupsPath whose parents do not exist on a pure cgroup v2 host (containerd's
# /NAMESPACE/ID, Podman's machine.slice/...): as runc, every level above the container's
# directory enables the controllers it has in cgroup.subtree_control, so the container's
# limits can be written. Found with `ctr run` in the guest ("no cpu cgroup controller").
# Skips unless the host is pure cgroup v2 (run it in the guest):
#   tests/vm/run-in-cgroup2.sh bats tests/integration/cgroups_v2_parents.bats

load helpers

setup() {
    [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ] ||
        skip "needs a pure cgroup v2 host (run it through tests/vm/run-in-cgroup2.sh)"
    common_setup
    ID=$(new_id parents)
    PARENT=/sys/fs/cgroup/cradle-parents-$$-$RANDOM
}

teardown() {
    runtime delete --force "$ID" >/dev/null 2>&1
    common_teardown
    rmdir "$PARENT/middle" "$PARENT" 2>/dev/null
    return 0
}

@test "new parents get the controllers: the container's cpu, memory and pids limits are written" {
    local rt
    for rt in "$CRADLE" /usr/sbin/runc; do
        update_config --arg path "${PARENT#/sys/fs/cgroup}/middle/$ID" '.linux.cgroupsPath = $path
            | .linux.resources += {"memory": {"limit": 67108864}, "pids": {"limit": 20},
                                   "cpu": {"shares": 1024}}'
        set_args sleep 1000
        # The output goes to a file: a detached init keeps a pipe of `run` open.
        RUNTIME=$rt runtime run -d --bundle "$BUNDLE" "$ID" </dev/null >"$BATS_TEST_TMPDIR/log" 2>&1 ||
            fail "$rt run -d: $(cat "$BATS_TEST_TMPDIR/log")"
        assert_equal "$(cat "$PARENT/middle/$ID/memory.max")" 67108864
        assert_equal "$(cat "$PARENT/middle/$ID/pids.max")" 20
        run cat "$PARENT/middle/cgroup.subtree_control"
        assert_output --regexp 'cpu.*memory.*pids'
        RUNTIME=$rt runtime delete --force "$ID"
        [ ! -e "$PARENT/middle/$ID" ] || fail "$rt left $PARENT/middle/$ID"
    done
}
