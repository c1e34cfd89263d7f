#!/usr/bin/env bats
# linux.personality, linux.timeOffsets and linux.memoryPolicy (runtime-spec 1.2/1.3, as runc
# 1.2/1.3 applies them), the session keyring each container gets, and --no-pivot: effects
# checked from inside the container, for the init and for exec. Debian's runc 1.1.5 knows
# none of the three fields (it ignores personality and memoryPolicy and has no time
# namespace): those tests skip on it, the keyring and --no-pivot ones run on it too.

load helpers
load test_user

setup() {
    common_setup
    ID=$(new_id lf)
}

teardown() {
    common_teardown
    remove_lf_user
}

# An ordinary user for the rootless case, removed with everything it ran (by pid).
remove_lf_user() {
    [ -n "${LF_USER:-}" ] || return 0
    test_user_remove "$LF_USER"
    rm -rf "$LF_DIR"
}

# The runtime (a copy the user can reach) as $LF_USER, in $LF_DIR/bundle, with its default
# --root ($XDG_RUNTIME_DIR/NAME).
as_lf_user() {
    timeout -k 5 60 runuser -u "$LF_USER" -- env -i -C "$LF_DIR/bundle" \
        PATH=/usr/bin:/bin HOME="$LF_DIR" XDG_RUNTIME_DIR="$LF_DIR/xdg" "$LF_DIR/runtime" "$@"
}

# Skips unless the runtime under test applies FIELD ($1). crun 1.8.1 applies
# linux.personality, which $2 = crun allows.
requires_field() {
    is_cradle && return 0
    local name
    name=$(basename "${RUNTIME:-$CRADLE}")
    [ "$name" = crun ] && [ "${2:-}" = crun ] && return 0
    [ "$name" = runc ] && skip "runc 1.1.5 has no $1"
    skip "$name: $1 not checked"
}

# Runs the container detached (its output to a file, never bats' pipe) and waits for it.
start_detached() {
    runtime run -d --bundle "$BUNDLE" "$ID" >"$BATS_TEST_TMPDIR/run.log" 2>&1 </dev/null ||
        fail "run -d: $(cat "$BATS_TEST_TMPDIR/run.log")"
    wait_for_status "$ID" 5 running || fail "$ID is not running"
}

# A bad config: create fails naming the field ($1: expected text), leaves nothing.
assert_refused() {
    run_create "$ID"
    assert_failure
    output=${output//\\\"/\"} # the log line's quotes, unescaped
    assert_output --partial "$1"
    assert_no_trace "$ID"
}

# The container's root in a user namespace (host ids 100000-165535) reaches its rootfs.
use_userns() {
    update_config '.linux.namespaces += [{type: "user"}]
        | .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
        | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
    chmod o+x "$BATS_RUN_TMPDIR" "$BUNDLE"
}

with_time_offsets() {
    update_config '.linux.namespaces += [{type: "time"}]
        | .linux.timeOffsets = {monotonic: {secs: 7881, nanosecs: 2718281},
                                boottime: {secs: 86400, nanosecs: 3141519}}'
}

# --- linux.personality -------------------------------------------------------------------

@test "personality LINUX32: uname -m inside is i686, in the init and in exec" {
    requires_field linux.personality crun
    update_config '.linux.personality = {domain: "LINUX32"}'
    set_args sh -c 'uname -m; cat /proc/self/personality; sleep 100'
    start_detached
    run cat "/proc/$(container_pid "$ID")/personality"
    assert_output 00000008
    run runtime exec "$ID" uname -m
    assert_success
    assert_output i686
}

@test "personality LINUX keeps the host's machine; flags are ignored with a warning (runc 1.2)" {
    requires_field linux.personality
    update_config '.linux.personality = {domain: "LINUX", flags: ["UNKNOWN_FLAG"]}'
    run_cmd uname -m
    assert_success
    assert_line "$(uname -m)"
    assert_output --partial "ignoring unsupported personality flags"
}

@test "personality: an unknown domain is refused naming the field" {
    requires_field linux.personality
    update_config '.linux.personality = {domain: "LINUX64"}'
    assert_refused "linux.personality.domain: invalid personality domain LINUX64"
}

# --- linux.timeOffsets -------------------------------------------------------------------

@test "timeOffsets: the init's time namespace has them, and /proc/uptime is shifted by boottime" {
    requires_field "time namespace"
    with_time_offsets
    set_args sh -c 'cat /proc/self/timens_offsets; cat /proc/uptime'
    local before after
    before=$(cut -d' ' -f1 /proc/uptime)
    run runtime run --bundle "$BUNDLE" "$ID"
    after=$(cut -d' ' -f1 /proc/uptime)
    assert_success
    assert_line --regexp '^monotonic +7881 +2718281$'
    assert_line --regexp '^boottime +86400 +3141519$'
    local inside
    inside=$(tail -n1 <<<"$output" | cut -d' ' -f1)
    # The container's uptime is the host's plus one day, read between the two host reads.
    awk -v b="$before" -v a="$after" -v i="$inside" \
        'BEGIN { d = i - 86400; exit !(d >= b - 0.01 && d <= a + 0.01) }' ||
        fail "uptime inside $inside is not the host's ($before..$after) + 86400"
}

@test "timeOffsets: exec joins the init's time namespace, which is not the host's" {
    requires_field "time namespace"
    with_time_offsets
    set_args sleep 100
    start_detached
    local init_ns
    init_ns=$(readlink "/proc/$(container_pid "$ID")/ns/time")
    [ "$init_ns" != "$(readlink /proc/self/ns/time)" ] || fail "the init is in the host's time namespace"
    run runtime exec "$ID" sh -c 'cat /proc/self/timens_offsets; readlink /proc/self/ns/time'
    assert_success
    assert_line --regexp '^monotonic +7881 +2718281$'
    assert_line --regexp '^boottime +86400 +3141519$'
    assert_line "$init_ns"
}

@test "timeOffsets with a user namespace" {
    requires_field "time namespace"
    use_userns
    with_time_offsets
    run_cmd cat /proc/self/timens_offsets
    assert_success
    assert_line --regexp '^monotonic +7881 +2718281$'
    assert_line --regexp '^boottime +86400 +3141519$'
}

@test "timeOffsets in a rootless container: cradle run by an ordinary user" {
    requires_field "time namespace"
    LF_DIR=$(mktemp -d /tmp/cradle-lf.XXXXXX)
    chmod 755 "$LF_DIR"
    LF_USER=cradle-lf-$$
    test_user_create "$LF_USER" "$LF_DIR/home"
    mkdir -p "$LF_DIR/xdg" "$LF_DIR/bundle"
    install -m 755 "${RUNTIME:-$CRADLE}" "$LF_DIR/runtime"
    cp -a "$BUNDLE/rootfs" "$LF_DIR/bundle/rootfs"
    chown -R "$LF_USER:" "$LF_DIR/xdg" "$LF_DIR/bundle"
    chmod 700 "$LF_DIR/xdg"
    as_lf_user spec --rootless
    BUNDLE=$LF_DIR/bundle update_config '.process.terminal = false
        | .process.args = ["sh", "-c", "cat /proc/self/timens_offsets; id -u"]
        | .linux.namespaces += [{type: "time"}]
        | .linux.timeOffsets = {boottime: {secs: 3600, nanosecs: 5}}'
    chown "$LF_USER:" "$LF_DIR/bundle/config.json"
    # The init writes the offsets as the user, not as root of the host.
    run as_lf_user run "$ID"
    assert_success
    assert_line --regexp '^boottime +3600 +5$'
    assert_line 0
}

@test "a time namespace without offsets starts at zero" {
    requires_field "time namespace"
    update_config '.linux.namespaces += [{type: "time"}]'
    run_cmd cat /proc/self/timens_offsets
    assert_success
    assert_line --regexp '^monotonic +0 +0$'
    assert_line --regexp '^boottime +0 +0$'
}

@test "attack: root in the container cannot change its clocks' offsets" {
    requires_field "time namespace"
    with_time_offsets
    update_config '.process.capabilities |= with_entries(.value += ["CAP_SYS_TIME", "CAP_SYS_ADMIN"])'
    # The namespace has a process: its offsets are frozen, and a new one can be made only
    # for children, which the container's own offsets then do not change.
    set_args sh -c 'echo "monotonic 1 0" >/proc/self/timens_offsets && echo WROTE
        cat /proc/self/timens_offsets'
    run runtime run --bundle "$BUNDLE" "$ID"
    refute_output --partial WROTE
    assert_line --regexp '^monotonic +7881 +2718281$'
}

@test "timeOffsets: refused without a time namespace of the container's own, as runc" {
    requires_field "time namespace"
    update_config '.linux.timeOffsets = {monotonic: {secs: 1}}'
    assert_refused "linux.timeOffsets: time namespace offsets specified, but time namespace isn't enabled in the config"
    update_config '.linux.namespaces += [{type: "time", path: "/proc/self/ns/time"}]'
    assert_refused "linux.timeOffsets: time namespace enabled, but both namespace path and time offsets specified -- you may only provide one"
}

@test "timeOffsets: an unknown clock or a nanosecond count of a second or more is refused" {
    requires_field "time namespace"
    update_config '.linux.namespaces += [{type: "time"}] | .linux.timeOffsets = {realtime: {secs: 1}}'
    assert_refused 'linux.timeOffsets.realtime: unknown clock'
    update_config '.linux.timeOffsets = {boottime: {secs: 1, nanosecs: 1000000000}}'
    assert_refused "linux.timeOffsets.boottime.nanosecs: 1000000000 is not below one second"
    update_config '.linux.timeOffsets = {boottime: {secs: "1"}}'
    assert_refused "linux.timeOffsets.boottime.secs: expected"
}

# --- linux.memoryPolicy ------------------------------------------------------------------

# The policy /proc/self/numa_maps shows for the mapping of the process's executable.
numa_policy_cmd='sed -n "1s/^[0-9a-f]* \(.*\) file=.*/\1/p" /proc/self/numa_maps'

@test "memoryPolicy: bind, interleave, preferred and local on node 0, seen in numa_maps" {
    requires_field linux.memoryPolicy
    local policy want
    for policy in 'MPOL_BIND:0:bind:0' 'MPOL_INTERLEAVE:0:interleave:0' \
        'MPOL_PREFERRED:0:prefer:0' 'MPOL_LOCAL::local' 'MPOL_DEFAULT::default' \
        'MPOL_PREFERRED_MANY:0:prefer (many):0'; do
        IFS=: read -r mode nodes want <<<"$policy"
        update_config --arg m "$mode" --arg n "$nodes" \
            '.linux.memoryPolicy = {mode: $m} + (if $n == "" then {} else {nodes: $n} end)'
        run_cmd sh -c "$numa_policy_cmd"
        assert_success
        assert_output "$want"
    done
}

@test "memoryPolicy: flags reach the kernel, and exec gets the policy too" {
    requires_field linux.memoryPolicy
    update_config '.linux.memoryPolicy = {mode: "MPOL_INTERLEAVE", nodes: "0", flags: ["MPOL_F_STATIC_NODES"]}'
    set_args sleep 100
    start_detached
    run runtime exec "$ID" sh -c "$numa_policy_cmd"
    assert_success
    assert_output "interleave=static:0"
    run grep -m1 -c 'interleave=static:0' "/proc/$(container_pid "$ID")/numa_maps"
    assert_output 1
}

@test "memoryPolicy: a node this host does not have is refused by name, nothing left" {
    requires_field linux.memoryPolicy
    local last
    last=$(sed 's/.*[-,]//' /sys/devices/system/node/online)
    update_config --arg n "$((last + 1))" '.linux.memoryPolicy = {mode: "MPOL_BIND", nodes: $n}'
    assert_refused "linux.memoryPolicy.nodes \"$((last + 1))\": node $((last + 1)) does not exist on this host"
    # With static nodes the kernel judges (set_mempolicy in the init): the error names the
    # field all the same.
    update_config '.linux.memoryPolicy.flags = ["MPOL_F_STATIC_NODES"]'
    assert_refused "linux.memoryPolicy: set_mempolicy MPOL_BIND (nodes \"$((last + 1))\")"
}

@test "memoryPolicy: bad modes, flags and node lists are refused naming the field" {
    requires_field linux.memoryPolicy
    update_config '.linux.memoryPolicy = {mode: "MPOL_FASTEST"}'
    assert_refused 'linux.memoryPolicy.mode: invalid memory policy mode "MPOL_FASTEST"'
    update_config '.linux.memoryPolicy = {nodes: "0"}'
    assert_refused 'linux.memoryPolicy.mode: missing'
    update_config '.linux.memoryPolicy = {mode: "MPOL_BIND", nodes: "0", flags: ["MPOL_F_FAST"]}'
    assert_refused 'linux.memoryPolicy.flags[0]: invalid memory policy flag "MPOL_F_FAST"'
    update_config '.linux.memoryPolicy = {mode: "MPOL_BIND", nodes: "1-0"}'
    assert_refused 'linux.memoryPolicy.nodes: invalid memory policy nodes "1-0": invalid range: 1-0'
    update_config '.linux.memoryPolicy = {mode: "MPOL_BIND", nodes: "0,x"}'
    assert_refused 'linux.memoryPolicy.nodes: invalid memory policy nodes "0,x"'
    update_config '.linux.memoryPolicy = {mode: "MPOL_BIND", nodes: "1024"}'
    assert_refused 'values larger than 1023 are not supported'
    update_config '.linux.memoryPolicy = {mode: "MPOL_BIND"}'
    assert_refused 'linux.memoryPolicy.nodes: MPOL_BIND needs at least one node'
    update_config '.linux.memoryPolicy = {mode: "MPOL_LOCAL", nodes: "0"}'
    assert_refused 'linux.memoryPolicy.nodes: MPOL_LOCAL takes no nodes'
    update_config '.linux.memoryPolicy = {mode: "MPOL_BIND", nodes: "0",
        flags: ["MPOL_F_STATIC_NODES", "MPOL_F_RELATIVE_NODES"]}'
    assert_refused 'MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES are mutually exclusive'
}

@test "features lists the memory policy modes and flags, as runc 1.3" {
    requires_field linux.memoryPolicy
    run runtime features
    assert_success
    run jq -c '.linux.memoryPolicy' <<<"$output"
    assert_output '{"modes":["MPOL_BIND","MPOL_DEFAULT","MPOL_INTERLEAVE","MPOL_LOCAL","MPOL_PREFERRED","MPOL_PREFERRED_MANY","MPOL_WEIGHTED_INTERLEAVE"],"flags":["MPOL_F_NUMA_BALANCING","MPOL_F_RELATIVE_NODES","MPOL_F_STATIC_NODES"]}'
}

# --- the session keyring -----------------------------------------------------------------

# /proc/keys is masked by the default spec.
unmask_keys() {
    update_config '.linux.maskedPaths -= ["/proc/keys"]'
}

# The serial of keyring _ses.$1 among the keys /proc/keys shows inside container $1.
keyring_line() {
    runtime exec "$1" grep " _ses.$1: " /proc/keys
}

@test "each container has its own session keyring _ses.<id>, searchable by its user as runc's" {
    unmask_keys
    set_args sleep 100
    start_detached
    run keyring_line "$ID"
    assert_success
    # runc's init adds search for the keyring's user (KEY_USR_SEARCH) to the kernel's default.
    assert_output --regexp '^[0-9a-f]+ [^ ]+ +[0-9]+ perm 3f1b0000 +0 +0 keyring +_ses\.'"$ID"': '
    local first=${output%% *}
    # The init and an exec'd process possess the same one: /proc/1 and the exec see it.
    run runtime exec "$ID" sh -c "grep -c ' _ses.$ID: ' /proc/keys"
    assert_output 1
    local other
    other=$(new_id other)
    runtime run -d --bundle "$BUNDLE" "$other" >"$BATS_TEST_TMPDIR/other.log" 2>&1 </dev/null
    wait_for_status "$other" 5 running
    run keyring_line "$other"
    assert_success
    [ "${output%% *}" != "$first" ] || fail "two containers share session keyring $first"
}

@test "with a user namespace the session keyring is searchable by others, as runc's" {
    unmask_keys
    use_userns
    set_args sleep 100
    start_detached
    run keyring_line "$ID"
    assert_success
    assert_output --regexp ' perm 3f130008 +[0-9]+ +[0-9]+ keyring +_ses\.'"$ID"': '
}

@test "--no-new-keyring: no session keyring is made for the container" {
    unmask_keys
    set_args sleep 100
    runtime run -d --no-new-keyring --bundle "$BUNDLE" "$ID" >"$BATS_TEST_TMPDIR/run.log" 2>&1 </dev/null
    wait_for_status "$ID" 5 running
    run runtime exec "$ID" grep -c " _ses.$ID: " /proc/keys
    assert_output 0
    # Nor on the host, where root sees every keyring uid 0 owns.
    run grep -c " _ses.$ID: " /proc/keys
    assert_output 0
}

# --- --no-pivot ----------------------------------------------------------------------------

# The mount points the container sees, sorted.
mount_points_cmd='awk "{print \$5}" /proc/self/mountinfo | sort'

@test "--no-pivot: the container's mount table holds its own mounts only, as runc's" {
    set_args sh -c "$mount_points_cmd"
    run runtime run --no-pivot --bundle "$BUNDLE" "$ID"
    assert_success
    local no_pivot=$output
    run runtime run --bundle "$BUNDLE" "$(new_id pivot)"
    assert_success
    # Exactly what pivot_root leaves: no host mount came along (runc 1.1's msMoveRoot
    # detaches them before the MS_MOVE).
    assert_equal "$no_pivot" "$output"
    assert_equal "$(grep -c '^/$' <<<"$no_pivot")" 1
    grep -qv -e '^/$' -e '^/proc' -e '^/dev' -e '^/sys' <<<"$no_pivot" &&
        fail "a mount outside /proc, /dev and /sys: $no_pivot"
    true
}

@test "--no-pivot: cradle's mount table is runc 1.1.5's" {
    is_cradle || skip "compares cradle with runc"
    [ -x /usr/sbin/runc ] || skip "no runc at /usr/sbin/runc"
    set_args sh -c "$mount_points_cmd"
    run runtime run --no-pivot --bundle "$BUNDLE" "$ID"
    assert_success
    local mine=$output
    RUNTIME=/usr/sbin/runc run runtime run --no-pivot --bundle "$BUNDLE" "$(new_id runc)"
    assert_success
    assert_equal "$mine" "$output"
}

@test "--no-pivot refuses a private rootfsPropagation, as runc" {
    set_args true
    local mode
    for mode in private rprivate; do
        update_config --arg m "$mode" '.linux.rootfsPropagation = $m'
        run runtime run --no-pivot --bundle "$BUNDLE" "$ID"
        assert_failure
        assert_output --partial "rootfsPropagation of [r]private is not safe without pivot_root"
        assert_no_trace "$ID"
    done
    update_config '.linux.rootfsPropagation = "rslave"'
    run runtime run --no-pivot --bundle "$BUNDLE" "$ID"
    assert_success
}

@test "attack: under --no-pivot a chroot escape with CAP_SYS_CHROOT reaches no host file" {
    cat >"$BATS_TEST_TMPDIR/esc.c" <<'EOF'
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
/* The classic escape: chroot into a subdirectory while the cwd stays outside it, climb
 * with "..", and make that the root. Then look for the host's files. */
int main(int argc, char **argv)
{
    mkdir("/escape", 0755);
    if (chroot("/escape") < 0) {
        perror("chroot");
        return 1;
    }
    for (int i = 0; i < 64; i++)
        if (chdir("..") < 0)
            break;
    if (chroot(".") < 0) {
        perror("chroot .");
        return 1;
    }
    for (int i = 1; i < argc; i++)
        printf("%s %s\n", argv[i], access(argv[i], F_OK) == 0 ? "REACHABLE" : "absent");
    return 0;
}
EOF
    gcc -static -O2 -o "$BUNDLE/rootfs/esc" "$BATS_TEST_TMPDIR/esc.c" || skip "no static gcc"
    touch "$BATS_TEST_TMPDIR/host-marker"
    update_config '.root.readonly = false
        | .process.capabilities |= with_entries(.value += ["CAP_SYS_CHROOT"])'
    set_args /esc "$BATS_TEST_TMPDIR/host-marker" "$BUNDLE/config.json" "$REPO_ROOT/CMakeLists.txt"
    run runtime run --no-pivot --bundle "$BUNDLE" "$ID"
    assert_success
    assert_line "$BATS_TEST_TMPDIR/host-marker absent"
    assert_line "$BUNDLE/config.json absent"
    assert_line "$REPO_ROOT/CMakeLists.txt absent"
}
