#!/usr/bin/env bats
# Podman driving cradle (`--runtime`): `podman container checkpoint` and `restore` end to
# end, with Podman's own storage, state and image in a test directory (no registry: the
# image is a `podman import` of the busybox rootfs). Podman probes `checkpoint --help`,
# then calls `checkpoint --image-path I --work-path W ID` and `delete --force ID` (of a
# container the checkpoint has already removed), and `restore --bundle B --pid-file P
# --detach --image-path I --work-path W ID`; the restored process keeps writing to the
# pipes of the new conmon (runc's descriptors.json mapping), so `podman logs` goes on.
# Run with RUNTIME=/usr/sbin/runc for the reference runtime.

load helpers

setup_file() {
    command -v podman >/dev/null || skip "podman is not installed (scripts/setup.sh installs it)"
    local why
    why=$("$REPO_ROOT/scripts/get-criu.sh" 2>&1) || skip "no working criu: $why"
    "$REPO_ROOT/tests/fixtures/make-busybox-rootfs.sh" "$ROOTFS_CACHE"

    export PODMAN_DIR=$BATS_FILE_TMPDIR/podman
    mkdir -p "$PODMAN_DIR/networks" "$PODMAN_DIR/tmp"
    # See docs in ../shared notes: the default ulimits are needed on this host (no
    # CAP_SYS_RESOURCE), pids_limit 0 keeps linux.resources.pids out of the spec.
    cat >"$PODMAN_DIR/containers.conf" <<EOF
[containers]
log_driver = "k8s-file"
pids_limit = 0
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[network]
network_config_dir = "$PODMAN_DIR/networks"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$PODMAN_DIR/events.log"
tmp_dir = "$PODMAN_DIR/tmp"
runtime_supports_json = ["crun", "runc", "cradle"]
EOF
    cat >"$PODMAN_DIR/storage.conf" <<EOF
[storage]
driver = "overlay"
runroot = "$PODMAN_DIR/runroot"
graphroot = "$PODMAN_DIR/root"
EOF
    # The runtime gets a private state dir through a wrapper (the clean-up path drops
    # --runtime-flag options); its name keeps the runtime's own basename for Podman.
    mkdir -p "$PODMAN_DIR/bin"
    RUNTIME_WRAPPER=$PODMAN_DIR/bin/$(basename "${RUNTIME:-$CRADLE}")
    cat >"$RUNTIME_WRAPPER" <<EOF
#!/bin/sh
PATH=/usr/local/sbin:\$PATH exec "${RUNTIME:-$CRADLE}" --root "$PODMAN_DIR/state" "\$@"
EOF
    chmod +x "$RUNTIME_WRAPPER"
    export RUNTIME_WRAPPER
    export CONTAINERS_CONF=$PODMAN_DIR/containers.conf
    export CONTAINERS_STORAGE_CONF=$PODMAN_DIR/storage.conf
    tar -C "$ROOTFS_CACHE" -cf "$PODMAN_DIR/rootfs.tar" .
    podman import "$PODMAN_DIR/rootfs.tar" localhost/cradle-busybox >/dev/null
}

teardown_file() {
    [ -n "${PODMAN_DIR:-}" ] || return 0
    podman rm --all --force --time 0 >/dev/null 2>&1 || true
    podman system reset --force >/dev/null 2>&1 || true
    rm -rf "$PODMAN_DIR"
}

teardown() {
    podman rm --all --force --time 0 >/dev/null 2>&1 || true
}

# A container that prints a count to its log five times a second.
COUNTER='i=0; while :; do i=$((i+1)); echo "count $i"; sleep 0.2; done'

podman_run_counter() {
    podman run -d --name "$1" --network none --runtime "$RUNTIME_WRAPPER" \
        localhost/cradle-busybox sh -c "$COUNTER" >/dev/null
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

@test "podman container checkpoint and restore keep the container counting in its log" {
    podman_run_counter ctr
    wait_for_count_above ctr 3
    run podman container checkpoint ctr
    assert_success
    [ "$(podman inspect --format '{{.State.Status}}' ctr)" = exited ]
    local at_checkpoint
    at_checkpoint=$(last_count ctr)
    # The runtime forgot the container, as runc does after a checkpoint.
    run "$RUNTIME_WRAPPER" state "$(podman inspect --format '{{.Id}}' ctr)"
    assert_failure

    run podman container restore ctr
    assert_success
    [ "$(podman inspect --format '{{.State.Status}}' ctr)" = running ]
    wait_for_count_above ctr $((at_checkpoint + 3))
    # Counting went on from the checkpoint, not from 1 again.
    run podman logs ctr
    [ "$(grep -c '^count 1$' <<<"$output")" -eq 1 ] || fail "the counter started over"

    run podman stop --time 1 ctr
    assert_success
}

@test "podman checkpoint --leave-running and --export, then restore --import as a new container" {
    podman_run_counter orig
    wait_for_count_above orig 3
    local archive=$BATS_TEST_TMPDIR/orig.tar.gz
    run podman container checkpoint --leave-running --export "$archive" orig
    assert_success
    [ "$(podman inspect --format '{{.State.Status}}' orig)" = running ]
    local at_checkpoint
    at_checkpoint=$(last_count orig)

    run podman container restore --import "$archive" --name copy
    assert_success
    [ "$(podman inspect --format '{{.State.Status}}' copy)" = running ]
    wait_for_count_above copy $((at_checkpoint + 3))
    # Both run: the copy has its own pid namespace and its own runtime state.
    [ "$(podman inspect --format '{{.State.Status}}' orig)" = running ]
}

@test "podman checkpoint passes --tcp-established and --file-locks through" {
    podman_run_counter opts
    wait_for_count_above opts 3
    run podman container checkpoint --tcp-established --file-locks opts
    assert_success
    run podman container restore --tcp-established --file-locks opts
    assert_success
    wait_for_count_above opts 3
}
