#!/usr/bin/env bats
# Policy files (docs/proc-policy.5.md): a site policy that turns ns_last_pid off, a rule
# gated on an annotation, a broken file that makes cradle fail closed, bind sources judged
# on the opened file, `cradle features` and `cradle policy explain`. cradle only: runc and
# crun have no policy. System files come from $CRADLE_PROC_POLICY_DIR, never /etc: only a
# build configured with -DCRADLE_TESTING=ON honours it (scripts/test.sh builds so).

load helpers

setup() {
    skip_unless_cradle "proc-policy files"
    common_setup
    ID=$(new_id pp)
    use_policy_dir
    # Root in the container, CAP_CHECKPOINT_RESTORE added to every set, and a read-write
    # bind of ns_last_pid right after the fresh /proc.
    update_config '
        .process.capabilities |= with_entries(.value += ["CAP_CHECKPOINT_RESTORE"])
        | (.mounts | map(.destination) | index("/proc")) as $proc
        | .mounts |= .[0:$proc + 1] + [{destination: "/proc/sys/kernel/ns_last_pid",
            type: "bind", source: "/proc/sys/kernel/ns_last_pid", options: ["rbind", "rw"]}]
            + .[$proc + 1:]'
    set_args sh -c 'echo 4999 > /proc/sys/kernel/ns_last_pid && sh -c "echo child=\$\$"; true'
}

teardown() {
    common_teardown
    [ -n "${POLICY_DIR:-}" ] && rm -rf "$POLICY_DIR"
    return 0
}

# Runs `cradle create` for $ID and checks that it failed, in one line, leaving nothing.
assert_create_refused() {
    run runtime create --bundle "$BUNDLE" "$ID"
    assert_failure
    [ "${#lines[@]}" -eq 1 ] || fail "want one error line, got: $output"
    assert_no_trace "$ID"
}

@test "built-in policy: ns_last_pid with CAP_CHECKPOINT_RESTORE in bounding runs" {
    run runtime run --bundle "$BUNDLE" "$ID"
    assert_success
    assert_line child=5000
}

@test "a site file with 'remove ns_last_pid' refuses the checkpoint/restore bundle" {
    printf '# this site does no checkpoint/restore\nremove ns_last_pid\n' \
        >"$POLICY_DIR/proc-policy.d/50-no-criu.conf"
    assert_create_refused
    assert_output --partial "mount of /proc/sys/kernel/ns_last_pid denied: no proc-policy rule allows /proc/sys/kernel/ns_last_pid"
}

@test "an annotation-gated ns_last_pid is allowed only with the annotation" {
    cat >"$POLICY_DIR/proc-policy.conf" <<'POLICY'
# ns_last_pid only for containers that ask for checkpoint/restore
rule ns_last_pid
  destination /proc/sys/kernel/ns_last_pid
  kinds bind-procfs
  access ro rw
  require cap:CAP_CHECKPOINT_RESTORE
  require annotation:io.cradle.checkpoint=true
POLICY
    assert_create_refused
    assert_output --partial "rule ns_last_pid requires annotation io.cradle.checkpoint=true"

    update_config '.annotations["io.cradle.checkpoint"] = "true"'
    run runtime run --bundle "$BUNDLE" "$ID"
    assert_success
    assert_line child=5000
}

@test "a later file overrides an earlier one; --proc-policy replaces the system files" {
    printf 'remove ns_last_pid\n' >"$POLICY_DIR/proc-policy.d/10-off.conf"
    printf 'rule ns_last_pid\n destination /proc/sys/kernel/ns_last_pid\n kinds bind-procfs\n access rw\n' \
        >"$POLICY_DIR/proc-policy.d/20-on.conf"
    run runtime run --bundle "$BUNDLE" "$ID"
    assert_success
    assert_line child=5000

    printf 'remove ns_last_pid\n' >"$POLICY_DIR/own.conf"
    ID=$(new_id pp)
    run runtime --proc-policy "$POLICY_DIR/own.conf" create --bundle "$BUNDLE" "$ID"
    assert_failure
    assert_output --partial "no proc-policy rule allows /proc/sys/kernel/ns_last_pid"
    assert_no_trace "$ID"
}

@test "a broken policy file fails create closed, naming file:line" {
    printf 'rule x\n  destination /proc/x\n  kinds proc\n  require capp:CAP_X\n' \
        >"$POLICY_DIR/proc-policy.d/10-site.conf"
    set_args true
    update_config '.mounts |= map(select(.destination != "/proc/sys/kernel/ns_last_pid"))'
    assert_create_refused
    assert_output --partial "proc-policy: $POLICY_DIR/proc-policy.d/10-site.conf:4: unknown gate \\\"capp:CAP_X\\\""
}

@test "a bind source that names /proc but is a symlink to a tmpfs file is judged as other" {
    local fake=/dev/shm/cradle-fake-ns-last-pid.$$
    echo 1 >"$fake"
    mkdir -p "$BUNDLE/proc/sys/kernel"
    ln -s "$fake" "$BUNDLE/proc/sys/kernel/ns_last_pid"
    update_config '(.mounts[] | select(.destination == "/proc/sys/kernel/ns_last_pid")
        | .source) = "proc/sys/kernel/ns_last_pid"'
    run runtime create --bundle "$BUNDLE" "$ID"
    rm -f "$fake"
    assert_failure
    assert_output --partial "mount of /proc/sys/kernel/ns_last_pid denied: mounts of kind other are never allowed under /proc"
    assert_no_trace "$ID"
}

@test "cradle features prints the OCI features and the effective rules" {
    printf 'deny sysrq\n destination /proc/sysrq-trigger\n' >"$POLICY_DIR/proc-policy.conf"
    run runtime features
    assert_success
    echo "$output" | jq -e '.ociVersionMax == "1.2.0" and (.hooks | length == 6) and .linux.namespaces
        and (.linux.capabilities | index("CAP_CHECKPOINT_RESTORE"))' >/dev/null
    run jq -r '.annotations["org.cradle.proc-policy"]' <<<"$output"
    assert_success
    local rules=$output
    jq -e '.[] | select(.name == "ns_last_pid" and .origin == "built-in"
        and .gates == ["cap:CAP_CHECKPOINT_RESTORE"] and .kinds == ["bind-procfs"])' \
        <<<"$rules" >/dev/null
    jq -e --arg origin "$POLICY_DIR/proc-policy.conf:1" '.[] | select(.name == "sysrq"
        and .deny and .origin == $origin and .destination == "/proc/sysrq-trigger")' \
        <<<"$rules" >/dev/null
}

@test "policy explain: one line per /proc mount, exit 0 when all are allowed" {
    run runtime policy explain --bundle "$BUNDLE"
    assert_success
    assert_line --regexp '^mounts\[0\] /proc \(proc\): allowed by rule proc \(built-in\): '
    assert_line --regexp '^mounts\[1\] /proc/sys/kernel/ns_last_pid \(bind-procfs /proc/sys/kernel/ns_last_pid\): allowed by rule ns_last_pid \(built-in\): '
    [ "${#lines[@]}" -eq 2 ] || fail "want two lines, got: $output"
}

@test "policy explain: denied mounts, symlinks in the rootfs, exit 1, nothing created" {
    update_config '.process.capabilities.bounding -= ["CAP_CHECKPOINT_RESTORE"]
        | .mounts += [{destination: "/knob", type: "tmpfs", source: "tmpfs"}]'
    ln -s /proc/sys/kernel "$BUNDLE/rootfs/knob"
    local before
    before=$(cd "$BUNDLE" && find . | sort)
    run runtime policy explain --bundle "$BUNDLE"
    assert_failure 1
    assert_line "mounts[1] /proc/sys/kernel/ns_last_pid (bind-procfs /proc/sys/kernel/ns_last_pid): denied by rule ns_last_pid (built-in): mount of /proc/sys/kernel/ns_last_pid denied: rule ns_last_pid requires CAP_CHECKPOINT_RESTORE in process.capabilities.bounding"
    assert_line --partial "/proc/sys/kernel (tmpfs): denied: mount of /proc/sys/kernel denied: no proc-policy rule allows /proc/sys/kernel (destination /knob resolves to /proc/sys/kernel in the rootfs)"
    [ "$(cd "$BUNDLE" && find . | sort)" = "$before" ] || fail "explain changed the bundle"
    [ -z "$(ls -A "$STATE_ROOT")" ] || fail "explain wrote state"
}
