# Shared by the engine tests (Podman, containerd, Docker, buildah): the runtimes they
# compare, the comparison itself, host facts (cgroup layout, overlayfs, mounts left below a
# dir) and a local busybox image archive.

load ../helpers

# The runtimes the engine tests compare: cradle, then runc and crun where installed; or the
# names in ENGINE_RUNTIMES (a test whose feature crun lacks, a run against the references).
engine_runtimes() {
    local rt
    if [ -n "${ENGINE_RUNTIMES:-}" ]; then
        printf '%s\n' $ENGINE_RUNTIMES
        return 0
    fi
    echo cradle
    for rt in runc crun; do
        command -v "$rt" >/dev/null && echo "$rt"
    done
    return 0
}

# Path of runtime NAME (cradle is the build under test).
engine_runtime_binary() {
    if [ "$1" = cradle ]; then
        echo "$CRADLE"
    else
        command -v "$1"
    fi
}

# Runs `observe RUNTIME` for every runtime of engine_runtimes and fails unless each printed
# $1, the expected observation; the failure lists what each runtime gave.
expect_on_every_runtime() {
    local want=$1 observe=$2 rt got report="" bad=0
    for rt in $(engine_runtimes); do
        got=$("$observe" "$rt" 2>&1) || true
        report+="$rt: $got"$'\n'
        [ "$got" = "$want" ] || bad=1
    done
    [ "$bad" -eq 0 ] || fail "want '$want' from every runtime, got:"$'\n'"$report"
}

# True on a pure cgroup v2 host (the guest), false on v1 or hybrid.
cgroup_v2_only() {
    [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]
}

# The host path of file $3 (v1) or $4 (v2) in the cgroup of process $1, controller $2 on v1.
host_cgroup_file() {
    local pid=$1 controller=$2 v1_file=$3 v2_file=$4 path
    if cgroup_v2_only; then
        path=$(awk -F: '$1 == "0" { print $3 }' "/proc/$pid/cgroup")
        echo "/sys/fs/cgroup$path/$v2_file"
    else
        path=$(awk -F: -v c="$controller" '$2 ~ "(^|,)" c "(,|$)" { print $3 }' "/proc/$pid/cgroup")
        echo "/sys/fs/cgroup/$controller$path/$v1_file"
    fi
}

# $1 where the kernel has overlayfs, else $2 (the user-mode-linux guest has none).
overlayfs_choice() {
    if grep -qw overlay /proc/filesystems; then
        echo "$1"
    else
        echo "$2"
    fi
}

# Lazily unmounts every mount below directory $1, deepest first: what an engine left
# there when a test failed half-way.
unmount_below() {
    local mnt
    awk -v dir="$1/" 'index($5, dir) == 1 { print $5 }' /proc/self/mountinfo | sort -r |
        while read -r mnt; do
            umount -l "$mnt" 2>/dev/null || true
        done
}

# Waits up to $2 tenths of a second (default 50) for path $1 to exist.
wait_for_path() {
    local i
    for ((i = 0; i < ${2:-50}; i++)); do
        [ -e "$1" ] && return 0
        sleep 0.1
    done
    [ -e "$1" ]
}

# Waits up to $2 tenths of a second (default 50) for process $1 to be gone or a zombie.
wait_for_pid_gone() {
    local i
    for ((i = 0; i < ${2:-50}; i++)); do
        [ -d "/proc/$1" ] && [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" != Z ] || return 0
        sleep 0.1
    done
    return 1
}

# Waits up to 10 s for the pane of the tmux server on socket path $1 to show a line
# matching extended regex $2 (wrapped lines joined).
wait_for_pane() {
    local i
    for ((i = 0; i < 200; i++)); do
        tmux -S "$1" capture-pane -p -J 2>/dev/null | grep -Eq "$2" && return 0
        sleep 0.05
    done
    return 1
}

# Drives busybox's sh that shell command $2 starts on a terminal, in a 100x30 window of a tmux
# server on socket path $1, a file in the test's directory (the caller kills the server in
# teardown: `tmux -S $1 kill-server`),
# and prints what the shell saw: its window size and tty, the size after the window grew to
# 120x40 (SIGWINCH passed on), then `exit 3` as the command's exit status. The window stays
# after the command (read) so that a failure shows what it printed.
observe_tty_session() {
    local sock=$1 cmd=$2 rc_file
    rc_file=$(mktemp -u "$BATS_TEST_TMPDIR/tty-rc.XXXXXX")
    tmux -S "$sock" new-session -d -x 100 -y 30 "$cmd; echo \$? >$rc_file.tmp; mv $rc_file.tmp $rc_file; read done" || return 1
    wait_for_pane "$sock" '^/ #' || { echo "no prompt: $(tmux -S "$sock" capture-pane -p -J | paste -sd ' ')"; return 1; }
    tmux -S "$sock" send-keys -l 'echo "size=$(stty size) tty=$(tty)"' \; send-keys Enter
    wait_for_pane "$sock" '^size=[0-9]' || return 1
    tmux -S "$sock" capture-pane -p -J | grep '^size=[0-9]'
    tmux -S "$sock" resize-window -x 120 -y 40
    # The new size reaches the pty asynchronously: the shell waits for it (5 s at most).
    tmux -S "$sock" send-keys -l 'i=0; while [ "$(stty size)" = "30 100" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done; echo "resized=$(stty size)"' \; send-keys Enter
    wait_for_pane "$sock" '^resized=[0-9]' || return 1
    tmux -S "$sock" capture-pane -p -J | grep '^resized=[0-9]'
    tmux -S "$sock" send-keys -l 'exit 3' \; send-keys Enter
    wait_for_path "$rc_file" 100 || return 1
    echo "rc=$(cat "$rc_file")"
}

# What observe_tty_session prints for a shell on a new pty of the container's devpts.
TTY_SESSION_WANT="size=30 100 tty=/dev/pts/0
resized=40 120
rc=3"

# The runtimes of engine_runtimes that can checkpoint (crun built without CRIU cannot);
# none without a working criu.
checkpoint_runtimes() {
    local rt
    "$REPO_ROOT/scripts/get-criu.sh" >/dev/null 2>&1 || return 0
    for rt in $(engine_runtimes); do
        PATH=/usr/local/sbin:$PATH "$(engine_runtime_binary "$rt")" checkpoint --help >/dev/null 2>&1 && echo "$rt"
    done
    return 0
}

# Runs `expect_on_every_runtime WANT OBSERVE` over the runtimes that can checkpoint.
expect_on_checkpoint_runtimes() {
    local runtimes
    runtimes=$(checkpoint_runtimes)
    [ -n "$runtimes" ] || skip "no working criu: $("$REPO_ROOT/scripts/get-criu.sh" 2>&1)"
    ENGINE_RUNTIMES=$runtimes expect_on_every_runtime "$@"
}

# Writes an OCI image archive of rootfs directory $1 to $2, named $3 (the
# annotation containerd reads; buildah reads the archive as it is): one
# uncompressed layer, a config with the busybox PATH, a manifest and the index.
make_oci_archive() {
    local rootfs=$1 archive=$2 name=$3 dir layer config manifest
    dir=$(mktemp -d "$BATS_FILE_TMPDIR/oci.XXXXXX")
    mkdir -p "$dir/blobs/sha256"
    tar -C "$rootfs" --sort=name --numeric-owner --owner=0 --group=0 -cf "$dir/layer" .
    layer=$(oci_blob "$dir" "$dir/layer")
    jq -cn --arg diff "${layer%% *}" '{architecture: "amd64", os: "linux",
        config: {Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], Cmd: ["sh"]},
        rootfs: {type: "layers", diff_ids: [$diff]}}' >"$dir/config"
    config=$(oci_blob "$dir" "$dir/config")
    jq -cn --arg config "$config" --arg layer "$layer" '
        def descriptor(type; d): (d | split(" ")) as $d | {mediaType: type, digest: $d[0], size: ($d[1] | tonumber)};
        {schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
         config: descriptor("application/vnd.oci.image.config.v1+json"; $config),
         layers: [descriptor("application/vnd.oci.image.layer.v1.tar"; $layer)]}' >"$dir/manifest"
    manifest=$(oci_blob "$dir" "$dir/manifest")
    jq -cn --arg manifest "$manifest" --arg name "$name" '($manifest | split(" ")) as $m |
        {schemaVersion: 2, manifests: [{mediaType: "application/vnd.oci.image.manifest.v1+json",
         digest: $m[0], size: ($m[1] | tonumber), annotations: {"io.containerd.image.name": $name}}]}' \
        >"$dir/index.json"
    echo '{"imageLayoutVersion": "1.0.0"}' >"$dir/oci-layout"
    tar -C "$dir" -cf "$archive" oci-layout index.json blobs
    rm -rf "$dir"
}

# Moves file $2 into layout $1 as a blob; prints "sha256:DIGEST SIZE".
oci_blob() {
    local digest size
    digest=$(sha256sum "$2" | cut -d' ' -f1)
    size=$(stat -c %s "$2")
    mv "$2" "$1/blobs/sha256/$digest"
    echo "sha256:$digest $size"
}
