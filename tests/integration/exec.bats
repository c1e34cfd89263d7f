#!/usr/bin/env bats
# `exec` as runc 1.1.5 does it (issue 7), in the style of runc's own exec.bats: env, cwd,
# user and groups, capabilities, rlimits, no_new_privs, seccomp, --preserve-fds, --process,
# exit codes, -d and --pid-file, exec into stopped, missing and paused containers, user and
# host pid namespaces, cgroups and --cgroup, and nothing left behind by 100 execs; then the
# attacks on an exec'd process. Every test runs on runc too:
#   RUNTIME=/usr/sbin/runc bats tests/integration/exec.bats
# The runtime under test always runs from a copy of its binary (one test tries to overwrite
# it from inside the container, CVE-2019-5736).

load helpers
load security_helpers

setup() {
    USED=$BATS_TEST_TMPDIR/used-runtimes
    : >"$USED"
    SUBCGROUPS=$BATS_TEST_TMPDIR/sub-cgroups
    : >"$SUBCGROUPS"
    use_runtime "${RUNTIME:-$CRADLE}"
    new_bundle
    # runc's default spec has a read-only root: the tests leave their traces in /tmp.
    update_config '.root.readonly = false'
    set_args sleep inf
    ID=$(new_id exec)
}

teardown() {
    # Sub-cgroups made by a test go first: a cgroup with children cannot be removed.
    local dir
    while read -r dir; do
        rmdir "$dir" 2>/dev/null || true
    done < <(tac "$SUBCGROUPS")
    delete_used_runtimes
    [ -z "${AGENT_PID:-}" ] || kill "$AGENT_PID" 2>/dev/null || true
}

# Runs the container of $BUNDLE detached as $ID; INIT is its init's host pid.
start_container() {
    runtime run -d --bundle "$BUNDLE" "$ID" >"$BATS_TEST_TMPDIR/init.log" 2>&1 </dev/null 3>&- ||
        fail "run -d failed: $(cat "$BATS_TEST_TMPDIR/init.log")"
    INIT=$(container_pid "$ID")
}

# `run` of `RUNTIME exec ARGS...` (bounded: a hung exec fails the test, it does not hang
# the suite), with stdin from /dev/null and without bats' fd 3.
rt_exec() {
    run timeout 30 "$RUNTIME" --root "$STATE_ROOT" exec "$@" </dev/null 3>&-
}

# Starts `exec -d --pid-file` of ARGS in container $ID; EXEC_PID is the process's host pid.
exec_detached() {
    local log=$BATS_TEST_TMPDIR/exec-d.log
    timeout 30 "$RUNTIME" --root "$STATE_ROOT" exec -d --pid-file "$BATS_TEST_TMPDIR/exec.pid" \
        "$@" >"$log" 2>&1 </dev/null 3>&- || fail "exec -d failed: $(cat "$log")"
    EXEC_PID=$(cat "$BATS_TEST_TMPDIR/exec.pid")
    [[ $EXEC_PID =~ ^[1-9][0-9]*$ ]] || fail "bad pid file: '$EXEC_PID'"
}

# The /proc/PID/status line $2 (e.g. CapEff) of process $1, value only.
status_field() {
    awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}

@test "exec runs a second process in the container and passes its output" {
    start_container
    rt_exec "$ID" sh -c 'echo Hello from exec; echo "pid $$"'
    assert_success
    assert_line "Hello from exec"
    refute_line "pid 1"

    rt_exec "$ID" ls -la /
    assert_success
    assert_line --index 0 --partial total

    # stdin passes through as the caller's own descriptor.
    run bash -c 'echo piped | timeout 30 "$@" 3>&-' bash "$RUNTIME" --root "$STATE_ROOT" exec "$ID" cat
    assert_success
    assert_output piped
}

@test "exec into a created container runs the process and leaves the container created" {
    runtime create --bundle "$BUNDLE" "$ID" >"$BATS_TEST_TMPDIR/init.log" 2>&1 </dev/null 3>&-
    rt_exec "$ID" echo hi
    assert_success
    assert_output hi
    assert_equal "$(runtime state "$ID" | jq -r .status)" created
}

@test "exit codes: the process's own, 128+signal, and 255 with runc's words when it cannot start" {
    start_container
    rt_exec "$ID" true
    assert_success
    rt_exec "$ID" sh -c 'exit 3'
    assert_equal "$status" 3
    rt_exec "$ID" sh -c 'kill -TERM $$'
    assert_equal "$status" 143
    rt_exec "$ID" sh -c 'kill -KILL $$'
    assert_equal "$status" 137

    # runc 1.1.5's words, in its text log format (which escapes the quotes).
    rt_exec "$ID" nosuch
    assert_equal "$status" 255
    assert_output --partial 'exec: \"nosuch\": executable file not found in $PATH'
    rt_exec "$ID" /nosuch
    assert_equal "$status" 255
    assert_output --partial 'exec: \"/nosuch\": stat /nosuch: no such file or directory'
    rt_exec "$ID" /etc/passwd
    assert_equal "$status" 255
    assert_output --partial 'exec: \"/etc/passwd\": permission denied'

    rt_exec --pid-file /non-existent/directory/pid "$ID" true
    assert_equal "$status" 255
}

@test "usage errors exit 1, exec failures 255, in runc's words; an unknown capability is a warning" {
    start_container
    rt_exec
    assert_equal "$status" 1
    assert_output --partial '\"exec\" requires a minimum of 1 argument(s)'

    rt_exec --preserve-fds abc "$ID" true
    assert_equal "$status" 1
    assert_output --partial 'invalid value \"abc\" for flag -preserve-fds: parse error'

    rt_exec "$ID"
    assert_equal "$status" 255
    assert_output --partial "process args cannot be empty"

    rt_exec --process "$BATS_TEST_TMPDIR/nonexistent.json" "$ID"
    assert_equal "$status" 255
    assert_output --partial "open $BATS_TEST_TMPDIR/nonexistent.json: no such file or directory"

    rt_exec -u abc "$ID" true
    assert_equal "$status" 255
    assert_output --partial 'parsing abc as int for uid failed'

    rt_exec -c CAP_NOPE "$ID" true
    assert_success
    assert_output --partial 'ignoring unknown or unavailable capabilities: [CAP_NOPE]'
}

@test "-e overrides and appends to process.env; the binary is looked up in the process's PATH" {
    update_config '.process.env = ["PATH=/usr/local/xbin:/bin:/usr/bin", "TERM=xterm", "KEEP=config"]'
    mkdir -p "$BUNDLE/rootfs/usr/local/xbin"
    printf '#!/bin/sh\necho found in xbin\n' >"$BUNDLE/rootfs/usr/local/xbin/xhello"
    chmod 755 "$BUNDLE/rootfs/usr/local/xbin/xhello"
    start_container

    rt_exec -e TERM=dumb -e FOO=bar "$ID" env
    assert_success
    assert_line TERM=dumb
    assert_line FOO=bar
    assert_line KEEP=config
    assert_equal "$(grep -c '^TERM=' <<<"$output")" 1
    # HOME from the container's /etc/passwd, as for the init.
    assert_line HOME=/root

    rt_exec "$ID" xhello
    assert_success
    assert_output "found in xbin"

    rt_exec -e PATH=/bin "$ID" xhello
    assert_equal "$status" 255
    assert_output --partial 'exec: \"xhello\": executable file not found in $PATH'

    rt_exec -e FOO "$ID" true
    assert_equal "$status" 255
    assert_output --partial 'invalid environment variable: \"FOO\"'
}

@test "--cwd, else process.cwd of the config; a missing one fails with runc's words" {
    update_config '.process.cwd = "/tmp"'
    start_container
    rt_exec "$ID" pwd
    assert_success
    assert_output /tmp

    rt_exec --cwd /bin "$ID" pwd
    assert_success
    assert_output /bin

    rt_exec --cwd /nonexistent "$ID" pwd
    assert_equal "$status" 255
    assert_output --partial 'chdir to cwd (\"/nonexistent\") set in config.json failed: no such file or directory'
}

@test "-u UID:GID, --additional-gids and HOME" {
    echo 'tester:x:4321:4321:test user:/home/tester:/bin/sh' >>"$BUNDLE/rootfs/etc/passwd"
    start_container

    rt_exec -u 1000:1000 "$ID" sh -c 'id -u; id -g'
    assert_success
    assert_output $'1000\n1000'

    rt_exec --user 1000:1000 --additional-gids 100 --additional-gids 65534 "$ID" id -G
    assert_success
    assert_output "1000 100 65534"

    # No HOME in process.env and no passwd entry: "/" (runc's de facto behaviour).
    rt_exec -u 2345 "$ID" sh -u -c 'echo $HOME'
    assert_success
    assert_output /

    rt_exec -u 4321 "$ID" sh -c 'echo $HOME; id -u'
    assert_success
    assert_output $'/home/tester\n4321'
}

@test "-c adds a capability to the bounding, permitted and effective sets" {
    start_container
    # runc's default spec: CAP_AUDIT_WRITE, CAP_KILL, CAP_NET_BIND_SERVICE.
    rt_exec "$ID" grep -E '^Cap(Prm|Eff|Bnd):' /proc/self/status
    assert_success
    assert_line --regexp '^CapEff:[[:space:]]+0000000020000420$'
    assert_line --regexp '^CapBnd:[[:space:]]+0000000020000420$'

    rt_exec -c CAP_SYS_ADMIN -c CAP_NET_RAW "$ID" grep -E '^Cap(Prm|Eff|Bnd):' /proc/self/status
    assert_success
    assert_line --regexp '^CapPrm:[[:space:]]+0000000020202420$'
    assert_line --regexp '^CapEff:[[:space:]]+0000000020202420$'
    assert_line --regexp '^CapBnd:[[:space:]]+0000000020202420$'
}

@test "the container's process.rlimits apply to an exec'd process" {
    update_config '.process.rlimits = [{type: "RLIMIT_NOFILE", soft: 555, hard: 777},
        {type: "RLIMIT_CORE", soft: 0, hard: 4096}]'
    start_container
    rt_exec "$ID" sh -c 'ulimit -n; ulimit -Hn; ulimit -c; ulimit -Hc'
    assert_success
    # runc 1.1.5 races here: Go's runtime raises its exec'd init's soft NOFILE limit to the
    # hard one, sometimes after runc's prlimit (opencontainers/runc#4195, fixed by #4266).
    if is_runc && [ "${lines[0]}" = 777 ]; then
        lines[0]=555
    fi
    assert_equal "${lines[*]}" "555 777 0 8"
}

@test "--no-new-privs, and process.noNewPrivileges of the config" {
    update_config '.process.noNewPrivileges = false'
    start_container
    rt_exec "$ID" grep NoNewPrivs /proc/self/status
    assert_success
    assert_output --regexp 'NoNewPrivs:[[:space:]]+0$'

    rt_exec --no-new-privs "$ID" grep NoNewPrivs /proc/self/status
    assert_success
    assert_output --regexp 'NoNewPrivs:[[:space:]]+1$'
}

@test "the container's seccomp profile applies to an exec'd process (with and without no_new_privs)" {
    # mkdir fails with ENOSYS, which no permission check gives.
    update_config '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
        syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 38}]}'
    start_container
    rt_exec "$ID" sh -c 'grep Seccomp: /proc/self/status; mkdir /tmp/denied'
    assert_failure
    assert_line --regexp '^Seccomp:[[:space:]]+2$'
    assert_line --partial 'Function not implemented'

    # Without no_new_privs the filter must go in while the process may still load one.
    runtime delete --force "$ID"
    update_config '.process.noNewPrivileges = false'
    start_container
    rt_exec -u 1000:1000 "$ID" sh -c 'grep NoNewPrivs: /proc/self/status; mkdir /tmp/denied'
    assert_failure
    assert_line --regexp '^NoNewPrivs:[[:space:]]+0$'
    assert_line --partial 'Function not implemented'
}

@test "--preserve-fds N passes fds 3..N+2 and no other" {
    start_container
    echo four >"$BATS_TEST_TMPDIR/f4"
    echo five >"$BATS_TEST_TMPDIR/f5"
    run timeout 30 "$RUNTIME" --root "$STATE_ROOT" exec --preserve-fds 2 "$ID" \
        sh -c 'ls /proc/$$/fd; cat <&4; { cat <&5; } 2>/dev/null || echo "no fd 5"' \
        </dev/null 3</dev/null 4<"$BATS_TEST_TMPDIR/f4" 5<"$BATS_TEST_TMPDIR/f5"
    assert_success
    assert_output $'0\n1\n2\n3\n4\nfour\nno fd 5'
}

@test "exec ignores the caller's LISTEN_FDS (socket activation is run's and create's)" {
    start_container
    run env LISTEN_FDS=1 LISTEN_PID=$$ timeout 30 "$RUNTIME" --root "$STATE_ROOT" exec "$ID" \
        sh -c 'ls /proc/$$/fd; env | grep ^LISTEN_ || true' </dev/null 3</dev/null
    assert_success
    assert_output $'0\n1\n2'
}

@test "--process FILE gives args, env, cwd, user, groups, rlimits and no_new_privs" {
    start_container
    cat >"$BATS_TEST_TMPDIR/process.json" <<'EOF'
{
    "args": ["sh", "-c", "echo $FOO; pwd; id -u; id -G; ulimit -c; ulimit -Hc; grep NoNewPrivs: /proc/self/status"],
    "env": ["PATH=/bin:/usr/bin", "FOO=from the file"],
    "cwd": "/tmp",
    "user": {"uid": 1000, "gid": 1000, "additionalGids": [100]},
    "rlimits": [{"type": "RLIMIT_CORE", "hard": 2048, "soft": 512}],
    "noNewPrivileges": true
}
EOF
    rt_exec --process "$BATS_TEST_TMPDIR/process.json" "$ID"
    assert_success
    assert_line --index 0 "from the file"
    assert_line --index 1 /tmp
    assert_line --index 2 1000
    assert_line --index 3 "1000 100"
    assert_line --index 4 1
    assert_line --index 5 4
    assert_line --index 6 --regexp 'NoNewPrivs:[[:space:]]+1$'
}

@test "-d returns at once with the process running; --pid-file holds its host pid" {
    start_container
    exec_detached "$ID" sleep 1000
    [ "$EXEC_PID" != "$INIT" ] || fail "the pid file names the init"
    assert_equal "$(tr '\0' ' ' <"/proc/$EXEC_PID/cmdline")" "sleep 1000 "
    assert_equal "$(readlink "/proc/$EXEC_PID/ns/pid")" "$(readlink "/proc/$INIT/ns/pid")"
    kill -KILL "$EXEC_PID"

    # Without -d, the pid file is written too, and names the process that ran.
    rt_exec --pid-file "$BATS_TEST_TMPDIR/fg.pid" "$ID" echo Hello
    assert_success
    assert_output Hello
    [[ $(cat "$BATS_TEST_TMPDIR/fg.pid") =~ ^[1-9][0-9]*$ ]] || fail "bad pid file"
}

@test "a long exec in the foreground blocks neither state, nor another exec, nor kill; it ends with the container" {
    start_container
    timeout 60 "$RUNTIME" --root "$STATE_ROOT" exec "$ID" sh -c 'touch /tmp/started; exec sleep 1000' \
        >"$BATS_TEST_TMPDIR/long.log" 2>&1 </dev/null 3>&- &
    local long=$!
    wait_for_file "$BUNDLE/rootfs/tmp/started" || fail "the long exec never started"
    run timeout 10 "$RUNTIME" --root "$STATE_ROOT" state "$ID"
    assert_success
    rt_exec "$ID" echo second
    assert_success
    assert_output second
    runtime kill "$ID" KILL
    local status=0
    wait "$long" || status=$?
    assert_equal "$status" 137
}

@test "--pid-file relative to the caller's working directory" {
    start_container
    mkdir "$BATS_TEST_TMPDIR/cwd"
    cd "$BATS_TEST_TMPDIR/cwd"
    rt_exec --pid-file pid.txt "$ID" true
    assert_success
    [[ $(cat "$BATS_TEST_TMPDIR/cwd/pid.txt") =~ ^[1-9][0-9]*$ ]] || fail "no pid in ./pid.txt"
}

@test "exec into a missing, a stopped or a paused container fails with runc's words" {
    rt_exec nosuch true
    assert_equal "$status" 255
    assert_output --partial "container does not exist"

    set_args true
    runtime run -d --bundle "$BUNDLE" "$ID" >"$BATS_TEST_TMPDIR/init.log" 2>&1 </dev/null 3>&-
    wait_for_status "$ID" 10 stopped || fail "the container never stopped"
    rt_exec "$ID" true
    assert_equal "$status" 255
    assert_output --partial "cannot exec in a stopped container"

    # An init killed behind the runtime's back: no exec into whatever holds its pid next.
    set_args sleep inf
    ID=$(new_id killed)
    start_container
    kill -KILL "$INIT"
    wait_for_status "$ID" 10 stopped || fail "the killed container never showed as stopped"
    rt_exec "$ID" true
    assert_equal "$status" 255
    assert_output --partial "cannot exec in a stopped container"

    ID=$(new_id paused)
    start_container
    runtime pause "$ID"
    rt_exec "$ID" true
    assert_equal "$status" 255
    assert_output --partial "cannot exec in a paused container (use --ignore-paused to override)"

    # --ignore-paused is accepted; the process runs once the container is resumed.
    timeout 30 "$RUNTIME" --root "$STATE_ROOT" exec --ignore-paused "$ID" \
        sh -c 'echo ran >/tmp/ignore-paused' >"$BATS_TEST_TMPDIR/paused.log" 2>&1 </dev/null 3>&- &
    local exec_pid=$!
    runtime resume "$ID"
    wait "$exec_pid" || fail "exec --ignore-paused failed: $(cat "$BATS_TEST_TMPDIR/paused.log")"
    assert_equal "$(cat "$BUNDLE/rootfs/tmp/ignore-paused")" ran
}

@test "the exec'd process joins the container's cgroup and every namespace of the init" {
    start_container
    exec_detached "$ID" sleep 1000
    local ns
    for ns in cgroup ipc mnt net pid pid_for_children time uts user; do
        [ -e "/proc/$INIT/ns/$ns" ] || continue
        assert_equal "$ns $(readlink "/proc/$EXEC_PID/ns/$ns")" "$ns $(readlink "/proc/$INIT/ns/$ns")"
    done
    assert_equal "$(cat "/proc/$EXEC_PID/cgroup")" "$(cat "/proc/$INIT/cgroup")"
    assert_equal "$(readlink "/proc/$EXEC_PID/root")" "$(readlink "/proc/$INIT/root")"
    kill -KILL "$EXEC_PID"

    rt_exec "$ID" sh -c 'cat /proc/self/cgroup; echo --; cat /proc/1/cgroup'
    assert_success
    assert_equal "${output%%--*}" "${output##*--$'\n'}"$'\n'
}

@test "exec into a container with its own user namespace: mapped ids" {
    update_config '.linux.namespaces += [{type: "user"}]
        | .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
        | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
    # The container's root (host uid 100000) must reach its rootfs.
    chmod o+x "$BATS_RUN_TMPDIR" "$BATS_TEST_TMPDIR"
    start_container
    rt_exec "$ID" sh -c 'id -u; cat /proc/self/uid_map'
    assert_success
    assert_line --index 0 0
    assert_line --index 1 --regexp '^ +0 +100000 +65536$'

    exec_detached -u 1000:1000 "$ID" sleep 1000
    assert_equal "$(status_field "$EXEC_PID" Uid)" 101000
    assert_equal "$(status_field "$EXEC_PID" Gid)" 101000
    assert_equal "$(readlink "/proc/$EXEC_PID/ns/user")" "$(readlink "/proc/$INIT/ns/user")"
    kill -KILL "$EXEC_PID"
}

@test "exec into a container that shares the host's pid namespace" {
    update_config '.linux.namespaces |= map(select(.type != "pid"))'
    start_container
    rt_exec --pid-file "$BATS_TEST_TMPDIR/host.pid" "$ID" sh -c 'echo $$'
    assert_success
    assert_output "$(cat "$BATS_TEST_TMPDIR/host.pid")"

    exec_detached "$ID" sleep 1000
    assert_equal "$(readlink "/proc/$EXEC_PID/ns/pid")" "$(readlink /proc/self/ns/pid)"
    assert_equal "$(readlink "/proc/$EXEC_PID/ns/mnt")" "$(readlink "/proc/$INIT/ns/mnt")"
    kill -KILL "$EXEC_PID"
}

# Pids of the processes in the pid namespace of process $1 (zombies have no namespace
# links: see zombie_children_of).
processes_in_pid_namespace_of() {
    local ns p
    ns=$(readlink "/proc/$1/ns/pid")
    for p in /proc/[0-9]*; do
        [ "$(readlink "$p/ns/pid" 2>/dev/null)" = "$ns" ] && echo "${p#/proc/}"
    done
    return 0
}

# Zombies whose parent is process $1.
zombie_children_of() {
    local p stat rest
    for p in /proc/[0-9]*; do
        stat=$(cat "$p/stat" 2>/dev/null) || continue
        rest=${stat##*) }
        read -r state ppid _ <<<"$rest"
        [ "$state" = Z ] && [ "$ppid" = "$1" ] && echo "${p#/proc/}"
    done
    return 0
}

# Host pids of processes whose command line names the test's state dir: the runtime's
# (cradle keeps an exit monitor beside a detached container).
runtime_processes() {
    local p
    for p in /proc/[0-9]*; do
        [[ $({ tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null) == *"$STATE_ROOT"* ]] && echo "${p#/proc/}"
    done
    return 0
}

@test "100 execs leave no process, zombie, descriptor or state file behind" {
    start_container
    local fds_before state_before runtime_before i cgroup_procs
    fds_before=$(ls "/proc/$INIT/fd")
    runtime_before=$(runtime_processes)
    state_before=$(cd "$STATE_ROOT" && find . | sort)
    for ((i = 0; i < 100; i++)); do
        timeout 30 "$RUNTIME" --root "$STATE_ROOT" exec "$ID" true </dev/null >/dev/null 2>&1 3>&- ||
            fail "exec $i failed"
    done
    assert_equal "$(processes_in_pid_namespace_of "$INIT")" "$INIT"
    assert_equal "$(zombie_children_of "$INIT")" ""
    assert_equal "$(zombie_children_of $$)" ""
    assert_equal "$(runtime_processes)" "$runtime_before"
    assert_equal "$(ls "/proc/$INIT/fd")" "$fds_before"
    assert_equal "$(cd "$STATE_ROOT" && find . | sort)" "$state_before"
    # The cgroup2 (unified) directory holds the init alone.
    cgroup_procs=/sys/fs/cgroup/unified$(sed -n 's/^0:://p' "/proc/$INIT/cgroup")/cgroup.procs
    if [ -f "$cgroup_procs" ]; then
        assert_equal "$(cat "$cgroup_procs")" "$INIT"
    fi
}

@test "--cgroup SUB puts the process in a sub-cgroup of the container's; '..' escapes are refused" {
    start_container
    local dir
    for dir in $(cgroup_dirs_of "$ID"); do
        mkdir "$dir/sub"
        echo "$dir/sub" >>"$SUBCGROUPS"
        # A v1 cpuset takes no process before it has cpus and mems.
        if [ -f "$dir/cpuset.cpus" ]; then
            cat "$dir/cpuset.cpus" >"$dir/sub/cpuset.cpus"
            cat "$dir/cpuset.mems" >"$dir/sub/cpuset.mems"
        fi
    done
    [ -s "$SUBCGROUPS" ] || fail "no cgroup directory named $ID"

    rt_exec --cgroup sub "$ID" cat /proc/self/cgroup
    assert_success
    run grep -v '/sub$' <<<"$output"
    assert_output ""

    rt_exec --cgroup / "$ID" cat /proc/self/cgroup
    assert_success
    assert_output "$(cat "/proc/$INIT/cgroup")"

    # One controller's sub-cgroup; the others stay the container's.
    rt_exec --cgroup pids:sub "$ID" cat /proc/self/cgroup
    assert_success
    assert_line --regexp '^[0-9]+:pids:/(.*/)?sub$'
    assert_equal "$(grep -v ':pids:' <<<"$output")" "$(grep -v ':pids:' "/proc/$INIT/cgroup")"

    local escape
    for escape in .. ../.. /../.. sub/../../.. pids:../.. memory:..; do
        rt_exec --cgroup "$escape" "$ID" touch /tmp/escaped
        assert_failure
        assert_output --partial "is not a sub cgroup path"
        [ ! -e "$BUNDLE/rootfs/tmp/escaped" ] || fail "--cgroup $escape: the process ran"
    done

    rt_exec --cgroup nonexistent "$ID" true
    assert_failure
}

@test "attack: the exec'd process holds no descriptor of the runtime" {
    start_container
    rt_exec "$ID" sh -c 'ls /proc/$$/fd; exit 0'
    assert_success
    assert_output $'0\n1\n2'

    exec_detached "$ID" sleep 1000
    local fd target
    for fd in "/proc/$EXEC_PID"/fd/*; do
        target=$(readlink "$fd")
        case ${fd##*/} in 0 | 1 | 2) ;; *) fail "fd ${fd##*/} -> $target reached the process" ;; esac
        case $target in
            "$STATE_ROOT"* | /sys/fs/cgroup* | /run/* | *memfd* | *pidfd* | anon_inode*)
                fail "fd ${fd##*/} points to the runtime's $target" ;;
        esac
    done
    kill -KILL "$EXEC_PID"
}

# The container's init in the races below (race_execs), with the capabilities the test gives
# it: until
# /tmp/stop exists, opens /proc/PID/exe, /proc/PID/mem and /proc/PID/fd/3..63 of every
# other process that is not (yet) running the container's busybox, and logs (to /tmp/seen)
# whatever it could open.
RACER_C='#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What descriptor fd (opened through /proc/PID/...) leads to, read from our own table: it
 * stays readable when PID has gone meanwhile. */
static void target_of(int fd, char target[PATH_MAX])
{
    char link[64];
    snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, PATH_MAX - 1);
    target[n > 0 ? n : 0] = 0;
}

int main(void)
{
    FILE *log = fopen("/tmp/seen", "a");
    unsigned long rounds = 0;
    char path[64], target[PATH_MAX];
    if (log == NULL)
        return 1;
    setvbuf(log, NULL, _IOLBF, 0);
    while (access("/tmp/stop", F_OK) != 0) {
        DIR *proc = opendir("/proc");
        struct dirent *e;
        while (proc != NULL && (e = readdir(proc)) != NULL) {
            char *end;
            long pid = strtol(e->d_name, &end, 10);
            int fd;
            if (*end != 0 || pid <= 1 || pid == getpid())
                continue;
            snprintf(path, sizeof(path), "/proc/%ld/exe", pid);
            if ((fd = open(path, O_PATH | O_CLOEXEC)) >= 0) {
                target_of(fd, target);
                close(fd);
                /* A container process that has executed: its own, not the runtime. */
                if (strcmp(target, "/bin/busybox") == 0)
                    continue;
                fprintf(log, "%ld exe %s\n", pid, target);
            }
            snprintf(path, sizeof(path), "/proc/%ld/mem", pid);
            if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
                close(fd);
                /* Unless it has executed busybox in between (then the mem was its own). */
                snprintf(path, sizeof(path), "/proc/%ld/exe", pid);
                if ((fd = open(path, O_PATH | O_CLOEXEC)) >= 0) {
                    target_of(fd, target);
                    close(fd);
                }
                if (fd < 0 || strcmp(target, "/bin/busybox") != 0)
                    fprintf(log, "%ld mem\n", pid);
            }
            for (int n = 3; n < 64; n++) {
                snprintf(path, sizeof(path), "/proc/%ld/fd/%d", pid, n);
                if ((fd = open(path, O_PATH | O_CLOEXEC)) >= 0) {
                    target_of(fd, target);
                    fprintf(log, "%ld fd %d %s\n", pid, n, target);
                    close(fd);
                }
            }
        }
        if (proc != NULL)
            closedir(proc);
        if (++rounds == 1)
            fclose(fopen("/tmp/started", "w"));
    }
    FILE *r = fopen("/tmp/rounds", "w");
    if (r != NULL) {
        fprintf(r, "%lu\n", rounds);
        fclose(r);
    }
    return 0;
}'

# race_execs TARGET: starts the racer as the init of a container of $BUNDLE (capabilities
# and namespaces set by the caller), then execs 100 times into container TARGET (that one or
# another sharing its pid namespace); fails with what the racer could open.
race_execs() {
    local target=$1 racer=$2 i
    printf '%s\n' "$RACER_C" >"$BATS_TEST_TMPDIR/racer.c"
    gcc -static -O2 -o "$BUNDLE/rootfs/racer" "$BATS_TEST_TMPDIR/racer.c" ||
        skip "cannot build a static test program (gcc, libc6-dev)"
    set_args /racer
    runtime run -d --bundle "$BUNDLE" "$racer" >"$BATS_TEST_TMPDIR/racer.log" 2>&1 </dev/null 3>&- ||
        fail "the racer's container failed: $(cat "$BATS_TEST_TMPDIR/racer.log")"
    wait_for_file "$BUNDLE/rootfs/tmp/started" || fail "the racer never ran"
    for ((i = 0; i < 100; i++)); do
        timeout 30 "$RUNTIME" --root "$STATE_ROOT" exec "$target" true </dev/null >/dev/null 2>&1 3>&- ||
            fail "exec $i failed"
    done
    touch "$BUNDLE/rootfs/tmp/stop"
    wait_for_file "$BUNDLE/rootfs/tmp/rounds" || fail "the racer never stopped"
    echo "# racer rounds: $(cat "$BUNDLE/rootfs/tmp/rounds")" >&3
    [ ! -s "$BUNDLE/rootfs/tmp/seen" ] ||
        fail "the racer opened: $(cut -d' ' -f2- "$BUNDLE/rootfs/tmp/seen" | sort | uniq -c)"
}

# The process's bounding, effective and permitted sets: every capability of this host but
# those named (as CAP_X words).
all_caps_but() {
    local caps
    caps=$(capsh --decode="$(status_field self CapBnd)" | sed 's/.*=//' | tr a-z, A-Z'\n' |
        grep -vxF -e "${1:-NONE}" | jq -R . | jq -s .)
    update_config --argjson caps "$caps" '.process.capabilities = {bounding: $caps,
        effective: $caps, permitted: $caps}'
}

@test "attack: the exec child cannot be opened through /proc while it is set up (no user namespace, all caps but SYS_PTRACE)" {
    # Here the child's capabilities guard it (the racer's set must contain them).
    all_caps_but CAP_SYS_PTRACE
    race_execs "$ID" "$ID"
}

@test "attack: a neighbour sharing the container's pid namespace cannot open the exec child through /proc" {
    start_container
    new_bundle
    update_config '.root.readonly = false'
    join_pid_namespace_of "$INIT"
    all_caps_but CAP_SYS_PTRACE
    race_execs "$ID" "$(new_id neighbour)"
}

@test "attack: the exec child is not dumpable while it is set up (user namespace, racer with every capability in it)" {
    # The CVE-2016-9962 shape: root of the container's user namespace holds CAP_SYS_PTRACE
    # there, so once the child has joined that namespace only its non-dumpable flag keeps
    # /proc/PID/exe, fd and mem closed.
    update_config '.linux.namespaces += [{type: "user"}]
        | .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
        | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
    chmod o+x "$BATS_RUN_TMPDIR" "$BATS_TEST_TMPDIR"
    all_caps_but
    race_execs "$ID" "$ID"
}

# A seccomp profile with a listener: the agent (in $BATS_TEST_TMPDIR/agent) gets each
# process's notify fd, and it notifies mkdir.
use_seccomp_listener() {
    mkdir "$BATS_TEST_TMPDIR/agent"
    start_seccomp_agent "$BATS_TEST_TMPDIR/agent" fake
    update_config --arg sock "$BATS_TEST_TMPDIR/agent/agent.sock" '.linux.seccomp = {
        defaultAction: "SCMP_ACT_ALLOW", listenerPath: $sock,
        syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_NOTIFY"}]}'
}

@test "attack: with a seccomp listener, no exec child's notify fd can be opened through /proc on its way to the agent" {
    # Each exec child holds its own filter's notify fd until it has handed it over; a
    # container process that got one could answer the container's notified syscalls.
    use_seccomp_listener
    all_caps_but CAP_SYS_PTRACE
    race_execs "$ID" "$ID"
    # The racer's own fd, then one per exec.
    assert_equal "$(grep -c '^fds 1$' "$BATS_TEST_TMPDIR/agent/events")" 101
}

@test "attack: with a seccomp listener in a user namespace, the racer with every capability there opens no notify fd" {
    # Only the exec child's non-dumpable flag guards its notify fd here (CVE-2016-9962 shape).
    update_config '.linux.namespaces += [{type: "user"}]
        | .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
        | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
    chmod o+x "$BATS_RUN_TMPDIR" "$BATS_TEST_TMPDIR"
    use_seccomp_listener
    all_caps_but
    race_execs "$ID" "$ID"
    assert_equal "$(grep -c '^fds 1$' "$BATS_TEST_TMPDIR/agent/events")" 101
}

# The container's init: waits for a process whose image is not busybox (the runtime's own,
# run by "#!/proc/self/exe"), opens its exe, lets it go on (it blocks opening its --log fifo),
# waits until the exec has returned (no process of the runtime is left to make the binary
# busy), then writes through the descriptor.
WATCHER='exec >/tmp/result 2>&1
found=
for i in $(seq 1 400); do
    for d in /proc/[0-9]*; do
        [ "$d" = /proc/1 ] && continue
        t=$(readlink "$d/exe" 2>/dev/null) || continue
        [ "$t" = /bin/busybox ] || { found=${d#/proc/}; break; }
    done
    [ -n "$found" ] && break
    sleep 0.05
done
[ -n "$found" ] || { echo NEVER_SEEN; touch /tmp/done; exit 0; }
exec 3</proc/$found/exe || { echo MISSED; touch /tmp/done; exit 0; }
echo "opened $(readlink /proc/$found/exe)"
cat /evil.fifo >/dev/null
for i in $(seq 1 600); do [ -e /tmp/exec-returned ] && break; sleep 0.05; done
if echo "#!/bin/sh" >>/proc/self/fd/3; then echo WRITE_OK; else echo WRITE_FAILED; fi
touch /tmp/done
sleep 1000'

@test "attack: CVE-2019-5736 through exec: '#!/proc/self/exe' cannot overwrite the runtime" {
    copy_runtime_libraries
    printf '#!/proc/self/exe --log=/evil.fifo\n' >"$BUNDLE/rootfs/evil"
    chmod 755 "$BUNDLE/rootfs/evil"
    mkfifo "$BUNDLE/rootfs/evil.fifo"
    set_args sh -c "$WATCHER"
    start_container
    timeout 30 "$RUNTIME" --root "$STATE_ROOT" exec "$ID" /evil >"$BATS_TEST_TMPDIR/evil.log" 2>&1 </dev/null 3>&- || true
    touch "$BUNDLE/rootfs/tmp/exec-returned"
    wait_for_file "$BUNDLE/rootfs/tmp/done" 60 || fail "the watcher never finished: $(cat "$BUNDLE/rootfs/tmp/result")"
    local out
    out=$(cat "$BUNDLE/rootfs/tmp/result")
    echo "# the watcher: $(echo $out)" >&3
    [ "$(sha256sum <"$RUNTIME")" = "$SUM" ] || fail "the runtime's binary was overwritten: $out"
    [[ $out == *WRITE_FAILED* ]] || fail "the write was not refused: $out"
    # Refused by design (EROFS, or EPERM for a sealed memfd), not because it was busy.
    [[ $out != *busy* ]] || fail "refused only because the binary was busy: $out"
}

@test "attack: a --cwd or --process cwd that is a symlink out of the rootfs stays inside" {
    local host_dir
    host_dir=$(mktemp -d "$BATS_TEST_TMPDIR/host.XXXXXX")
    echo HOST_FILE_REACHED >"$host_dir/marker"
    ln -s "../../../../../../../../../../..$host_dir" "$BUNDLE/rootfs/relative-out"
    ln -s "$host_dir" "$BUNDLE/rootfs/absolute-out"
    start_container
    local link
    for link in /relative-out /absolute-out; do
        rt_exec --cwd "$link" "$ID" sh -c 'cat marker; cat ../../../../../../../../..'"$host_dir"'/marker; exit 0'
        refute_output --partial HOST_FILE_REACHED
        jq -n --arg cwd "$link" '{args: ["cat", "marker"], cwd: $cwd, env: ["PATH=/bin"],
            user: {uid: 0, gid: 0}}' >"$BATS_TEST_TMPDIR/process.json"
        rt_exec --process "$BATS_TEST_TMPDIR/process.json" "$ID"
        refute_output --partial HOST_FILE_REACHED
    done
}

@test "attack: a container that mounts a fake /proc: exec writes nothing into it" {
    # The files a runtime might write through /proc/self after joining the mount namespace.
    update_config '.process.capabilities |= with_entries(.value += ["CAP_SYS_ADMIN"])'
    set_args sh -c 'mount -t tmpfs fake /proc && mkdir -p /proc/self/attr /proc/self/fd &&
        for f in attr/exec attr/current oom_score_adj setgroups uid_map gid_map; do
            echo fake >/proc/self/$f; done && touch /proc/ready; exec sleep inf'
    start_container
    wait_for_file "/proc/$INIT/root/proc/ready" || fail "no fake /proc"
    local before
    before=$(cd "/proc/$INIT/root/proc" && find . -exec stat -c '%n %s %.9Y' {} + | sort)
    # runc refuses (it closes fds through /proc/self/fd, which must be on procfs); cradle
    # does not need the container's /proc.
    rt_exec -u 1000:1000 --additional-gids 100 "$ID" true
    if is_runc; then
        assert_output --partial "/proc/self/fd is not on procfs"
    fi
    assert_equal "$(cd "/proc/$INIT/root/proc" && find . -exec stat -c '%n %s %.9Y' {} + | sort)" "$before"
    assert_equal "$(cat "/proc/$INIT/root/proc/self/attr/exec")" fake
}

@test "exec reads the config kept by create, not the bundle's config.json (cradle)" {
    skip_unless_cradle "runc re-reads the bundle's config.json"
    update_config '.process.env = ["PATH=/bin:/usr/bin", "FROM=create"]'
    start_container
    update_config '.process.env = ["PATH=/bin:/usr/bin", "FROM=bundle"]
        | .process.rlimits = [{type: "RLIMIT_NOFILE", soft: 11, hard: 11}]'
    rt_exec "$ID" sh -c 'echo $FROM; ulimit -n'
    assert_success
    assert_line --index 0 create
    refute_line 11
}
