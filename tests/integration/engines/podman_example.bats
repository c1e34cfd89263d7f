#!/usr/bin/env bats
# examples/podman.md runs verbatim: Podman starts the non-root CRIU container of
# examples/criu-nonroot with the runtime under test installed (for the block) as
# /usr/local/sbin/cradle, and criu finds what it needs inside. Podman's storage and state
# are the test's (podman_helpers.bash); the block runs in the docs' sandbox
# (docs_helpers.bash). RUNTIME=/usr/sbin/runc runs the same block with runc behind the name.

load podman_helpers
load ../docs_helpers

setup_file() {
    podman_setup_file
    command -v criu >/dev/null || skip "no criu (scripts/get-criu.sh)"
}

teardown_file() {
    podman_teardown_file
}

teardown() {
    doc_sandbox_teardown
}

@test "examples/podman.md runs verbatim: uid 1000 with CAP_CHECKPOINT_RESTORE in every set, criu check passes" {
    [ -e /usr/local/sbin/cradle ] || skip "the block binds the runtime over /usr/local/sbin/cradle, which is missing"
    run_doc_block "$(doc_block_run_by examples/podman.md tests/integration/engines/podman_example.bats)"
    assert_success
    # CAP_CHECKPOINT_RESTORE is capability 40.
    local cap
    for cap in CapInh CapPrm CapEff CapBnd CapAmb; do
        assert_line --regexp "^$cap:\s+0000010000000000\$"
    done
    assert_line --partial "Looks good"
}
