#!/usr/bin/env bats
# Terminals (issue 7): process.terminal with a console socket (recvtty-compatible) and
# `run` in the foreground driven through tmux; runc's checks of -t/--console-socket/
# --detach; and attacks on the pty: its master never reaches a container, a /dev/console
# symlink never leads the bind mount out of the rootfs, a neighbour in the container's pid
# namespace cannot take the master while it is handed over. Each test also runs against
# runc (RUNTIME=/usr/sbin/runc) with the same expectations, unless it says otherwise.

load helpers

RECVTTY=${RECVTTY:-$(dirname "$CRADLE")/recvtty}

setup() {
    common_setup
    [ -x "$RECVTTY" ] || skip "no $RECVTTY (a build with -DCRADLE_TESTING=ON builds it)"
    WORK=$(mktemp -d "$BATS_RUN_TMPDIR/tty.XXXXXX")
    RECVTTY_PIDS=()
    MORE_BUNDLES=()
    update_config '.process.terminal = true'
}

teardown() {
    local pid b
    [ -n "${WORK:-}" ] && [ -S "$WORK/tmux.sock" ] && tty_tmux kill-server 2>/dev/null
    for pid in "${RECVTTY_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    common_teardown
    for b in "${MORE_BUNDLES[@]}"; do
        rm -rf "$b"
    done
    [ -n "${WORK:-}" ] && rm -rf "$WORK"
    return 0
}

# Starts recvtty in mode $1 on $WORK/$2.sock, its output in $WORK/$2.out, and waits
# until it listens (its pid file).
start_recvtty() {
    local mode=$1 name=$2 i
    "$RECVTTY" --mode "$mode" --pid-file "$WORK/$name.pid" "$WORK/$name.sock" \
        >"$WORK/$name.out" 2>&1 </dev/null &
    RECVTTY_PIDS+=($!)
    for ((i = 0; i < 200; i++)); do
        [ -s "$WORK/$name.pid" ] && return 0
        sleep 0.05
    done
    fail "recvtty did not start"
}

# Waits up to 10 s for the single-mode recvtty $1 to end: the pty's other side closed.
wait_recvtty() {
    local pid i
    pid=$(cat "$WORK/$1.pid")
    for ((i = 0; i < 200; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.05
    done
    fail "recvtty $1 still relays: $(cat "$WORK/$1.out")"
}

# A fresh $BUNDLE (with a terminal); the previous one is removed at teardown.
another_bundle() {
    MORE_BUNDLES+=("$BUNDLE")
    setup_bundle
    update_config '.process.terminal = true'
}

# `runtime ARGS...` with its output through a file (a created init must not hold bats'
# pipe open), for `run`.
runtime_logged() {
    local rc=0
    runtime "$@" >"$WORK/runtime.log" 2>&1 </dev/null || rc=$?
    cat "$WORK/runtime.log"
    return "$rc"
}

# create + start of container $1 from $BUNDLE with its console on recvtty $2; the
# container's output ends in $WORK/$2.out.
run_on_console_socket() {
    local id=$1 name=$2
    start_recvtty single "$name"
    if ! runtime create --bundle "$BUNDLE" --console-socket "$WORK/$name.sock" "$id" \
        >"$WORK/create.log" 2>&1 </dev/null; then
        cat "$WORK/create.log"
        return 1
    fi
    runtime start "$id" && wait_recvtty "$name" || return 1
    tr -d '\r' <"$WORK/$name.out"
}

# What the container sees of its terminal, one fact a line.
TTY_FACTS='
echo "fds=$(readlink /proc/$$/fd/0) $(readlink /proc/$$/fd/1) $(readlink /proc/$$/fd/2)"
echo "tty=$(tty)"
echo "console=$(stat -L -c %t:%T /dev/console) pty=$(stat -L -c %t:%T /proc/self/fd/0)"
echo "devpts=$(stat -L -c %d /proc/self/fd/0) own=$(stat -c %d /dev/pts/ptmx)"
echo "size=$(stty size)"
n=0
for f in /proc/[0-9]*/fd/*; do
    case $(readlink "$f" 2>/dev/null) in *ptmx*) echo "master=$f"; n=$((n + 1)) ;; esac
done
echo "masters=$n"
'

# Checks the facts TTY_FACTS printed (in $output): stdio is one pty of the container's
# own devpts, its controlling terminal, /dev/console is that pty (not for exec: $1 =
# exec), and no process of the container holds a pty master.
assert_tty_facts() {
    assert_line --regexp '^fds=(/dev/pts/[0-9]+) \1 \1$'
    assert_line --regexp '^tty=/dev/pts/[0-9]+$'
    local console pty devpts own
    console=$(sed -n 's/^console=\([^ ]*\) pty=.*/\1/p' <<<"$output")
    pty=$(sed -n 's/^console=[^ ]* pty=\(.*\)/\1/p' <<<"$output")
    if [ "${1:-}" != exec ]; then
        [ -n "$pty" ] && [ "$console" = "$pty" ] || fail "/dev/console ($console) is not the pty ($pty)"
    fi
    devpts=$(sed -n 's/^devpts=\([0-9]*\) own=.*/\1/p' <<<"$output")
    own=$(sed -n 's/^devpts=[0-9]* own=\([0-9]*\)/\1/p' <<<"$output")
    [ -n "$own" ] && [ "$devpts" = "$own" ] || fail "stdio is not on the container's devpts"
    [ "$devpts" != "$(stat -c %d /dev/pts/ptmx)" ] || fail "stdio is on the host's devpts"
    assert_line "masters=0"
}

@test "create with a terminal and a console socket: stdio, tty, /dev/console, consoleSize; no master inside" {
    update_config '.process.consoleSize = {"height": 40, "width": 100}'
    set_args sh -c "$TTY_FACTS"
    run run_on_console_socket "$(new_id)" console
    assert_success
    assert_tty_facts
    assert_line "size=40 100"
}

@test "run -d with a terminal and a console socket: the container's process holds the pty, no master" {
    set_args sh -c "${TTY_FACTS}exec sleep 1000"
    local id
    id=$(new_id)
    start_recvtty null drain
    runtime run -d --bundle "$BUNDLE" --console-socket "$WORK/drain.sock" "$id" \
        >"$WORK/run.log" 2>&1 </dev/null || fail "run -d: $(cat "$WORK/run.log")"
    [ "$(runtime state "$id" | jq -r .status)" = running ]
    local pid
    pid=$(container_pid "$id")
    run sh -c "ls -l /proc/$pid/fd/ | grep -c ptmx"
    assert_output 0
    run readlink "/proc/$pid/fd/0"
    assert_output --regexp '^/dev/pts/[0-9]+$'
    runtime kill "$id" KILL
    wait_for_status "$id"
    runtime delete "$id"
}

# A session of tmux (private server) running `run` of $BUNDLE as container $1 in the
# foreground in a 80x24 window; the runtime's exit status goes to $WORK/exit.
tty_tmux() {
    tmux -S "$WORK/tmux.sock" -f /dev/null "$@"
}

start_in_tmux() {
    tmux_runtime run --bundle "$BUNDLE" "$1"
}

# As start_in_tmux, for `runtime ARGS...`.
tmux_runtime() {
    tty_tmux new-session -d -s tty -x 80 -y 24 \
        "$(printf '%q ' "${RUNTIME:-$CRADLE}" --root "$STATE_ROOT" "$@"); echo \$? >$WORK/exit"
}

# Runs a container without a terminal, detached: `sleep 1000`; prints its id.
run_sleeper() {
    local id
    id=$(new_id sleeper)
    update_config '.process.terminal = false'
    set_args sleep 1000
    runtime run -d --bundle "$BUNDLE" "$id" >"$WORK/sleeper.log" 2>&1 </dev/null ||
        fail "run -d: $(cat "$WORK/sleeper.log")"
    echo "$id"
}

tmux_type() {
    tty_tmux send-keys -t tty -l "$1" && tty_tmux send-keys -t tty Enter
}

# Waits up to 10 s for a line of the screen (history included) to match regex $1.
screen_has() {
    local i
    for ((i = 0; i < 200; i++)); do
        tty_tmux capture-pane -p -J -S - -t tty 2>/dev/null | grep -q -E "$1" && return 0
        sleep 0.05
    done
    echo "screen:" >&2
    tty_tmux capture-pane -p -J -S - -t tty >&2 2>/dev/null || true
    return 1
}

# Waits up to 10 s for the runtime in tmux to exit and prints its exit status.
tmux_exit_status() {
    local i
    for ((i = 0; i < 200; i++)); do
        [ -s "$WORK/exit" ] && cat "$WORK/exit" && return 0
        sleep 0.05
    done
    return 1
}

@test "run -t in the foreground: typing, the window's size and its changes, Ctrl-C to the container, exit status kept" {
    set_args sh
    start_in_tmux "$(new_id)"
    screen_has '^/ # '
    # The pty's facts, from a script: typed, the loop would be too long for the screen.
    echo "$TTY_FACTS" >"$BUNDLE/rootfs/facts.sh"
    tmux_type 'sh /facts.sh; echo facts=done'
    screen_has '^facts=done'
    run tty_tmux capture-pane -p -J -S - -t tty
    assert_tty_facts
    assert_line "size=24 80"
    tmux_type 'echo "typed=$((6 * 7))"'
    screen_has '^typed=42$'
    tmux_type 'while [ "$(stty size)" != "30 100" ]; do sleep 0.05; done; echo resized=$(stty size)'
    tty_tmux resize-window -t tty -x 100 -y 30
    screen_has '^resized=30 100$'
    # Raw mode: Ctrl-C is a byte for the container's line discipline, which interrupts
    # the foreground job; the runtime and the shell live on.
    tmux_type 'sh -c "trap \"echo got=INT\" INT; echo sleeping; sleep 1000"'
    screen_has '^sleeping$'
    tty_tmux send-keys -t tty C-c
    screen_has 'got=INT$'
    tmux_type 'echo "alive=$((6 * 7))"'
    screen_has '^alive=42$'
    [ ! -s "$WORK/exit" ]
    tmux_type 'exit 3'
    run tmux_exit_status
    assert_output 3
}

# The process writes before the relay has started: its pty must already have stopped
# adding "\r" (the caller's terminal adds its own), or lines arrive as "\r\r\n".
@test "run -t: output written at once reaches the caller's terminal with one CR per line" {
    update_config '.process.terminal = true'
    set_args sh -c 'echo one; echo two'
    run script -qec "${RUNTIME:-$CRADLE} --root $STATE_ROOT run --bundle $BUNDLE $(new_id early)" /dev/null </dev/null
    assert_success
    [[ "$output" == *$'one\r\ntwo\r'* ]] || fail "lines as relayed: $(printf %q "$output")"
    [[ "$output" != *$'\r\r'* ]] || fail "a doubled CR: $(printf %q "$output")"
}

@test "run -t: Ctrl-D ends the shell, exit status 0; the caller's terminal is restored" {
    set_args sh
    tty_tmux new-session -d -s tty -x 80 -y 24 "bash --norc --noprofile"
    tmux_type "PS1='host\$ '; stty -g > $WORK/before; $(printf '%q ' "${RUNTIME:-$CRADLE}" --root "$STATE_ROOT" run --bundle "$BUNDLE" "$(new_id)"); echo \$? > $WORK/exit; stty -g > $WORK/after"
    screen_has '^/ # '
    tty_tmux send-keys -t tty C-d
    run tmux_exit_status
    assert_output 0
    screen_has '^host\$ '
    [ -s "$WORK/after" ]
    diff "$WORK/before" "$WORK/after"
}

@test "terminal and console socket combinations refused as runc refuses them, leaving nothing" {
    local id
    id=$(new_id)
    run runtime_logged create --bundle "$BUNDLE" "$id"
    assert_failure
    assert_output --regexp 'cannot allocate tty if (runc|cradle) will detach without setting console socket'
    run runtime_logged run -d --bundle "$BUNDLE" "$id"
    assert_failure
    assert_output --regexp 'cannot allocate tty if (runc|cradle) will detach without setting console socket'
    start_recvtty null drain
    run runtime_logged run --bundle "$BUNDLE" --console-socket "$WORK/drain.sock" "$id"
    assert_failure
    assert_output --regexp 'cannot use console socket if (runc|cradle) will not detach or allocate tty'
    update_config '.process.terminal = false'
    run runtime_logged create --bundle "$BUNDLE" --console-socket "$WORK/drain.sock" "$id"
    assert_failure
    assert_output --regexp 'cannot use console socket if (runc|cradle) will not detach or allocate tty'
    update_config '.process.terminal = true'
    run runtime_logged create --bundle "$BUNDLE" --console-socket "$WORK/missing.sock" "$id"
    assert_failure
    assert_output --regexp "dial unix $WORK/missing.sock: connect: [Nn]o such file or directory"
    run runtime_logged list -q
    assert_output ""
    assert_no_trace "$id"
}

# A rootfs of its own /dev (no tmpfs over it) whose /dev/console is symlink $1.
console_symlink_bundle() {
    update_config 'del(.mounts[] | select(.destination == "/dev")) |
        .process.consoleSize = {"height": 40, "width": 100}'
    mkdir -p "$BUNDLE/rootfs/dev"
    ln -sfn "$1" "$BUNDLE/rootfs/dev/console"
}

@test "a /dev/console symlink to a host path (absolute or ../..) never gets the pty bound over a host file" {
    local target="$BATS_RUN_TMPDIR/console-target-$$" shadow_before mounts_before
    echo "host file" >"$target"
    shadow_before=$(sha256sum /etc/shadow)
    mounts_before=$(grep -c -e /etc/shadow -e console-target /proc/self/mountinfo || true)
    for link in /etc/shadow "../../../../../../../..$target"; do
        another_bundle
        console_symlink_bundle "$link"
        set_args sh -c "$TTY_FACTS"
        run run_on_console_socket "$(new_id)" "console$RANDOM"
        # runc 1.1.5 fails the container here ("open /dev/console: no such file or
        # directory"); cradle binds the pty onto the link's target inside the rootfs.
        if is_cradle || [ "$status" = 0 ]; then
            assert_success
            assert_tty_facts
        fi
        [ "$(sha256sum /etc/shadow)" = "$shadow_before" ]
        [ "$(cat "$target")" = "host file" ]
        [ "$(grep -c -e /etc/shadow -e console-target /proc/self/mountinfo || true)" = "$mounts_before" ]
    done
    rm -f "$target"
}

@test "cradle: a /dev/console symlink is followed inside the rootfs, its target created, never truncated" {
    skip_unless_cradle "runc 1.1.5's os.Create truncates the target of /dev/console"
    echo "container's own" >"$BUNDLE/rootfs/etc/motd"
    console_symlink_bundle /etc/motd
    set_args sh -c "$TTY_FACTS"
    run run_on_console_socket "$(new_id)" console
    assert_success
    assert_tty_facts
    [ "$(cat "$BUNDLE/rootfs/etc/motd")" = "container's own" ]
}

@test "a neighbour in the container's pid namespace never gets hold of the pty master" {
    local a b pid_a
    a=$(new_id a)
    b=$(new_id b)
    update_config '.process.terminal = false | .root.readonly = false'
    # Container A scans every process's descriptors for a pty master, round after round.
    set_args sh -c 'n=0; while [ ! -e /stop ]; do
        for f in /proc/[0-9]*/fd/*; do
            case $(readlink "$f" 2>/dev/null) in *ptmx*) echo "$f" >>/found ;; esac
        done
        n=$((n + 1)); echo $n >/rounds.new; mv /rounds.new /rounds; done'
    runtime run -d --bundle "$BUNDLE" "$a" >"$WORK/a.log" 2>&1 </dev/null || fail "$(cat "$WORK/a.log")"
    pid_a=$(container_pid "$a")
    local bundle_a=$BUNDLE
    another_bundle
    update_config --arg ns "/proc/$pid_a/ns/pid" '
        .linux.namespaces |= map(if .type == "pid" then .path = $ns else . end)'
    set_args sh -c 'echo started'
    start_recvtty null drain
    local i rounds_before
    for ((i = 0; i < 100; i++)); do
        [ -s "$bundle_a/rootfs/rounds" ] && break
        sleep 0.05
    done
    rounds_before=$(cat "$bundle_a/rootfs/rounds")
    for i in 1 2 3 4 5; do
        runtime run -d --bundle "$BUNDLE" --console-socket "$WORK/drain.sock" "$b-$i" \
            >"$WORK/b.log" 2>&1 </dev/null || fail "$(cat "$WORK/b.log")"
        runtime delete --force "$b-$i"
    done
    touch "$bundle_a/rootfs/stop"
    wait_for_status "$a" 10
    [ "$(cat "$bundle_a/rootfs/rounds")" -gt "$rounds_before" ]
    [ ! -e "$bundle_a/rootfs/found" ] || fail "masters seen: $(cat "$bundle_a/rootfs/found")"
}

@test "exec -t in the foreground: a pty of the container's devpts, window size, typing, exit status kept" {
    local id
    id=$(run_sleeper)
    echo "$TTY_FACTS" >"$BUNDLE/rootfs/facts.sh"
    tmux_runtime exec -t "$id" sh
    screen_has '^/ # '
    tmux_type 'sh /facts.sh; echo facts=done'
    screen_has '^facts=done'
    run tty_tmux capture-pane -p -J -S - -t tty
    assert_tty_facts exec
    assert_line "size=24 80"
    tmux_type 'while [ "$(stty size)" != "30 100" ]; do sleep 0.05; done; echo resized=$(stty size)'
    tty_tmux resize-window -t tty -x 100 -y 30
    screen_has '^resized=30 100$'
    tmux_type 'exit 5'
    run tmux_exit_status
    assert_output 5
    [ "$(runtime state "$id" | jq -r .status)" = running ]
}

@test "exec -t -d with a console socket: the process's stdio is a pty, no master inside" {
    local id
    id=$(run_sleeper)
    start_recvtty single console
    runtime exec -t -d --console-socket "$WORK/console.sock" "$id" sh -c "$TTY_FACTS" \
        >"$WORK/exec.log" 2>&1 </dev/null || fail "exec: $(cat "$WORK/exec.log")"
    wait_recvtty console
    run tr -d '\r' <"$WORK/console.out"
    assert_tty_facts exec
}

@test "exec: runc's checks of -t, --console-socket and --detach" {
    local id
    id=$(run_sleeper)
    run runtime exec -t -d "$id" true
    assert_failure
    assert_output --regexp 'cannot allocate tty if (runc|cradle) will detach without setting console socket'
    start_recvtty null drain
    run runtime exec -d --console-socket "$WORK/drain.sock" "$id" true
    assert_failure
    assert_output --regexp 'cannot use console socket if (runc|cradle) will not detach or allocate tty'
}

# Builds $WORK/tiocsti: pushes the bytes of $1 into the input of every terminal it holds
# or can open (/dev/tty, /dev/console) with TIOCSTI, and says which took them.
build_tiocsti() {
    cat >"$WORK/tiocsti.c" <<'C'
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    open("/dev/tty", O_RDWR | O_NOCTTY);
    open("/dev/console", O_RDWR | O_NOCTTY);
    for (int fd = 0; argc == 2 && fd < 1024; fd++) {
        if (!isatty(fd))
            continue;
        const char *p = argv[1];
        while (*p && ioctl(fd, TIOCSTI, p) == 0)
            p++;
        printf("fd %d: %s\n", fd, *p ? "refused" : "took it");
    }
    return 0;
}
C
    gcc -static -o "$WORK/tiocsti" "$WORK/tiocsti.c" 2>"$WORK/gcc.log" ||
        skip "no static build of the TIOCSTI helper: $(cat "$WORK/gcc.log")"
}

@test "run -t: the container cannot push input into the caller's terminal (TIOCSTI, even with CAP_SYS_ADMIN)" {
    [ "$(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null || echo 1)" = 1 ] ||
        skip "TIOCSTI is off on this host (dev.tty.legacy_tiocsti = 0)"
    build_tiocsti
    cp "$WORK/tiocsti" "$BUNDLE/rootfs/tiocsti"
    update_config '.process.capabilities |= with_entries(.value += ["CAP_SYS_ADMIN"])'
    set_args /tiocsti "touch $WORK/injected
"
    tty_tmux new-session -d -s tty -x 120 -y 40 "bash --norc --noprofile"
    tmux_type "PS1='host\$ '; $(printf '%q ' "${RUNTIME:-$CRADLE}" --root "$STATE_ROOT" run --bundle "$BUNDLE" "$(new_id)"); echo \$? > $WORK/exit"
    run tmux_exit_status
    assert_output 0
    screen_has '^fd 0: '
    # Whatever reached the caller's terminal is read by its shell before this line.
    tmux_type 'echo "marker=$((6 * 7))"'
    screen_has '^marker=42$'
    [ ! -e "$WORK/injected" ] || fail "the container typed into the caller's shell"
}

# Restoring a terminal container for real: checkpoint_flags.bats.
@test "cradle: restore of images without a terminal record fails after runc's checks, leaving nothing" {
    skip_unless_cradle "runc's images record no terminal of their own"
    local id
    id=$(new_id)
    mkdir "$WORK/images"
    run runtime_logged restore --image-path "$WORK/images" --bundle "$BUNDLE" "$id"
    assert_failure
    assert_output --partial "process.terminal: the checkpoint has no terminal to restore"
    run runtime_logged restore -d --image-path "$WORK/images" --bundle "$BUNDLE" "$id"
    assert_failure
    assert_output --partial "cannot allocate tty if cradle will detach without setting console socket"
    assert_no_trace "$id"
}
