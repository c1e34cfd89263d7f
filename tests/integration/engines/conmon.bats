#!/usr/bin/env bats
# conmon 2.1 driving cradle, runc and crun exactly as CRI-O's runtime_oci.go drives it:
# CreateContainer (conmon daemonizes, runs `RUNTIME --root=R create`, reports the pid on
# _OCI_SYNCPIPE after CRI-O's byte on _OCI_STARTPIPE), then `start`, `state`, `kill`,
# `delete --force` on the runtime; ExecSyncContainer (`conmon -e --sync`, the exit code on
# the sync pipe, the output in a k8s-file log); the exec of API version 1 that the issue and
# Podman use ({"data": PID} then {"data": EXITCODE}); a -t exec; the attach socket; and the
# runtime's foreground exec that CRI-O runs itself for kubectl exec (-t through tmux). CRI-O
# itself passes no --api-version: its create reads {"pid": N} and its ExecSync
# {"exit_code": N}. Each test runs the same steps with every runtime and expects the same
# observation from each. Needs python3 for the attach socket (SOCK_SEQPACKET).

load engine_helpers

setup_file() {
    command -v conmon >/dev/null || skip "conmon is not installed (scripts/setup.sh installs it)"
    "$REPO_ROOT/tests/fixtures/make-busybox-rootfs.sh" "$ROOTFS_CACHE"
}

setup() {
    CONMON_DIR=$(mktemp -d "$BATS_RUN_TMPDIR/conmon.XXXXXX")
}

# Deletes every container a failed test left (conmon exits with its container), waits for
# each conmon by the pid it wrote, then removes the directory.
teardown() {
    local rt id pidfile
    for rt in $(engine_runtimes); do
        tmux -S "$CONMON_DIR/tmux-$rt.sock" kill-server 2>/dev/null || true
        [ -d "$CONMON_DIR/$rt/state" ] || continue
        for id in $(conmon_runtime "$rt" list -q 2>/dev/null); do
            conmon_runtime "$rt" delete --force "$id" >/dev/null 2>&1 || true
        done
    done
    for pidfile in "$CONMON_DIR"/*/conmon.pid; do
        [ -f "$pidfile" ] && wait_for_pid_gone "$(cat "$pidfile")" 100
    done
    rm -rf "$CONMON_DIR"
}

# Runtime $1 with the state dir conmon passes it (CRI-O's runtime_root); its arguments follow.
conmon_runtime() {
    local rt=$1
    shift
    "$(engine_runtime_binary "$rt")" --root "$CONMON_DIR/$rt/state" "$@"
}

# Makes $CONMON_DIR/RT/bundle (rootfs copied from the busybox cache) running the shell
# command $2, and the directories conmon writes into; prints the container id.
conmon_bundle() {
    local rt=$1 cmd=$2 dir=$CONMON_DIR/$1
    mkdir -p "$dir/bundle" "$dir/exits" "$dir/exec-exits" "$dir/sockets" "$dir/persist"
    cp -a "$ROOTFS_CACHE" "$dir/bundle/rootfs"
    (cd "$dir/bundle" && "$CRADLE" spec)
    jq --arg cmd "$cmd" '.process.terminal = false | .process.args = ["sh", "-c", $cmd]' \
        "$dir/bundle/config.json" >"$dir/config.tmp"
    mv "$dir/config.tmp" "$dir/bundle/config.json"
    echo "crio-$rt-$BATS_TEST_NUMBER-$$"
}

# Runs `conmon` with CRI-O's pipes: the sync pipe on fd 3 (a new fifo, which the test reads
# through SYNC_FD) and, when $START is set, the start pipe on fd 4, to which one byte is
# written once conmon runs (CRI-O writes it after moving conmon into its cgroup). The test's
# own ends of the fifos are closed in conmon. Sets CONMON_STATUS to conmon's exit status (of
# its first process: conmon daemonizes unless --sync). conmon runs in the runtime's test
# directory, as CRI-O starts it in the bundle: on cgroup v1 it creates a file "oom" in its
# working directory when the container's memory cgroup goes away.
conmon_with_pipes() {
    local rt=$1 dir=$CONMON_DIR/$1 sync start_fd pid
    shift
    sync=$(mktemp -u "$dir/sync.XXXXXX")
    mkfifo "$sync"
    exec {SYNC_FD}<>"$sync"
    if [ -n "${START:-}" ]; then
        mkfifo "$sync.start"
        exec {start_fd}<>"$sync.start"
        (cd "$dir" && _OCI_SYNCPIPE=3 _OCI_STARTPIPE=4 exec conmon "$@") 3>"$sync" 4<"$sync.start" \
            {SYNC_FD}>&- {start_fd}>&- </dev/null >>"$dir/conmon.out" 2>&1 &
        pid=$!
        echo >&"$start_fd"
        exec {start_fd}>&-
    else
        (cd "$dir" && _OCI_SYNCPIPE=3 exec conmon "$@") 3>"$sync" {SYNC_FD}>&- </dev/null >>"$dir/conmon.out" 2>&1 &
        pid=$!
    fi
    CONMON_STATUS=0
    wait "$pid" || CONMON_STATUS=$?
}

# One JSON line from conmon's sync pipe (10 s at most), or "none".
read_sync() {
    local line
    if read -r -t 10 line <&"$SYNC_FD"; then
        echo "$line"
    else
        echo none
    fi
}

# CRI-O's CreateContainer for container $2 of runtime $1; conmon options follow (-t, -i).
# Prints the sync pipe's answer.
conmon_create() {
    local rt=$1 id=$2 dir=$CONMON_DIR/$1
    shift 2
    START=1 conmon_with_pipes "$rt" -b "$dir/bundle" -c "$id" --exit-dir "$dir/exits" \
        -l "$dir/ctr.log" --log-level info -n "k8s_ctr_pod_default_${id}_0" -P "$dir/conmon.pid" \
        -p "$dir/bundle/pidfile" --persist-dir "$dir/persist" -r "$(engine_runtime_binary "$rt")" \
        --runtime-arg "--root=$dir/state" --socket-dir-path "$dir/sockets" --syslog -u "$id" "$@"
    read_sync
}

# conmon_create that prints nothing when the sync pipe gave a pid, else what it gave and fails.
conmon_create_quiet() {
    local sync
    sync=$(conmon_create "$@")
    [ "$(jq -r '.pid // 0' <<<"$sync" 2>/dev/null)" -gt 0 ] 2>/dev/null && return 0
    echo "create: $sync"
    return 1
}

# The lines of k8s-file log $1 without their timestamps, stderr's before stdout's (conmon
# reads the two pipes in whichever order they are ready), joined with '|'; "bad-line" for a
# line that is not "RFC3339NANO STREAM F|P TEXT"; a pty's carriage return shown as <CR>.
k8s_log_lines() {
    sed -E 's/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+[+-][0-9]{2}:[0-9]{2} ((stdout|stderr) [FP] )/\1/; t ok
        s/.*/bad-line/; :ok; s/\r$/<CR>/' "$1" | sort -s -k1,1 | paste -sd '|'
}

# The content of exit file $1 once it exists (10 s at most), or "none".
exit_file() {
    wait_for_path "$1" 100 && cat "$1" || echo none
}

# Waits up to 10 s for k8s-file log $1 to hold a line whose text is $2.
wait_for_log_line() {
    local i
    for ((i = 0; i < 200; i++)); do
        grep -q " $2\$" "$1" 2>/dev/null && return 0
        sleep 0.05
    done
    return 1
}

# The status of container $2 of runtime $1, or "gone".
conmon_status() {
    local state
    state=$(conmon_runtime "$1" state "$2" 2>/dev/null) && jq -r .status <<<"$state" || echo gone
}

# What runtime $1 left once container $2 was deleted: state entries, cgroup directories, a
# live conmon. (conmon 2.1.6 itself leaves its attach symlink in --socket-dir-path.)
conmon_leftovers() {
    local dir=$CONMON_DIR/$1 conmon=0
    wait_for_pid_gone "$(cat "$dir/conmon.pid")" 100 || conmon=1
    echo "$(ls -A "$dir/state" | wc -l) $(cgroup_dirs_of "$2" | wc -l) $conmon"
}

observe_create() {
    local rt=$1 id sync pid created
    # Only the three stdio descriptors (and ls's own directory) reach the container.
    id=$(conmon_bundle "$rt" 'echo out; echo err >&2; echo fds $(ls /proc/self/fd); exit 3')
    sync=$(conmon_create "$rt" "$id")
    pid=$(jq -r .pid <<<"$sync" 2>/dev/null)
    created="$(conmon_status "$rt" "$id") pid=$([ "$pid" = "$(cat "$CONMON_DIR/$rt/bundle/pidfile")" ] &&
        [ "$pid" = "$(conmon_runtime "$rt" state "$id" | jq .pid)" ] && echo same || echo "$sync")"
    conmon_runtime "$rt" start "$id" || return 1
    echo "$created exit=$(exit_file "$CONMON_DIR/$rt/exits/$id") $(conmon_status "$rt" "$id")" \
        "log=$(k8s_log_lines "$CONMON_DIR/$rt/ctr.log")"
    conmon_runtime "$rt" delete --force "$id" || return 1
    echo "left=$(conmon_leftovers "$rt" "$id")"
}

@test "conmon create as CRI-O runs it, start, state: output in the k8s-file log, exit code in the exit file, delete" {
    expect_on_every_runtime "created pid=same exit=3 stopped log=stderr F err|stdout F out|stdout F fds 0 1 2 3
left=0 0 0" observe_create
}

# CRI-O's StopContainer: kill with the stop signal (KILL follows only when the container
# outlives its grace period: observe_kill).
observe_stop() {
    local rt=$1 id status
    id=$(conmon_bundle "$rt" 'trap "echo term; exit 0" TERM; echo up; while :; do sleep 0.1; done')
    conmon_create_quiet "$rt" "$id" || return 1
    conmon_runtime "$rt" start "$id" || return 1
    wait_for_log_line "$CONMON_DIR/$rt/ctr.log" up || return 1
    status=$(conmon_status "$rt" "$id")
    conmon_runtime "$rt" kill "$id" 15 || return 1
    echo "$status TERM: exit=$(exit_file "$CONMON_DIR/$rt/exits/$id") log=$(k8s_log_lines "$CONMON_DIR/$rt/ctr.log")"
    conmon_runtime "$rt" delete --force "$id" || return 1
    echo "left=$(conmon_leftovers "$rt" "$id")"
}

@test "conmon: CRI-O's stop (kill ID 15) reaches the container's trap; exit file 0" {
    expect_on_every_runtime "running TERM: exit=0 log=stdout F up|stdout F term
left=0 0 0" observe_stop
}

observe_kill() {
    local rt=$1 id
    # The container's init ignores SIGTERM (no handler in a pid namespace's init).
    id=$(conmon_bundle "$rt" 'echo up; while :; do sleep 0.1; done')
    conmon_create_quiet "$rt" "$id" || return 1
    conmon_runtime "$rt" start "$id" || return 1
    wait_for_log_line "$CONMON_DIR/$rt/ctr.log" up || return 1
    conmon_runtime "$rt" kill "$id" KILL || return 1
    echo "KILL: exit=$(exit_file "$CONMON_DIR/$rt/exits/$id") $(conmon_status "$rt" "$id")"
    conmon_runtime "$rt" delete "$id" || return 1
    echo "left=$(conmon_leftovers "$rt" "$id")"
}

@test "conmon: kill ID KILL, exit file 137, state stopped, delete" {
    expect_on_every_runtime "KILL: exit=137 stopped
left=0 0 0" observe_kill
}

# Starts a container of runtime $1 that runs until killed, one process (tail) without
# children; prints its id, or why it failed.
conmon_running_container() {
    local rt=$1 id
    id=$(conmon_bundle "$rt" 'echo up; exec tail -f /dev/null')
    conmon_create_quiet "$rt" "$id" || return 1
    conmon_runtime "$rt" start "$id" || return 1
    wait_for_log_line "$CONMON_DIR/$rt/ctr.log" up || return 1
    echo "$id"
}

# Writes $CONMON_DIR/RT/process.json: the container's process (CRI-O's prepareProcessExec)
# running shell command $2, with a terminal when $3 is "tty".
exec_process_spec() {
    local dir=$CONMON_DIR/$1
    jq --arg cmd "$2" --argjson tty "$([ "${3:-}" = tty ] && echo true || echo false)" \
        '.process | .terminal = $tty | .args = ["sh", "-c", $cmd]' "$dir/bundle/config.json" >"$dir/process.json"
}

# CRI-O's ExecSyncContainer: conmon -e --sync, the start pipe, the output in a k8s-file
# log; options for conmon follow $2 (the id): CRI-O adds -t for a container with a terminal,
# -T for a probe's timeout.
conmon_exec_sync() {
    local rt=$1 id=$2 dir=$CONMON_DIR/$1
    shift 2
    : >"$dir/exec.log"
    START=1 conmon_with_pipes "$rt" -c "$id" -n "k8s_ctr_pod_default_${id}_0" -r "$(engine_runtime_binary "$rt")" \
        -p "$dir/exec.pid" -e -l "$dir/exec.log" --socket-dir-path "$dir/sockets" --log-level info --sync \
        --log-global-size-max 16777216 "$@" --exec-process-spec "$dir/process.json" \
        --runtime-arg "--root=$dir/state"
}

observe_exec_sync() {
    local rt=$1 id sync
    id=$(conmon_running_container "$rt") || { echo "$id"; return 1; }
    # Only the three stdio descriptors (and ls's own directory) reach the exec'd process.
    exec_process_spec "$rt" 'echo exec-out; echo exec-err >&2; echo fds $(ls /proc/self/fd); exit 7'
    conmon_exec_sync "$rt" "$id"
    sync=$(read_sync)
    echo "conmon=$CONMON_STATUS sync=$sync log=$(k8s_log_lines "$CONMON_DIR/$rt/exec.log")" \
        "container=$(conmon_status "$rt" "$id")"
}

@test "conmon ExecSync as CRI-O runs it (-e --sync): {\"exit_code\": 7} on the sync pipe, output in the log" {
    expect_on_every_runtime 'conmon=7 sync={"exit_code": 7} log=stderr F exec-err|stdout F exec-out|stdout F fds 0 1 2 3 container=running' \
        observe_exec_sync
}

# The pids in the cgroup of the container of runtime $1 whose init is $2, joined by ' '.
container_cgroup_pids() {
    paste -sd ' ' "$(host_cgroup_file "$2" pids cgroup.procs cgroup.procs)"
}

# A probe's timeout: conmon -T kills the exec'd process's group when the time is up.
observe_exec_sync_timeout() {
    local rt=$1 id init i
    id=$(conmon_running_container "$rt") || { echo "$id"; return 1; }
    init=$(conmon_runtime "$rt" state "$id" | jq .pid)
    exec_process_spec "$rt" 'sleep 60 & sleep 60'
    conmon_exec_sync "$rt" "$id" -T 1
    echo "conmon=$CONMON_STATUS sync=$(read_sync)"
    for ((i = 0; i < 100; i++)); do
        [ "$(container_cgroup_pids "$rt" "$init")" = "$init" ] && break
        sleep 0.1
    done
    echo "left=$([ "$(container_cgroup_pids "$rt" "$init")" = "$init" ] && echo init-only ||
        container_cgroup_pids "$rt" "$init")"
}

@test "conmon ExecSync -T 1 (a probe's timeout): \"command timed out\", the exec'd processes killed" {
    expect_on_every_runtime 'conmon=255 sync={"exit_code": -1, "message": "command timed out"}
left=init-only' observe_exec_sync_timeout
}

# conmon's exec of API version 1 (what the issue and Podman use): the pid, then the exit
# code on the sync pipe; the exit code in --exit-dir; options for conmon follow $2 (the id).
conmon_exec_v1() {
    local rt=$1 id=$2 dir=$CONMON_DIR/$1
    shift 2
    : >"$dir/exec.log"
    conmon_with_pipes "$rt" --api-version 1 -c "$id" -u "$id-exec" -n "$id" -r "$(engine_runtime_binary "$rt")" \
        -p "$dir/exec.pid" -e "$@" -l "k8s-file:$dir/exec.log" --exit-dir "$dir/exec-exits" \
        --socket-dir-path "$dir/sockets" --exec-process-spec "$dir/process.json" --runtime-arg "--root=$dir/state"
}

# "pid=same" when sync line $1 is {"data": PID} with the pid of the exec pid file of runtime $2.
exec_pid_check() {
    local pid
    pid=$(jq -r 'select(keys == ["data"]) | .data' <<<"$1" 2>/dev/null)
    if [ -n "$pid" ] && [ "$pid" -gt 0 ] && [ "$pid" = "$(cat "$CONMON_DIR/$2/exec.pid" 2>/dev/null)" ]; then
        echo pid=same
    else
        echo "pid=$1"
    fi
}

observe_exec_v1() {
    local rt=$1 id first second
    id=$(conmon_running_container "$rt") || { echo "$id"; return 1; }
    exec_process_spec "$rt" 'echo exec-out; echo exec-err >&2; exit 7'
    conmon_exec_v1 "$rt" "$id"
    first=$(read_sync)
    second=$(read_sync)
    echo "conmon=$CONMON_STATUS $(exec_pid_check "$first" "$rt") then=$second" \
        "exit-file=$(exit_file "$CONMON_DIR/$rt/exec-exits/$id") log=$(k8s_log_lines "$CONMON_DIR/$rt/exec.log")" \
        "container=$(conmon_status "$rt" "$id")"
}

@test "conmon --api-version 1 --exec: {\"data\": PID} then {\"data\": 7} on _OCI_SYNCPIPE, the exit file, the log" {
    expect_on_every_runtime 'conmon=0 pid=same then={"data": 7} exit-file=7 log=stderr F exec-err|stdout F exec-out container=running' \
        observe_exec_v1
}

observe_exec_missing() {
    local rt=$1 id sync
    id=$(conmon_running_container "$rt") || { echo "$id"; return 1; }
    exec_process_spec "$rt" 'exit 0'
    jq '.args = ["/no/such/binary"]' "$CONMON_DIR/$rt/process.json" >"$CONMON_DIR/$rt/p.tmp"
    mv "$CONMON_DIR/$rt/p.tmp" "$CONMON_DIR/$rt/process.json"
    conmon_exec_v1 "$rt" "$id"
    sync=$(read_sync)
    # The message is the runtime's own wording: only its presence is compared.
    echo "conmon=$CONMON_STATUS $(jq -c '{data, message: (.message | length > 0)}' <<<"$sync" 2>/dev/null || echo "$sync")" \
        "container=$(conmon_status "$rt" "$id")"
}

@test "conmon --exec of a missing binary: {\"data\": -1, \"message\": ...} from the runtime's error, the container runs on" {
    expect_on_every_runtime 'conmon=0 {"data":-1,"message":true} container=running' observe_exec_missing
}

# The pty keeps onlcr (a "\n" written reaches conmon as "\r\n", as with runc): conmon,
# not the runtime, relays it.
observe_exec_tty() {
    local rt=$1 id first second
    id=$(conmon_running_container "$rt") || { echo "$id"; return 1; }
    # The pty must come from the container's devpts, not the host's (st_dev of the pty).
    exec_process_spec "$rt" 'tty; [ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo stdio-tty
        [ "$(stat -Lc %d /proc/self/fd/0)" = "$(stat -c %d /dev/pts/ptmx)" ] && echo own-devpts; exit 4' tty
    conmon_exec_v1 "$rt" "$id" -t
    first=$(read_sync)
    second=$(read_sync)
    echo "conmon=$CONMON_STATUS $(exec_pid_check "$first" "$rt") then=$second" \
        "log=$(k8s_log_lines "$CONMON_DIR/$rt/exec.log")"
    exec_process_spec "$rt" 'tty; exit 5' tty
    conmon_exec_sync "$rt" "$id" -t
    echo "sync -t: conmon=$CONMON_STATUS sync=$(read_sync) log=$(k8s_log_lines "$CONMON_DIR/$rt/exec.log")"
}

@test "conmon -t exec (its console socket): a pty from the container's devpts as stdio, output and exit code" {
    expect_on_every_runtime 'conmon=0 pid=same then={"data": 4} log=stdout F /dev/pts/0<CR>|stdout F stdio-tty<CR>|stdout F own-devpts<CR>
sync -t: conmon=5 sync={"exit_code": 5} log=stdout F /dev/pts/0<CR>' observe_exec_tty
}

observe_create_tty() {
    local rt=$1 id
    id=$(conmon_bundle "$rt" 'tty; [ -t 0 ] && echo stdin-tty
        [ "$(stat -Lc %d /proc/self/fd/0)" = "$(stat -c %d /dev/pts/ptmx)" ] && echo own-devpts; exit 6')
    jq '.process.terminal = true' "$CONMON_DIR/$rt/bundle/config.json" >"$CONMON_DIR/$rt/c.tmp"
    mv "$CONMON_DIR/$rt/c.tmp" "$CONMON_DIR/$rt/bundle/config.json"
    conmon_create_quiet "$rt" "$id" -t || return 1
    conmon_runtime "$rt" start "$id" || return 1
    echo "exit=$(exit_file "$CONMON_DIR/$rt/exits/$id") log=$(k8s_log_lines "$CONMON_DIR/$rt/ctr.log")"
    conmon_runtime "$rt" delete --force "$id" || return 1
    echo "left=$(conmon_leftovers "$rt" "$id")"
}

@test "conmon -t create (terminal: true, conmon's console socket): the container's pty output in the log" {
    expect_on_every_runtime "exit=6 log=stdout F /dev/pts/0<CR>|stdout F stdin-tty<CR>|stdout F own-devpts<CR>
left=0 0 0" observe_create_tty
}

# Connects to conmon's attach socket $1 (SOCK_SEQPACKET), sends $2, and prints what comes
# back until a message holds "got": each message as STREAM:TEXT (conmon's first byte names
# the stream: 2 stdout, 3 stderr).
attach_exchange() {
    python3 - "$1" "$2" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.settimeout(10)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode())
while True:
    msg = s.recv(8193)
    if not msg:
        break
    print("%d:%s" % (msg[0], msg[1:].decode().strip()))
    if b"got" in msg:
        break
s.close()
EOF
}

observe_attach() {
    local rt=$1 id got
    # Reads before it writes: nothing is printed before the client is attached.
    id=$(conmon_bundle "$rt" 'read line; echo "got $line"; read more || exit 5')
    conmon_create_quiet "$rt" "$id" -i || return 1
    conmon_runtime "$rt" start "$id" || return 1
    got=$(attach_exchange "$CONMON_DIR/$rt/sockets/$id/attach" $'hello\n' 2>&1 | paste -sd '|')
    # conmon closes the container's stdin when the client leaves (no --leave-stdin-open).
    echo "attach=$got exit=$(exit_file "$CONMON_DIR/$rt/exits/$id") log=$(k8s_log_lines "$CONMON_DIR/$rt/ctr.log")"
    conmon_runtime "$rt" delete --force "$id" || return 1
    echo "left=$(conmon_leftovers "$rt" "$id")"
}

@test "conmon attach socket (-i): input reaches the container, its output comes back on stream 2, stdin closed on detach" {
    command -v python3 >/dev/null || skip "python3 is not installed"
    expect_on_every_runtime "attach=2:got hello exit=5 log=stdout F got hello
left=0 0 0" observe_attach
}

# CRI-O's ExecContainer (kubectl exec without -t): `RUNTIME --root R exec --process P ID` in
# the foreground, stdin a pipe, stdout and stderr apart, the process's exit status.
observe_kubectl_exec() {
    local rt=$1 id out rc=0
    id=$(conmon_running_container "$rt") || { echo "$id"; return 1; }
    exec_process_spec "$rt" 'read line; echo "got $line"; echo err >&2; exit 9'
    out=$(echo hi | conmon_runtime "$rt" exec --process "$CONMON_DIR/$rt/process.json" "$id" 2>"$CONMON_DIR/$rt/exec.err") || rc=$?
    echo "rc=$rc out=$out err=$(cat "$CONMON_DIR/$rt/exec.err") container=$(conmon_status "$rt" "$id")"
}

@test "kubectl exec as CRI-O runs it (runtime exec --process in the foreground): stdin, stdout, stderr, exit status" {
    expect_on_every_runtime "rc=9 out=got hi err=err container=running" observe_kubectl_exec
}

# kubectl exec -t: the runtime in the foreground on a terminal of CRI-O's (here tmux's), the
# process on a pty of its own that the runtime relays (observe_tty_session).
observe_kubectl_exec_tty() {
    local rt=$1 id
    id=$(conmon_running_container "$rt") || { echo "$id"; return 1; }
    exec_process_spec "$rt" 'exec sh' tty
    observe_tty_session "$CONMON_DIR/tmux-$rt.sock" "$(printf '%q ' "$(engine_runtime_binary "$rt")" \
        --root "$CONMON_DIR/$rt/state" exec --process "$CONMON_DIR/$rt/process.json" "$id")"
    echo "container=$(conmon_status "$rt" "$id")"
}

@test "kubectl exec -t as CRI-O runs it (runtime exec --process with terminal: true, no console socket): tty, resize, exit status" {
    command -v tmux >/dev/null || skip "tmux is not installed (scripts/setup.sh installs it)"
    # crun 1.8.1 passes no resize on to a foreground exec's pty (it stays 30 100): runc is
    # the reference here.
    ENGINE_RUNTIMES=$(engine_runtimes | grep -vx crun | paste -sd ' ') expect_on_every_runtime "$TTY_SESSION_WANT
container=running" observe_kubectl_exec_tty
}

# CRI-O's UpdateContainerResources: `RUNTIME --root R update --resources - ID` with the
# resources as JSON on stdin, read back from the container's cgroup on the host.
observe_update() {
    local rt=$1 id pid mem cpu
    id=$(conmon_running_container "$rt") || { echo "$id"; return 1; }
    pid=$(conmon_runtime "$rt" state "$id" | jq .pid)
    echo '{"memory": {"limit": 67108864}, "cpu": {"shares": 512, "quota": 50000, "period": 100000}}' |
        conmon_runtime "$rt" update --resources - "$id" || return 1
    mem=$(cat "$(host_cgroup_file "$pid" memory memory.limit_in_bytes memory.max)")
    if cgroup_v2_only; then
        cpu="$(cat "$(host_cgroup_file "$pid" - - cpu.max)") weight=$(cat "$(host_cgroup_file "$pid" - - cpu.weight)")"
    else
        cpu="$(cat "$(host_cgroup_file "$pid" cpu cpu.cfs_quota_us -)") $(cat "$(host_cgroup_file "$pid" cpu cpu.cfs_period_us -)")"
        cpu+=" shares=$(cat "$(host_cgroup_file "$pid" cpu cpu.shares -)")"
    fi
    echo "memory=$mem cpu=$cpu"
}

@test "CRI-O's update --resources - (JSON on stdin): memory limit, quota and shares in the container's cgroup" {
    local want="memory=67108864 cpu=50000 100000 shares=512"
    cgroup_v2_only && want="memory=67108864 cpu=50000 100000 weight=20"
    expect_on_every_runtime "$want" observe_update
}

# The last count a counter container wrote into k8s-file log $1, or 0.
last_log_count() {
    awk '$4 == "count" { n = $5 } END { print n + 0 }' "$1"
}

# CRI-O's checkpoint and restore (enable_criu_support): `RUNTIME checkpoint --image-path I
# --work-path W ID` (the container is gone after it: criu kills the tree), `delete --force`
# (of a container already gone), then conmon --restore I, which runs `RUNTIME restore
# --bundle B --pid-file P --detach --image-path I --work-path B ID` with its new pipes as the
# restored process's stdio (runc's descriptors.json mapping): the count goes on in the log
# from where it stopped.
observe_checkpoint_restore() {
    local rt=$1 dir=$CONMON_DIR/$1 id at sync
    id=$(conmon_bundle "$rt" 'i=0; while :; do i=$((i+1)); echo "count $i"; sleep 0.1; done')
    conmon_create_quiet "$rt" "$id" || return 1
    conmon_runtime "$rt" start "$id" || return 1
    wait_for_log_line "$dir/ctr.log" 'count 5' || return 1
    conmon_runtime "$rt" checkpoint --image-path "$dir/images" --work-path "$dir/work" "$id" || return 1
    echo "checkpointed: exit=$(exit_file "$dir/exits/$id") $(conmon_status "$rt" "$id")"
    at=$(last_log_count "$dir/ctr.log")
    conmon_runtime "$rt" delete --force "$id" >/dev/null 2>&1
    rm "$dir/exits/$id"
    sync=$(conmon_create "$rt" "$id" --restore "$dir/images")
    echo "restored: pid=$([ "$(jq -r '.pid // 0' <<<"$sync")" -gt 0 ] && echo yes || echo "$sync") $(conmon_status "$rt" "$id")"
    wait_for_log_line "$dir/ctr.log" "count $((at + 2))" || { echo "no count past $at: $(tail -n 3 "$dir/ctr.log")"; return 1; }
    echo "count went on: $(grep -c ' count 1$' "$dir/ctr.log") start, $(grep -c " count $((at + 1))\$" "$dir/ctr.log") x count $((at + 1))" |
        sed "s/count $((at + 1))$/count N+1/"
    conmon_runtime "$rt" kill "$id" KILL || return 1
    echo "killed: exit=$(exit_file "$dir/exits/$id")"
    conmon_runtime "$rt" delete "$id" || return 1
    echo "left=$(conmon_leftovers "$rt" "$id")"
}

@test "CRI-O's checkpoint, then conmon --restore: the counter goes on in the log from where it stopped" {
    export PATH=/usr/local/sbin:$PATH
    expect_on_checkpoint_runtimes "checkpointed: exit=137 gone
restored: pid=yes running
count went on: 1 start, 1 x count N+1
killed: exit=137
left=0 0 0" observe_checkpoint_restore
}
