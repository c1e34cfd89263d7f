# Shared set-up for the integration tests: a private --root state directory, unique
# container ids, bundles on a busybox rootfs, and clean-up that runs even when a test fails.
bats_load_library bats-support
bats_load_library bats-assert

# From this file, not the test's directory: tests in sub-folders (engines/) load it too.
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CRADLE=${CRADLE:-$REPO_ROOT/build/cradle}
ROOTFS_CACHE=${ROOTFS_CACHE:-$REPO_ROOT/tests/fixtures/cache/busybox-rootfs}

# Runs the runtime under test ($RUNTIME, default cradle) with the test's state dir.
runtime() {
    "${RUNTIME:-$CRADLE}" --root "$STATE_ROOT" "$@"
}

# Makes $BUNDLE: a copy-free bundle whose rootfs is a fresh copy of the cached busybox tree
# and whose config.json is the runtime's default spec with terminal off.
setup_bundle() {
    "$REPO_ROOT/tests/fixtures/make-busybox-rootfs.sh" "$ROOTFS_CACHE"
    BUNDLE=$(mktemp -d "$BATS_RUN_TMPDIR/bundle.XXXXXX")
    cp -a "$ROOTFS_CACHE" "$BUNDLE/rootfs"
    (cd "$BUNDLE" && "${RUNTIME:-$CRADLE}" spec)
    update_config '.process.terminal = false'
}

# Applies a jq filter to $BUNDLE/config.json in place. The file goes on stdin so that
# callers may end their arguments with jq's --args.
update_config() {
    local tmp
    tmp=$(mktemp "$BUNDLE/config.XXXXXX")
    if jq "$@" <"$BUNDLE/config.json" >"$tmp" && [ -s "$tmp" ]; then
        mv "$tmp" "$BUNDLE/config.json"
    else
        rm -f "$tmp"
        echo "update_config failed: $*" >&2
        return 1
    fi
}

# A container id unique to this test run.
new_id() {
    echo "t$$-${BATS_TEST_NUMBER}-${1:-c}-$RANDOM"
}

common_setup() {
    STATE_ROOT=$(mktemp -d "$BATS_RUN_TMPDIR/state.XXXXXX")
    setup_bundle
}

# Deletes every container left in the test's state dir (by the runtime, which kills only
# the container's own processes), then removes the state dir and bundle.
common_teardown() {
    local id
    if [ -d "${STATE_ROOT:-}" ]; then
        for id in $(runtime list -q 2>/dev/null); do
            runtime delete --force "$id" >/dev/null 2>&1 || true
        done
        rm -rf "$STATE_ROOT"
    fi
    [ -n "${BUNDLE:-}" ] && rm -rf "$BUNDLE"
    return 0
}

# Waits up to $2 seconds (default 5) for "runtime state $1" to report status $3.
wait_for_status() {
    local id=$1 timeout=${2:-5} want=${3:-stopped} i
    for ((i = 0; i < timeout * 20; i++)); do
        [ "$(runtime state "$id" 2>/dev/null | jq -r .status)" = "$want" ] && return 0
        sleep 0.05
    done
    return 1
}

# True when the runtime under test is cradle (cradle-only tests skip on runc and crun).
is_cradle() {
    [ "$(basename "${RUNTIME:-$CRADLE}")" = cradle ]
}

skip_unless_cradle() {
    is_cradle || skip "cradle-only: ${1:-behaviour specific to cradle}"
}

# Sets process.args of $BUNDLE/config.json to the given words.
set_args() {
    local arg args=()
    # One --arg per word: jq would parse words such as "-c" after --args as its own flags.
    for arg in "$@"; do
        args+=("$(jq -n --arg a "$arg" '$a')")
    done
    update_config --argjson args "[$(IFS=,; echo "${args[*]}")]" '.process.args = $args'
}

# Runs a container in the foreground with the given command: `run_cmd sh -c 'id'`.
# The bats `run` result ($status, $output) is that of the runtime.
run_cmd() {
    set_args "$@"
    run runtime run --bundle "$BUNDLE" "$(new_id run)"
}

# Cgroup directories named after container id $1 anywhere in the host's cgroup tree.
# Other containers' cgroups come and go during the walk: find then exits 1 for a
# directory that vanished, which says nothing about $1.
cgroup_dirs_of() {
    find /sys/fs/cgroup -maxdepth 4 -type d -name "$1" 2>/dev/null || true
}

# Fails (with a message) if container $1 left anything on the host: a state dir entry,
# a cgroup directory, or a mount whose line names the id or the bundle.
assert_no_trace() {
    local id=$1 left
    left=$(ls -A "$STATE_ROOT")
    [ -z "$left" ] || fail "state dir not empty after $id: $left"
    left=$(cgroup_dirs_of "$id")
    [ -z "$left" ] || fail "cgroup dirs left for $id: $left"
    left=$(grep -e "$id" -e "$BUNDLE" /proc/self/mountinfo || true)
    [ -z "$left" ] || fail "mounts left for $id: $left"
}

# Pid of container $1's init from the runtime's state.
container_pid() {
    runtime state "$1" | jq -r .pid
}

# True when the runtime under test is runc (for documented differences from cradle).
is_runc() {
    [ "$(basename "${RUNTIME:-$CRADLE}")" = runc ]
}

# `run runtime create --bundle $BUNDLE $1` for creates that may succeed: a created
# container's init inherits stdout/stderr, which would keep bats' `run` pipe open, so the
# output goes through a file.
run_create() {
    run create_logged "$1"
}

create_logged() {
    local log rc=0
    log=$(mktemp "$BATS_RUN_TMPDIR/create.XXXXXX")
    runtime create --bundle "$BUNDLE" "$1" >"$log" 2>&1 </dev/null || rc=$?
    cat "$log"
    rm -f "$log"
    return "$rc"
}

# Starts HOLDER, a process in a user namespace of its own where 0 is host uid 100000,
# and sets USERNS to that namespace's path. The caller's teardown kills HOLDER.
hold_userns() {
    local i
    unshare --user sleep 1000 &
    HOLDER=$!
    for ((i = 0; i < 100; i++)); do
        [ "$(readlink "/proc/$HOLDER/ns/user")" != "$(readlink /proc/self/ns/user)" ] && break
        sleep 0.05
    done
    echo "0 100000 65536" >"/proc/$HOLDER/uid_map"
    echo "0 100000 65536" >"/proc/$HOLDER/gid_map"
    USERNS=/proc/$HOLDER/ns/user
}

# Moves cradle's proc-policy directory to a fresh $POLICY_DIR (with an empty proc-policy.d)
# through CRADLE_PROC_POLICY_DIR, which only a build configured with -DCRADLE_TESTING=ON
# honours (scripts/test.sh builds so); skips on other runtimes and on other builds.
use_policy_dir() {
    skip_unless_cradle "proc-policy files"
    POLICY_DIR=$(mktemp -d "$BATS_RUN_TMPDIR/policy.XXXXXX")
    export CRADLE_PROC_POLICY_DIR=$POLICY_DIR
    echo bogus >"$POLICY_DIR/proc-policy.conf"
    if runtime features >/dev/null 2>&1; then
        skip "cradle built without -DCRADLE_TESTING=ON ignores CRADLE_PROC_POLICY_DIR"
    fi
    rm "$POLICY_DIR/proc-policy.conf"
    mkdir "$POLICY_DIR/proc-policy.d"
}
