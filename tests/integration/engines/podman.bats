#!/usr/bin/env bats
# Podman driving cradle (`--runtime`): `podman container checkpoint` and `restore` end to
# end, with Podman's own storage, state and image in a test directory (no registry: the
# image is a `podman import` of the busybox rootfs). Podman probes `checkpoint --help`,
# then calls `checkpoint --image-path I --work-path W ID` and `delete --force ID` (of a
# container the checkpoint has already removed), and `restore --bundle B --pid-file P
# --detach --image-path I --work-path W ID`; the restored process keeps writing to the
# pipes of the new conmon (runc's descriptors.json mapping), so `podman logs` goes on.
# Run with RUNTIME=/usr/sbin/runc for the reference runtime.

load podman_helpers

setup_file() {
    local why
    command -v podman >/dev/null || skip "podman is not installed (scripts/setup.sh installs it)"
    why=$("$REPO_ROOT/scripts/get-criu.sh" 2>&1) || skip "no working criu: $why"
    podman_setup_file
    podman_make_wrapper "${RUNTIME:-$CRADLE}"
    RUNTIME_NAME=$(basename "${RUNTIME:-$CRADLE}")
    export RUNTIME_NAME RUNTIME_WRAPPER=$PODMAN_DIR/bin/$RUNTIME_NAME
}

teardown_file() {
    podman_teardown_file
}

teardown() {
    podman rm --all --force --time 0 >/dev/null 2>&1 || true
}

@test "podman container checkpoint and restore keep the container counting in its log" {
    podman_run_counter "$RUNTIME_NAME" ctr
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
    podman_run_counter "$RUNTIME_NAME" orig
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
    podman_run_counter "$RUNTIME_NAME" opts
    wait_for_count_above opts 3
    run podman container checkpoint --tcp-established --file-locks opts
    assert_success
    run podman container restore --tcp-established --file-locks opts
    assert_success
    wait_for_count_above opts 3
}
