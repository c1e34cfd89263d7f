#!/usr/bin/env bats
# Crash safety (issue 6 item 7, must-show 3): cradle killed with SIGKILL at random points of
# create and of run, or the container's init killed while create runs, leaves nothing that
# `list` does not show, the init of an unfinished create does not outlive its creator, and
# `delete --force` of what is listed leaves no state dir, cgroup, mount or process.
# Also a cgroup that is already frozen (issue 6, correctness list): runc's error, nothing left.

load helpers
load security_helpers

setup() {
    common_setup
    set_args sleep 600
    # The same container without a pid namespace: there the init checks getppid() too.
    HOSTPID_BUNDLE=$(mktemp -d "$BATS_RUN_TMPDIR/bundle.XXXXXX")
    jq --arg rootfs "$BUNDLE/rootfs" '.root.path = $rootfs
        | .linux.namespaces |= map(select(.type != "pid"))' \
        "$BUNDLE/config.json" >"$HOSTPID_BUNDLE/config.json"
    # `read -t` on a fifo nobody writes: a sub-millisecond sleep without a fork.
    mkfifo "$BATS_TEST_TMPDIR/never"
    exec {NEVER_FD}<>"$BATS_TEST_TMPDIR/never"
    FROZEN_CGROUPS=()
    CREATOR=
}

teardown() {
    local dir
    # A create the test left running (only when it failed).
    [ -n "$CREATOR" ] && kill -9 "$CREATOR" 2>/dev/null
    # Thaw first: a frozen cgroup's processes cannot die.
    for dir in "${FROZEN_CGROUPS[@]}"; do
        [ -e "$dir/freezer.state" ] && echo THAWED >"$dir/freezer.state"
        [ -e "$dir/cgroup.freeze" ] && echo 0 >"$dir/cgroup.freeze"
    done
    common_teardown
    for dir in "${FROZEN_CGROUPS[@]}"; do
        rmdir "$dir/ctr" "$dir" 2>/dev/null || true
    done
    exec {NEVER_FD}>&-
    rm -rf "${HOSTPID_BUNDLE:-}"
}

sleep_us() {
    read -r -t "$(printf '0.%06d' "$1")" -u "$NEVER_FD" || true
}

now_us() {
    echo $(($(date +%s%N) / 1000))
}

# The longest of three creates (and deletes) of this bundle, in microseconds: kills are
# spread over [0, 1.5 x that], so that they land anywhere in create, and a few after it.
measure_create_us() {
    local i start took longest=0 id
    for i in 1 2 3; do
        id=$(new_id measure)
        start=$(now_us)
        runtime create --bundle "$BUNDLE" "$id" </dev/null >/dev/null 2>&1
        took=$(($(now_us) - start))
        runtime delete --force "$id"
        ((took > longest)) && longest=$took
    done
    echo $((longest * 3 / 2))
}

# Everything container $1 may have left on the host, one line each: its state dir, its
# cgroup directories, mounts naming it, and live processes whose command line or cgroup
# names it (a copy of cradle: the creator, the init before exec, the exit monitor; or the
# container's process). Zombies are not counted: an orphan waits for the host's pid 1 to
# reap it. The pattern goes through a file so that grep does not find itself.
leftovers_of() {
    local id=$1 pattern=$BATS_TEST_TMPDIR/pattern file pid state
    [ -e "$STATE_ROOT/$id" ] && echo "state dir $STATE_ROOT/$id"
    cgroup_dirs_of "$id" | sed 's/^/cgroup /'
    grep -F -e "$id" /proc/self/mountinfo | sed 's/^/mount /'
    printf '%s\n' "$id" >"$pattern"
    for file in $(grep -l -a -F -f "$pattern" /proc/[0-9]*/cmdline /proc/[0-9]*/cgroup 2>/dev/null); do
        pid=${file#/proc/}
        pid=${pid%%/*}
        state=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -c1)
        [ -n "$state" ] && [ "$state" != Z ] && echo "process $pid ($file, state $state)"
    done
    return 0
}

# Polls (up to $2 seconds) until container $1 has no process left.
wait_no_process() {
    local id=$1 i
    for ((i = 0; i < ${2:-5} * 20; i++)); do
        leftovers_of "$id" | grep -q '^process' || return 0
        sleep 0.05
    done
    return 1
}

# Pids whose parent is $1.
children_of() {
    local stat
    for stat in /proc/[0-9]*/stat; do
        read -r -a fields <"$stat" 2>/dev/null || continue
        # Field 4 is the parent; cradle's comm has no spaces.
        [ "${fields[3]}" = "$1" ] && echo "${fields[0]}"
    done
    return 0
}

# One crash: MODE is create (kill cradle create), run (kill cradle run -d) or init (kill
# the children of cradle create: its init), after $2 microseconds; bundle $3.
crash_once() {
    local mode=$1 delay=$2 bundle=$3 id pid status left i
    id=$(new_id crash)
    # The binary itself in the background (not the runtime function: $! would be a
    # subshell, and killing it would leave cradle running).
    if [ "$mode" = run ]; then
        "${RUNTIME:-$CRADLE}" --root "$STATE_ROOT" run -d --bundle "$bundle" "$id" \
            </dev/null >/dev/null 2>&1 &
    else
        "${RUNTIME:-$CRADLE}" --root "$STATE_ROOT" create --bundle "$bundle" "$id" \
            </dev/null >/dev/null 2>&1 &
    fi
    pid=$!
    sleep_us "$delay"
    if [ "$mode" = init ]; then
        kill -9 $(children_of "$pid") 2>/dev/null || true
        # Its creator must notice (EOF on the sync socket) and exit by itself.
        for ((i = 0; i < 200; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.05
        done
        kill -0 "$pid" 2>/dev/null && fail "$id: create hangs after its init was killed"
    else
        kill -9 "$pid" 2>/dev/null || true
    fi
    wait "$pid" || true

    left=$(leftovers_of "$id")
    if [ -n "$left" ]; then
        runtime list -q | grep -qxF "$id" || fail "$id: not listed, but left: $left"
        status=$(runtime state "$id" | jq -r .status) || fail "$id: state fails"
        [ "$status" != creating ] || fail "$id: still creating after its creator died"
        # An init whose create did not finish dies with its creator, without any delete.
        if [ "$status" = stopped ] && ! wait_no_process "$id" 5; then
            fail "$id: the init of an unfinished create outlived it: $(leftovers_of "$id")"
        fi
        runtime delete --force "$id" || fail "$id: delete --force failed"
    fi
    wait_no_process "$id" 5 || true
    left=$(leftovers_of "$id")
    [ -z "$left" ] || fail "$id: left after delete --force: $left"
}

# N crashes of MODE at random points over the measured length of create.
crash_many() {
    local mode=$1 n=$2 span i bundle
    span=$(measure_create_us)
    for ((i = 0; i < n; i++)); do
        bundle=$BUNDLE
        ((i % 2)) && bundle=$HOSTPID_BUNDLE
        # Every tenth kill at once, the rest anywhere up to the span.
        crash_once "$mode" $((i % 10 ? (RANDOM * 32768 + RANDOM) % span : 0)) "$bundle"
    done
    [ -z "$(ls -A "$STATE_ROOT")" ] || fail "state dirs left: $(ls -A "$STATE_ROOT")"
}

# 100 kills of cradle in all (must-show 3): 50 in create, 50 in run -d.
@test "issue 6 item 7: kill -9 of cradle create at 50 random points leaves nothing unlisted, nothing after delete --force" {
    crash_many create 50
}

@test "issue 6 item 7: kill -9 of cradle run -d at 50 random points leaves nothing unlisted, nothing after delete --force" {
    crash_many run 50
}

@test "issue 6 item 7: the init killed at 30 random points of create: create fails, nothing left" {
    crash_many init 30
}

# Starts `create` of $1 in the background ($CREATOR), held half-way by a createRuntime
# hook that waits on a fifo (release_create lets it go), and waits until its state says
# creating with the init's pid.
create_held() {
    local id=$1 i status=
    mkfifo "$BATS_TEST_TMPDIR/hold"
    update_config --arg hold "$BATS_TEST_TMPDIR/hold" \
        '.hooks.createRuntime = [{path: "/bin/sh", args: ["sh", "-c", "read x < \($hold) || true"]}]'
    "$CRADLE" --root "$STATE_ROOT" create --bundle "$BUNDLE" "$id" </dev/null \
        >"$BATS_TEST_TMPDIR/create.out" 2>&1 &
    CREATOR=$!
    for ((i = 0; i < 200; i++)); do
        status=$(runtime state "$id" 2>/dev/null | jq -r '"\(.status) \(.pid)"') || true
        [[ "$status" == "creating "[1-9]* ]] && return 0
        sleep 0.05
    done
    fail "not creating with an init pid: $status"
}

release_create() {
    local hold
    exec {hold}<>"$BATS_TEST_TMPDIR/hold"
    exec {hold}>&-
}

@test "issue 6 item 7: a half-created container is listed as creating while its create runs, stopped once it died" {
    skip_unless_cradle
    local id
    id=$(new_id half)
    update_config --arg mark "$BATS_TEST_TMPDIR/poststop-ran" \
        '.hooks.poststop = [{path: "/bin/touch", args: ["touch", $mark]}]'
    create_held "$id"
    run runtime list
    assert_output --regexp "$id +[1-9][0-9]* +creating "
    kill -9 "$CREATOR"
    wait "$CREATOR" || true
    release_create # lets the orphaned hook go
    [ "$(runtime state "$id" | jq -r .status)" = stopped ]
    wait_no_process "$id" 5 || fail "the init outlived its creator: $(leftovers_of "$id")"
    [ -n "$(cgroup_dirs_of "$id")" ] || fail "expected the killed create's cgroup to be left"
    # delete without --force, as for any stopped container; a container that never was
    # created gets no poststop hooks.
    runtime delete "$id"
    [ -z "$(leftovers_of "$id")" ] || fail "left: $(leftovers_of "$id")"
    [ ! -e "$BATS_TEST_TMPDIR/poststop-ran" ] || fail "poststop ran for a create that died"
}

@test "issue 6 item 7: delete --force of a container being created waits for its create" {
    skip_unless_cradle
    local id deleter rc=0
    id=$(new_id wait)
    create_held "$id"
    runtime delete --force "$id" &
    deleter=$!
    # A bounded look for a negative: delete is still waiting a moment later.
    sleep_us 300000
    kill -0 "$deleter" 2>/dev/null || fail "delete did not wait for the create"
    [ "$(runtime state "$id" | jq -r .status)" = creating ]
    release_create
    wait "$CREATOR" || fail "create failed: $(cat "$BATS_TEST_TMPDIR/create.out")"
    wait "$deleter" || rc=$?
    [ "$rc" -eq 0 ] || fail "delete failed: $rc"
    wait_no_process "$id" 5 || true
    [ -z "$(leftovers_of "$id")" ] || fail "left: $(leftovers_of "$id")"
}

@test "issue 6 item 7: a state directory without state.json is listed as stopped, and delete removes it" {
    skip_unless_cradle
    local id
    id=$(new_id bare)
    # What a create killed between claiming the id and its first record leaves.
    mkdir "$STATE_ROOT/$id"
    run runtime list
    assert_output --regexp "$id +0 +stopped "
    [ "$(runtime state "$id" | jq -r .status)" = stopped ]
    runtime delete "$id"
    [ ! -e "$STATE_ROOT/$id" ]
}

@test "issue 6 item 7: a created container's init outlives cradle create" {
    local id
    id=$(new_id outlive)
    runtime create --bundle "$BUNDLE" "$id" </dev/null >/dev/null 2>&1
    sleep_us 200000
    [ "$(runtime state "$id" | jq -r .status)" = created ]
    runtime start "$id"
    [ "$(runtime state "$id" | jq -r .status)" = running ]
}

# Makes cgroup directory $1 (under /sys/fs/cgroup) and freezes it (v1 freezer or cgroup2).
make_frozen() {
    local dir=$1
    mkdir -p "$dir"
    FROZEN_CGROUPS+=("$dir")
    if [ -e "$dir/freezer.state" ]; then
        echo FROZEN >"$dir/freezer.state"
    else
        echo 1 >"$dir/cgroup.freeze"
    fi
}

# Runs the container in cgroupsPath $1 and expects runc's refusal, and nothing left.
expect_frozen_refusal() {
    local id
    id=$(new_id frozen)
    update_config --arg path "$1" '.linux.cgroupsPath = $path'
    # Output to a file: an init hung in the frozen cgroup would keep a pipe open.
    local out=$BATS_TEST_TMPDIR/out rc=0
    timeout 20 "${RUNTIME:-$CRADLE}" --root "$STATE_ROOT" run -d --bundle "$BUNDLE" "$id" \
        </dev/null >"$out" 2>&1 || rc=$?
    [ "$rc" -ne 124 ] || fail "run -d hangs in a frozen cgroup"
    run cat "$out"
    [ "$rc" -eq 1 ] || fail "exit $rc, not 1: $output"
    assert_output --partial "container's cgroup unexpectedly frozen"
    [ -z "$(ls -A "$STATE_ROOT")" ] || fail "state left: $(ls -A "$STATE_ROOT")"
    [ -z "$(leftovers_of "$id")" ] || fail "left: $(leftovers_of "$id")"
}

@test "frozen host cgroup (issue 6 correctness list): v1 freezer, refused as runc does" {
    [ -d /sys/fs/cgroup/freezer ] || skip "no v1 freezer hierarchy"
    local name=cradle-test-$$-$RANDOM
    make_frozen "/sys/fs/cgroup/freezer/$name"
    expect_frozen_refusal "/$name"
    # Only what cradle made is removed: the frozen cgroup the test made stays.
    [ -d "/sys/fs/cgroup/freezer/$name" ]
    for dir in /sys/fs/cgroup/*/"$name"; do
        [ "$dir" = "/sys/fs/cgroup/freezer/$name" ] || fail "cradle left $dir"
    done
}

@test "frozen host cgroup (issue 6 correctness list): a frozen v1 freezer parent" {
    skip_unless_cradle "runc checks only the cgroup's own freezer.self_freezing, and hangs"
    [ -d /sys/fs/cgroup/freezer ] || skip "no v1 freezer hierarchy"
    local name=cradle-test-$$-$RANDOM
    make_frozen "/sys/fs/cgroup/freezer/$name"
    expect_frozen_refusal "/$name/ctr"
    [ ! -e "/sys/fs/cgroup/freezer/$name/ctr" ] || fail "cradle left its cgroup"
}

@test "frozen host cgroup (issue 6 correctness list): cgroup2 cgroup.freeze" {
    skip_unless_cradle "runc uses the v1 freezer on a hybrid host"
    local unified
    unified=$(findmnt -n -t cgroup2 -o TARGET | head -n 1)
    [ -n "$unified" ] || skip "no cgroup2 hierarchy"
    local name=cradle-test-$$-$RANDOM
    make_frozen "$unified/$name"
    expect_frozen_refusal "/$name"
    [ -d "$unified/$name" ]
}
