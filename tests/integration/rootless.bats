#!/usr/bin/env bats
# The runtime run by an ordinary user (rootless, issue 9): an unprivileged user created for
# this file (useradd, subordinate uid/gid ranges, a 0700 XDG_RUNTIME_DIR) runs
# `spec --rootless` bundles on a busybox rootfs it owns, with the state under
# $XDG_RUNTIME_DIR/NAME (the default root). Every effect is checked from inside the
# container and on the host; the attacks check that the container gets no more than the
# user has. The same file runs with runc (RUNTIME=/usr/sbin/runc), which supports rootless.
#
# The tests run as root (bats) and switch to the user for every runtime command;
# teardown_file kills what the user still runs by pid and removes the user, its
# subordinate ids and the directory.

load helpers
load docs_helpers
load test_user

setup_file() {
    command -v newuidmap >/dev/null || skip "newuidmap is missing (uidmap; scripts/setup.sh installs it)"
    "$REPO_ROOT/tests/fixtures/make-busybox-rootfs.sh" "$ROOTFS_CACHE"
    # The user must reach the directory and the runtime: not below bats' 0700 temporary
    # directory, nor the build tree.
    export RL_DIR RL_USER RL_UID RL_GID RL_SUBUID RL_SUBGID RL_RT RL_NAME
    RL_DIR=$(mktemp -d /tmp/cradle-rootless.XXXXXX)
    chmod 755 "$RL_DIR"
    RL_USER=cradle-rl-$$
    echo "$RL_USER" >"$RL_DIR/user"
    test_user_create "$RL_USER" "$RL_DIR/home"
    RL_UID=$(id -u "$RL_USER")
    RL_GID=$(id -g "$RL_USER")
    RL_SUBUID=$(test_user_subid_start "$RL_USER" subuid)
    RL_SUBGID=$(test_user_subid_start "$RL_USER" subgid)
    RL_NAME=$(basename "${RUNTIME:-$CRADLE}")
    mkdir -p "$RL_DIR/bin" "$RL_DIR/xdg"
    install -m 755 "${RUNTIME:-$CRADLE}" "$RL_DIR/bin/$RL_NAME"
    RL_RT=$RL_DIR/bin/$RL_NAME
    chown "$RL_USER:" "$RL_DIR/xdg"
    chmod 700 "$RL_DIR/xdg"
}

teardown_file() {
    [ -n "${RL_DIR:-}" ] || return 0
    [ -f "$RL_DIR/user" ] && test_user_remove "$(cat "$RL_DIR/user")"
    rm -rf "$RL_DIR"
}

# Runs a command as the user in a clean environment of its own, with a timeout so that a
# hung runtime fails the test instead of the suite.
as_user() {
    timeout -k 5 60 runuser -u "$RL_USER" -- env -i -C "${RL_CWD:-$RL_DIR}" \
        PATH="$RL_DIR/bin:/usr/bin:/bin:/usr/sbin:/sbin" HOME="$RL_DIR/home" USER="$RL_USER" \
        LOGNAME="$RL_USER" XDG_RUNTIME_DIR="$RL_DIR/xdg" "$@"
}

# The runtime as the user, with its default --root ($XDG_RUNTIME_DIR/NAME).
rt() {
    as_user "$RL_RT" "$@"
}

# A bundle the user owns: a copy of the busybox rootfs and the runtime's own
# `spec --rootless`, terminal off.
setup() {
    BUNDLE=$(mktemp -d "$RL_DIR/bundle.XXXXXX")
    cp -a "$ROOTFS_CACHE" "$BUNDLE/rootfs"
    chown -R "$RL_USER:" "$BUNDLE"
    RL_CWD=$BUNDLE as_user "$RL_RT" spec --rootless
    update_config '.process.terminal = false'
    chown "$RL_USER:" "$BUNDLE/config.json"
    STATE_ROOT=$RL_DIR/xdg/$RL_NAME
}

teardown() {
    local id
    for id in $(rt list -q 2>/dev/null); do
        rt delete --force "$id" >/dev/null 2>&1 || true
    done
    rm -rf "$BUNDLE"
}

# update_config keeps the file the user's.
rl_config() {
    update_config "$@"
    chown "$RL_USER:" "$BUNDLE/config.json"
}

rl_args() {
    set_args "$@"
    chown "$RL_USER:" "$BUNDLE/config.json"
}

# `run` of a foreground container as the user.
rl_run() {
    run rt run --bundle "$BUNDLE" "$1"
}

# `create` as the user, its output through a file (a created init keeps its stdio).
rl_create() {
    local log rc=0
    log=$(mktemp "$RL_DIR/create.XXXXXX")
    rt create --bundle "$BUNDLE" "$1" >"$log" 2>&1 </dev/null || rc=$?
    cat "$log"
    rm -f "$log"
    return "$rc"
}

rl_wait_for_status() {
    local id=$1 want=$2 i
    for ((i = 0; i < 100; i++)); do
        [ "$(rt state "$id" 2>/dev/null | jq -r .status)" = "$want" ] && return 0
        sleep 0.05
    done
    return 1
}

# Nothing of container $1 is left: the user's state root is empty, no cgroup directory is
# named after it, the user runs no process.
assert_rootless_no_trace() {
    local left
    left=$(ls -A "$STATE_ROOT" 2>/dev/null || true)
    [ -z "$left" ] || fail "state left after $1: $left"
    left=$(cgroup_dirs_of "$1")
    [ -z "$left" ] || fail "cgroup dirs left for $1: $left"
    # Zombies are not: this host's pid 1 reaps orphans late, if at all.
    left=$(ps -u "$RL_UID" -o pid=,stat=,args= 2>/dev/null | awk '$2 !~ /^Z/' || true)
    [ -z "$left" ] || fail "processes of $RL_USER left: $left"
}

@test "rootless: a spec --rootless bundle runs; root inside is the user's own id, the hostname set" {
    rl_args sh -c 'id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map; hostname'
    rl_run "$(new_id)"
    assert_success
    local -a line=()
    mapfile -t line <<<"$output"
    assert_equal "${line[0]}" 0
    assert_equal "${line[1]}" 0
    assert_equal "$(echo ${line[2]})" "0 $RL_UID 1"
    assert_equal "$(echo ${line[3]})" "0 $RL_GID 1"
    assert_equal "${line[4]}" "$(jq -r .hostname "$BUNDLE/config.json")"
}

@test "rootless: the state is under \$XDG_RUNTIME_DIR/NAME (0700, sticky), delete leaves it empty" {
    local id
    id=$(new_id)
    rl_args sleep 100
    run rl_create "$id"
    assert_success
    [ -d "$STATE_ROOT/$id" ] || fail "no $STATE_ROOT/$id"
    assert_equal "$(stat -c '%U %a' "$STATE_ROOT")" "$RL_USER 1700"
    run rt list -q
    assert_output "$id"
    rt delete --force "$id"
    assert_rootless_no_trace "$id"
}

@test "rootless: a file the container writes is owned by the user on the host" {
    rl_config '.root.readonly = false'
    rl_args sh -c 'echo hi >/written; stat -c %u:%g /written'
    rl_run "$(new_id)"
    assert_success
    assert_output "0:0"
    assert_equal "$(stat -c %u:%g "$BUNDLE/rootfs/written")" "$RL_UID:$RL_GID"
}

@test "rootless: several ids through newuidmap/newgidmap: id 1 inside is the first subordinate id" {
    rl_config --argjson uid "$RL_UID" --argjson gid "$RL_GID" \
        --argjson subuid "$RL_SUBUID" --argjson subgid "$RL_SUBGID" '
        .root.readonly = false
        | .linux.uidMappings = [{containerID: 0, hostID: $uid, size: 1},
                                {containerID: 1, hostID: $subuid, size: 65536}]
        | .linux.gidMappings = [{containerID: 0, hostID: $gid, size: 1},
                                {containerID: 1, hostID: $subgid, size: 65536}]
        | .process.capabilities[] += ["CAP_CHOWN"]'
    rl_args sh -c 'wc -l </proc/self/uid_map; touch /chowned; chown 1:1 /chowned; stat -c %u:%g /chowned'
    rl_run "$(new_id)"
    assert_success
    assert_output "2
1:1"
    assert_equal "$(stat -c %u:%g "$BUNDLE/rootfs/chowned")" "$RL_SUBUID:$RL_SUBGID"
}

@test "rootless: create, start, state, exec, kill and delete as the user leave nothing" {
    local id
    id=$(new_id)
    rl_args sleep 100
    run rl_create "$id"
    assert_success
    run rt state "$id"
    assert_success
    assert_equal "$(jq -r .status <<<"$output")" created
    run rt start "$id"
    assert_success
    rl_wait_for_status "$id" running
    # Rootless exec stays in the container's pid namespace (exec_rootless.c): in the ASan
    # build LeakSanitizer's tracer would be born there, unable to see the runtime, and hang.
    run as_user env ASAN_OPTIONS=detect_leaks=0 "$RL_RT" exec "$id" sh -c 'id -u; cat /proc/1/cmdline | tr "\0" " "'
    assert_success
    assert_output "0
sleep 100 "
    run rt kill "$id" KILL
    assert_success
    rl_wait_for_status "$id" stopped || fail "not stopped after kill"
    run rt delete "$id"
    assert_success
    assert_rootless_no_trace "$id"
}

@test "rootless: the exit monitor, run as the user, records the status of a container that exits" {
    is_runc && skip "runc 1.1.5's state has no exitStatus"
    local id i status=""
    id=$(new_id)
    rl_args sh -c 'exit 3'
    run rl_create "$id"
    assert_success
    rt start "$id"
    for ((i = 0; i < 100; i++)); do
        status=$(rt state "$id" | jq -r '.exitStatus // empty')
        [ -n "$status" ] && break
        sleep 0.05
    done
    assert_equal "$status" 3
    assert_equal "$(rt state "$id" | jq -r .status)" stopped
    rt delete "$id"
    assert_rootless_no_trace "$id"
}

@test "rootless: kill --all without a cgroup: SIGKILL takes the pid namespace, another signal is refused" {
    is_runc && skip "runc 1.1.5's kill --all fails without a cgroup (lstat : no such file or directory)"
    local id
    id=$(new_id)
    rl_args sh -c 'sleep 100 & wait'
    run rl_create "$id"
    assert_success
    rt start "$id"
    rl_wait_for_status "$id" running
    run rt kill --all "$id" TERM
    assert_failure
    assert_output --partial "kill --all: container $id has no cgroup to find its processes in (rootless)"
    run rt kill --all "$id" KILL
    assert_success
    rl_wait_for_status "$id" stopped || fail "not stopped after kill --all KILL"
    rt delete "$id"
    assert_rootless_no_trace "$id"
}

@test "rootless: ps without a cgroup lists the processes of the container's pid namespace" {
    is_runc && skip "runc 1.1.5's ps fails without a cgroup (unable to get all container pids)"
    local id init child i
    id=$(new_id)
    rl_args sh -c 'sleep 100 & exec sleep 200'
    run rl_create "$id"
    assert_success
    rt start "$id"
    init=$(rt state "$id" | jq -r .pid)
    for ((i = 0; i < 100; i++)); do
        child=$(pgrep -P "$init" sleep || true)
        [ -n "$child" ] && break
        sleep 0.05
    done
    [ -n "$child" ] || fail "no child of $init"
    run rt ps --format json "$id"
    assert_success
    assert_equal "$(jq -c 'sort' <<<"$output")" "$(jq -nc --argjson a "$init" --argjson b "$child" '[$a, $b] | sort')"
    rt kill "$id" KILL
    rl_wait_for_status "$id" stopped
    run rt ps --format json "$id"
    assert_success
    rt delete "$id"
    assert_rootless_no_trace "$id"
}

@test "rootless: a config without a user namespace is refused, naming the field; nothing left" {
    local id
    id=$(new_id)
    rl_config '.linux.namespaces |= map(select(.type != "user")) | del(.linux.uidMappings, .linux.gidMappings)'
    run rl_create "$id"
    assert_failure
    assert_output --partial "rootless container requires user namespaces"
    is_cradle && assert_output --partial "linux.namespaces"
    assert_rootless_no_trace "$id"
}

@test "rootless: a user namespace of the user's, joined by path, owns the namespaces made" {
    local id holder
    id=$(new_id)
    holder=$(as_user sh -c 'unshare --user --map-root-user sleep 1000 >/dev/null 2>&1 </dev/null & echo $!')
    rl_config --arg p "/proc/$holder/ns/user" '.linux.namespaces =
            (.linux.namespaces | map(select(.type != "user"))) + [{type: "network"}, {type: "user", path: $p}]
        | del(.linux.uidMappings, .linux.gidMappings) | .hostname = "joined"
        | .process.capabilities |= with_entries(.value += ["CAP_SYS_ADMIN"])'
    # runc 1.1.5 wants the joined namespace's mappings repeated.
    is_runc && rl_config --argjson u "$RL_UID" --argjson g "$RL_GID" '
        .linux.uidMappings = [{containerID: 0, hostID: $u, size: 1}]
        | .linux.gidMappings = [{containerID: 0, hostID: $g, size: 1}]'
    rl_args sh -c 'id -u; hostname; mount -t tmpfs t /tmp && echo mounted; echo $(($(cat /sys/class/net/lo/flags) & 1))'
    rl_run "$id"
    kill -9 "$holder"
    assert_success
    assert_output "$(printf '0\njoined\nmounted\n1')"
    assert_rootless_no_trace "$id"
}

@test "rootless: a uid= mount option for an unmapped id is refused, naming the mount" {
    local id
    id=$(new_id)
    rl_config '.mounts += [{destination: "/scratch", type: "tmpfs", source: "tmpfs", options: ["uid=1000"]}]'
    run rl_create "$id"
    assert_failure
    assert_output --partial "cannot specify uid="
    is_cradle && assert_output --partial "mounts[7]"
    assert_rootless_no_trace "$id"
}

@test "rootless: without resources no cgroup is made; with a memory limit, runc's error and nothing left" {
    local id
    id=$(new_id)
    rl_args sh -c 'cat /proc/self/cgroup'
    rl_run "$id"
    assert_success
    assert_equal "$(cgroup_dirs_of "$id")" ""
    rl_config '.linux.resources = {memory: {limit: 67108864}}'
    run rl_create "$id"
    assert_failure
    assert_output --partial "cannot set memory limit: container could not join or create cgroup"
    is_cradle && assert_output --partial "linux.resources.memory"
    assert_rootless_no_trace "$id"
}

@test "rootless attack: mapping ids outside the user's subordinate range fails; nothing left" {
    local id
    id=$(new_id)
    rl_config --argjson uid "$RL_UID" --argjson beyond "$((RL_SUBUID + 65536))" '
        .linux.uidMappings = [{containerID: 0, hostID: $uid, size: 1},
                              {containerID: 1, hostID: $beyond, size: 10}]'
    run rl_create "$id"
    assert_failure
    assert_output --partial "newuidmap"
    is_cradle && assert_output --partial "linux.uidMappings"
    assert_rootless_no_trace "$id"
}

@test "rootless attack: a root-owned host file bound read-write stays unwritable and unreadable" {
    local secret=$RL_DIR/secret.$BATS_TEST_NUMBER public=$RL_DIR/public.$BATS_TEST_NUMBER
    echo root-only >"$secret"
    chmod 600 "$secret"
    echo untouched >"$public"
    chmod 644 "$public"
    rl_config --arg s "$secret" --arg p "$public" '.mounts += [
        {destination: "/secret", type: "bind", source: $s, options: ["rbind", "rw"]},
        {destination: "/public", type: "bind", source: $p, options: ["rbind", "rw"]}]
        | .process.capabilities[] += ["CAP_DAC_OVERRIDE", "CAP_CHOWN", "CAP_FOWNER"]'
    rl_args sh -c 'cat /secret || echo read: denied; { echo x >/public; } || echo write: denied
        chmod 666 /public || echo chmod: denied; chown 0 /public || echo chown: denied'
    rl_run "$(new_id)"
    assert_line "read: denied"
    assert_line "write: denied"
    assert_line "chmod: denied"
    assert_line "chown: denied"
    refute_output --partial root-only
    assert_equal "$(cat "$public")" untouched
    assert_equal "$(stat -c '%u %a' "$public")" "0 644"
    rm -f "$secret" "$public"
}

@test "rootless: docs/rootless.md runs as the user" {
    local id block
    block=$(doc_block_run_by docs/rootless.md tests/integration/rootless.bats)
    [ -n "$block" ] || fail "no block run by this file in docs/rootless.md"
    mkdir -p "$RL_DIR/home/mycontainer"
    cp -a "$ROOTFS_CACHE" "$RL_DIR/home/mycontainer/rootfs"
    (cd "$REPO_ROOT" && "$DOC_BLOCKS" show "$block") >"$RL_DIR/block.sh"
    chown -R "$RL_USER:" "$RL_DIR/home/mycontainer"
    chmod 644 "$RL_DIR/block.sh"
    # The page names the runtime cradle: runc runs behind that name.
    [ "$RL_NAME" = cradle ] || ln -sf "$RL_RT" "$RL_DIR/bin/cradle"
    RL_CWD=$RL_DIR/home run as_user sh -eu "$RL_DIR/block.sh"
    [ "$RL_NAME" = cradle ] || rm -f "$RL_DIR/bin/cradle"
    rm -rf "$RL_DIR/home/mycontainer" "$RL_DIR/block.sh"
    assert_success
    assert_line "uid=0(root) gid=0(root) groups=0(root)"
    assert_rootless_no_trace demo
}
