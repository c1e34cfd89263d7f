#!/usr/bin/env bats
# The environment of the container's process as runc makes it: process.env applied one
# entry after another, and socket activation (LISTEN_FDS) passed on. Each test runs the
# same way against runc (RUNTIME=/usr/sbin/runc).

load helpers

setup() {
    common_setup
}

teardown() {
    common_teardown
}

@test "process.env: a name given twice keeps its first place and its last value" {
    update_config '.process.env = ["A=1", "PATH=/bin:/usr/bin", "B=2", "A=3", "EMPTY="]'
    # The environment given to execve, before the shell reorders its own copy.
    run_cmd sh -c "tr '\\0' '\\n' </proc/1/environ | grep -v ^HOME="
    assert_success
    assert_output "$(printf 'A=3\nPATH=/bin:/usr/bin\nB=2\nEMPTY=')"
}

@test "process.env: an entry without '=' or with an empty name fails the create, naming it" {
    local id
    for entry in FOO =x; do
        id=$(new_id env)
        update_config --arg e "$entry" '.process.env = ["PATH=/bin", $e]'
        set_args true
        run runtime run --bundle "$BUNDLE" "$id"
        assert_failure
        assert_output --partial "$entry"
        run runtime state "$id"
        assert_failure
    done
}

# The runtime is exec'd by a shell that sets LISTEN_PID to its own pid, as systemd does for
# a socket-activated service: fds 3 (activation) and 4 (--preserve-fds 1) reach the process.
@test "LISTEN_FDS: activation fds come first, then --preserve-fds, with LISTEN_FDS and LISTEN_PID=1" {
    local rt=${RUNTIME:-$CRADLE} dir=$BATS_TEST_TMPDIR
    echo activated >"$dir/a"
    echo preserved >"$dir/p"
    set_args sh -c 'echo "$LISTEN_FDS $LISTEN_PID"; cat <&3; cat <&4; if [ -e /proc/self/fd/5 ]; then echo has-5; else echo no-5; fi'
    run sh -c 'a=$1 p=$2; shift 2; LISTEN_FDS=1 LISTEN_PID=$$ exec "$@" 3<"$a" 4<"$p" 5</dev/null' \
        sh "$dir/a" "$dir/p" "$rt" --root "$STATE_ROOT" run --preserve-fds 1 --bundle "$BUNDLE" "$(new_id lfd)"
    assert_success
    assert_line --index 0 "1 1"
    assert_line --index 1 activated
    assert_line --index 2 preserved
    assert_line --index 3 no-5
}

@test "LISTEN_FDS naming another process is ignored" {
    local rt=${RUNTIME:-$CRADLE}
    set_args sh -c 'echo "[$LISTEN_FDS]"; if [ -e /proc/self/fd/3 ]; then echo has-3; else echo no-3; fi'
    run sh -c 'LISTEN_FDS=1 LISTEN_PID=1 exec "$@" 3</dev/null' \
        sh "$rt" --root "$STATE_ROOT" run --bundle "$BUNDLE" "$(new_id lfd)"
    assert_success
    assert_line --index 0 "[]"
    assert_line --index 1 no-3
}
