#!/usr/bin/env bats
# The parts of runc's command line that engines and scripts use (issue 7): run --keep,
# --help/-h of every command, --debug lines. The same file runs against runc
# (RUNTIME=/usr/sbin/runc).

bats_require_minimum_version 1.5.0
load helpers

setup() {
    common_setup
    ID=$(new_id cli)
}

teardown() {
    common_teardown
}

# Every command runc 1.1.5 has, but its internal "init".
RUNC_COMMANDS=(checkpoint create delete events exec features kill list pause ps restore resume
    run spec start state update)

@test "--help and -h of every runc command exit 0 and print its usage on stdout" {
    local cmd flag
    for cmd in "${RUNC_COMMANDS[@]}"; do
        for flag in --help -h; do
            run --separate-stderr runtime "$cmd" "$flag"
            [ "$status" -eq 0 ] || fail "$cmd $flag exited $status: $output $stderr"
            [[ ${output,,} == *usage* ]] || fail "$cmd $flag printed no usage: $output"
            [[ $output == *"$cmd"* ]] || fail "$cmd $flag does not name the command: $output"
        done
    done
}

@test "help and h: the tool's usage, or a command's; an unknown topic exits 3" {
    run --separate-stderr runtime help
    assert_success
    assert_output --partial "help, h"
    local cmd
    for cmd in "${RUNC_COMMANDS[@]}"; do
        run --separate-stderr runtime help "$cmd"
        [ "$status" -eq 0 ] || fail "help $cmd exited $status: $stderr"
        [[ ${output,,} == *usage* && $output == *"$cmd"* ]] || fail "help $cmd: $output"
    done
    run --separate-stderr runtime h state
    assert_success
    run runtime help frobnicate
    assert_failure 3
    assert_output --partial "No help topic for 'frobnicate'"
}

@test "--help wins over the other arguments, as in runc" {
    run --separate-stderr runtime run --bundle /no/such/bundle --help "$ID"
    assert_success
    [[ ${output,,} == *usage* ]]
    run runtime state "$ID"
    assert_failure
}

@test "run --keep keeps the stopped container: state, list, exit status, then delete" {
    set_args sh -c 'exit 3'
    run runtime run --keep --bundle "$BUNDLE" "$ID"
    assert_failure 3
    run runtime state "$ID"
    assert_success
    [ "$(echo "$output" | jq -r .status)" = stopped ]
    run runtime list -q
    assert_output "$ID"
    run runtime start "$ID"
    assert_failure
    assert_output --partial "cannot start a container that has stopped"
    run runtime delete "$ID"
    assert_success
    assert_no_trace "$ID"
}

@test "run without --keep removes the container when its process exits" {
    set_args true
    run runtime run --bundle "$BUNDLE" "$ID"
    assert_success
    run runtime state "$ID"
    assert_failure
    assert_output --partial "does not exist"
}

@test "run --keep keeps the container's cgroup until delete" {
    set_args true
    update_config --arg p "/cradle-test-$ID" '.linux.cgroupsPath = $p'
    run runtime run --keep --bundle "$BUNDLE" "$ID"
    assert_success
    [ -n "$(cgroup_dirs_of "cradle-test-$ID")" ] || fail "the cgroup is gone before delete"
    run runtime delete "$ID"
    assert_success
    [ -z "$(cgroup_dirs_of "cradle-test-$ID")" ] || fail "the cgroup outlives delete"
}

@test "run --keep --detach is accepted as in runc 1.1.5 (the container stays anyway)" {
    set_args true
    runtime run --keep --detach --bundle "$BUNDLE" "$ID" </dev/null >"$BATS_TEST_TMPDIR/out" 2>&1
    wait_for_status "$ID" 5 stopped
    run runtime delete "$ID"
    assert_success
}

@test "create refuses run's own flags --keep and --detach" {
    run runtime create --keep --bundle "$BUNDLE" "$ID"
    assert_failure
    # runc's Go flag package writes "-keep"; cradle the flag as given.
    assert_output --regexp "flag provided but not defined: --?keep"
}

# runc 1.1.5 writes debug lines for create (nsexec's stages) but none for start and
# delete; cradle names every command it runs.
expects_debug_lines() {
    [ "$1" = create ] || ! is_runc
}

# The lines in FILE for command $2: each a JSON object with exactly runc's keys and an
# RFC 3339 UTC time, with debug lines among them when the runtime writes some for $2.
assert_json_debug_lines() {
    run jq -e -s 'all(keys == ["level", "msg", "time"])' "$1"
    assert_success
    run jq -e -s 'all(.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}(\\.[0-9]+)?Z$"))' "$1"
    assert_success
    expects_debug_lines "$2" || return 0
    run jq -e -s 'map(select(.level == "debug")) | length > 0' "$1"
    assert_success
}

@test "--debug --log-format json: create, start and delete each add runc-shaped debug lines" {
    local log=$BATS_TEST_TMPDIR/debug.log cmd
    set_args sleep 30
    for cmd in create start delete; do
        : >"$log"
        case $cmd in
        create) runtime --debug --log "$log" --log-format json create --bundle "$BUNDLE" "$ID" \
            </dev/null >/dev/null 2>&1 ;;
        start) runtime --debug --log "$log" --log-format json start "$ID" ;;
        delete) runtime --debug --log "$log" --log-format json delete --force "$ID" ;;
        esac
        assert_json_debug_lines "$log" "$cmd"
    done
}

@test "--debug without --log: create, start and delete write runc's logfmt debug lines to stderr" {
    local errf=$BATS_TEST_TMPDIR/stderr cmd
    set_args sleep 30
    for cmd in create start delete; do
        case $cmd in
        create) runtime --debug create --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>"$errf" ;;
        start) runtime --debug start "$ID" 2>"$errf" ;;
        delete) runtime --debug delete --force "$ID" 2>"$errf" ;;
        esac
        if grep -Ev '^time="[^"]+" level=[a-z]+ msg=".*"$' "$errf"; then
            fail "$cmd: a line not in runc's shape"
        fi
        expects_debug_lines "$cmd" || continue
        grep -Eq '^time="[^"]+" level=debug msg=".+"$' "$errf" || fail "$cmd: no debug line: $(cat "$errf")"
    done
}

@test "without --debug no debug line is written" {
    local log=$BATS_TEST_TMPDIR/quiet.log
    set_args true
    run runtime --log "$log" --log-format json run --bundle "$BUNDLE" "$ID"
    assert_success
    run jq -e -s 'map(select(.level == "debug")) | length == 0' "$log"
    assert_success
}
