#!/usr/bin/env bats
# Podman 4.3 driving cradle, runc and crun (`--runtime`, a wrapper per runtime with its own
# --root) through the same commands, with Podman's storage, state and image in a test
# directory (podman_helpers.bash; no registry: the image is a `podman import` of the
# busybox rootfs). Each test runs the same steps with every runtime and expects the same
# observation from each; a failure lists what each runtime gave. ENGINE_RUNTIMES="runc crun"
# runs the file against the references only.
#
# What Podman and conmon call on the runtime: `create --bundle B --pid-file P
# [--console-socket S] ID`, `start`, `kill`, `delete --force`, `exec --pid-file P --process F
# --detach [--tty --console-socket S] ID` (podman exec and healthcheck run), `checkpoint`
# and `restore`. Terminals (`run -it`, `exec -it`) are driven through tmux: typing, the
# window size, a resize, Ctrl-D and the exit status.

load podman_helpers

setup_file() {
    podman_setup_file
}

teardown_file() {
    podman_teardown_file
}

teardown() {
    podman_teardown
}

IMAGE=localhost/cradle-busybox

# How many containers Podman and runtime $1 still know.
left_behind() {
    echo "left=$(podman ps -aq | wc -l) $("$PODMAN_DIR/bin/$1" list -q | wc -l)"
}

observe_run_rm() {
    local out rc=0
    out=$(podman_run "$1" --rm "$IMAGE" sh -c 'echo hello from $(hostname | wc -c)-char host; exit 3') || rc=$?
    echo "rc=$rc $out $(left_behind "$1")"
}

@test "podman run --rm: the output, exit code 3 reported as 3, nothing left" {
    expect_on_every_runtime "rc=3 hello from 13-char host left=0 0" observe_run_rm
}

# stdin through conmon's pipe (-i), stdout and stderr apart, for run and for exec.
observe_stdio() {
    local rt=$1 name=stdio-$1 err=$BATS_TEST_TMPDIR/stderr-$1
    printf 'a\nb\n' | podman_run "$rt" -i --rm "$IMAGE" sh -c 'echo "run read $(wc -l) lines"; echo err >&2' 2>"$err"
    echo "run stderr: $(cat "$err")"
    podman_run "$rt" -d --name "$name" "$IMAGE" sleep 1000 >/dev/null || return 1
    printf 'x\ny\nz\n' | podman exec -i "$name" sh -c 'echo "exec read $(wc -l) lines"; echo err >&2' 2>"$err"
    echo "exec stderr: $(cat "$err")"
    podman exec "$name" sh -c 'echo "exec without -i reads $(wc -c) bytes"'
}

@test "podman run -i and exec -i: stdin piped in, stdout and stderr kept apart" {
    expect_on_every_runtime "run read 2 lines
run stderr: err
exec read 3 lines
exec stderr: err
exec without -i reads 0 bytes" observe_stdio
}

# Podman turns the runtime's error text into the exit status: 127 for a command not found
# (or a missing cwd), 126 for one not executable. Prints the status and Podman's reading.
podman_status_of() {
    local rc=0 err
    err=$("$@" 2>&1 >/dev/null) || rc=$?
    echo "rc=$rc ${err##*: }"
}

observe_command_errors() {
    local rt=$1 name=cmd-$1 cmd
    for cmd in /nonexistent nosuchcmd /etc/passwd; do
        podman_status_of podman_run "$rt" --rm "$IMAGE" "$cmd"
    done
    podman_run "$rt" -d --name "$name" "$IMAGE" sleep 1000 >/dev/null || return 1
    for cmd in /nonexistent nosuchcmd /etc/passwd; do
        podman_status_of podman exec "$name" "$cmd"
    done
    podman_status_of podman exec --workdir /nonexistent "$name" true
}

@test "podman run and exec of a missing or non-executable command: 127 and 126, from the runtime's words" {
    local found="rc=127 OCI runtime attempted to invoke a command that was not found"
    local denied="rc=126 OCI permission denied"
    expect_on_every_runtime "$found
$found
$denied
$found
$found
$denied
$found" observe_command_errors
}

# -t without -i and without a terminal around podman: the process's stdio is the pty (its
# line discipline turns \n into \r\n), whose input conmon leaves empty.
observe_tty_no_stdin() {
    local rt=$1 name=tty-$1 probe
    probe='echo "$0: $(tty)"; [ -t 1 ] && echo "stdout: a tty"; [ -t 0 ] && echo "stdin: a tty"'
    podman_run "$rt" --rm -t "$IMAGE" sh -c "$probe" run </dev/null | sed 's/\r$/<CR>/'
    podman_run "$rt" -d --name "$name" "$IMAGE" sleep 1000 >/dev/null || return 1
    podman exec -t "$name" sh -c "$probe" exec </dev/null | sed 's/\r$/<CR>/'
}

@test "podman run -t and exec -t without -i: the output through the container's pty" {
    expect_on_every_runtime "run: /dev/pts/0<CR>
stdout: a tty<CR>
stdin: a tty<CR>
exec: /dev/pts/0<CR>
stdout: a tty<CR>
stdin: a tty<CR>" observe_tty_no_stdin
}

# The container's init traps SIGTERM, so `podman stop` ends it through the runtime's kill,
# and SIGUSR1.
SERVICE='trap "echo got TERM; exit 0" TERM; trap "echo got USR1" USR1; echo started
    while :; do sleep 0.1; done'

# Waits up to 10 s for container $1's log to hold $3 (default 1) lines equal to $2.
wait_for_log_line() {
    local i
    for ((i = 0; i < 200; i++)); do
        [ "$(podman logs "$1" 2>/dev/null | grep -cx "$2")" -ge "${3:-1}" ] && return 0
        sleep 0.05
    done
    echo "the log of $1 has no ${3:-1} lines '$2': $(podman logs "$1" 2>&1 | tr '\n' ' ')"
    return 1
}

observe_kill_restart() {
    local rt=$1 name=sig-$1
    podman_run "$rt" -d --name "$name" "$IMAGE" sh -c "$SERVICE" >/dev/null || return 1
    wait_for_log_line "$name" started || return 1
    podman kill --signal USR1 "$name" >/dev/null || return 1
    wait_for_log_line "$name" "got USR1" || return 1
    podman restart --time 10 "$name" >/dev/null || return 1
    wait_for_log_line "$name" started 2 || return 1
    echo "restarted: $(podman inspect --format '{{.State.Status}}' "$name")"
    podman kill "$name" >/dev/null || return 1
    podman wait "$name" >/dev/null
    echo "killed: $(podman inspect --format '{{.State.Status}} {{.State.ExitCode}}' "$name")"
    echo "logs: $(podman logs "$name" | tr '\n' ' ')"
}

@test "podman kill --signal USR1, restart (TERM, then a new start), kill (137)" {
    expect_on_every_runtime "restarted: running
killed: exited 137
logs: started got USR1 got TERM started " observe_kill_restart
}

observe_detached_lifecycle() {
    local rt=$1 name=life-$1 rc=0 i
    podman_run "$rt" -d --name "$name" "$IMAGE" sh -c "$SERVICE" >/dev/null || return 1
    podman exec "$name" sh -c 'echo exec as $(id -u) in $PWD, pid 1 is $(cat /proc/1/comm)'
    podman exec --user 1000:1000 --workdir /home/user --env FOO=bar "$name" \
        sh -c 'echo exec as $(id -u):$(id -g) in $PWD, FOO=$FOO; exit 4' || rc=$?
    echo "exec rc=$rc"
    podman exec --detach "$name" sh -c 'echo detached >/tmp/mark' >/dev/null
    for ((i = 0; i < 100; i++)); do
        podman exec "$name" cat /tmp/mark 2>/dev/null && break
        sleep 0.05
    done
    echo "running: $("$PODMAN_DIR/bin/$rt" list -q | wc -l) in the runtime"
    podman stop --time 10 "$name" >/dev/null || return 1
    echo "stopped: $(podman inspect --format '{{.State.Status}} {{.State.ExitCode}}' "$name")"
    echo "logs: $(podman logs "$name" | tr '\n' ' ')"
    podman rm "$name" >/dev/null || return 1
    left_behind "$rt"
}

@test "podman run -d, exec (user, workdir, env, exit status, --detach), logs, stop, rm" {
    local want
    want="exec as 0 in /, pid 1 is sh
exec as 1000:1000 in /home/user, FOO=bar
exec rc=4
detached
running: 1 in the runtime
stopped: exited 0
logs: started got TERM 
left=0 0"
    expect_on_every_runtime "$want" observe_detached_lifecycle
}

# What an exec'd process shares with the container's init (pid 1), and what it holds itself.
EXEC_VIEW='for ns in cgroup ipc mnt net pid time user uts; do
        [ "$(readlink /proc/self/ns/$ns)" = "$(readlink /proc/1/ns/$ns)" ] || echo "$ns namespace differs"
    done
    [ "$(cat /proc/self/cgroup)" = "$(cat /proc/1/cgroup)" ] && echo "cgroup: the same"
    echo "fds: $(ls /proc/self/fd | tr "\n" " ")"
    for pid in self 1; do
        echo "$pid:" $(grep -E "^(CapEff|CapBnd|NoNewPrivs|Seccomp):" /proc/$pid/status | tr -d "\t")
    done'

observe_exec_joins() {
    local rt=$1 name=join-$1
    podman_run "$rt" -d --name "$name" --cap-drop net_raw,chown --security-opt no-new-privileges \
        "$IMAGE" sleep 1000 >/dev/null || return 1
    podman exec "$name" sh -c "$EXEC_VIEW"
}

@test "podman exec joins the container's namespaces and cgroup, keeps its caps, no_new_privs and seccomp, no other fd" {
    local want
    want="cgroup: the same
fds: 0 1 2 3 
self: CapEff:00000000a80405fa CapBnd:00000000a80405fa NoNewPrivs:1 Seccomp:2
1: CapEff:00000000a80405fa CapBnd:00000000a80405fa NoNewPrivs:1 Seccomp:2"
    expect_on_every_runtime "$want" observe_exec_joins
}

# Waits up to 10 s for container $1 to run a process whose arguments are $2.
wait_for_process() {
    local i
    for ((i = 0; i < 200; i++)); do
        podman top "$1" args | sed 's/ *$//' | grep -qx "$2" && return 0
        sleep 0.05
    done
    echo "container $1 never ran '$2'"
    return 1
}

# Twenty execs (half of them failing) through conmon: afterwards the container runs only its
# init, and the runtime's state directory holds what it held before them.
observe_exec_leaves_nothing() {
    local rt=$1 name=many-$1 id before after i
    podman_run "$rt" -d --name "$name" "$IMAGE" sleep 1000 >/dev/null || return 1
    id=$(podman inspect --format '{{.Id}}' "$name")
    before=$(ls -A "$PODMAN_DIR/state-$rt/$id")
    for ((i = 0; i < 10; i++)); do
        podman exec "$name" true || return 1
        podman exec "$name" false && return 1
    done
    after=$(ls -A "$PODMAN_DIR/state-$rt/$id")
    echo "processes: $(podman top "$name" pid args | awk 'NR > 1 { print $1, $2 }' | tr '\n' ' ')"
    [ "$before" = "$after" ] && echo "state dir: as before" || echo "state dir: $before -> $after"
}

@test "podman exec x20 leaves no process in the container and nothing in the runtime's state dir" {
    expect_on_every_runtime "processes: 1 sleep 
state dir: as before" observe_exec_leaves_nothing
}

# Types into the shell of tmux session $1 (podman's container $2): its tty and window size, then (after a resize of
# the window to 80x20 while it waits for the new size) Ctrl-C to a command, what it typed,
# then Ctrl-D after a command that failed with status 7; prints each answer and the exit
# status of podman.
observe_terminal_session() {
    local s=$1
    tmux_wait_for "$s" '^/ # ' >/dev/null || return 1
    tmux_type "$s" 'echo "tty=$(tty) size=$(stty size)."'
    tmux_wait_for "$s" '^tty=' || return 1
    echo "pane=$(tmux_pane_size "$s")"
    tmux_type "$s" 'while [ "$(stty size)" != "20 80" ]; do sleep 0.05; done; echo "resized=$(stty size)."'
    podman_tmux resize-window -t "$s" -x 80 -y 20
    tmux_wait_for "$s" '^resized=' || return 1
    # Ctrl-C reaches the foreground job through the terminal: the pty is the controlling one.
    tmux_type "$s" 'sleep 999'
    wait_for_process "$2" 'sleep 999' || return 1
    podman_tmux send-keys -t "$s" C-c
    tmux_type "$s" 'echo "interrupted=$?."'
    tmux_wait_for "$s" '^interrupted=' || return 1
    # fd 10 is busybox ash's own copy of its terminal; /dev/pts is the container's own.
    tmux_type "$s" 'echo "typed=$((6 * 7)) pid1=$(cat /proc/1/comm) fds=$(ls /proc/self/fd | tr "\n" " ")pts=$(ls /dev/pts | tr "\n" " ")."; (exit 7)'
    tmux_wait_for "$s" '^typed=' || return 1
    podman_tmux send-keys -t "$s" C-d
    echo "podman rc=$(tmux_podman_status "$s")"
}

observe_run_it() {
    tmux_podman "run-$1" run -it --rm --name "tty-$1" --network none --runtime "$PODMAN_DIR/bin/$1" \
        "$IMAGE" sh || return 1
    observe_terminal_session "run-$1" "tty-$1"
    left_behind "$1"
}

@test "podman run -it in tmux: typing, the pane's size, a resize, Ctrl-C, Ctrl-D keeps the exit status" {
    local want
    want="tty=/dev/pts/0 size=30 100.
pane=30 100
resized=20 80.
interrupted=130.
typed=42 pid1=sh fds=0 1 10 2 3 pts=0 ptmx .
podman rc=7
left=0 0"
    expect_on_every_runtime "$want" observe_run_it
}

observe_exec_it() {
    local rt=$1 name=execit-$1
    podman_run "$rt" -d --name "$name" "$IMAGE" sleep 1000 >/dev/null || return 1
    tmux_podman "exec-$rt" exec -it "$name" sh || return 1
    observe_terminal_session "exec-$rt" "$name"
    echo "container: $(podman inspect --format '{{.State.Status}}' "$name")"
}

@test "podman exec -it in tmux: typing, the pane's size, a resize, Ctrl-C, Ctrl-D keeps the exit status" {
    local want
    want="tty=/dev/pts/0 size=30 100.
pane=30 100
resized=20 80.
interrupted=130.
typed=42 pid1=sleep fds=0 1 10 2 3 pts=0 ptmx .
podman rc=7
container: running"
    expect_on_every_runtime "$want" observe_exec_it
}

observe_healthcheck() {
    local rt=$1 name=health-$1 rc=0
    # No interval: Podman would schedule the checks with systemd timers.
    podman_run "$rt" -d --name "$name" --health-cmd 'test -e /tmp/ok' --health-interval disable \
        --health-retries 1 \
        "$IMAGE" sleep 1000 >/dev/null || return 1
    podman healthcheck run "$name" || rc=$?
    echo "rc=$rc $(podman inspect --format '{{.State.Health.Status}}' "$name")"
    podman exec "$name" touch /tmp/ok || return 1
    podman healthcheck run "$name" && echo "rc=0 $(podman inspect --format '{{.State.Health.Status}}' "$name")"
}

@test "podman healthcheck run: unhealthy, then healthy once the command succeeds" {
    expect_on_every_runtime "unhealthy
rc=1 unhealthy
rc=0 healthy" observe_healthcheck
}

observe_user() {
    podman_run "$1" --rm --user 1000:1000 --group-add 65534 "$IMAGE" \
        sh -c 'exec 2>&1; id; echo HOME=$HOME; grep CapEff /proc/self/status; touch /root/x'
    podman_run "$1" --rm --user nobody "$IMAGE" id
}

@test "podman run --user: uid, gids, HOME, no effective capabilities" {
    expect_on_every_runtime "uid=1000(user) gid=1000(user) groups=1000(user),65534(nogroup)
HOME=/home/user
CapEff:	0000000000000000
touch: /root/x: Permission denied
uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)" observe_user
}

observe_ulimit_run() {
    podman_run "$1" --rm --ulimit nofile=1024:2048 --ulimit nproc=500:600 "$IMAGE" \
        sh -c 'echo "run: $(ulimit -Sn) $(ulimit -Hn) $(ulimit -Su) $(ulimit -Hu)"'
}

observe_ulimit_exec() {
    local rt=$1 name=ulimit-$1
    podman_run "$rt" -d --name "$name" --ulimit nofile=1024:2048 --ulimit nproc=500:600 "$IMAGE" \
        sleep 1000 >/dev/null || return 1
    podman exec "$name" sh -c 'echo "exec: $(ulimit -Sn) $(ulimit -Hn) $(ulimit -Su) $(ulimit -Hu)"'
}

# runc 1.1.5's exec races the soft nofile limit it sets (prlimit from the parent) against the
# Go runtime of `runc init` raising it to the hard one (runc#4195, fixed in runc 1.1.13): its
# exec'd process gets 2048 most of the time here, so exec compares cradle with crun only.
@test "podman run --ulimit: the limits in the container's init and in an exec'd process" {
    expect_on_every_runtime "run: 1024 2048 500 600" observe_ulimit_run
    ENGINE_RUNTIMES=$(engine_runtimes | grep -vx runc) \
        expect_on_every_runtime "exec: 1024 2048 500 600" observe_ulimit_exec
}

observe_caps() {
    podman_run "$1" --rm --cap-drop all --cap-add net_raw,sys_time "$IMAGE" \
        grep -E '^Cap(Prm|Eff|Bnd)' /proc/self/status
    # Podman's default set without chown: a chown fails.
    podman_run "$1" --rm --cap-drop chown "$IMAGE" \
        sh -c 'exec 2>&1; grep CapEff /proc/self/status; chown 1000 /tmp || echo chown failed'
}

@test "podman run --cap-add/--cap-drop: the capability sets inside" {
    expect_on_every_runtime "CapPrm:	0000000002002000
CapEff:	0000000002002000
CapBnd:	0000000002002000
CapEff:	00000000a80425fa
chown: /tmp: Operation not permitted
chown failed" observe_caps
}

observe_read_only() {
    # Podman mounts tmpfs with tmpcopyup on /tmp, /run and /var/tmp.
    podman_run "$1" --rm --read-only "$IMAGE" sh -c 'exec 2>&1; touch /x; touch /etc/x
        for d in /tmp /run /var/tmp; do
            touch $d/f && echo "$d writable: $(awk -v d=$d "\$2 == d { print \$3 }" /proc/mounts)"
        done'
}

@test "podman run --read-only: the rootfs refuses writes, /tmp /run /var/tmp are tmpfs" {
    expect_on_every_runtime "touch: /x: Read-only file system
touch: /etc/x: Read-only file system
/tmp writable: tmpfs
/run writable: tmpfs
/var/tmp writable: tmpfs" observe_read_only
}

observe_tmpfs() {
    # tmpcopyup: the image's /home/user (uid 1000) is copied into the new tmpfs. (runc
    # chmods the tmpfs to the mountpoint's mode after mounting it, cradle mounts it with
    # mode=, crun leaves 1777: the mode is not compared.)
    podman_run "$1" --rm --tmpfs /home:size=1m "$IMAGE" sh -c \
        'df -k /home | awk "NR > 1 { print \$1, \$2 }"; ls -ln /home | awk "NR > 1 { print \$3, \$9 }"
        echo data >/home/user/f && cat /home/user/f'
    podman_run "$1" --rm "$IMAGE" ls /home/user
}

@test "podman run --tmpfs: a tmpfs with its size, the image's contents copied up" {
    expect_on_every_runtime "tmpfs 1024
1000 user
data" observe_tmpfs
}

observe_volumes() {
    local rt=$1 dir=$BATS_TEST_TMPDIR/vol-$1
    mkdir -p "$dir"
    echo from-host >"$dir/in"
    podman volume create "named-$rt" >/dev/null || return 1
    podman_run "$rt" --rm -v "$dir:/data" -v "$dir:/ro:ro" -v "named-$rt:/named" "$IMAGE" \
        sh -c 'exec 2>&1; cat /data/in; echo from-container >/data/out; touch /ro/x; echo kept >/named/f'
    echo "host reads: $(cat "$dir/out")"
    podman_run "$rt" --rm -v "named-$rt:/named" "$IMAGE" cat /named/f
}

@test "podman run -v: a host directory rw and ro, a named volume kept between containers" {
    expect_on_every_runtime "from-host
touch: /ro/x: Read-only file system
host reads: from-container
kept" observe_volumes
}

observe_network_none() {
    podman_run "$1" --rm "$IMAGE" sh -c 'ip -o addr | awk "{ print \$2, \$4 }"; echo "routes: $(ip route | wc -l)"
        nc -w 2 10.88.0.1 80 </dev/null 2>&1'
}

@test "podman run --network none: only the loopback, no route out" {
    expect_on_every_runtime "lo 127.0.0.1/8
lo ::1/128
routes: 0
nc: can't connect to remote host (10.88.0.1): Network is unreachable" observe_network_none
}

# A web server in one container on Podman's default network (CNI or netavark, whichever the
# host's Podman uses), fetched from a second one by its address.
observe_default_network() {
    local rt=$1 ip
    podman run -d --name "web-$rt" --runtime "$PODMAN_DIR/bin/$rt" "$IMAGE" \
        sh -c 'mkdir /www; echo hello-web >/www/index; exec httpd -f -p 8080 -h /www' >/dev/null || return 1
    ip=$(podman inspect --format '{{.NetworkSettings.IPAddress}}' "web-$rt")
    podman run --rm --runtime "$PODMAN_DIR/bin/$rt" "$IMAGE" sh -c "
        ip -o -4 addr show eth0 | awk '{ print \"eth0:\", \$4 ~ /^10\\.88\\./ ? \"podman subnet\" : \$4 }'
        for i in \$(seq 100); do wget -q -O- http://$ip:8080/index 2>/dev/null && exit; sleep 0.05; done"
}

# Skips unless a reference runtime (runc, else crun) runs a container on the default network:
# what fails for it too is the host's, not the runtime's.
require_default_network() {
    local ref why
    ref=$(command -v runc || command -v crun) || return 0
    podman_make_wrapper "$ref"
    why=$(podman run --rm --runtime "$PODMAN_DIR/bin/$(basename "$ref")" "$IMAGE" true 2>&1) ||
        skip "Podman's default network does not work here with $(basename "$ref") either: $why"
}

@test "podman run on the default network: an address in Podman's subnet, one container reaches another" {
    require_default_network
    expect_on_every_runtime "eth0: podman subnet
hello-web" observe_default_network
}

# Podman probes `checkpoint --help`, then calls `checkpoint --image-path I --work-path W ID`
# and `delete --force ID` (of a container the checkpoint has already removed), and `restore
# --bundle B --pid-file P --detach --image-path I --work-path W ID`; the restored process
# keeps writing to the pipes of the new conmon (runc's descriptors.json mapping), so
# `podman logs` goes on.
observe_checkpoint_restore() {
    local rt=$1 name=ckpt-$1 at id
    podman_run_counter "$rt" "$name" || return 1
    wait_for_count_above "$name" 3 || return 1
    podman container checkpoint "$name" >/dev/null || return 1
    id=$(podman inspect --format '{{.Id}}' "$name")
    # The runtime forgot the container, as runc does after a checkpoint.
    echo "checkpointed: $(podman inspect --format '{{.State.Status}}' "$name")" \
        "runtime state: $("$PODMAN_DIR/bin/$rt" state "$id" >/dev/null 2>&1 && echo kept || echo gone)"
    at=$(last_count "$name")
    podman container restore "$name" >/dev/null || return 1
    echo "restored: $(podman inspect --format '{{.State.Status}}' "$name")"
    wait_for_count_above "$name" $((at + 3)) || return 1
    # Counting went on from the checkpoint, not from 1 again.
    echo "started over: $(podman logs "$name" | grep -c '^count 1$')"
    podman stop --time 1 "$name" >/dev/null 2>&1 && echo stopped
}

@test "podman container checkpoint and restore keep the container counting in its log" {
    expect_on_checkpoint_runtimes "checkpointed: exited runtime state: gone
restored: running
started over: 1
stopped" observe_checkpoint_restore
}

observe_checkpoint_export() {
    local rt=$1 orig=orig-$1 copy=copy-$1 at archive=$BATS_TEST_TMPDIR/$1.tar.gz
    podman_run_counter "$rt" "$orig" || return 1
    wait_for_count_above "$orig" 3 || return 1
    podman container checkpoint --leave-running --export "$archive" "$orig" >/dev/null || return 1
    echo "original: $(podman inspect --format '{{.State.Status}}' "$orig")"
    at=$(last_count "$orig")
    podman container restore --import "$archive" --name "$copy" >/dev/null || return 1
    wait_for_count_above "$copy" $((at + 3)) || return 1
    # Both run: the copy has its own pid namespace and its own runtime state.
    echo "both: $(podman inspect --format '{{.State.Status}}' "$orig" "$copy" | tr '\n' ' ')"
}

@test "podman checkpoint --leave-running --export, then restore --import as a new container" {
    expect_on_checkpoint_runtimes "original: running
both: running running " observe_checkpoint_export
}

observe_checkpoint_options() {
    local rt=$1 name=opts-$1
    podman_run_counter "$rt" "$name" || return 1
    wait_for_count_above "$name" 3 || return 1
    podman container checkpoint --tcp-established --file-locks "$name" >/dev/null || return 1
    podman container restore --tcp-established --file-locks "$name" >/dev/null || return 1
    wait_for_count_above "$name" 3 && echo "restored: $(podman inspect --format '{{.State.Status}}' "$name")"
}

@test "podman checkpoint and restore pass --tcp-established and --file-locks through" {
    expect_on_checkpoint_runtimes "restored: running" observe_checkpoint_options
}
