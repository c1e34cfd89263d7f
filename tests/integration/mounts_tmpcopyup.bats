#!/usr/bin/env bats
# tmpcopyup (issue 7): a tmpfs that starts with a copy of what its mountpoint held, as
# runc does; Podman sends it with every --tmpfs and for /run, /tmp, /var/tmp under
# --read-only. The same tests run against runc (RUNTIME=/usr/sbin/runc); where runc 1.1.5
# differs, the test shows what runc does.

load helpers

setup() {
    common_setup
    ROOTFS=$BUNDLE/rootfs
}

teardown() {
    if [ -n "${SWAPPER_PID:-}" ]; then
        kill "$SWAPPER_PID" 2>/dev/null
        wait "$SWAPPER_PID" 2>/dev/null
    fi
    common_teardown
    [ -n "${HOST_DIR:-}" ] && rm -rf "$HOST_DIR"
    return 0
}

# Adds a tmpfs at $1 with the options given as further arguments.
add_tmpfs() {
    local dest=$1
    shift
    update_config --arg d "$dest" '.mounts += [{destination: $d, type: "tmpfs", source: "tmpfs",
        options: $ARGS.positional}]' --args "$@"
}

# A directory tree under the rootfs's /data: files with modes and owners, a subdirectory,
# symlinks (one out of the rootfs by an absolute path, one by ..), a set-uid file.
make_data_tree() {
    local d=$ROOTFS/data
    mkdir -p "$d/sub/deeper"
    chmod 0710 "$d"
    echo hello >"$d/file"
    chmod 0640 "$d/file"
    chown 1000:1001 "$d/file"
    echo visible >"$d/readme"
    echo deep >"$d/sub/deeper/leaf"
    chmod 0604 "$d/sub/deeper/leaf"
    chmod 0751 "$d/sub"
    chown 1002:1003 "$d/sub"
    printf '#!/bin/sh\n' >"$d/sub/setuid"
    chmod 4755 "$d/sub/setuid"
    ln -s /etc/shadow "$d/shadow-link"
    ln -s ../../../ "$d/up-link"
    ln -s file "$d/relative-link"
}

@test "tmpcopyup copies contents, modes, owners and symlinks" {
    make_data_tree
    add_tmpfs /data rw nosuid nodev tmpcopyup
    run_cmd sh -c 'cd /data && for f in . file sub sub/deeper sub/deeper/leaf sub/setuid \
        shadow-link up-link relative-link; do stat -c "%n %a %u:%g %F" "$f"; done
        readlink shadow-link; readlink up-link; readlink relative-link; cat sub/deeper/leaf
        grep " /data " /proc/self/mountinfo'
    assert_success
    assert_line ". 710 0:0 directory"
    assert_line "file 640 1000:1001 regular file"
    assert_line "sub 751 1002:1003 directory"
    assert_line "sub/deeper 755 0:0 directory"
    assert_line "sub/deeper/leaf 604 0:0 regular file"
    assert_line "sub/setuid 4755 0:0 regular file"
    assert_line "shadow-link 777 0:0 symbolic link"
    assert_line "up-link 777 0:0 symbolic link"
    assert_line "relative-link 777 0:0 symbolic link"
    assert_line /etc/shadow
    assert_line ../../../
    assert_line deep
    assert_line --regexp ' /data rw,nosuid,nodev[, ].* - tmpfs '
    # The copy is the container's: the image is untouched by writes to it.
    run_cmd sh -c 'echo changed >/data/sub/deeper/leaf && cat /data/sub/deeper/leaf'
    assert_success
    assert_output changed
    [ "$(cat "$ROOTFS/data/sub/deeper/leaf")" = deep ]
}

@test "tmpcopyup never follows a symlink out of the rootfs while copying" {
    HOST_DIR=$(mktemp -d "$BATS_RUN_TMPDIR/host.XXXXXX")
    echo host-secret >"$HOST_DIR/secret"
    mkdir -p "$ROOTFS/data"
    # Absolute and relative links to a host directory that exists only outside the rootfs.
    ln -s "$HOST_DIR" "$ROOTFS/data/host-abs"
    ln -s "../../../../../../../../../../..$HOST_DIR" "$ROOTFS/data/host-rel"
    ln -s "$HOST_DIR/secret" "$ROOTFS/data/secret-link"
    add_tmpfs /data tmpcopyup
    run_cmd sh -c 'readlink /data/host-abs; readlink /data/host-rel; readlink /data/secret-link
        find /data; cat /data/secret-link /data/host-abs/secret 2>&1; true'
    assert_success
    assert_line "$HOST_DIR"
    assert_line "$HOST_DIR/secret"
    refute_output --partial host-secret
    refute_line /data/host-abs/secret
    refute_line /data/host-rel/secret
    # Nothing was written to or mounted on the host directory.
    [ "$(ls -A "$HOST_DIR")" = secret ]
    ! grep -q " $HOST_DIR " /proc/self/mountinfo
}

@test "a neighbour swapping files for symlinks to the host during the copy never leaks them" {
    HOST_DIR=$(mktemp -d "$BATS_RUN_TMPDIR/host.XXXXXX")
    echo host-secret >"$HOST_DIR/secret"
    mkdir -p "$HOST_DIR/dir" "$ROOTFS/data"
    echo host-dir-secret >"$HOST_DIR/dir/secret"
    local d=$ROOTFS/data
    # Renames are atomic: the copy meets a plain file or directory, or a symlink.
    (
        while :; do
            echo plain >"$d/.f" && mv -fT "$d/.f" "$d/file"
            ln -sfn "$HOST_DIR/secret" "$d/.l" && mv -fT "$d/.l" "$d/file"
            mkdir -p "$d/.d" && echo plain >"$d/.d/secret"
            rm -rf "$d/dir" && mv -T "$d/.d" "$d/dir"
            ln -sfn "$HOST_DIR/dir" "$d/.s" && rm -rf "$d/dir" && mv -fT "$d/.s" "$d/dir"
        done
    ) 2>/dev/null &
    SWAPPER_PID=$!
    add_tmpfs /data tmpcopyup
    set_args sh -c 'cat /data/file /data/dir/secret 2>&1; true'
    local i
    for ((i = 0; i < 30; i++)); do
        # A copy that meets a name in the middle of a swap may fail; it must never follow.
        run runtime run --bundle "$BUNDLE" "$(new_id swap)"
        refute_output --partial host-secret
        refute_output --partial host-dir-secret
    done
}

@test "tmpcopyup on a mountpoint that is a symlink to a host path lands inside the rootfs" {
    HOST_DIR=$(mktemp -d "$BATS_RUN_TMPDIR/host.XXXXXX")
    echo host-secret >"$HOST_DIR/secret"
    echo image-passwd-copy >"$ROOTFS/etc/marker"
    # /etc-link points at the host's /etc by its absolute path; /escape climbs out with "..".
    ln -s /etc "$ROOTFS/etc-link"
    ln -s "../../../../../../../../../../..$HOST_DIR" "$ROOTFS/escape"
    add_tmpfs /etc-link tmpcopyup
    add_tmpfs /escape tmpcopyup
    run_cmd sh -c "cat /etc/marker; ls -A /escape | wc -l
        grep -E ' /etc | $HOST_DIR ' /proc/self/mountinfo | cut -d' ' -f5"
    # runc 1.1.5 does the same (securejoin): both resolve inside the rootfs. /etc-link is
    # the rootfs's /etc, copied up; /escape becomes the rootfs's own $HOST_DIR, created empty.
    assert_success
    assert_line --index 0 image-passwd-copy
    assert_line --index 1 0
    assert_line /etc
    assert_line "$HOST_DIR"
    # The host's directory is untouched, nothing is mounted on the host's /etc.
    [ "$(ls -A "$HOST_DIR")" = secret ]
    [ -d "$ROOTFS$HOST_DIR" ]
    ! grep -q -e " $HOST_DIR " -e " /etc " /proc/self/mountinfo
}

@test "tmpcopyup in a user namespace (rootless Podman): owners are the mapped ones" {
    chmod 755 "$BATS_RUN_TMPDIR" "$BUNDLE"
    update_config '.linux.namespaces += [{type: "user"}]
        | .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
        | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
    make_data_tree
    chown -R 100000:100000 "$ROOTFS/data"
    chown 101000:101001 "$ROOTFS/data/file"
    chown -h 100007:100008 "$ROOTFS/data/shadow-link"
    add_tmpfs /data nosuid tmpcopyup
    run_cmd sh -c 'stat -c "%n %a %u:%g" /data/file /data/shadow-link /data/sub; readlink /data/shadow-link'
    assert_success
    assert_line "/data/file 640 1000:1001"
    assert_line "/data/shadow-link 777 7:8"
    assert_line "/data/sub 751 0:0"
    assert_line /etc/shadow
}

@test "read-only rootfs with Podman's tmpcopyup tmpfs on /run, /tmp and /var/tmp" {
    mkdir -p "$ROOTFS/run/lock" "$ROOTFS/tmp" "$ROOTFS/var/tmp"
    echo kept >"$ROOTFS/tmp/kept"
    chmod 1777 "$ROOTFS/tmp"
    update_config '.root.readonly = true'
    local dir
    for dir in /run /tmp /var/tmp; do
        add_tmpfs "$dir" rw rprivate nosuid nodev tmpcopyup
    done
    run_cmd sh -c 'cat /tmp/kept; stat -c "%n %a" /tmp /run/lock
        touch /tmp/new /var/tmp/new /run/new && echo writable
        touch /new 2>&1; true'
    assert_success
    assert_line --index 0 kept
    assert_line "/tmp 1777"
    assert_line "/run/lock 755"
    assert_line writable
    assert_line --partial "Read-only file system"
    [ ! -e "$ROOTFS/tmp/new" ]
}

@test "tmpcopyup with ro: the copy is there and read-only" {
    make_data_tree
    add_tmpfs /data ro tmpcopyup
    run_cmd sh -c 'cat /data/readme; grep " /data " /proc/self/mountinfo
        touch /data/new 2>&1; true'
    assert_success
    assert_line --index 0 visible
    # runc makes the mount read-only, cradle the tmpfs itself (as for any tmpfs with ro).
    assert_line --regexp ' /data (ro[, ].* - tmpfs |.* - tmpfs tmpfs ro[, ])'
    assert_line --partial "Read-only file system"
}

@test "tmpcopyup with Podman's --tmpfs options: size and mode are applied" {
    make_data_tree
    add_tmpfs /data rw size=1m mode=700 rprivate nosuid nodev tmpcopyup
    run_cmd sh -c 'stat -c %a /data; cat /data/readme; grep " /data " /proc/self/mountinfo'
    assert_success
    # runc 1.1.5 gives the tmpfs the mode of the directory it covers even when the
    # options name one; cradle keeps the named mode (and the directory's when none is).
    if is_runc; then
        assert_line --index 0 710
    else
        assert_line --index 0 700
    fi
    assert_line --index 1 visible
    assert_line --regexp ' /data rw,nosuid,nodev[, ].* - tmpfs .*size=1024k'
}

@test "tmpcopyup with the other flags runc takes on a tmpfs: sync, dirsync, lazytime, acl, iversion, silent" {
    make_data_tree
    add_tmpfs /data tmpcopyup sync dirsync lazytime acl iversion silent noexec
    run_cmd sh -c 'cat /data/readme; grep " /data " /proc/self/mountinfo'
    assert_success
    assert_line --index 0 visible
    assert_line --regexp ' /data rw,noexec[, ].* - tmpfs tmpfs rw,sync,dirsync,lazytime'
}

@test "a copy that does not fit fails the create and leaves nothing behind" {
    make_data_tree
    head -c 262144 /dev/zero >"$ROOTFS/data/big"
    add_tmpfs /data size=64k tmpcopyup
    set_args true
    local id
    id=$(new_id)
    run_create "$id"
    assert_failure
    assert_output --partial tmpcopyup
    run runtime delete --force "$id"
    assert_no_trace "$id"
    # The image is as it was.
    [ "$(stat -c %s "$ROOTFS/data/big")" = 262144 ]
    [ "$(cat "$ROOTFS/data/sub/deeper/leaf")" = deep ]
}

@test "no descriptor of the copy reaches the container" {
    make_data_tree
    mkdir -p "$ROOTFS/data/a/b/c/d/e/f"
    add_tmpfs /data tmpcopyup
    # ls's own directory fd is the one above stdio.
    run_cmd sh -c 'ls /proc/self/fd | sort -n | tr "\n" " "'
    assert_success
    assert_output "0 1 2 3 "
}

@test "fifos are copied as fifos (runc 1.1.5 fails on them)" {
    mkdir -p "$ROOTFS/data"
    mkfifo -m 0620 "$ROOTFS/data/fifo"
    add_tmpfs /data tmpcopyup
    run_cmd stat -c "%n %a %F" /data/fifo
    if is_runc; then
        assert_failure
        assert_output --partial "lchown"
        return
    fi
    assert_success
    assert_output "/data/fifo 620 fifo"
}

@test "modification times are kept (runc 1.1.5 gives the copies the time of the copy)" {
    make_data_tree
    touch -h -d "2001-02-03 04:05:06 UTC" "$ROOTFS/data/file" "$ROOTFS/data/shadow-link"
    touch -d "2001-02-03 04:05:06 UTC" "$ROOTFS/data/sub"
    add_tmpfs /data tmpcopyup
    run_cmd stat -c "%n %Y" /data/file /data/shadow-link /data/sub
    assert_success
    if is_runc; then
        refute_line "/data/file 981173106"
        return
    fi
    assert_line "/data/file 981173106"
    assert_line "/data/shadow-link 981173106"
    assert_line "/data/sub 981173106"
}

@test "notmpcopyup mounts an empty tmpfs (runc 1.1.5 passes it to the kernel, which refuses it)" {
    make_data_tree
    add_tmpfs /data notmpcopyup
    run_cmd sh -c 'ls -A /data | wc -l'
    if is_runc; then
        assert_failure
        return
    fi
    assert_success
    assert_output 0
}

@test "tmpcopyup on a bind mount is refused naming the option (runc ignores it)" {
    skip_unless_cradle "runc ignores tmpcopyup on a bind mount"
    HOST_DIR=$(mktemp -d "$BATS_RUN_TMPDIR/host.XXXXXX")
    update_config --arg src "$HOST_DIR" '.mounts += [{destination: "/data", type: "bind",
        source: $src, options: ["rbind", "tmpcopyup"]}]'
    run_cmd true
    assert_failure
    assert_output --partial 'mount option \"tmpcopyup\" applies only to tmpfs'
}

@test "Podman's volume option copy on a bind mount is accepted, as runc and crun do" {
    HOST_DIR=$(mktemp -d "$BATS_RUN_TMPDIR/host.XXXXXX")
    echo from-host >"$HOST_DIR/file"
    update_config --arg src "$HOST_DIR" '.mounts += [{destination: "/data", type: "bind",
        source: $src, options: ["noexec", "nosuid", "nodev", "copy", "rw", "rprivate", "rbind"]}]'
    run_cmd cat /data/file
    assert_success
    assert_output from-host
}

@test "features lists tmpcopyup" {
    run runtime features
    assert_success
    echo "$output" | jq -e '.mountOptions | index("tmpcopyup")'
}
