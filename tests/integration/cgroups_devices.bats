#!/usr/bin/env bats
# Device rules enforced for real: the config's linux.resources.devices followed by runc's
# default allowed devices, through the v1 devices controller (this host: hybrid) or an eBPF
# program on cgroup2 (the pure v2 guest: tests/vm/run-in-cgroup2.sh). Each container gets
# CAP_MKNOD, makes a block device node (7:0) in its /dev and tries to open it; /dev/null and
# /dev/zero must keep working. Run against cradle, runc and crun where they agree; where
# they differ the other runtimes' outcome is printed, not asserted.
#
# In the guest: tests/vm/run-in-cgroup2.sh env CRADLE=$PWD/build-NAME/cradle \
#     bats tests/integration/cgroups_devices.bats

load helpers

setup() {
    common_setup
    IO_DIR=$(mktemp -d "$BATS_RUN_TMPDIR/io.XXXXXX")
    cat >"$BUNDLE/rootfs/probe.sh" <<'EOF'
#!/bin/sh
# One line per check: "WHAT ok", "WHAT EPERM" or "WHAT other: MESSAGE".
try() {
    what=$1
    shift
    if msg=$("$@" 2>&1); then
        echo "$what ok"
    else
        case $msg in
        *"not permitted"*) echo "$what EPERM" ;;
        *) echo "$what other: $msg" ;;
        esac
    fi
}
[ -e /dev/blk ] || try mknod mknod /dev/blk b 7 0
try read sh -c ': </dev/blk'
try write sh -c ': >/dev/blk'
try rw sh -c ': <>/dev/blk'
try null sh -c 'echo x >/dev/null'
try zero sh -c 'head -c 1 /dev/zero >/dev/null'
EOF
    chmod +x "$BUNDLE/rootfs/probe.sh"
    update_config '.process.capabilities |= with_entries(.value += ["CAP_MKNOD"])
        | .mounts += [{destination: "/io", type: "bind", source: "'"$IO_DIR"'",
                       options: ["rbind", "rw"]}]'
}

teardown() {
    local rt id
    for rt in $(runtimes); do
        for id in $(rt_run "$rt" list -q 2>/dev/null); do
            rt_run "$rt" delete --force "$id" >/dev/null 2>&1 || true
        done
    done
    common_teardown
}

# cradle, then runc and crun when installed.
runtimes() {
    echo "$CRADLE"
    command -v runc crun 2>/dev/null || true
}

# Runs runtime $1 with its own state dir and the global flags in $RT_FLAGS.
rt_run() {
    local rt=$1
    shift
    mkdir -p "$STATE_ROOT/$(basename "$rt")"
    # shellcheck disable=SC2086 # RT_FLAGS holds whole words
    "$rt" --root "$STATE_ROOT/$(basename "$rt")" ${RT_FLAGS:-} "$@"
}

# Runs probe.sh in a container of runtime $1; sets $out to what it printed.
probe_with() {
    set_args /probe.sh
    out=$(rt_run "$1" run --bundle "$BUNDLE" "$(new_id probe)" 2>&1 </dev/null) ||
        fail "$(basename "$1") run failed: $out"
}

# expect WHAT VERDICT: the line of $out for WHAT says VERDICT ("ok", "EPERM"), or "!EPERM"
# for any outcome but a permission error (the kernel may have no such device: ENXIO).
expect() {
    local line
    line=$(grep "^$1 " <<<"$out") || fail "$rt_name: no '$1' line in: $out"
    case $2 in
    '!EPERM') [[ $line != "$1 EPERM" ]] ;;
    *) [[ $line == "$1 $2" ]] ;;
    esac || fail "$rt_name: expected '$1 $2', got '$line' in: $out"
}

has_v1_devices() {
    [ -d /sys/fs/cgroup/devices ]
}

is_pure_v2() {
    [ -f /sys/fs/cgroup/cgroup.controllers ]
}

# The cgroup directory of container $2 of runtime $1 in hierarchy $3 ("devices", or ""
# for cgroup2), from its init's /proc/PID/cgroup.
cgroup_dir_of() {
    local pid path
    pid=$(rt_run "$1" state "$2" | jq -r .pid)
    if [ -z "$3" ]; then
        path=$(awk -F: '$1 == 0 { print $3 }' "/proc/$pid/cgroup")
        is_pure_v2 && echo "/sys/fs/cgroup$path" || echo "/sys/fs/cgroup/unified$path"
    else
        path=$(awk -F: -v c="$3" '$2 == c { print $3 }' "/proc/$pid/cgroup")
        echo "/sys/fs/cgroup/$3$path"
    fi
}

# How many BPF_CGROUP_DEVICE programs are attached directly to cgroup2 directory $1
# (BPF_PROG_QUERY; bpftool is not installed).
attached_device_programs() {
    python3 - "$1" <<'EOF'
import ctypes, os, struct, sys
BPF_PROG_QUERY, BPF_CGROUP_DEVICE, SYS_BPF = 16, 6, 321
libc = ctypes.CDLL(None, use_errno=True)
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)
ids = (ctypes.c_uint32 * 64)()
attr = ctypes.create_string_buffer(128)
struct.pack_into("=IIIIQI", attr, 0, fd, BPF_CGROUP_DEVICE, 0, 0, ctypes.addressof(ids), 64)
if libc.syscall(SYS_BPF, BPF_PROG_QUERY, attr, 128) < 0:
    sys.exit("BPF_PROG_QUERY: " + os.strerror(ctypes.get_errno()))
print(struct.unpack_from("=I", attr, 24)[0])
EOF
}

# Starts a container of runtime $1 (id $2) whose init probes into /io/before, waits for
# /io/go-N, probes into /io/after-N, for N = 1, 2, ...
start_probing_container() {
    set_args sh -c '/probe.sh >/io/before.tmp && mv /io/before.tmp /io/before
        n=1
        while :; do
            while [ ! -e /io/go-$n ]; do sleep 0.05; done
            /probe.sh >/io/after.tmp && mv /io/after.tmp /io/after-$n
            n=$((n + 1))
        done'
    rm -f "$IO_DIR"/*
    rt_run "$1" run -d --bundle "$BUNDLE" "$2" </dev/null >/dev/null 2>&1 ||
        fail "$(basename "$1"): run -d failed"
    wait_for_file "$IO_DIR/before"
}

wait_for_file() {
    local i
    for ((i = 0; i < 600; i++)); do
        [ -e "$1" ] && return 0
        sleep 0.05
    done
    fail "$1 did not appear"
}

@test "deny-all config (runc spec's): a block device made with CAP_MKNOD cannot be opened; /dev/null and /dev/zero work" {
    for rt in $(runtimes); do
        rt_name=$(basename "$rt")
        probe_with "$rt"
        expect mknod ok
        expect read EPERM
        expect write EPERM
        expect rw EPERM
        expect null ok
        expect zero ok
    done
}

@test "without linux.resources the default device rules still apply (runc does; crun applies none)" {
    update_config 'del(.linux.resources)'
    for rt in $(runtimes); do
        rt_name=$(basename "$rt")
        probe_with "$rt"
        if [ "$rt_name" = crun ]; then
            echo "# crun without linux.resources: $(grep '^read ' <<<"$out")" >&3
            continue
        fi
        expect mknod ok
        expect read EPERM
        expect null ok
        expect zero ok
    done
}

@test "v1 devices.list holds runc's default rules, the same for cradle and runc; nothing attached to the hybrid cgroup2" {
    has_v1_devices || skip "no v1 devices controller (pure cgroup v2: eBPF)"
    set_args sleep 1000
    local lists=() rt id dir
    for rt in "$CRADLE" runc; do
        id=$(new_id list)
        rt_run "$rt" run -d --bundle "$BUNDLE" "$id" </dev/null >/dev/null 2>&1 || fail "$rt: run -d"
        lists+=("$(cat "$(cgroup_dir_of "$rt" "$id" devices)/devices.list")")
        if [ -d /sys/fs/cgroup/unified ]; then
            dir=$(cgroup_dir_of "$rt" "$id" "")
            [ "$(attached_device_programs "$dir")" = 0 ] || fail "$rt attached eBPF to $dir"
        fi
        rt_run "$rt" delete --force "$id"
    done
    [ "${lists[0]}" = "${lists[1]}" ] || fail "cradle: ${lists[0]}; runc: ${lists[1]}"
    [ "${lists[0]}" = "b *:* m
c *:* m
c 1:3 rwm
c 1:5 rwm
c 1:7 rwm
c 1:8 rwm
c 1:9 rwm
c 5:0 rwm
c 5:2 rwm
c 10:200 rwm
c 136:* rwm" ] || fail "devices.list: ${lists[0]}"
}

@test "an explicitly allowed device can be opened, for the access allowed" {
    update_config '.linux.resources.devices = [{allow: false, access: "rwm"},
        {allow: true, type: "b", major: 7, minor: 0, access: "r"}]'
    for rt in $(runtimes); do
        rt_name=$(basename "$rt")
        probe_with "$rt"
        expect read '!EPERM'
        expect write EPERM
        expect rw EPERM
        expect null ok
    done
}

@test "allow-all then a deny rule: only the denied access is refused (an open for rw too)" {
    update_config '.linux.resources.devices = [{allow: true, access: "rwm"},
        {allow: false, type: "b", major: 7, minor: 0, access: "w"}]'
    for rt in $(runtimes); do
        rt_name=$(basename "$rt")
        probe_with "$rt"
        expect read '!EPERM'
        expect write EPERM
        if [ "$rt_name" != cradle ]; then
            # runc 1.1's eBPF filter lets an rw open through a deny of "w" (v1 refuses it).
            echo "# $rt_name, allow all + deny b 7:0 w: $(grep '^rw ' <<<"$out")" >&3
            continue
        fi
        expect rw EPERM
    done
}

@test "a rule punching a hole in a wildcard rule is refused, as runc refuses it" {
    update_config '.linux.resources.devices = [{allow: false, access: "rwm"},
        {allow: true, type: "c", access: "rwm"},
        {allow: false, type: "c", major: 1, minor: 3, access: "r"}]'
    set_args true
    run rt_run "$CRADLE" run --bundle "$BUNDLE" "$(new_id hole)"
    assert_failure
    assert_output --partial "cannot punch hole in existing wildcard rule [c *:* rwm]"
    [ -z "$(ls -A "$STATE_ROOT/cradle")" ] || fail "state left: $(ls -A "$STATE_ROOT/cradle")"
    if command -v runc >/dev/null; then
        run rt_run runc run --bundle "$BUNDLE" "$(new_id hole)"
        assert_failure
        assert_output --partial "cannot punch hole in existing wildcard rule"
    fi
}

@test "update -r with new device rules: they hold inside the running container; one program stays attached" {
    local id dir
    id=$(new_id upd)
    rt_name=cradle
    start_probing_container "$CRADLE" "$id"
    out=$(cat "$IO_DIR/before")
    expect read EPERM

    echo '{"devices": [{"allow": false, "access": "rwm"},
        {"allow": true, "type": "b", "major": 7, "minor": 0, "access": "rw"}]}' >"$IO_DIR/r1.json"
    run rt_run "$CRADLE" update -r "$IO_DIR/r1.json" "$id"
    assert_success
    touch "$IO_DIR/go-1"
    wait_for_file "$IO_DIR/after-1"
    out=$(cat "$IO_DIR/after-1")
    expect read '!EPERM'
    expect write '!EPERM'
    expect null ok
    if has_v1_devices; then
        grep -qx 'b 7:0 rw' "$(cgroup_dir_of "$CRADLE" "$id" devices)/devices.list"
    else
        dir=$(cgroup_dir_of "$CRADLE" "$id" "")
        [ "$(attached_device_programs "$dir")" = 1 ] || fail "programs: $(attached_device_programs "$dir")"
    fi

    echo '{"devices": [{"allow": false, "access": "rwm"}]}' >"$IO_DIR/r2.json"
    run rt_run "$CRADLE" update -r "$IO_DIR/r2.json" "$id"
    assert_success
    touch "$IO_DIR/go-2"
    wait_for_file "$IO_DIR/after-2"
    out=$(cat "$IO_DIR/after-2")
    expect read EPERM
    expect null ok
    expect zero ok
    if has_v1_devices; then
        run grep '^b 7:0' "$(cgroup_dir_of "$CRADLE" "$id" devices)/devices.list"
        assert_failure
    else
        [ "$(attached_device_programs "$dir")" = 1 ] || fail "programs: $(attached_device_programs "$dir")"
    fi
}

@test "update of other limits keeps the device rules and a single program (cradle and runc)" {
    is_pure_v2 || has_v1_devices || skip "no devices controller"
    local id dir rt
    for rt in "$CRADLE" runc; do
        rt_name=$(basename "$rt")
        id=$(new_id keep)
        start_probing_container "$rt" "$id"
        run rt_run "$rt" update --pids-limit 50 "$id"
        assert_success
        touch "$IO_DIR/go-1"
        wait_for_file "$IO_DIR/after-1"
        out=$(cat "$IO_DIR/after-1")
        expect read EPERM
        expect null ok
        if is_pure_v2; then
            dir=$(cgroup_dir_of "$rt" "$id" "")
            [ "$(attached_device_programs "$dir")" = 1 ] ||
                fail "$rt_name programs: $(attached_device_programs "$dir")"
        fi
        rt_run "$rt" delete --force "$id"
    done
}

@test "--systemd-cgroup: the rules hold in the scope, with one program attached (cradle and runc)" {
    [ -d /run/systemd/system ] || skip "systemd is not running (tests/vm/run-in-cgroup2.sh --systemd)"
    is_pure_v2 || skip "checked on pure cgroup v2"
    local id dir rt
    RT_FLAGS=--systemd-cgroup
    for rt in "$CRADLE" runc; do
        rt_name=$(basename "$rt")
        id=$(new_id sd)
        update_config --arg path "system.slice:$rt_name-dev:$id" '.linux.cgroupsPath = $path'
        start_probing_container "$rt" "$id"
        out=$(cat "$IO_DIR/before")
        expect read EPERM
        expect null ok
        dir=$(cgroup_dir_of "$rt" "$id" "")
        [ "$(attached_device_programs "$dir")" = 1 ] ||
            fail "$rt_name programs: $(attached_device_programs "$dir")"
        rt_run "$rt" delete --force "$id"
    done
}
