#!/usr/bin/env bats
# The non-root checkpoint/restore case: a uid 1000 process with CAP_CHECKPOINT_RESTORE and a
# read-write bind of /proc/sys/kernel/ns_last_pid (what CRIU needs to restore pids on
# kernels without clone3 set_tid). cradle allows the mount only when the capability is in
# the bounding set (proc-policy rule ns_last_pid); runc and crun run on the same bundles
# for comparison.

load helpers

CR_CAP=CAP_CHECKPOINT_RESTORE

setup() {
    common_setup
    ID=$(new_id cr)
    update_config --arg cap "$CR_CAP" '
        .process.user = {uid: 1000, gid: 1000}
        | .process.noNewPrivileges = true
        | .process.capabilities = {bounding: [$cap], permitted: [$cap], effective: [$cap],
            inheritable: [$cap], ambient: [$cap]}
        | (.mounts | map(.destination) | index("/proc")) as $proc
        | .mounts |= .[0:$proc + 1] + [{destination: "/proc/sys/kernel/ns_last_pid",
            type: "bind", source: "/proc/sys/kernel/ns_last_pid", options: ["rbind", "rw"]}]
            + .[$proc + 1:]'
    # Set ns_last_pid, then the next child must get 5000; the rest of /proc/sys stays
    # read-only (readonlyPaths of the default spec).
    set_args sh -c 'grep ^Cap /proc/self/status
        echo 4999 > /proc/sys/kernel/ns_last_pid && sh -c "echo child=\$\$"
        { echo x > /proc/sys/kernel/hostname; } 2>/dev/null || echo hostname-read-only'
}

teardown() {
    common_teardown
    if [ -n "${REF_ROOT:-}" ]; then
        local rt id
        for rt in runc crun; do
            command -v "$rt" >/dev/null || continue
            for id in $("$rt" --root "$REF_ROOT/$rt" list -q 2>/dev/null); do
                "$rt" --root "$REF_ROOT/$rt" delete --force "$id" >/dev/null 2>&1 || true
            done
        done
        rm -rf "$REF_ROOT"
    fi
    return 0
}

drop_from_bounding() {
    update_config --arg cap "$CR_CAP" '.process.capabilities.bounding -= [$cap]'
}

# Checks the output of the container from setup.
assert_ns_last_pid_works() {
    local mask
    mask=$(printf '%016x' $((1 << 40))) # CAP_CHECKPOINT_RESTORE is capability 40
    assert_line "CapBnd:	$mask"
    assert_line "CapPrm:	$mask"
    assert_line "CapEff:	$mask"
    assert_line "CapInh:	$mask"
    assert_line "CapAmb:	$mask"
    assert_line child=5000
    assert_line hostname-read-only
}

@test "uid 1000 with $CR_CAP writes ns_last_pid; /proc/sys stays read-only" {
    run runtime run --bundle "$BUNDLE" "$ID"
    assert_success
    assert_ns_last_pid_works
    assert_no_trace "$ID"
}

@test "without $CR_CAP in bounding the ns_last_pid mount is refused" {
    drop_from_bounding
    run_create "$ID"
    assert_failure
    if is_cradle; then
        # One line, in runc's log format: time=... level=error msg="...".
        [ "${#lines[@]}" -eq 1 ] || fail "want one error line, got: $output"
        assert_output --partial "mount of /proc/sys/kernel/ns_last_pid denied: rule ns_last_pid requires CAP_CHECKPOINT_RESTORE in process.capabilities.bounding"
    fi
    # runc 1.1.5 fails too, later and for another reason: the capability is in permitted
    # but not bounding ("unable to apply caps: operation not permitted").
    assert_no_trace "$ID"
}

@test "without $CR_CAP anywhere cradle refuses the mount; runc mounts it" {
    update_config '.process.capabilities = {bounding: [], permitted: [], effective: [],
        inheritable: [], ambient: []}'
    run_create "$ID"
    if is_runc; then
        # runc's /proc allowlist has ns_last_pid without any gate: the container starts
        # and only the write fails inside ("write error: Operation not permitted").
        assert_success
        return
    fi
    assert_failure
    assert_output --partial "requires CAP_CHECKPOINT_RESTORE in process.capabilities.bounding"
    assert_no_trace "$ID"
}

@test "ambient $CR_CAP without inheritable is dropped with a warning naming it" {
    # As runc: the kernel refuses the ambient bit, so it is dropped and the uid 1000
    # process runs without effective capabilities (criu would then refuse to run); only
    # the proc-policy gates refuse a create. cradle also warns.
    skip_unless_cradle "runc drops the ambient capability silently"
    update_config --arg cap "$CR_CAP" '.process.capabilities.inheritable -= [$cap]'
    run runtime run --bundle "$BUNDLE" "$ID"
    assert_success
    assert_output --partial "can't raise ambient capability $CR_CAP"
    assert_line "CapAmb:	0000000000000000"
    refute_output --partial "child=5000"
}

# Runs reference runtime $1 on the bundle with its own state dir under $REF_ROOT.
run_reference() {
    local rt=$1
    command -v "$rt" >/dev/null || skip "$rt is not installed"
    REF_ROOT=${REF_ROOT:-$(mktemp -d "$BATS_RUN_TMPDIR/ref.XXXXXX")}
    run "$rt" --root "$REF_ROOT/$rt" run --bundle "$BUNDLE" "$ID-$rt"
}

@test "reference: runc on the same bundles" {
    # runc 1.1.5: the good bundle works exactly as cradle does (ns_last_pid is in runc's
    # /proc allowlist); without the capability in bounding it fails at capability time.
    run_reference runc
    assert_success
    assert_ns_last_pid_works
    drop_from_bounding
    run_reference runc
    assert_failure
    assert_output --partial "unable to apply caps"
}

@test "reference: crun on the same bundles" {
    # crun 1.8.1 refuses this host's hybrid cgroup layout (an empty cgroup2 at
    # /sys/fs/cgroup/unified) unless hugetlb is mounted as v1; the test never mounts
    # anything on the host, so it skips here.
    run_reference crun
    if [ "$status" -ne 0 ] && [[ $output == *"cgroups in hybrid mode not supported"* ]]; then
        skip "crun refuses this hybrid cgroup layout: $output"
    fi
    assert_success
    assert_ns_last_pid_works
    drop_from_bounding
    run_reference crun
    assert_failure
}
