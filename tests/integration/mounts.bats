#!/usr/bin/env bats
# Mounts and their flags, masked and read-only paths, devices: checked from inside.

load helpers

setup() {
    common_setup
}

teardown() {
    # Mounts left by a runtime that keeps them (runc without a mount namespace), then ours.
    if [ -n "${ENGINE_MOUNT:-}" ]; then
        while grep -q " $ENGINE_MOUNT[ /]" /proc/self/mountinfo; do
            umount -l "$ENGINE_MOUNT" || break
        done
    fi
    common_teardown
    [ -n "${HOST_DIR:-}" ] && rm -rf "$HOST_DIR"
    if [ -n "${NS_DIR:-}" ]; then
        umount "$NS_DIR/mnt" 2>/dev/null
        umount "$NS_DIR" 2>/dev/null
        rm -rf "$NS_DIR"
    fi
    return 0
}

# The mountinfo line of mount point $2 in output $1.
mountinfo_line() {
    echo "$1" | awk -v mp="$2" '$5 == mp'
}

@test "tmpfs with nosuid,noexec and a size" {
    update_config '.mounts += [{destination: "/scratch", type: "tmpfs", source: "tmpfs",
        options: ["nosuid", "noexec", "nodev", "size=2m", "mode=1770"]}]'
    run_cmd sh -c 'cat /proc/self/mountinfo; stat -c %a /scratch; df -k /scratch | tail -1'
    assert_success
    local line
    line=$(mountinfo_line "$output" /scratch)
    [ -n "$line" ] || fail "no /scratch in mountinfo: $output"
    [[ $line == *" - tmpfs tmpfs "* ]] || fail "not a tmpfs: $line"
    [[ $line =~ [[:space:],]nosuid[[:space:],] ]] || fail "nosuid missing: $line"
    [[ $line =~ [[:space:],]noexec[[:space:],] ]] || fail "noexec missing: $line"
    [[ $line =~ [[:space:],]nodev[[:space:],] ]] || fail "nodev missing: $line"
    [[ $line == *size=2048k* ]] || fail "size missing: $line"
    assert_line 1770
    # df's second column is the size in KiB.
    [ "$(echo "${lines[-1]}" | awk '{print $2}')" = 2048 ]
}

@test "read-only bind mount" {
    HOST_DIR=$(mktemp -d "$BATS_RUN_TMPDIR/bind.XXXXXX")
    echo from-host >"$HOST_DIR/file"
    update_config --arg src "$HOST_DIR" '.mounts += [{destination: "/data", type: "bind",
        source: $src, options: ["rbind", "ro"]}]'
    run_cmd sh -c 'cat /data/file; grep " /data " /proc/self/mountinfo; touch /data/new'
    assert_failure
    assert_line --index 0 from-host
    assert_line --index 1 --regexp ' /data ro[, ]'
    assert_output --partial "Read-only file system"
    [ ! -e "$HOST_DIR/new" ]
}

@test "read-write bind mount writes through to the host" {
    HOST_DIR=$(mktemp -d "$BATS_RUN_TMPDIR/bind.XXXXXX")
    update_config --arg src "$HOST_DIR" '.mounts += [{destination: "/data", type: "bind",
        source: $src, options: ["rbind", "rw"]}]'
    run_cmd sh -c 'echo written > /data/out'
    assert_success
    [ "$(cat "$HOST_DIR/out")" = written ]
}

@test "root.readonly makes / read-only" {
    update_config '.root.readonly = true'
    run_cmd sh -c 'touch /x'
    assert_failure
    assert_output --partial "Read-only file system"
}

@test "masked paths are unreadable" {
    # Files (/proc/keys, /proc/timer_list) are masked with /dev/null, directories
    # (/sys/firmware) with an empty read-only tmpfs. Masked paths missing on this kernel
    # (/proc/kcore, /proc/scsi) are skipped without error.
    run jq -e '.linux.maskedPaths | index("/proc/keys") and index("/sys/firmware")
        and index("/proc/kcore")' "$BUNDLE/config.json"
    assert_success
    [ -s /proc/keys ] || [ -n "$(ls -A /sys/firmware)" ] || skip "nothing to mask on this host"
    run_cmd sh -c 'wc -c < /proc/keys; wc -c < /proc/timer_list; ls -A /sys/firmware | wc -l;
        touch /sys/firmware/x'
    assert_failure
    assert_line --index 0 0
    assert_line --index 1 0
    assert_line --index 2 0
    assert_output --partial "Read-only file system"
}

@test "/proc/sys is read-only" {
    run_cmd sh -c 'grep " /proc/sys " /proc/self/mountinfo; echo x > /proc/sys/kernel/hostname'
    assert_failure
    assert_line --index 0 --regexp ' /proc/sys ro[, ]'
    assert_output --partial "Read-only file system"
}

@test "default devices exist and work" {
    run_cmd sh -c 'echo gone > /dev/null && head -c 4 /dev/zero | wc -c && ls /dev/urandom /dev/tty /dev/full /dev/random'
    assert_success
    assert_line --index 0 4
    refute_output --partial "No such file"
}

@test "linux.devices entry is created with its major:minor and mode" {
    # /dev/full's numbers (1:7) under another name, allowed in the devices cgroup.
    update_config '.linux.devices += [{path: "/dev/cradle-full", type: "c", major: 1, minor: 7,
            fileMode: 438, uid: 0, gid: 0}]
        | .linux.resources.devices += [{allow: true, type: "c", major: 1, minor: 7, access: "rwm"}]'
    run_cmd sh -c 'stat -c "%F %t:%T %a" /dev/cradle-full; echo x > /dev/cradle-full'
    # Writing to /dev/full fails with ENOSPC: proof the node is the real device.
    assert_failure
    assert_line --index 0 "character special file 1:7 666"
    assert_output --partial "No space left on device"
}

@test "nothing from the bundle stays mounted on the host after run" {
    update_config '.mounts += [{destination: "/scratch", type: "tmpfs", source: "tmpfs", options: ["size=1m"]}]'
    local id
    id=$(new_id mnt)
    set_args true
    run runtime run --bundle "$BUNDLE" "$id"
    assert_success
    assert_no_trace "$id"
}

# The host's /sys/fs/cgroup is a tmpfs with a submount per hierarchy: a recursive bind
# of it shows whether read-only reaches the submounts.
@test "rro makes a recursive bind read-only, submounts included; ro only the top" {
    local sub
    sub=$(awk '$5 ~ "^/sys/fs/cgroup/." {print $5; exit}' /proc/self/mountinfo)
    [ -n "$sub" ] || skip "no mount below /sys/fs/cgroup on this host"
    sub=${sub#/sys/fs/cgroup/}
    update_config '.mounts += [
        {destination: "/rro", type: "bind", source: "/sys/fs/cgroup", options: ["rbind", "rro"]},
        {destination: "/ro", type: "bind", source: "/sys/fs/cgroup", options: ["rbind", "ro"]}]'
    run_cmd cat /proc/self/mountinfo
    assert_success
    [[ $(mountinfo_line "$output" /rro) =~ \ ro[,\ ] ]] || fail "/rro: $(mountinfo_line "$output" /rro)"
    [[ $(mountinfo_line "$output" "/rro/$sub") =~ \ ro[,\ ] ]] ||
        fail "/rro/$sub not read-only: $(mountinfo_line "$output" "/rro/$sub")"
    [[ $(mountinfo_line "$output" /ro) =~ \ ro[,\ ] ]] || fail "/ro: $(mountinfo_line "$output" /ro)"
    [[ $(mountinfo_line "$output" "/ro/$sub") =~ \ rw[,\ ] ]] ||
        fail "/ro/$sub should stay rw with plain ro: $(mountinfo_line "$output" "/ro/$sub")"
}

@test "propagation options show in mountinfo" {
    update_config '.mounts += [
        {destination: "/shared", type: "tmpfs", source: "tmpfs", options: ["shared"]},
        {destination: "/private", type: "tmpfs", source: "tmpfs", options: ["private"]}]'
    run_cmd cat /proc/self/mountinfo
    assert_success
    [[ $(mountinfo_line "$output" /shared) == *" shared:"* ]] ||
        fail "/shared is not shared: $(mountinfo_line "$output" /shared)"
    [[ $(mountinfo_line "$output" /private) != *" shared:"* ]] ||
        fail "/private is shared: $(mountinfo_line "$output" /private)"
}

@test "rootfsPropagation rshared makes the container's / shared" {
    # runc 1.1.5 applies rootfsPropagation to the host's / before it binds the rootfs (whose
    # parent it makes private), so the container's / never ends up shared there.
    skip_unless_cradle "runc 1.1.5 does not apply rootfsPropagation to the container's /"
    update_config '.linux.rootfsPropagation = "rshared"'
    run_cmd cat /proc/self/mountinfo
    assert_success
    [[ $(mountinfo_line "$output" /) == *" shared:"* ]] ||
        fail "/ is not shared: $(mountinfo_line "$output" /)"
}

@test "issue 6: a tmpfs keeps the mode of the directory it is mounted on, as runc's does" {
    mkdir -m 0712 "$BUNDLE/rootfs/kept" "$BUNDLE/rootfs/named"
    update_config '.mounts += [
        {destination: "/kept", type: "tmpfs", source: "tmpfs", options: ["nosuid"]},
        {destination: "/named", type: "tmpfs", source: "tmpfs", options: ["mode=750"]},
        {destination: "/fresh", type: "tmpfs", source: "tmpfs"}]'
    run_cmd stat -c '%n %a' /kept /named /fresh
    assert_success
    assert_line '/kept 712'
    assert_line '/fresh 1777'
    # runc 1.1.5 lets the directory's mode win over mode= as well; cradle keeps the option.
    is_runc || assert_line '/named 750'
}

@test "issue 6: a bind mount onto / becomes the container's root" {
    local other
    other=$(mktemp -d "$BATS_RUN_TMPDIR/otherroot.XXXXXX")
    cp -a "$ROOTFS_CACHE/." "$other/"
    echo other-root >"$other/which-root"
    update_config --arg src "$other" '.mounts = [{destination: "/", type: "bind", source: $src,
        options: ["rbind"]}] + .mounts'
    run_cmd sh -c 'cat /which-root; echo > /dev/null && echo devnull-ok'
    rm -rf "$other"
    assert_success
    assert_line other-root
    assert_line devnull-ok
}

@test "issue 6: a config without a /proc mount runs, with run and with create + start" {
    is_runc && skip "runc 1.1.5 needs /proc/self/fd in the container (crun runs it)"
    update_config '.mounts |= map(select(.destination != "/proc"))'
    run_cmd sh -c 'ls /proc | wc -l'
    assert_success
    assert_output 0
    local id
    id=$(new_id noproc)
    set_args true
    run_create "$id"
    assert_success
    runtime start "$id"
    wait_for_status "$id"
    runtime delete "$id"
}

@test "issue 6: rootfsPropagation unbindable with the bundle on the host's / mount" {
    is_runc && skip "runc 1.1.5 cannot bind the rootfs under an unbindable / (crun runs it)"
    [ "$(stat -c %m "$BUNDLE")" = / ] || skip "the bundle is not on the host's / mount here"
    update_config '.linux.rootfsPropagation = "unbindable"'
    run_cmd cat /proc/self/mountinfo
    assert_success
    [[ $(mountinfo_line "$output" /) == *" unbindable"* ]] ||
        fail "/ is not unbindable: $(mountinfo_line "$output" /)"
}

@test "issue 6 item 11: 100,000 mounts are refused at once with a clear error" {
    skip_unless_cradle "a limit of cradle's (runc has none)"
    update_config '.mounts += [range(100000) | {destination: "/m/\(.)", type: "tmpfs",
        source: "tmpfs"}]'
    set_args true
    local id start base
    base=$(jq '.mounts | length - 100000' "$BUNDLE/config.json")
    id=$(new_id many)
    start=$SECONDS
    run timeout 60 "$CRADLE" --root "$STATE_ROOT" run --bundle "$BUNDLE" "$id"
    assert_failure 1
    assert_output --partial "mounts: $((100000 + base)) entries, more than the 4096 cradle sets up"
    # Without the limit the init spends seconds to minutes of kernel time on the mounts.
    [ $((SECONDS - start)) -lt 10 ] || fail "took $((SECONDS - start))s"
    assert_no_trace "$id"
}

@test "issue 6: with a user namespace, a bind source under a directory closed to the container's root is mounted" {
    HOST_DIR=$(mktemp -d "$BATS_RUN_TMPDIR/closed.XXXXXX")
    mkdir "$HOST_DIR/locked" "$HOST_DIR/locked/src"
    echo through-the-parent >"$HOST_DIR/locked/src/file"
    chmod 755 "$HOST_DIR" "$HOST_DIR/locked/src"
    chmod 000 "$HOST_DIR/locked"
    # The container's root (host uid 100000) must reach the rootfs, where it cannot create
    # the mount point.
    chmod 755 "$BATS_RUN_TMPDIR" "$BUNDLE"
    mkdir "$BUNDLE/rootfs/data"
    update_config --arg src "$HOST_DIR/locked/src" '.linux.namespaces += [{type: "user"}]
        | .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
        | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
        | .mounts += [{destination: "/data", type: "bind", source: $src,
            options: ["rbind", "ro"]}]'
    run_cmd cat /data/file
    assert_success
    assert_output through-the-parent
}

@test "issue 6: joining a mount namespace by path builds the rootfs in it" {
    # A mount namespace kept alive by a bind of its nsfs file, in a private mount of the
    # test's own: unshare refuses to bind it on a shared mount.
    NS_DIR=$(mktemp -d "$BATS_RUN_TMPDIR/mntns.XXXXXX")
    mount --bind "$NS_DIR" "$NS_DIR"
    mount --make-private "$NS_DIR"
    touch "$NS_DIR/mnt"
    unshare --mount="$NS_DIR/mnt" true
    update_config --arg p "$NS_DIR/mnt" \
        '.linux.namespaces |= map(if .type == "mount" then .path = $p else . end)'
    run_cmd sh -c 'readlink /proc/self/ns/mnt; ls /bin/busybox'
    assert_success
    # The nsfs file's inode number is the namespace's.
    assert_line --index 0 "mnt:[$(stat -c %i "$NS_DIR/mnt")]"
    assert_line /bin/busybox
}

@test "issue 11 item 2: an empty mount option (buildah's -v SRC:DST) is ignored, as by runc" {
    HOST_DIR=$(mktemp -d "$BATS_RUN_TMPDIR/empty-opt.XXXXXX")
    echo shared >"$HOST_DIR/file"
    update_config --arg src "$HOST_DIR" '.mounts += [{destination: "/data", type: "bind",
        source: $src, options: ["", "rw", "private", "rbind"]}]'
    run_cmd sh -c 'cat /data/file && echo written >/data/new'
    assert_success
    assert_output shared
    [ "$(cat "$HOST_DIR/new")" = written ]
    if command -v runc >/dev/null; then
        RUNTIME=runc STATE_ROOT=$(mktemp -d "$BATS_TEST_TMPDIR/runc.XXXXXX") \
            run_cmd cat /data/file
        assert_success
        assert_output shared
    fi
}

@test "issue 6: without a mount namespace the container runs in the runtime's, which keeps no mount of it" {
    update_config '.linux.namespaces |= map(select(.type != "mount"))
        | .linux.maskedPaths = [] | .linux.readonlyPaths = []'
    # An engine's own mount of the rootfs (its overlay, say) stays: only cradle's go.
    mount --bind "$BUNDLE/rootfs" "$BUNDLE/rootfs"
    ENGINE_MOUNT=$BUNDLE/rootfs
    local host_root host_pseudo
    host_root=$(awk '$5 == "/"' /proc/self/mountinfo)
    host_pseudo=$(awk '$5 == "/proc" || $5 == "/sys"' /proc/self/mountinfo)
    run_cmd sh -c 'ls /bin/busybox; echo > /dev/null && echo devnull-ok'
    assert_success
    assert_line /bin/busybox
    assert_line devnull-ok
    # The host's / and its procfs and sysfs are as they were.
    [ "$(awk '$5 == "/"' /proc/self/mountinfo)" = "$host_root" ]
    [ "$(awk '$5 == "/proc" || $5 == "/sys"' /proc/self/mountinfo)" = "$host_pseudo" ]
    # runc 1.1.5 leaves the container's mounts in its mount namespace.
    is_runc && return 0
    [ "$(grep -c " $BUNDLE/rootfs" /proc/self/mountinfo)" = 1 ] ||
        fail "mounts left: $(grep " $BUNDLE/rootfs" /proc/self/mountinfo)"
}
