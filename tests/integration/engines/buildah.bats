#!/usr/bin/env bats
# buildah 1.28 with its defaults driving cradle, runc and crun (`--runtime`): `buildah from`
# a local OCI archive of the busybox rootfs, `run` with and without a terminal, `run -v
# SRC:DST` (buildah writes an empty mount option for it), and `bud` with RUN, RUN
# --mount=type=tmpfs and --mount=type=bind. Storage is the test's own (storage.conf in a
# test directory); each runtime runs through a wrapper that gives it a private --root, so
# that what it leaves behind can be checked. Each test runs the same steps with every
# runtime and expects the same observation from each.

load engine_helpers

setup_file() {
    command -v buildah >/dev/null || skip "buildah is not installed (scripts/setup.sh installs it)"
    "$REPO_ROOT/tests/fixtures/make-busybox-rootfs.sh" "$ROOTFS_CACHE"
    export BUILDAH_DIR=$BATS_FILE_TMPDIR/buildah
    mkdir -p "$BUILDAH_DIR/bin" "$BUILDAH_DIR/context"
    cat >"$BUILDAH_DIR/storage.conf" <<EOF
[storage]
driver = "$(overlayfs_choice overlay vfs)"
runroot = "$BUILDAH_DIR/runroot"
graphroot = "$BUILDAH_DIR/root"
EOF
    export CONTAINERS_STORAGE_CONF=$BUILDAH_DIR/storage.conf
    local rt
    for rt in $(engine_runtimes); do
        buildah_make_wrapper "$rt"
    done
    make_oci_archive "$ROOTFS_CACHE" "$BUILDAH_DIR/busybox-oci.tar" localhost/cradle-busybox:latest
}

teardown_file() {
    [ -n "${BUILDAH_DIR:-}" ] || return 0
    buildah rm --all >/dev/null 2>&1 || true
    buildah rmi --all --force >/dev/null 2>&1 || true
    unmount_below "$BUILDAH_DIR"
    rm -rf "$BUILDAH_DIR"
}

teardown() {
    [ -n "${BUILDAH_DIR:-}" ] || return 0
    local sock
    for sock in "$BUILDAH_DIR"/tmux-*.sock; do
        [ -S "$sock" ] && tmux -S "$sock" kill-server 2>/dev/null
    done
    buildah rm --all >/dev/null 2>&1 || true
    return 0
}

# Writes $BUILDAH_DIR/bin/NAME for runtime NAME: the runtime with its own state directory.
buildah_make_wrapper() {
    cat >"$BUILDAH_DIR/bin/$1" <<EOF
#!/bin/sh
PATH=/usr/local/sbin:\$PATH exec "$(engine_runtime_binary "$1")" --root "$BUILDAH_DIR/state-$1" "\$@"
EOF
    chmod +x "$BUILDAH_DIR/bin/$1"
}

# A working container of the busybox archive, for runtime $1; prints its name.
buildah_from() {
    buildah from --quiet --name "ctr-$1-$BATS_TEST_NUMBER" "oci-archive:$BUILDAH_DIR/busybox-oci.tar"
}

# buildah run with runtime $1 in container $2: buildah's options, then -- and the command.
buildah_run() {
    local rt=$1 ctr=$2 options=()
    shift 2
    while [ "$1" != -- ]; do
        options+=("$1")
        shift
    done
    buildah run --runtime "$BUILDAH_DIR/bin/$rt" "${options[@]}" "$ctr" "$@"
}

# What runtime $1 left behind after buildah's run ended: containers in its state directory,
# mounts below it, processes whose command line names it (and whether it ran at all).
runtime_leftovers() {
    local state=$BUILDAH_DIR/state-$1
    [ -d "$state" ] || echo "runtime $1 never ran: no $state"
    ls -A "$state" 2>/dev/null | sed 's/^/state: /'
    awk -v dir="$state/" 'index($5, dir) == 1 { print "mount: " $5 }' /proc/self/mountinfo
    pgrep -af -- "--root $state " | sed 's/^/process: /'
    return 0
}

observe_run() {
    local ctr
    ctr=$(buildah_from "$1") || return 1
    buildah_run "$1" "$ctr" -- sh -c 'echo "hello $(id -u) $(hostname | wc -c)"'
    buildah_run "$1" "$ctr" -- sh -c 'exit 3' 2>/dev/null
    echo "rc=$?"
    buildah_run "$1" "$ctr" -- /no/such/command >/dev/null 2>&1
    echo "missing rc=$?"
    runtime_leftovers "$1"
}

@test "buildah from a local OCI archive, then run: output, exit status, nothing left behind" {
    expect_on_every_runtime "hello 0 13
rc=3
missing rc=1" observe_run
}

# buildah -t gives the process a pty of the container's devpts through --console-socket; it
# does not pass window size changes on, with any runtime.
observe_terminal() {
    local ctr sock=$BUILDAH_DIR/tmux-$1.sock rc_file=$BUILDAH_DIR/tty-rc-$1
    ctr=$(buildah_from "$1") || return 1
    rm -f "$rc_file"
    tmux -S "$sock" new-session -d -x 100 -y 30 \
        "buildah run --runtime $BUILDAH_DIR/bin/$1 -t $ctr -- sh; echo \$? >$rc_file.tmp; mv $rc_file.tmp $rc_file; read done" ||
        return 1
    wait_for_pane "$sock" '^/ #' || { echo "no prompt: $(tmux -S "$sock" capture-pane -p -J | paste -sd ' ')"; return 1; }
    tmux -S "$sock" send-keys -l 'echo "size=$(stty size) tty=$(tty)"' \; send-keys Enter
    wait_for_pane "$sock" '^size=[0-9]' || return 1
    tmux -S "$sock" capture-pane -p -J | grep '^size=[0-9]'
    tmux -S "$sock" send-keys -l 'exit 3' \; send-keys Enter
    wait_for_path "$rc_file" 100 || return 1
    echo "rc=$(cat "$rc_file")"
    runtime_leftovers "$1"
}

@test "buildah run -t: a shell on a pty of the window's size, its exit status" {
    expect_on_every_runtime "size=30 100 tty=/dev/pts/0
rc=3" observe_terminal
}

# buildah's -v SRC:DST without options sends "options": ["", "rw", "private", "rbind"]
# (an empty option, which runtimes ignore).
observe_volume() {
    local ctr vol=$BUILDAH_DIR/vol-$1
    mkdir -p "$vol/sub"
    echo from-host >"$vol/in"
    ctr=$(buildah_from "$1") || return 1
    buildah_run "$1" "$ctr" -v "$vol:/data" -- sh -c \
        'cat /data/in; echo from-container >/data/out; grep " /data " /proc/self/mountinfo | cut -d" " -f6 | cut -d, -f1'
    cat "$vol/out"
    runtime_leftovers "$1"
}

@test "buildah run -v SRC:DST without options: read and written through, read-write" {
    expect_on_every_runtime "from-host
rw
from-container" observe_volume
}

# A Containerfile whose RUN steps record what they saw, read back from the image built.
observe_bud() {
    local ctx=$BUILDAH_DIR/context-$1 ctr
    mkdir -p "$ctx"
    echo from-context >"$ctx/hello.txt"
    cat >"$ctx/Containerfile" <<EOF
FROM oci-archive:$BUILDAH_DIR/busybox-oci.tar
RUN echo "built by \$(id -u)" >/built
RUN --mount=type=tmpfs,target=/scratch sh -c 'grep " /scratch " /proc/self/mountinfo | cut -d" " -f9 >/scratch-fs; echo kept >/scratch/file'
RUN --mount=type=bind,source=hello.txt,target=/mnt/hello.txt cp /mnt/hello.txt /from-bind
EOF
    buildah bud --quiet --runtime "$BUILDAH_DIR/bin/$1" --tag "localhost/bud-$1" \
        --file "$ctx/Containerfile" "$ctx" >/dev/null || return 1
    ctr=$(buildah from --quiet --name "bud-$1-$BATS_TEST_NUMBER" "localhost/bud-$1") || return 1
    buildah_run "$1" "$ctr" -- sh -c \
        'cat /built /scratch-fs /from-bind; ls /scratch 2>/dev/null | wc -l; [ -e /mnt/hello.txt ] || echo no-bind-left'
    runtime_leftovers "$1"
}

@test "buildah bud: RUN, RUN --mount=type=tmpfs and --mount=type=bind" {
    expect_on_every_runtime "built by 0
tmpfs
from-context
0
no-bind-left" observe_bud
}

@test "containers.conf naming cradle as the runtime: buildah run without --runtime uses it" {
    cat >"$BUILDAH_DIR/containers.conf" <<EOF2
[engine]
runtime = "cradle"
[engine.runtimes]
cradle = ["$BUILDAH_DIR/bin/cradle"]
EOF2
    local ctr
    ctr=$(buildah_from cradle)
    rm -rf "$BUILDAH_DIR/state-cradle"
    run env CONTAINERS_CONF="$BUILDAH_DIR/containers.conf" buildah run "$ctr" -- echo hello
    assert_success
    assert_output hello
    # The wrapper's state directory exists only if the wrapper (cradle) created a container.
    [ -d "$BUILDAH_DIR/state-cradle" ]
    run runtime_leftovers cradle
    assert_output ""
}
