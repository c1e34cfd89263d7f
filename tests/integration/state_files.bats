#!/usr/bin/env bats
# What a container's state directory holds: state.json (with linux.resources as last
# applied, which update merges onto), config.json (the copy exec reads) and, until start,
# exec.fifo; nothing else, so that a create makes as few files as it can (each costs an
# inode on the state's filesystem).
# cradle-only: runc's state directory is its own.

load helpers

setup() {
    skip_unless_cradle "cradle's state directory"
    common_setup
    ID=$(new_id st)
}

teardown() {
    common_teardown
}

@test "state files: a created container has config.json, state.json and exec.fifo only, its resources in state.json" {
    update_config '.linux.resources.pids = {"limit": 123} | .linux.resources.memory = {"limit": 67108864}'
    set_args sleep 100
    run_create "$ID"
    assert_success
    run ls -A "$STATE_ROOT/$ID"
    assert_output "$(printf 'config.json\nexec.fifo\nstate.json')"
    run jq -c '.resources | {pids, memory}' "$STATE_ROOT/$ID/state.json"
    assert_output '{"pids":{"limit":123},"memory":{"limit":67108864}}'
}

@test "state files: update merges onto the resources in state.json and records the result" {
    update_config '.linux.resources.pids = {"limit": 123} | .linux.resources.memory = {"limit": 67108864}'
    set_args sleep 100
    run_create "$ID"
    assert_success
    run runtime update --pids-limit 456 "$ID"
    assert_success
    run jq -c '.resources | {pids, memory}' "$STATE_ROOT/$ID/state.json"
    assert_output '{"pids":{"limit":456},"memory":{"limit":67108864}}'
    # What the next update merges onto is the recorded result, not create's.
    run runtime update --memory 128m "$ID"
    assert_success
    run jq -c '.resources | {pids, memory}' "$STATE_ROOT/$ID/state.json"
    assert_output '{"pids":{"limit":456},"memory":{"limit":134217728}}'
    # The rest of the record is unchanged: the container is still created, with its pid.
    run runtime state "$ID"
    assert_success
    [ "$(jq -r .status <<<"$output")" = created ]
    [ "$(jq -r .pid <<<"$output")" -gt 0 ]
    run ls -A "$STATE_ROOT/$ID"
    assert_output "$(printf 'config.json\nexec.fifo\nstate.json')"
}

@test "state files: the config copy is the config as created, readable by root only" {
    set_args sleep 100
    run_create "$ID"
    assert_success
    cmp "$BUNDLE/config.json" "$STATE_ROOT/$ID/config.json"
    [ "$(stat -c %a "$STATE_ROOT/$ID/config.json")" = 600 ]
}
