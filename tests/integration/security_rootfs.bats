#!/usr/bin/env bats
# Escapes through the container's root filesystem: what a config, an image or a neighbouring
# container can make the runtime mount or write where it must not. Each attack runs against
# cradle and, where installed, runc and crun; the file ends with a table of who is vulnerable.

load helpers
load security_helpers

setup() {
    common_setup
}

teardown() {
    local pid
    for pid in ${HELPER_PIDS:-}; do
        kill -9 "$pid" 2>/dev/null || true
    done
    common_teardown
    return 0
}

teardown_file() {
    print_attack_table
}

# Runs a container with runtime $1 in the foreground; sets $status and $output. A runtime
# that cannot run any container on this host (crun refuses a hybrid cgroup setup) makes
# the caller record n/a (returns 1).
run_with() {
    RUNTIME=$1 run runtime run --bundle "$BUNDLE" "$(new_id "${2:-atk}")"
    if [[ $output == *"cgroups in hybrid mode not supported"* ]]; then
        record_attack "$ATTACK" "$1" "n/a: $(runtime_name "$1") refuses this hybrid-cgroup host"
        return 1
    fi
    return 0
}

# A default config without the cgroup mount, so that only what the runtime puts at /sys
# decides whether the host's cgroup files can be reached.
without_netns_and_cgroup_mount() {
    update_config '.linux.namespaces |= map(select(.type != "network"))
        | .mounts |= map(select(.type != "cgroup" and .type != "cgroup2"))'
}

# shellcheck disable=SC2016
WRITE_HOST_CGROUPS='for f in /sys/fs/cgroup/pids/cgroup.procs /sys/fs/cgroup/memory/cgroup.procs \
    /sys/fs/cgroup/unified/cgroup.procs /sys/fs/cgroup/cgroup.procs; do
    [ -e "$f" ] && echo $$ 2>/dev/null >"$f" && echo "WROTE $f"; done; true'

@test "issue 6 item 4: without a network namespace the host's cgroup files under /sys stay out of reach" {
    ATTACK="item 4: write host cgroups via /sys (no netns)"
    without_netns_and_cgroup_mount
    set_args sh -c "$WRITE_HOST_CGROUPS"
    local rt
    for rt in $(attack_runtimes); do
        run_with "$rt" || continue
        if [ "$status" -ne 0 ]; then
            record_attack "$ATTACK" "$rt" "n/a: run failed"
            is_cradle_bin "$rt" && fail "cradle failed to run: $output"
            continue
        fi
        if [[ $output == *WROTE* ]]; then
            record_attack "$ATTACK" "$rt" vulnerable
            is_cradle_bin "$rt" && fail "cradle let the container write a host cgroup: $output"
        else
            record_attack "$ATTACK" "$rt" safe
        fi
    done
}

@test "issue 6 item 4: a fresh sysfs, not the host's, at /sys without a network namespace" {
    without_netns_and_cgroup_mount
    run_cmd sh -c 'awk "\$5 == \"/sys\"" /proc/self/mountinfo; ls /sys/fs/cgroup | wc -l'
    assert_success
    assert_line --index 0 --regexp ' / /sys ro,.* - sysfs '
    # The host's hierarchies under /sys/fs/cgroup are not there.
    assert_line --index 1 0
}

@test "issue 6 item 4: in a user namespace without a network namespace /sys is read-only down to every submount" {
    without_netns_and_cgroup_mount
    # The container's root (host uid 100000) must reach the rootfs.
    chmod 755 "$BATS_RUN_TMPDIR" "$BUNDLE"
    update_config '.linux.namespaces += [{type: "user"}]
        | .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
        | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
    run_cmd sh -c "$WRITE_HOST_CGROUPS; awk '\$5 ~ \"^/sys\" && \$6 ~ \"^rw\"' /proc/self/mountinfo | wc -l"
    assert_success
    refute_output --partial WROTE
    # No mount at /sys or below it is writable.
    assert_line --index 0 0
}

# True when binary $1 is the cradle under test.
is_cradle_bin() {
    [ "$(runtime_name "$1")" = cradle ]
}

@test "issue 6 item 8: --no-pivot leaves no host procfs or sysfs for a nested mount" {
    ATTACK="item 8: mount proc/sysfs under --no-pivot"
    # As a non-root user: mapping root in a new user namespace needs CAP_SETFCAP.
    update_config '.process.user = {uid: 1000, gid: 1000}'
    set_args sh -c 'unshare -mrpf sh -c "mount -t proc none /proc && echo PROC-MOUNTED"
        unshare -mrnf sh -c "mount -t sysfs none /sys && echo SYSFS-MOUNTED"; true'
    local rt
    for rt in $(attack_runtimes); do
        RUNTIME=$rt run runtime run --no-pivot --bundle "$BUNDLE" "$(new_id nopivot)"
        if [[ $output == *"cgroups in hybrid mode not supported"* ]]; then
            record_attack "$ATTACK" "$rt" "n/a: $(runtime_name "$rt") refuses this hybrid-cgroup host"
            continue
        fi
        if [[ $output == *MOUNTED* ]]; then
            record_attack "$ATTACK" "$rt" vulnerable
            is_cradle_bin "$rt" && fail "cradle --no-pivot: $output"
        else
            record_attack "$ATTACK" "$rt" safe
        fi
    done
}

# proc or sysfs through a symlink in the image ($1: proc or sys, $2: the type).
symlinked_pseudo_fs_attack() {
    local dir=$1 type=$2 rt
    ATTACK="CVE-2023-27561/28642: /$dir as a symlink"
    rm -rf "${BUNDLE:?}/rootfs/$dir"
    ln -s /symlink "$BUNDLE/rootfs/$dir"
    set_args true
    for rt in $(attack_runtimes); do
        rm -rf "${BUNDLE:?}/rootfs/symlink"
        run_with "$rt" || continue
        if [ "$status" -eq 0 ]; then
            record_attack "$ATTACK" "$rt" vulnerable
            is_cradle_bin "$rt" && fail "cradle mounted $type through the symlink /$dir"
        else
            record_attack "$ATTACK" "$rt" safe
            if is_cradle_bin "$rt"; then
                assert_output --regexp "filesystem .*$type.* must be mounted on ordinary directory"
            fi
        fi
    done
}

@test "CVE-2023-27561/28642 (issue 6 item 9): /proc as a symlink in the rootfs is refused" {
    symlinked_pseudo_fs_attack proc proc
}

@test "CVE-2023-27561/28642 (issue 6 item 9): /sys as a symlink in the rootfs is refused" {
    symlinked_pseudo_fs_attack sys sysfs
}

@test "CVE-2019-16884/19921: binds over procfs, directly or through a symlink in the image, are refused" {
    local fake rt dest
    fake=$(mktemp -d "$BATS_RUN_TMPDIR/fakeproc.XXXXXX")
    echo unconfined >"$fake/current"
    ln -s /proc "$BUNDLE/rootfs/evil"
    for dest in /proc/self/attr /evil/self/attr /evil/sys/kernel; do
        ATTACK="CVE-2019-16884/19921: bind over $dest"
        cp "$BUNDLE/config.json" "$BUNDLE/config.orig"
        update_config --arg src "$fake" --arg dest "$dest" \
            '.mounts += [{destination: $dest, type: "bind", source: $src, options: ["rbind"]}]'
        set_args cat "$dest/current"
        for rt in $(attack_runtimes); do
            run_with "$rt" || continue
            if [ "$status" -eq 0 ] && [[ $output == *unconfined* ]]; then
                record_attack "$ATTACK" "$rt" vulnerable
                is_cradle_bin "$rt" && fail "cradle bound a host dir over procfs at $dest"
            else
                record_attack "$ATTACK" "$rt" safe
            fi
        done
        mv "$BUNDLE/config.orig" "$BUNDLE/config.json"
    done
    rm -rf "$fake"
}

# A rootfs whose /dev (no /dev mount in the config) is a symlink to a host path, or whose
# device nodes are: the runtime must create nothing there on the host.
@test "/dev or its nodes as symlinks to a host path: nothing is written outside the rootfs" {
    local host rt variant
    host=$(mktemp -d "$BATS_RUN_TMPDIR/hostdev.XXXXXX")
    update_config '.mounts |= map(select(.destination != "/dev"))'
    set_args true
    for variant in dev nodes; do
        ATTACK="/dev symlinks out of the rootfs ($variant)"
        for rt in $(attack_runtimes); do
            rm -rf "${BUNDLE:?}/rootfs/dev" "$BUNDLE/rootfs/${host:?}"
            if [ "$variant" = dev ]; then
                ln -s "$host" "$BUNDLE/rootfs/dev"
            else
                mkdir "$BUNDLE/rootfs/dev"
                local node
                for node in null zero full random urandom tty ptmx fd stdin stdout stderr; do
                    ln -s "$host/$node" "$BUNDLE/rootfs/dev/$node"
                done
            fi
            run_with "$rt" || continue
            if [ -n "$(ls -A "$host")" ]; then
                record_attack "$ATTACK" "$rt" vulnerable
                is_cradle_bin "$rt" && fail "cradle wrote into $host: $(ls -A "$host")"
                rm -rf "${host:?}"/*
            else
                record_attack "$ATTACK" "$rt" safe
            fi
        done
    done
    rm -rf "$host"
}

# The exchange helper: swaps $1/d (a directory) and $1/l (a symlink to /) with
# renameat2(RENAME_EXCHANGE) as fast as it can.
build_swapper() {
    cat >"$BATS_TEST_TMPDIR/swap.c" <<'EOF'
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
int main(int argc, char **argv)
{
    if (argc != 2 || chdir(argv[1]) != 0)
        return 1;
    for (;;)
        renameat2(AT_FDCWD, "d", AT_FDCWD, "l", RENAME_EXCHANGE);
}
EOF
    cc -static -O2 -o "$1" "$BATS_TEST_TMPDIR/swap.c"
}

@test "CVE-2021-30465: a mount destination swapped for a symlink to / on a shared volume never reaches the host's /" {
    ATTACK="CVE-2021-30465: symlink-exchange race (100 runs)"
    command -v cc >/dev/null || skip "no C compiler for the exchange helper"
    local volume marker attacker_bundle rt i escaped failures
    volume=$(mktemp -d "$BATS_RUN_TMPDIR/volume.XXXXXX")
    build_swapper "$volume/swap"
    mkdir "$volume/d"
    ln -s / "$volume/l"
    # Only the host's / has it: seen inside a container, the host's root got in.
    marker=/cradle-cve-2021-30465-$$
    touch "$marker"

    # The attacker: a first container that shares the volume and runs the swapper.
    attacker_bundle=$BUNDLE
    update_config --arg v "$volume" '.mounts += [{destination: "/vol", type: "bind", source: $v,
        options: ["rbind"]}]'
    set_args /vol/swap /vol
    local attacker
    attacker=$(new_id attacker)
    run_create "$attacker"
    assert_success
    runtime start "$attacker"
    HELPER_PIDS=$(container_pid "$attacker")

    # The victim: created again and again with a mount whose destination is the swapped path.
    setup_bundle
    update_config --arg v "$volume" '.mounts += [
        {destination: "/vol", type: "bind", source: $v, options: ["rbind"]},
        {destination: "/vol/d", type: "tmpfs", source: "tmpfs", options: ["size=1m"]}]'
    set_args sh -c "if [ -e $marker ]; then echo HOST-ROOT; fi"
    for rt in $(attack_runtimes); do
        escaped=0 failures=0
        for ((i = 0; i < 100; i++)); do
            run_with "$rt" victim || continue 2
            [[ $output == *HOST-ROOT* ]] && escaped=$((escaped + 1))
            [ "$status" -ne 0 ] && failures=$((failures + 1))
        done
        # The host's / itself must not have been covered in the host's mount table.
        if [ "$escaped" -gt 0 ] || [ ! -e "$marker" ]; then
            record_attack "$ATTACK" "$rt" "vulnerable ($escaped/100)"
            is_cradle_bin "$rt" && fail "cradle: host root reached $escaped times"
        else
            record_attack "$ATTACK" "$rt" "safe ($failures/100 refused)"
        fi
    done
    rm -f "$marker"
    runtime delete --force "$attacker"
    HELPER_PIDS=
    rm -rf "$volume" "$attacker_bundle"
}
