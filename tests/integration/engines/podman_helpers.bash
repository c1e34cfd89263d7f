# Podman driving an OCI runtime, with its storage, state and image in a test directory.
# containers.conf is Podman's stock one plus only what this host needs (default_ulimits,
# see below) and the test-directory paths: in particular Podman writes its default
# `"pids": {"limit": 2048}` into every container's config.
#
# Each runtime gets a wrapper $PODMAN_DIR/bin/NAME that passes a private --root: Podman's
# clean-up path (conmon's exit command) drops --runtime-flag options. The wrapper keeps the
# runtime's basename, which Podman matches against runtime_supports_json.

load engine_helpers

podman_setup_file() {
    command -v podman >/dev/null || skip "podman is not installed (scripts/setup.sh installs it)"
    "$REPO_ROOT/tests/fixtures/make-busybox-rootfs.sh" "$ROOTFS_CACHE"

    export PODMAN_DIR=$BATS_FILE_TMPDIR/podman
    mkdir -p "$PODMAN_DIR/networks" "$PODMAN_DIR/tmp" "$PODMAN_DIR/bin"
    # Without default_ulimits every `podman run` fails here, with any runtime: the host's
    # hard nofile is 20000 and Podman lowers its own nproc to 32768, while the default asks
    # for more and the host lacks CAP_SYS_RESOURCE.
    cat >"$PODMAN_DIR/containers.conf" <<EOF
[containers]
log_driver = "k8s-file"
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[network]
network_config_dir = "$PODMAN_DIR/networks"
[engine]
cgroup_manager = "$(podman_cgroup_manager)"
events_logger = "file"
events_logfile_path = "$PODMAN_DIR/events.log"
tmp_dir = "$PODMAN_DIR/tmp"
runtime_supports_json = ["crun", "runc", "cradle"]
EOF
    cat >"$PODMAN_DIR/storage.conf" <<EOF
[storage]
driver = "$(overlayfs_choice overlay vfs)"
runroot = "$PODMAN_DIR/runroot"
graphroot = "$PODMAN_DIR/root"
EOF
    local rt
    for rt in $(engine_runtimes); do
        podman_make_wrapper "$(engine_runtime_binary "$rt")"
    done
    # Panes stay after their command ends, so that a failure's text can still be read.
    echo "set-option -g remain-on-exit on" >"$PODMAN_DIR/tmux.conf"
    export CONTAINERS_CONF=$PODMAN_DIR/containers.conf
    export CONTAINERS_STORAGE_CONF=$PODMAN_DIR/storage.conf
    tar -C "$ROOTFS_CACHE" -cf "$PODMAN_DIR/rootfs.tar" .
    podman import "$PODMAN_DIR/rootfs.tar" localhost/cradle-busybox >/dev/null
}

# Podman's default: the systemd manager (the runtime gets --systemd-cgroup) on a host booted
# with systemd, where the guest of tests/vm/run-in-cgroup2.sh --systemd runs the tests.
podman_cgroup_manager() {
    if [ -d /run/systemd/system ]; then
        echo systemd
    else
        echo cgroupfs
    fi
}

# Writes $PODMAN_DIR/bin/NAME, NAME the basename of runtime binary $1, which runs it with
# its own state dir.
podman_make_wrapper() {
    local name
    name=$(basename "$1")
    cat >"$PODMAN_DIR/bin/$name" <<EOF
#!/bin/sh
PATH=/usr/local/sbin:\$PATH exec "$1" --root "$PODMAN_DIR/state-$name" "\$@"
EOF
    chmod +x "$PODMAN_DIR/bin/$name"
}

# Removes every container, Podman's storage (its overlay mounts with it) and the directory;
# a mount a failed test left below the directory is unmounted first.
podman_teardown_file() {
    [ -n "${PODMAN_DIR:-}" ] || return 0
    podman_teardown
    podman rm --all --force --time 0 >/dev/null 2>&1 || true
    podman system reset --force >/dev/null 2>&1 || true
    unmount_below "$PODMAN_DIR"
    rm -rf "$PODMAN_DIR"
}

# After each test: the tmux server (and the podman clients in its sessions), then every
# container and volume.
podman_teardown() {
    podman_tmux kill-server 2>/dev/null || true
    podman rm --all --force --time 0 >/dev/null 2>&1 || true
    podman volume rm --all --force >/dev/null 2>&1 || true
}

# `podman run` with runtime NAME ($1) and no network; the rest are podman run's arguments.
podman_run() {
    local rt=$1
    shift
    podman run --network none --runtime "$PODMAN_DIR/bin/$rt" "$@"
}

# A container that prints a count to its log five times a second.
COUNTER='i=0; while :; do i=$((i+1)); echo "count $i"; sleep 0.2; done'

# Starts container $2 running COUNTER with runtime $1; further podman run options follow.
podman_run_counter() {
    local rt=$1 name=$2
    shift 2
    podman_run "$rt" -d --name "$name" "$@" localhost/cradle-busybox sh -c "$COUNTER" >/dev/null
}

# The last count in the container's log.
last_count() {
    podman logs "$1" 2>/dev/null | awk '/^count/ { n = $2 } END { print n + 0 }'
}

wait_for_count_above() {
    local name=$1 above=$2 i
    for ((i = 0; i < 100; i++)); do
        [ "$(last_count "$name")" -gt "$above" ] && return 0
        sleep 0.05
    done
    fail "the log of $name did not count past $above (last: $(last_count "$name"))"
}

# Terminals: podman runs in a detached 100x30 tmux session on the tests' own server, is
# typed into with send-keys and read back with capture-pane.

# tmux on the tests' own server, whose socket and configuration are in the test directory.
podman_tmux() {
    tmux -S "$PODMAN_DIR/tmux.sock" -f "$PODMAN_DIR/tmux.conf" "$@"
}

# Runs `podman ARGS...` ($2...) in new tmux session $1; its exit status goes to
# $PODMAN_DIR/$1.rc when it ends.
tmux_podman() {
    local session=$1 cmd
    shift
    cmd="podman $(printf '%q ' "$@"); echo \$? >$PODMAN_DIR/$session.rc.new"
    cmd+="; mv $PODMAN_DIR/$session.rc.new $PODMAN_DIR/$session.rc"
    podman_tmux new-session -d -s "$session" -x 100 -y 30 \
        env CONTAINERS_CONF="$CONTAINERS_CONF" CONTAINERS_STORAGE_CONF="$CONTAINERS_STORAGE_CONF" \
        bash -c "$cmd"
}

# Types line $2 into session $1 (literally: no word is read as a key name), then Enter.
tmux_type() {
    podman_tmux send-keys -t "$1" -l "$2" &&
        podman_tmux send-keys -t "$1" Enter
}

# Waits up to 10 s for a line of session $1's screen (and history) to match extended regex
# $2, and prints the first such line; fails, with the screen on stderr, if none appears
# before the timeout or the end of the pane's command.
tmux_wait_for() {
    local session=$1 regex=$2 screen dead i
    for ((i = 0; i < 200; i++)); do
        dead=$(podman_tmux display-message -p -t "$session" '#{pane_dead}')
        screen=$(podman_tmux capture-pane -p -J -S - -t "$session")
        grep -m1 -E "$regex" <<<"$screen" && return 0
        [ "$dead" = 1 ] && break
        sleep 0.05
    done
    printf '%s\n' "no line matching '$regex' in session $session; its screen:" >&2
    grep -v '^$' <<<"$screen" >&2
    return 1
}

# The "HEIGHT WIDTH" of session $1's pane.
tmux_pane_size() {
    podman_tmux display-message -p -t "$1" '#{pane_height} #{pane_width}'
}

# Waits up to 10 s for the podman of session $1 to end and prints its exit status.
tmux_podman_status() {
    wait_for_path "$PODMAN_DIR/$1.rc" 100 && cat "$PODMAN_DIR/$1.rc"
}
