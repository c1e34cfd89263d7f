#!/usr/bin/env bats
# delete kills only what is the container's (found in review of issue 6): a container with
# a new pid namespace of its own is ended by killing its init; sweeping its cgroup too would
# also kill whatever else shares that cgroup (cgroupsPath is the config's to choose: a
# neighbour's, or one a host process lives in). Run against cradle, runc and crun.

load helpers
load security_helpers

setup() {
    USED=$BATS_TEST_TMPDIR/used
    : >"$USED"
    CG_NAME=cradle-shared-$$-$RANDOM
}

teardown() {
    [ -n "${BYSTANDER:-}" ] && kill -9 "$BYSTANDER" 2>/dev/null
    delete_used_runtimes
    local dir
    for dir in $(cgroup_dirs_of "$CG_NAME"); do
        rmdir "$dir" 2>/dev/null || true
    done
    return 0
}

teardown_file() {
    print_attack_table
}

@test "delete of a container with its own pid namespace spares other processes in its cgroup" {
    local attack="delete kills a bystander in a shared cgroup" rt id out outcome
    for rt in $(attack_runtimes); do
        usable_runtime "$attack" "$rt" || continue
        new_bundle
        update_config --arg cg "/$CG_NAME" '.linux.cgroupsPath = $cg'
        set_args sleep 100
        id=$(new_id victim)
        create_quiet "$id" >/dev/null
        # A host process that was put into the same cgroup: not the container's.
        sleep 1000 </dev/null >/dev/null 2>&1 3>&- &
        BYSTANDER=$!
        echo "$BYSTANDER" >"$(cgroup_dirs_of "$CG_NAME" | grep /pids/ | head -1)/cgroup.procs"
        out=$(runtime delete --force "$id" 2>&1) || fail "delete: $out"
        outcome=safe
        kill -0 "$BYSTANDER" 2>/dev/null || outcome=vulnerable
        record_attack "$attack" "$rt" "$outcome"
        kill -9 "$BYSTANDER" 2>/dev/null
        wait "$BYSTANDER" 2>/dev/null || true
        BYSTANDER=
        if is_cradle; then
            assert_equal "$outcome" safe
        fi
    done
}

@test "create warns when the cgroup already holds processes, as runc does" {
    use_runtime "$CRADLE"
    new_bundle
    update_config --arg cg "/$CG_NAME" '.linux.cgroupsPath = $cg'
    set_args sleep 100
    create_quiet "$(new_id first)" >/dev/null
    run create_logged "$(new_id second)"
    assert_success
    assert_output --partial "container's cgroup is not empty: 1 process(es) found"
}

@test "delete of a container without a pid namespace still kills every process it left" {
    use_runtime "$CRADLE"
    new_bundle
    update_config '.linux.namespaces |= map(select(.type != "pid"))'
    set_args sh -c 'sleep 1000 & echo "child=$!"; wait'
    local id child i
    id=$(new_id nopid)
    create_quiet "$id" >/dev/null
    runtime start "$id"
    # The container's stdout is create's log; without a pid namespace $! is a host pid.
    for ((i = 0; i < 400; i++)); do
        child=$(sed -n 's/^child=//p' "$BATS_TEST_TMPDIR/create-$id.log")
        [ -n "$child" ] && break
        sleep 0.05
    done
    [ -n "$child" ] || fail "the container never reported its child"
    runtime delete --force "$id"
    # Gone, or a zombie the host's init has not reaped yet.
    local state
    state=$(awk '{ print $3 }' "/proc/$child/stat" 2>/dev/null || true)
    [ -z "$state" ] || [ "$state" = Z ] || fail "the container's child $child outlived delete ($state)"
}
