#!/usr/bin/env bats
# README.md's Podman command and examples/podman.md run verbatim, in the docs' sandbox
# (docs_helpers.bash) with the runtime under test bound over /usr/local/sbin/cradle and
# the test's own Podman storage and state (podman_helpers.bash). The example: Podman starts
# the non-root CRIU container of examples/criu-nonroot, and criu finds what it needs
# inside. RUNTIME=/usr/sbin/runc runs the same blocks with runc behind the name.

load podman_helpers
load ../docs_helpers

setup_file() {
    podman_setup_file
    # README.md's image; there is no registry here.
    podman tag localhost/cradle-busybox localhost/busybox
}

teardown_file() {
    podman_teardown_file
}

teardown() {
    doc_sandbox_teardown
}

# Skips when /usr/local/sbin/cradle, the path the blocks give Podman, is missing: the
# sandbox binds the runtime under test over it.
skip_unless_installed() {
    [ -e /usr/local/sbin/cradle ] || skip "no /usr/local/sbin/cradle to bind the runtime over"
}

@test "README.md's podman command runs verbatim" {
    skip_unless_installed
    run_doc_block "$(doc_block_run_by README.md tests/integration/engines/podman_example.bats)"
    assert_success
    assert_output hello
}

@test "examples/podman.md runs verbatim: uid 1000 with CAP_CHECKPOINT_RESTORE in every set, criu check passes" {
    skip_unless_installed
    command -v criu >/dev/null || skip "no criu (scripts/get-criu.sh)"
    run_doc_block "$(doc_block_run_by examples/podman.md tests/integration/engines/podman_example.bats)"
    assert_success
    # CAP_CHECKPOINT_RESTORE is capability 40.
    local cap
    for cap in CapInh CapPrm CapEff CapBnd CapAmb; do
        assert_line --regexp "^$cap:\s+0000010000000000\$"
    done
    assert_line --partial "Looks good"
}
