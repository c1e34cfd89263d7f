#!/usr/bin/env bats
# exec's command line as runc 1.1.5 parses it: flags, usage errors (status 1), failures of
# exec itself (status 255, "exec failed: ..." in runc's words), the process's own status,
# --process, and the container states exec refuses. Every test runs on runc too:
#   RUNTIME=/usr/sbin/runc bats tests/integration/exec_cli.bats
# (exec.bats tests what the exec'd process gets; this file, how it is asked for.)

load helpers

setup() {
    common_setup
    set_args sleep inf
    ID=$(new_id cli)
}

teardown() {
    common_teardown
}

start_container() {
    runtime run -d --bundle "$BUNDLE" "$ID" >"$BATS_TEST_TMPDIR/init.log" 2>&1 </dev/null 3>&- ||
        fail "run -d failed: $(cat "$BATS_TEST_TMPDIR/init.log")"
}

# `run` of exec with ARGS, bounded, stdin from /dev/null and without bats' fd 3.
rt_exec() {
    run timeout 30 "${RUNTIME:-$CRADLE}" --root "$STATE_ROOT" exec "$@" </dev/null 3>&-
}

@test "exec --help and -h exit 0 with the usage; --help after the id is the command's" {
    rt_exec --help
    assert_success
    assert_output --partial "--preserve-fds value"
    assert_output --partial "--ignore-paused"
    rt_exec -h
    assert_success

    start_container
    rt_exec "$ID" sh -c 'echo "args: $*"' sh --help -t
    assert_success
    assert_output "args: --help -t"
}

@test "usage errors exit 1: no id, an unknown flag, a value that is not a number" {
    rt_exec
    assert_failure 1
    assert_output --partial 'requires a minimum of 1 argument(s)'

    rt_exec --bogus "$ID" true
    assert_failure 1
    # runc drops a dash ("-bogus"); cradle's commands name the flag as typed.
    assert_output --regexp "flag provided but not defined: -{1,2}bogus"

    rt_exec -g x "$ID" true
    assert_failure 1
    assert_output --partial 'invalid value \"x\" for flag -g'

    rt_exec --additional-gids 1x "$ID" true
    assert_failure 1

    rt_exec --preserve-fds x "$ID" true
    assert_failure 1
    assert_output --partial 'invalid value \"x\" for flag -preserve-fds'
}

@test "exec into a missing container: 255 and runc's words, whatever the flags" {
    rt_exec nosuch true
    assert_failure 255
    assert_output --partial "exec failed: container does not exist"
    rt_exec -t --cwd rel -u x nosuch true
    assert_failure 255
    assert_output --partial "container does not exist"
}

@test "the exit status is the process's: its code, 128+signal, 0 with -d" {
    start_container
    rt_exec "$ID" sh -c 'exit 3'
    assert_failure 3
    rt_exec "$ID" sh -c 'kill -KILL $$'
    assert_failure 137
    rt_exec "$ID" sh -c 'exit 0'
    assert_success
    run timeout 30 "${RUNTIME:-$CRADLE}" --root "$STATE_ROOT" exec -d "$ID" sh -c 'exit 7' \
        </dev/null >/dev/null 2>&1 3>&-
    assert_success
}

@test "process args cannot be empty without --process; a command that cannot start is 255" {
    start_container
    rt_exec "$ID"
    assert_failure 255
    assert_output --partial "exec failed: process args cannot be empty"
    rt_exec "$ID" /nonexistent
    assert_failure 255
    assert_output --partial 'exec failed: unable to start container process: exec: \"/nonexistent\"'
    rt_exec "$ID" nonexistent
    assert_failure 255
    assert_output --partial 'exec: \"nonexistent\": executable file not found in $PATH'
}

@test "-u, -g, --cwd and -e are checked with runc's messages before anything runs" {
    start_container
    rt_exec -u x "$ID" true
    assert_failure 255
    assert_output --partial 'parsing x as int for uid failed: strconv.Atoi: parsing \"x\": invalid syntax'
    rt_exec -u 1000:1000:5 "$ID" true
    assert_failure 255
    assert_output --partial 'parsing 1000:5 as int for gid failed'
    rt_exec -g -1 "$ID" true
    assert_failure 255
    assert_output --partial "additional-gids must be a positive number -1"
    rt_exec --cwd rel "$ID" true
    assert_failure 255
    assert_output --partial "Cwd must be an absolute path"
    rt_exec -e FOO "$ID" true
    assert_failure 255
    assert_output --partial 'invalid environment variable: \"FOO\"'
}

@test "every flag in its long and short form, repeatable ones repeated" {
    start_container
    # runc refuses the two forms of one flag together ("Cannot use two forms of the same
    # flag"): each line uses one.
    rt_exec --user 1000:1001 --additional-gids 5 --additional-gids 7 --cwd /tmp --env A=1 \
        --env B=2 --cap CAP_KILL --cap CAP_CHOWN --no-new-privs --preserve-fds 0 "$ID" \
        sh -c 'echo "$(id -u):$(id -g):$(id -G):$(pwd):$A$B"; grep NoNewPrivs /proc/self/status'
    assert_success
    assert_line "1000:1001:1001 5 7:/tmp:12"
    assert_line --regexp 'NoNewPrivs:[[:space:]]+1'

    rt_exec -u 1000:1001 -g 5 -g 7 -e A=1 -e B=2 -c CAP_KILL -c CAP_CHOWN "$ID" \
        sh -c 'echo "$(id -u):$(id -g):$(id -G):$A$B"'
    assert_success
    assert_output "1000:1001:1001 5 7:12"

    # A capability runc does not know is a warning, and the process runs.
    rt_exec -c CAP_BOGUS "$ID" true
    assert_success
    assert_output --partial "ignoring unknown or unavailable capabilities: [CAP_BOGUS]"
}

@test "-t, --console-socket and -d are checked as runc checks them" {
    start_container
    rt_exec --console-socket "$BATS_TEST_TMPDIR/none.sock" "$ID" true
    assert_failure 255
    assert_output --regexp "cannot use console socket if (runc|cradle) will not detach or allocate tty"
    rt_exec -t -d "$ID" true
    assert_failure 255
    assert_output --regexp "cannot allocate tty if (runc|cradle) will detach without setting console socket"
}

@test "--cgroup arguments are parsed as runc parses them" {
    start_container
    rt_exec --cgroup a:b:c "$ID" true
    assert_failure 255
    assert_output --partial "invalid --cgroup argument: a:b:c"
    rt_exec --cgroup a --cgroup b "$ID" true
    assert_failure 255
    assert_output --partial "invalid --cgroup argument: a (missing <controller>: prefix)"
    rt_exec --cgroup bogus:x "$ID" true
    assert_failure 255
    assert_output --partial "unknown controller bogus in SubCgroupPaths"
    rt_exec --cgroup ../.. "$ID" true
    assert_failure 255
    assert_output --partial "../.. is not a sub cgroup path"
    rt_exec --cgroup nosub "$ID" true
    assert_failure 255
}

@test "--process FILE is the whole process: ARGS and the flags that build one are not used" {
    start_container
    cat >"$BATS_TEST_TMPDIR/process.json" <<'EOF'
{"args": ["sh", "-c", "echo from-file $(id -u) $PWD $X"], "cwd": "/etc",
 "env": ["PATH=/bin:/usr/bin", "X=x"], "user": {"uid": 2, "gid": 2}}
EOF
    rt_exec --process "$BATS_TEST_TMPDIR/process.json" -u 5 --cwd /tmp "$ID" echo ignored
    assert_success
    assert_output "from-file 2 /etc x"
    rt_exec -p "$BATS_TEST_TMPDIR/process.json" "$ID"
    assert_success
    assert_output "from-file 2 /etc x"

    rt_exec -p "$BATS_TEST_TMPDIR/missing.json" "$ID"
    assert_failure 255
    assert_output --partial "exec failed:"
}

@test "stopped, paused and --ignore-paused, with runc's words" {
    start_container
    runtime pause "$ID"
    rt_exec "$ID" true
    assert_failure 255
    assert_output --partial "exec failed: cannot exec in a paused container (use --ignore-paused to override)"
    # The process waits frozen until resume, then runs; resume is not kept waiting by it.
    timeout 30 "${RUNTIME:-$CRADLE}" --root "$STATE_ROOT" exec --ignore-paused "$ID" \
        sh -c 'exit 4' </dev/null >"$BATS_TEST_TMPDIR/paused.log" 2>&1 3>&- &
    local exec_pid=$!
    timeout 10 "${RUNTIME:-$CRADLE}" --root "$STATE_ROOT" resume "$ID" || fail "resume hung"
    local rc=0
    wait "$exec_pid" || rc=$?
    assert_equal "$rc" 4

    runtime kill "$ID" KILL
    wait_for_status "$ID" 10 stopped || fail "the container never stopped"
    rt_exec "$ID" true
    assert_failure 255
    assert_output --partial "exec failed: cannot exec in a stopped container"
}
