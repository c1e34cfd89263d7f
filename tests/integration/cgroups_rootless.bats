#!/usr/bin/env bats
# Rootless containers in a cgroup v2 subtree delegated to the user (issue 9: "no cgroups
# unless a v2 cgroup is delegated to the user (then used)"). As root, each test makes the
# delegation as systemd does for a user's session: /sys/fs/cgroup/cradle-deleg-PID owned by
# the user (the directory, its cgroup.procs, cgroup.subtree_control and cgroup.threads), pids
# and memory enabled for its children, and a leaf runtime/ the runtime is started from (a
# process moves between cgroups only with write access to the cgroup.procs of their common
# ancestor: the delegated directory). The effects are checked from inside the container and
# on the host; the attacks check that the user gets no cgroup outside its delegation.
#
# Skips unless /sys/fs/cgroup is cgroup2 with the memory and pids controllers (this hybrid
# host has none on its cgroup2): run it in the guest, against cradle and against runc:
#   tests/vm/run-in-cgroup2.sh env CRADLE=$PWD/build/cradle bats tests/integration/cgroups_rootless.bats
#   tests/vm/run-in-cgroup2.sh env RUNTIME=/usr/sbin/runc bats tests/integration/cgroups_rootless.bats
#
# The user is a bare uid/gid without a passwd entry (setpriv): the guest's /etc is the
# host's, read-only, so useradd cannot run there; a single-id mapping (`spec --rootless`)
# needs no newuidmap and no subordinate ranges.

load helpers

bats_require_minimum_version 1.5.0

# Why this host cannot run the file (empty when it can).
missing_v2() {
    if [ "$(stat -f -c %T /sys/fs/cgroup)" != cgroup2fs ]; then
        echo "needs a pure cgroup v2 host (run it through tests/vm/run-in-cgroup2.sh)"
        return
    fi
    local c
    for c in memory pids; do
        grep -qw "$c" /sys/fs/cgroup/cgroup.controllers ||
            echo "needs the $c controller in /sys/fs/cgroup/cgroup.controllers"
    done
}

setup_file() {
    [ -z "$(missing_v2)" ] || return 0
    "$REPO_ROOT/tests/fixtures/make-busybox-rootfs.sh" "$ROOTFS_CACHE"
    export DG_DIR DG_UID DG_NAME DG_RT
    # A uid no account uses (getent), the same number as its gid.
    DG_UID=$((61000 + $$ % 1000))
    while getent passwd "$DG_UID" >/dev/null || getent group "$DG_UID" >/dev/null; do
        DG_UID=$((DG_UID + 1))
    done
    # The user must reach the directory and the runtime: not below bats' 0700 temporary
    # directory, nor the build tree.
    DG_DIR=$(mktemp -d /tmp/cradle-deleg.XXXXXX)
    chmod 755 "$DG_DIR"
    DG_NAME=$(basename "${RUNTIME:-$CRADLE}")
    mkdir -p "$DG_DIR/bin" "$DG_DIR/xdg" "$DG_DIR/home"
    install -m 755 "${RUNTIME:-$CRADLE}" "$DG_DIR/bin/$DG_NAME"
    DG_RT=$DG_DIR/bin/$DG_NAME
    chown "$DG_UID:$DG_UID" "$DG_DIR/xdg" "$DG_DIR/home"
    chmod 700 "$DG_DIR/xdg"
}

teardown_file() {
    if [ -n "${DG_DIR:-}" ]; then
        rm -rf "$DG_DIR"
    fi
}

# The delegated subtree, the controllers this test enabled in the root's subtree_control
# (restored by teardown), a bundle the user owns from the runtime's `spec --rootless`
# without a cgroup namespace (so /proc/self/cgroup inside names the host's path).
setup() {
    local why
    why=$(missing_v2)
    [ -z "$why" ] || skip "$why"
    DELEG=/sys/fs/cgroup/cradle-deleg-$$
    ENABLED=()
    local c
    for c in memory pids; do
        if ! grep -qw "$c" /sys/fs/cgroup/cgroup.subtree_control; then
            echo "+$c" >/sys/fs/cgroup/cgroup.subtree_control
            ENABLED+=("$c")
        fi
    done
    mkdir "$DELEG"
    chown "$DG_UID:$DG_UID" "$DELEG" "$DELEG/cgroup.procs" "$DELEG/cgroup.subtree_control" \
        "$DELEG/cgroup.threads"
    mkdir "$DELEG/runtime"
    chown "$DG_UID:$DG_UID" "$DELEG/runtime" "$DELEG/runtime/cgroup.procs"
    echo "+memory +pids" >"$DELEG/cgroup.subtree_control"

    BUNDLE=$(mktemp -d "$DG_DIR/bundle.XXXXXX")
    cp -a "$ROOTFS_CACHE" "$BUNDLE/rootfs"
    chown -R "$DG_UID:$DG_UID" "$BUNDLE"
    (cd "$BUNDLE" && as_user "$DG_RT" spec --rootless)
    update_config --arg path "/cradle-deleg-$$/ctr" '.process.terminal = false
        | .linux.namespaces |= map(select(.type != "cgroup"))
        | .linux.cgroupsPath = $path'
    chown "$DG_UID:$DG_UID" "$BUNDLE/config.json"
    STATE_ROOT=$DG_DIR/xdg/$DG_NAME
    OUTSIDE=()
}

teardown() {
    local id pid dir c
    for id in $(rt list -q 2>/dev/null); do
        rt delete --force "$id" >/dev/null 2>&1 || true
    done
    # What the user still runs (a test that failed half-way): killed by pid.
    for pid in $(ps -u "$DG_UID" -o pid= 2>/dev/null); do
        kill -9 "$pid" 2>/dev/null || true
    done
    for dir in "${OUTSIDE[@]}"; do
        [ -d "$dir" ] || continue
        wait_for_empty_cgroup "$dir"
        rmdir "$dir" || true
    done
    if [ -d "${DELEG:-}" ]; then
        # Children first; a cgroup frozen by a failed test thawed so that its processes die.
        for dir in $(find "$DELEG" -mindepth 1 -depth -type d); do
            echo 0 >"$dir/cgroup.freeze" 2>/dev/null || true
            wait_for_empty_cgroup "$dir"
            rmdir "$dir" || true
        done
        wait_for_empty_cgroup "$DELEG"
        rmdir "$DELEG" || true
    fi
    for c in "${ENABLED[@]}"; do
        echo "-$c" >/sys/fs/cgroup/cgroup.subtree_control || true
    done
    rm -rf "$BUNDLE"
}

wait_for_empty_cgroup() {
    local i
    for ((i = 0; i < 100; i++)); do
        [ -s "$1/cgroup.procs" ] || return 0
        sleep 0.05
    done
}

# Runs a command as the user, from the delegated leaf runtime/ (or cgroup $FROM), in a clean environment,
# with a timeout so that a hung runtime fails the test instead of the suite.
as_user() {
    (
        echo "$BASHPID" >"${FROM:-$DELEG/runtime}/cgroup.procs"
        exec timeout -k 5 120 setpriv --reuid="$DG_UID" --regid="$DG_UID" --clear-groups \
            env -i PATH="$DG_DIR/bin:/usr/bin:/bin:/usr/sbin:/sbin" HOME="$DG_DIR/home" \
            XDG_RUNTIME_DIR="$DG_DIR/xdg" "$@"
    )
}

# The runtime as the user, with its default --root ($XDG_RUNTIME_DIR/NAME).
rt() {
    as_user "$DG_RT" "$@"
}

# update_config and set_args keeping the file the user's.
dg_config() {
    update_config "$@"
    chown "$DG_UID:$DG_UID" "$BUNDLE/config.json"
}

dg_args() {
    set_args "$@"
    chown "$DG_UID:$DG_UID" "$BUNDLE/config.json"
}

# `run -d` as the user, its output through a file (the init keeps its stdio).
dg_run_detached() {
    local log=$DG_DIR/run.log rc=0
    rt run -d --bundle "$BUNDLE" "$1" >"$log" 2>&1 </dev/null || rc=$?
    cat "$log"
    return "$rc"
}

dg_wait_for_status() {
    local id=$1 want=$2 i
    for ((i = 0; i < 200; i++)); do
        [ "$(rt state "$id" 2>/dev/null | jq -r .status)" = "$want" ] && return 0
        sleep 0.05
    done
    return 1
}

@test "deleg: the container is in the cgroupsPath below the delegation, limits written" {
    dg_config '.linux.resources = {pids: {limit: 20}, memory: {limit: 67108864}}'
    dg_args sh -c 'cat /proc/self/cgroup'
    run rt run --bundle "$BUNDLE" "$(new_id)"
    assert_success
    assert_output "0::/cradle-deleg-$$/ctr"
    # delete (run's own) removed the directory.
    [ ! -e "$DELEG/ctr" ] || fail "$DELEG/ctr left"
}

@test "deleg: pids.max and memory.max on the host; a fork past the limit fails inside" {
    local id
    id=$(new_id)
    dg_config '.linux.resources = {pids: {limit: 8}, memory: {limit: 67108864}}'
    dg_args sleep 1000
    run dg_run_detached "$id"
    assert_success
    assert_equal "$(cat "$DELEG/ctr/pids.max")" 8
    assert_equal "$(cat "$DELEG/ctr/memory.max")" 67108864
    assert_equal "$(stat -c %u "$DELEG/ctr")" "$DG_UID"
    # The init and exec's sh count: of 12 sleeps, at most 6 are forked.
    run rt exec "$id" sh -c 'for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
        sleep 100 </dev/null >/dev/null 2>&1 & done; echo forked'
    assert_output --partial "can't fork"
    [ "$(cat "$DELEG/ctr/pids.current")" -le 8 ] || fail "pids.current past 8: $(cat "$DELEG/ctr/pids.current")"
    grep -q '^max [1-9]' "$DELEG/ctr/pids.events" || fail "no fork refused: $(cat "$DELEG/ctr/pids.events")"
    run rt delete --force "$id"
    assert_success
    [ ! -e "$DELEG/ctr" ] || fail "$DELEG/ctr left"
}

@test "deleg: pause and resume through cgroup.freeze; ps lists the container's processes; kill --all" {
    local id
    id=$(new_id)
    dg_config '.linux.resources = {pids: {limit: 20}}'
    dg_args sleep 1000
    run dg_run_detached "$id"
    assert_success
    run rt pause "$id"
    assert_success
    assert_equal "$(cat "$DELEG/ctr/cgroup.freeze")" 1
    grep -q '^frozen 1' "$DELEG/ctr/cgroup.events" || fail "not frozen: $(cat "$DELEG/ctr/cgroup.events")"
    assert_equal "$(rt state "$id" | jq -r .status)" paused
    run rt resume "$id"
    assert_success
    assert_equal "$(cat "$DELEG/ctr/cgroup.freeze")" 0
    assert_equal "$(rt state "$id" | jq -r .status)" running
    local pid
    pid=$(rt state "$id" | jq -r .pid)
    # runc warns on stderr that ps may fail without full access to the cgroups.
    run --separate-stderr rt ps --format json "$id"
    assert_success
    assert_equal "$(jq -c . <<<"$output")" "[$pid]"
    # kill --all signals every process of the cgroup (an exec'd one too).
    rt exec -d "$id" sleep 1000 </dev/null >/dev/null 2>&1
    run rt kill --all "$id" KILL
    assert_success
    dg_wait_for_status "$id" stopped || fail "not stopped after kill --all"
    wait_for_empty_cgroup "$DELEG/ctr"
    assert_equal "$(cat "$DELEG/ctr/cgroup.procs")" ""
    run rt delete --force "$id"
    assert_success
    [ ! -e "$DELEG/ctr" ] || fail "$DELEG/ctr left"
}

@test "deleg attack: root inside cannot raise its limits or leave its cgroup, though the user owns them" {
    local id
    id=$(new_id)
    dg_config '.linux.resources = {pids: {limit: 8}}'
    dg_args sleep 1000
    run dg_run_detached "$id"
    assert_success
    # The cgroup files are the user's (container root's) on the host; inside, /sys is
    # read-only and no cgroup2 of its own can be mounted.
    run rt exec "$id" sh -c 'for f in /sys/fs/cgroup/cradle-deleg-*/ctr/pids.max /sys/fs/cgroup/pids.max; do
            echo max 2>/dev/null >"$f" && echo "wrote $f"; done
        for f in /sys/fs/cgroup/cradle-deleg-*/cgroup.procs /sys/fs/cgroup/cgroup.procs; do
            echo $$ 2>/dev/null >"$f" && echo "moved by $f"; done
        mount -t cgroup2 none /tmp 2>/dev/null && echo mounted
        cat /proc/self/cgroup'
    assert_success
    assert_output "0::/cradle-deleg-$$/ctr"
    assert_equal "$(cat "$DELEG/ctr/pids.max")" 8
}

@test "deleg: without cgroupsPath the container is <parent of the caller's cgroup>/ID: the delegation" {
    local id
    id=$(new_id)
    dg_config 'del(.linux.cgroupsPath) | .linux.resources = {pids: {limit: 20}}'
    dg_args sh -c 'cat /proc/self/cgroup /sys/fs/cgroup/cradle-deleg-*/'"$id"'/pids.max'
    run rt run --bundle "$BUNDLE" "$id"
    assert_success
    assert_output "0::/cradle-deleg-$$/$id
20"
    assert_equal "$(find "$DELEG" -mindepth 1 -maxdepth 1 -type d -printf '%f\n')" runtime
}

@test "deleg: without cgroupsPath nor a delegated parent a memory limit fails with runc's fs2 words, nothing left" {
    local id
    id=$(new_id)
    # The runtime started from a cgroup of root's whose parent (the root) is not the user's.
    FROM=/sys/fs/cgroup/cradle-nodeleg-$$
    OUTSIDE=("$FROM")
    mkdir "$FROM"
    dg_config 'del(.linux.cgroupsPath) | .linux.resources = {memory: {limit: 67108864}}'
    dg_args true
    run rt run --bundle "$BUNDLE" "$id"
    assert_failure
    # runc's fs2 manager's words (its v1 manager's, on a v1 host, are in rootless.bats).
    assert_output --partial "rootless needs no limits + no cgrouppath when no permission is granted for cgroups"
    assert_equal "$(ls -A "$STATE_ROOT" 2>/dev/null)" ""
    assert_equal "$(cgroup_dirs_of "$id")" ""
    # Without resources it runs, in no cgroup of its own.
    dg_config 'del(.linux.resources)'
    dg_args cat /proc/self/cgroup
    run rt run --bundle "$BUNDLE" "$id"
    assert_success
    assert_output "0::/cradle-nodeleg-$$"
    assert_equal "$(cgroup_dirs_of "$id")" ""
}

@test "deleg: a cgroupsPath outside the delegation is neither created nor joined" {
    local id other path
    id=$(new_id)
    other=/sys/fs/cgroup/cradle-other-$$
    OUTSIDE=("$other" "$other-existing")
    dg_args sh -c 'cat /proc/self/cgroup'
    # A new cgroup beside the delegated one, directly and through "..".
    for path in "/cradle-other-$$" "/cradle-deleg-$$/../cradle-other-$$"; do
        dg_config --arg path "$path" '.linux.cgroupsPath = $path'
        run rt run --bundle "$BUNDLE" "$id"
        assert_failure
        # cradle refuses ".." in cgroupsPath before anything (validation); runc cleans it.
        [[ ${output,,} == *"permission denied"* || $output == *'is not allowed'* ]] ||
            fail "not refused for its permissions: $output"
        [ ! -e "$other" ] || fail "$other created for $path"
        assert_equal "$(ls -A "$STATE_ROOT" 2>/dev/null)" ""
    done
    # An existing cgroup of root's: not joined.
    mkdir "$other-existing"
    dg_config --arg path "/cradle-other-$$-existing" '.linux.cgroupsPath = $path'
    run rt run --bundle "$BUNDLE" "$id"
    assert_failure
    [[ ${output,,} == *"permission denied"* ]] || fail "not refused for its permissions: $output"
    [ ! -s "$other-existing/cgroup.procs" ] || fail "joined: $(cat "$other-existing/cgroup.procs")"
    assert_equal "$(ls -A "$STATE_ROOT" 2>/dev/null)" ""
}
