#!/usr/bin/env bats
# `checkpoint` and `restore` of whole containers with CRIU, as runc does them: a counter
# keeps counting after a restore under a new id, with the same pid inside its pid
# namespace; pre-dump then dump; --leave-running; and a restore that cannot work leaves
# nothing behind. Run with RUNTIME=/usr/sbin/runc for the reference behaviour.

load checkpoint_helpers

setup_file() {
    checkpoint_setup_file
}

setup() {
    checkpoint_setup ckpt
}

teardown() {
    common_teardown
}

# Asserts that the counter runs with pid $1 and counts on from above $2.
assert_counts_on() {
    local pid=$1 from=$2 line
    wait_for_count $((from + 3))
    line=$(count_line)
    [ "${line% *}" = "$pid" ] || fail "the counter's pid changed: $pid before, ${line% *} after"
}

# The container $1 has no state and no cgroup left.
assert_gone() {
    run runtime state "$1"
    assert_failure
    assert_output --partial "does not exist"
    [ -z "$(cgroup_dirs_of "$1")" ] || fail "cgroup left for $1: $(cgroup_dirs_of "$1")"
}

@test "checkpoint stops and removes the container; restore under a new id counts on, same pid" {
    start_counter "$ID"
    run runtime checkpoint --image-path "$IMAGES" "$ID"
    assert_success
    local before
    before=$(count_line)
    assert_gone "$ID"
    sleep 0.3
    [ "$(count_line)" = "$before" ] || fail "the counter still ran after the checkpoint"
    [ -s "$IMAGES/descriptors.json" ] || fail "no descriptors.json in the images"

    local id2=${ID}-r
    run runtime restore -d --bundle "$BUNDLE" --image-path "$IMAGES" "$id2" </dev/null
    assert_success
    run runtime state "$id2"
    assert_success
    [ "$(jq -r .status <<<"$output")" = running ]
    assert_counts_on "${before% *}" "${before#* }"

    runtime kill "$id2" KILL
    wait_for_status "$id2"
    runtime delete "$id2"
    assert_gone "$id2"
}

# Incremental dumps need the kernel's soft-dirty page tracking; some kernels (this VM's
# among them) are built without it, and then criu cannot pre-dump at all.
dirty_tracking() {
    criu check --feature mem_dirty_track >/dev/null 2>&1
}

@test "pre-dump, then a dump on top of it, then restore" {
    dirty_tracking || skip "criu check --feature mem_dirty_track fails: this kernel has no soft-dirty memory tracking, so criu cannot pre-dump (runc fails the same way)"
    start_counter "$ID"
    run runtime checkpoint --pre-dump --image-path "$IMAGES/pre" "$ID"
    assert_success
    [ "$(runtime state "$ID" | jq -r .status)" = running ]
    run runtime checkpoint --parent-path ../pre --image-path "$IMAGES/final" "$ID"
    assert_success
    local before
    before=$(count_line)
    assert_gone "$ID"
    run runtime restore -d --bundle "$BUNDLE" --image-path "$IMAGES/final" "$ID"
    assert_success
    assert_counts_on "${before% *}" "${before#* }"
}

@test "without dirty tracking, pre-dump fails clearly and the container keeps running" {
    skip_unless_cradle "runc says only \"CRIU is missing features\""
    ! dirty_tracking || skip "this kernel tracks dirty memory: pre-dump works here"
    start_counter "$ID"
    run runtime checkpoint --pre-dump --image-path "$IMAGES/pre" "$ID"
    assert_failure
    assert_output --partial "--pre-dump needs memory dirty tracking"
    [ "$(runtime state "$ID" | jq -r .status)" = running ]
}

@test "--parent-path must be relative and exist" {
    start_counter "$ID"
    run runtime checkpoint --parent-path /abs --image-path "$IMAGES" "$ID"
    assert_failure
    assert_output --partial "--parent-path must be relative"
    run runtime checkpoint --parent-path ../missing --image-path "$IMAGES" "$ID"
    assert_failure
    assert_output --partial "parent-path"
    [ "$(runtime state "$ID" | jq -r .status)" = running ]
}

@test "--leave-running keeps the container; its checkpoint restores once it is gone" {
    start_counter "$ID"
    run runtime checkpoint --leave-running --image-path "$IMAGES" "$ID"
    assert_success
    [ "$(runtime state "$ID" | jq -r .status)" = running ]
    local at_checkpoint
    at_checkpoint=$(cat "$DATA/count")
    wait_for_count $((${at_checkpoint#* } + 3))

    # The restored counter needs its old files and pid: the first container goes first.
    runtime delete --force "$ID"
    local id2=${ID}-r
    run runtime restore -d --bundle "$BUNDLE" --image-path "$IMAGES" "$id2" </dev/null
    assert_success
    assert_counts_on "${at_checkpoint% *}" 0
}

@test "restore in the foreground returns the container's exit status and removes it" {
    set_args sh -c 'sh -c "sleep 1; exit 7" & wait $!'
    runtime run -d --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1
    run runtime checkpoint --image-path "$IMAGES" "$ID"
    assert_success
    run runtime restore --bundle "$BUNDLE" --image-path "$IMAGES" "$ID" </dev/null
    [ "$status" -eq 7 ] || fail "restore exited $status, not 7: $output"
    assert_gone "$ID"
}

@test "restore into a missing bundle fails clearly and leaves nothing behind" {
    start_counter "$ID"
    runtime checkpoint --image-path "$IMAGES" "$ID"
    run runtime restore -d --bundle "$BATS_TEST_TMPDIR/no-such-bundle" --image-path "$IMAGES" "$ID"
    assert_failure
    assert_output --partial "no-such-bundle"
    assert_output --regexp "[Nn]o such file or directory"
    assert_gone "$ID"
    is_cradle && assert_no_trace "$ID"
    [ -z "$(grep criu-root /proc/self/mountinfo)" ] || fail "a criu-root mount was left"
}

@test "restore of a missing image directory fails before anything is made" {
    run runtime restore -d --bundle "$BUNDLE" --image-path "$BATS_TEST_TMPDIR/no-images" "$ID"
    assert_failure
    assert_output --partial "no-images"
    assert_gone "$ID"
}

@test "a container that is not running cannot be checkpointed" {
    skip_unless_cradle "runc's message differs"
    run create_logged "$ID"
    assert_success
    run runtime checkpoint --image-path "$IMAGES" "$ID"
    assert_failure
    assert_output --partial "cannot be checkpointed in created state"
}

@test "checkpoint --help succeeds (engines probe it); a bad cgroups mode is refused" {
    run runtime checkpoint --help
    assert_success
    assert_output --partial --image-path
    start_counter "$ID"
    run runtime checkpoint --manage-cgroups-mode bogus --image-path "$IMAGES" "$ID"
    assert_failure
    assert_output --regexp "[Ii]nvalid"
    is_cradle && assert_output --partial bogus
    [ "$(runtime state "$ID" | jq -r .status)" = running ]
}

# The hook records the state it got and the pid namespace of the pid in it, from the host.
HOOK='cat >"$1/hook-$2.json"; pid=$(jq -r .pid "$1/hook-$2.json"); readlink /proc/$pid/ns/pid >"$1/hook-$2.ns"'

@test "restore runs prestart and createRuntime hooks once criu has made the namespaces" {
    start_counter "$ID"
    runtime checkpoint --image-path "$IMAGES" "$ID"
    update_config --arg hook "$HOOK" --arg dir "$BATS_TEST_TMPDIR" \
        '.hooks.prestart = [{path: "/bin/sh", args: ["sh", "-c", $hook, "sh", $dir, "prestart"]}]
         | .hooks.createRuntime = [{path: "/bin/sh", args: ["sh", "-c", $hook, "sh", $dir, "createRuntime"]}]'
    run runtime restore -d --bundle "$BUNDLE" --image-path "$IMAGES" "$ID" </dev/null
    assert_success
    local pid stage
    pid=$(runtime state "$ID" | jq -r .pid)
    for stage in prestart createRuntime; do
        [ -s "$BATS_TEST_TMPDIR/hook-$stage.json" ] || fail "the $stage hook did not run"
        [ "$(jq -r .id "$BATS_TEST_TMPDIR/hook-$stage.json")" = "$ID" ] || fail "$stage: wrong id"
        [ "$(jq -r .pid "$BATS_TEST_TMPDIR/hook-$stage.json")" = "$pid" ] ||
            fail "$stage got pid $(jq -r .pid "$BATS_TEST_TMPDIR/hook-$stage.json"), the init is $pid"
        # The init's pid namespace existed when the hook ran, and it is the container's.
        [ "$(cat "$BATS_TEST_TMPDIR/hook-$stage.ns")" = "$(readlink /proc/"$pid"/ns/pid)" ] ||
            fail "$stage saw another pid namespace"
    done
    [ "$(readlink /proc/"$pid"/ns/pid)" != "$(readlink /proc/self/ns/pid)" ]
    is_cradle && [ -z "$(ls "$STATE_ROOT/$ID" | grep criu-)" ]
    wait_for_count 1
}

@test "a failing prestart hook fails the restore, naming the hook, and leaves nothing behind" {
    start_counter "$ID"
    runtime checkpoint --image-path "$IMAGES" "$ID"
    update_config '.hooks.prestart = [{path: "/bin/sh", args: ["sh", "-c", "exit 3"]}]'
    run runtime restore -d --bundle "$BUNDLE" --image-path "$IMAGES" "$ID" </dev/null
    assert_failure
    is_cradle && assert_output --partial "prestart hook #0 (/bin/sh): exited with status 3"
    assert_gone "$ID"
    is_cradle && assert_no_trace "$ID"
    local before
    before=$(count_line)
    sleep 0.3
    [ "$(count_line)" = "$before" ] || fail "a restored counter runs on"
}
