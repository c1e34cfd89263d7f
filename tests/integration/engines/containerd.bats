#!/usr/bin/env bats
# containerd 1.6 and ctr with their defaults driving cradle, runc and crun (ctr's
# --runc-binary): `ctr run` always sends `"cpu": {"shares": 1024}` besides the default device
# rules. The daemon is the test's own (root, state and socket in a test directory, the CRI
# plugin disabled), stopped by its pid; the image is a local OCI archive of the busybox
# rootfs, imported with `ctr image import`. Each test runs the same steps with every
# runtime and expects the same observation from each: run --rm, run -d with task exec, kill
# and delete, stdin through containerd's fifos, run -t and task exec -t driven through tmux.

load engine_helpers

setup_file() {
    command -v containerd >/dev/null || skip "containerd is not installed (scripts/setup.sh installs it)"
    "$REPO_ROOT/tests/fixtures/make-busybox-rootfs.sh" "$ROOTFS_CACHE"
    export CTRD_DIR=$BATS_FILE_TMPDIR/containerd
    # ctr's snapshotter for import and run: copies where the kernel lacks overlayfs.
    CONTAINERD_SNAPSHOTTER=$(overlayfs_choice overlayfs native)
    export CONTAINERD_SNAPSHOTTER
    mkdir -p "$CTRD_DIR"
    cat >"$CTRD_DIR/config.toml" <<EOF
version = 2
root = "$CTRD_DIR/root"
state = "$CTRD_DIR/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$CTRD_DIR/containerd.sock"
[ttrpc]
  address = "$CTRD_DIR/containerd.sock.ttrpc"
[debug]
  address = "$CTRD_DIR/debug.sock"
EOF
    containerd --config "$CTRD_DIR/config.toml" >"$CTRD_DIR/containerd.log" 2>&1 3>&- &
    export CTRD_PID=$!
    # ctr's cgroupsPath is /NAMESPACE/ID: one namespace per runtime, so that each runtime
    # makes the parent cgroup itself (on cgroup2, enabling its controllers there).
    export CTRD_NAMESPACE=cradle-test-$$
    local i rt
    for ((i = 0; i < 100; i++)); do
        ctr_cmd cradle version >/dev/null 2>&1 && break
        sleep 0.1
    done
    ctr_cmd cradle version >/dev/null || fail "containerd did not start: $(tail -n 5 "$CTRD_DIR/containerd.log")"
    make_oci_archive "$ROOTFS_CACHE" "$CTRD_DIR/busybox-oci.tar" localhost/cradle-busybox:latest
    for rt in $(engine_runtimes); do
        ctr_cmd "$rt" image import "$CTRD_DIR/busybox-oci.tar" >/dev/null
    done
}

# Deletes the tasks and containers a failed test left, stops the daemon by its pid, removes
# the namespace's (empty) cgroup parents and the directory.
teardown_file() {
    [ -n "${CTRD_DIR:-}" ] || return 0
    if [ -n "${CTRD_PID:-}" ]; then
        ctr_remove_all
        kill "$CTRD_PID" 2>/dev/null || true
    fi
    find /sys/fs/cgroup -maxdepth 2 -type d -name "$CTRD_NAMESPACE-*" -exec rmdir {} + 2>/dev/null || true
    unmount_below "$CTRD_DIR"
    rm -rf "$CTRD_DIR"
}

teardown() {
    local rt
    for rt in $(engine_runtimes); do
        tmux -S "$CTRD_DIR/tmux-$rt.sock" kill-server 2>/dev/null || true
    done
    ctr_remove_all
}

# ctr in runtime $1's namespace; ctr's arguments follow.
ctr_cmd() {
    local rt=$1
    shift
    ctr_argv "$rt"
    "${CTR[@]}" "$@"
}

# Sets CTR to the words of ctr_cmd for runtime $1 (for timeout and tmux).
ctr_argv() {
    CTR=(ctr --address "$CTRD_DIR/containerd.sock" --namespace "$CTRD_NAMESPACE-$1")
}

# `ctr run` with runtime NAME ($1) and a state dir of its own in the test directory (the
# shim's default is /run/containerd/runc/NAMESPACE); ctr run's arguments follow.
ctr_run() {
    local rt=$1
    shift
    ctr_run_argv "$rt"
    "${CTR_RUN[@]}" "$@"
}

# Sets CTR_RUN to the words of ctr_run for runtime $1 (for timeout and tmux).
ctr_run_argv() {
    ctr_argv "$1"
    CTR_RUN=("${CTR[@]}" run --runc-binary "$(engine_runtime_binary "$1")" --runc-root "$CTRD_DIR/runc-$1")
}

ctr_remove_all() {
    local rt id
    for rt in $(engine_runtimes); do
        for id in $(ctr_cmd "$rt" task ls -q 2>/dev/null); do
            ctr_cmd "$rt" task kill --signal SIGKILL "$id" >/dev/null 2>&1 || true
            wait_for_task_status "$rt" "$id" STOPPED || true
            ctr_cmd "$rt" task delete "$id" >/dev/null 2>&1 || true
        done
        for id in $(ctr_cmd "$rt" container ls -q 2>/dev/null); do
            ctr_cmd "$rt" container delete "$id" >/dev/null 2>&1 || true
        done
    done
}

# Waits up to 10 s for runtime $1's task $2 to show status $3 in `ctr task ls`.
wait_for_task_status() {
    local i
    for ((i = 0; i < 200; i++)); do
        [ "$(ctr_cmd "$1" task ls | awk -v id="$2" '$1 == id { print $3 }')" = "$3" ] && return 0
        sleep 0.05
    done
    return 1
}

# Leftovers of runtime $1's container $2: ctr's task and container, cgroup directories.
ctr_leftovers() {
    local left
    left="$(ctr_cmd "$1" task ls -q | grep -cx "$2") $(ctr_cmd "$1" container ls -q | grep -cx "$2")"
    left+=" $(find /sys/fs/cgroup -maxdepth 3 -type d -path "*/$CTRD_NAMESPACE-$1/$2" 2>/dev/null | wc -l)"
    echo "$left"
}

observe_run_rm() {
    local id=rm-$1 out rc=0
    # No stdin: ctr's client races with a pipe on stdin (with every runtime).
    out=$(ctr_run "$1" --rm localhost/cradle-busybox:latest "$id" sh -c 'echo hello; exit 3' </dev/null 2>&1) || rc=$?
    echo "rc=$rc $out left=$(ctr_leftovers "$1" "$id")"
}

@test "ctr run --rm with ctr's defaults (cpu shares 1024): output, exit status, nothing left" {
    expect_on_every_runtime "rc=3 hello left=0 0 0" observe_run_rm
}

# ctr run -d, the shares read back from the host, task kill (SIGTERM), delete.
observe_detached() {
    local rt=$1 id=d-$1 pid shares status
    ctr_run "$rt" -d localhost/cradle-busybox:latest "$id" sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done' </dev/null >/dev/null || return 1
    wait_for_task_status "$rt" "$id" RUNNING || return 1
    pid=$(ctr_cmd "$rt" task ls | awk -v id="$id" '$1 == id { print $2 }')
    if cgroup_v2_only; then
        # runc's conversion of shares 1024 to cpu.weight.
        shares=weight=$(cat "$(host_cgroup_file "$pid" - - cpu.weight)")
    else
        shares=shares=$(cat "$(host_cgroup_file "$pid" cpu cpu.shares -)")
    fi
    ctr_cmd "$rt" task kill "$id" || return 1
    wait_for_task_status "$rt" "$id" STOPPED || return 1
    status=$(ctr_cmd "$rt" task delete "$id" 2>&1)
    ctr_cmd "$rt" container delete "$id" || return 1
    echo "$shares stopped ${status:-exit 0} left=$(ctr_leftovers "$rt" "$id")"
}

@test "ctr run -d, task kill and delete: cpu shares 1024 in the container's cgroup, nothing left" {
    local want="shares=1024 stopped exit 0 left=0 0 0"
    cgroup_v2_only && want="weight=39 stopped exit 0 left=0 0 0"
    expect_on_every_runtime "$want" observe_detached
}

# ctr run -d, then task exec as a client of the shim's `RUNTIME exec`: output, exit status,
# --cwd and --user; the execs leave nothing in `task ps` (the init, tail, has no children);
# task kill --signal SIGKILL (tail, as pid 1, ignores SIGTERM) and delete.
observe_task_exec() {
    local rt=$1 id=x-$1 out rc=0 user pids
    ctr_run "$rt" -d localhost/cradle-busybox:latest "$id" tail -f /dev/null </dev/null >/dev/null || return 1
    wait_for_task_status "$rt" "$id" RUNNING || return 1
    out=$(ctr_cmd "$rt" task exec --exec-id out "$id" sh -c 'echo out; echo err >&2; exit 7' </dev/null 2>&1) || rc=$?
    user=$(ctr_cmd "$rt" task exec --exec-id user --cwd /tmp --user 1000 "$id" sh -c 'echo "$(id -u) $PWD"' </dev/null 2>&1)
    pids=$(ctr_cmd "$rt" task ps "$id" | awk 'NR > 1' | wc -l)
    echo "exec: rc=$rc $(echo "$out" | sort | paste -sd ' ') user=$user pids=$pids"
    ctr_cmd "$rt" task kill --signal SIGKILL "$id" || return 1
    wait_for_task_status "$rt" "$id" STOPPED || return 1
    ctr_cmd "$rt" task delete "$id" 2>&1 | sed -n 's/.*non-zero exit code \([0-9]*\).*/exit \1/p'
    ctr_cmd "$rt" container delete "$id" || return 1
    echo "left=$(ctr_leftovers "$rt" "$id")"
}

@test "ctr run -d, task exec (output, exit status, --cwd, --user), task kill and delete: nothing left" {
    expect_on_every_runtime "exec: rc=7 err out user=1000 /tmp pids=1
exit 137
left=0 0 0" observe_task_exec
}

# ctr run with stdin on a fifo, written only once the task runs (ctr's client races with
# input that is there before the task starts, with every runtime): cat copies it through
# containerd's fifos and the runtime's stdio, and ends at EOF.
observe_run_stdin() {
    local rt=$1 id=in-$1 fifo=$CTRD_DIR/stdin-$1 out=$CTRD_DIR/stdout-$1 pid fd rc=0
    mkfifo "$fifo"
    ctr_run_argv "$rt"
    timeout 30 "${CTR_RUN[@]}" --rm localhost/cradle-busybox:latest "$id" cat <"$fifo" >"$out" 2>&1 &
    pid=$!
    exec {fd}>"$fifo"
    wait_for_task_status "$rt" "$id" RUNNING || echo "not running"
    echo "typed line" >&"$fd"
    exec {fd}>&-
    wait "$pid" || rc=$?
    echo "rc=$rc out=$(cat "$out") left=$(ctr_leftovers "$rt" "$id")"
}

@test "ctr run with stdin fed once the task runs: cat echoes it and exits at EOF" {
    expect_on_every_runtime "rc=0 out=typed line left=0 0 0" observe_run_stdin
}

# ctr run -t in a tmux window (observe_tty_session): the shell's tty and window size, a
# resize that reaches it through ctr's console resize, `exit 3` as ctr's exit status.
observe_run_tty() {
    local rt=$1 id=tty-$1
    ctr_run_argv "$rt"
    observe_tty_session "$CTRD_DIR/tmux-$rt.sock" "$(printf '%q ' "${CTR_RUN[@]}" -t localhost/cradle-busybox:latest "$id" sh)"
    ctr_cmd "$rt" task delete "$id" >/dev/null 2>&1 || true
    ctr_cmd "$rt" container delete "$id" || return 1
    echo "left=$(ctr_leftovers "$rt" "$id")"
}

@test "ctr run -t through tmux: a pty from the container's devpts, window size and a resize, exit status" {
    command -v tmux >/dev/null || skip "tmux is not installed (scripts/setup.sh installs it)"
    expect_on_every_runtime "$TTY_SESSION_WANT
left=0 0 0" observe_run_tty
}

# ctr task exec -t into a running task, in a tmux window (observe_tty_session).
observe_exec_tty() {
    local rt=$1 id=xt-$1
    ctr_run "$rt" -d localhost/cradle-busybox:latest "$id" tail -f /dev/null </dev/null >/dev/null || return 1
    wait_for_task_status "$rt" "$id" RUNNING || return 1
    ctr_argv "$rt"
    observe_tty_session "$CTRD_DIR/tmux-$rt.sock" "$(printf '%q ' "${CTR[@]}" task exec -t --exec-id tty "$id" sh)"
    echo "pids=$(ctr_cmd "$rt" task ps "$id" | awk 'NR > 1' | wc -l)"
}

@test "ctr task exec -t through tmux: a pty from the container's devpts, window size and a resize, exit status" {
    command -v tmux >/dev/null || skip "tmux is not installed (scripts/setup.sh installs it)"
    expect_on_every_runtime "$TTY_SESSION_WANT
pids=1" observe_exec_tty
}
