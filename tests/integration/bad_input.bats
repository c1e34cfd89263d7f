#!/usr/bin/env bats
# Bad bundles: one clear error line naming the field or path, a non-zero exit, no traces.

load helpers

setup() {
    common_setup
    ID=$(new_id bad)
    set_args true
}

teardown() {
    common_teardown
    [ -n "${OUTSIDE:-}" ] && rm -rf "$OUTSIDE"
    return 0
}

# Runs `create` and checks: non-zero exit, exactly one line of output, which matches the
# cradle pattern $1 (or, on runc, its own wording $2: messages are not part of the
# contract), and nothing left behind.
assert_create_fails_naming() {
    run_create "$ID"
    assert_failure
    [ "${#lines[@]}" -eq 1 ] || fail "want one error line, got: $output"
    if is_runc; then
        assert_output --regexp "${2:-$1}"
    elif is_cradle; then
        assert_output --regexp "$1"
    fi
    assert_no_trace "$ID"
}

@test "missing config.json" {
    rm "$BUNDLE/config.json"
    assert_create_fails_naming "config\.json"
}

@test "invalid JSON" {
    echo '{"ociVersion": "1.0.2", "process": {' >"$BUNDLE/config.json"
    # runc: "unexpected EOF" without the file name.
    assert_create_fails_naming "config\.json" "unexpected EOF"
}

@test "wrong type: process.user.uid as a string" {
    update_config '.process.user.uid = "0"'
    assert_create_fails_naming "process\.user\.uid"
}

@test "unknown namespace type" {
    update_config '.linux.namespaces += [{type: "bogus"}]'
    # runc: 'namespace {"bogus" ""} does not exist'.
    assert_create_fails_naming 'linux\.namespaces.*bogus' 'namespace .*bogus.* does not exist'
}

@test "relative rootfs that does not exist" {
    update_config '.root.path = "no-such-rootfs"'
    assert_create_fails_naming "no-such-rootfs"
}

@test "unknown capability" {
    # runc 1.1.5 only warns ("ignoring unknown or unavailable capabilities") and creates
    # the container; crun fails. cradle refuses a config it cannot honour.
    skip_unless_cradle "runc ignores unknown capabilities with a warning"
    update_config '.process.capabilities.bounding += ["CAP_BOGUS"]'
    assert_create_fails_naming "CAP_BOGUS"
}

@test "unknown mount option" {
    update_config '.mounts += [{destination: "/scratch", type: "tmpfs", source: "tmpfs",
        options: ["nosuid", "bogus"]}]'
    # runc passes unknown options to mount(2) as data: "data: bogus: invalid argument".
    assert_create_fails_naming "bogus"
}

@test "ambient capability not in inheritable is dropped with a warning, not refused" {
    # Not bad input (issue 6): runc 1.1.5 silently drops an ambient capability the kernel
    # refuses (it must be in permitted and inheritable) and runs; cradle runs too, and
    # warns naming it.
    update_config '.process.user = {uid: 1000, gid: 1000}
        | .process.capabilities.ambient = ["CAP_NET_RAW"]
        | .process.capabilities.inheritable = []'
    run_create "$ID"
    assert_success
    if is_cradle; then
        assert_output --partial "can't raise ambient capability CAP_NET_RAW"
    fi
}

# A mount destination that is a symlink in the rootfs pointing outside must be resolved
# inside the rootfs (as if / were the rootfs), so the mount lands at rootfs/tmp/outside-*.
symlink_escape_case() {
    local link=$1
    update_config --arg src "$SOURCE" '.mounts += [{destination: "/evil", type: "bind",
        source: $src, options: ["rbind", "ro"]}]'
    set_args sh -c "cat $OUTSIDE/marker; grep -c ' $OUTSIDE ' /proc/self/mountinfo"
    ln -s "$link" "$BUNDLE/rootfs/evil"
    run runtime run --bundle "$BUNDLE" "$ID"
    assert_success
    assert_line --index 0 marker-from-source
    assert_line --index 1 1
    # The mount point was made inside the rootfs, at the link's target.
    [ -d "$BUNDLE/rootfs$OUTSIDE" ] || fail "no mount point at rootfs$OUTSIDE"
    # The host directory the link names was never mounted on and stays empty.
    [ -z "$(ls -A "$OUTSIDE")" ] || fail "$OUTSIDE was written: $(ls -A "$OUTSIDE")"
    run grep -e " $OUTSIDE " /proc/self/mountinfo
    assert_failure
    assert_no_trace "$ID"
}

setup_escape() {
    OUTSIDE=/tmp/outside-$ID
    mkdir "$OUTSIDE"
    SOURCE=$BUNDLE/source
    mkdir "$SOURCE"
    echo marker-from-source >"$SOURCE/marker"
}

@test "mount through an absolute symlink stays inside the rootfs" {
    setup_escape
    symlink_escape_case "$OUTSIDE"
}

@test "mount through a relative symlink stays inside the rootfs" {
    setup_escape
    symlink_escape_case "../../../../..$OUTSIDE"
}
