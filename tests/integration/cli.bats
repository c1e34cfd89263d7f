#!/usr/bin/env bats
# The command line itself: version, help, global and create flags, error output shape.

load helpers

setup() {
    common_setup
    ID=$(new_id cli)
}

teardown() {
    common_teardown
}

@test "--version names the runtime, the spec and the libraries" {
    skip_unless_cradle "version text is runtime-specific"
    run runtime --version
    assert_success
    assert_line --regexp '^cradle version [0-9]+\.[0-9]+\.[0-9]+$'
    # runc's second line: the git revision (git describe), or the package version outside git.
    assert_line --regexp '^commit: [0-9a-z.+~-]+$'
    assert_line --regexp '^spec: 1\.[0-9]+\.[0-9]+'
    assert_line --regexp '^libseccomp: [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "--help for the tool and for every command" {
    run runtime --help
    assert_success
    assert_output --partial create
    local cmd
    for cmd in create start run state list kill delete spec; do
        run runtime "$cmd" --help
        assert_success
        assert_output --partial "$cmd"
    done
}

@test "an unknown command or flag fails with one line" {
    run runtime frobnicate
    assert_failure
    assert_output --partial frobnicate
    run runtime state --bogus "$ID"
    assert_failure
    assert_output --partial bogus
}

@test "errors are runc's logfmt line on stderr" {
    run runtime state "$ID"
    assert_failure
    assert_output --regexp "^time=\"[^\"]+\" level=error msg=\".*does not exist\"$"
}

@test "--log with --log-format json gets runc's JSON line; stderr the message" {
    local log=$BATS_TEST_TMPDIR/runtime.log
    run runtime --log "$log" --log-format json state "$ID"
    assert_failure
    assert_output --partial "does not exist"
    run jq -e -r 'select(.level == "error") | .msg + " " + .time' "$log"
    assert_success
    assert_output --partial "does not exist"
}

@test "--log naming a file that cannot be opened is an error, as in runc (issue 6 item 11)" {
    run runtime --log "$BATS_TEST_TMPDIR/no/such/dir/runtime.log" list
    assert_failure 1
    assert_output --partial "no/such/dir/runtime.log"
}

@test "--debug writes debug lines to --log, in the chosen format" {
    local log=$BATS_TEST_TMPDIR/debug.log
    set_args true
    run runtime --debug --log "$log" --log-format json run --bundle "$BUNDLE" "$ID"
    assert_success
    run jq -e -s 'map(select(.level == "debug")) | length > 0' "$log"
    assert_success
}

@test "--debug writes debug lines to stderr without --log" {
    set_args true
    run runtime --debug run --bundle "$BUNDLE" "$ID"
    assert_success
    assert_output --regexp 'level=debug msg='
}

@test "--pid-file gets the init's pid (relative paths too)" {
    set_args sleep 30
    cd "$BATS_TEST_TMPDIR"
    runtime create --bundle "$BUNDLE" --pid-file ctr.pid "$ID"
    [ "$(cat ctr.pid)" = "$(container_pid "$ID")" ] || fail "pid file $(cat ctr.pid)"
}

@test "--preserve-fds passes fd 3 and closes the rest" {
    set_args sh -c 'ls /proc/self/fd | sort -n | tr "\n" " "; cat <&3'
    echo passed-through >"$BATS_TEST_TMPDIR/fd3"
    run runtime run --preserve-fds 1 --bundle "$BUNDLE" "$ID" 3<"$BATS_TEST_TMPDIR/fd3" 6</dev/null
    assert_success
    # 0-2, the preserved 3, and 4, the fd ls itself opens for /proc/self/fd; never 6.
    assert_output --partial "0 1 2 3 4 "
    refute_output --partial " 6 "
    assert_output --partial passed-through
}

@test "without --preserve-fds no fd beyond stdio reaches the container" {
    set_args sh -c 'ls /proc/self/fd | sort -n | tr "\n" " "'
    run runtime run --bundle "$BUNDLE" "$ID" 5</dev/null 6</dev/null
    assert_success
    # 0-2 and 3, the fd ls itself opens for /proc/self/fd.
    assert_output "0 1 2 3 "
}

@test "--no-pivot runs the container with chroot" {
    touch "$BUNDLE/rootfs/only-in-rootfs"
    set_args sh -c 'ls /only-in-rootfs && echo hello from no-pivot'
    run runtime run --no-pivot --bundle "$BUNDLE" "$ID"
    assert_success
    assert_output "/only-in-rootfs
hello from no-pivot"
}

@test "a new session keyring per container, none with --no-new-keyring" {
    set_args sleep 30
    runtime create --bundle "$BUNDLE" "$ID"
    grep -q "_ses.$ID: " /proc/keys || fail "no session keyring _ses.$ID in /proc/keys"
    runtime create --no-new-keyring --bundle "$BUNDLE" "$ID-k"
    run grep -c "_ses.$ID-k: " /proc/keys
    assert_output 0
}
