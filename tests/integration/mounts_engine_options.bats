#!/usr/bin/env bats
# The mount entries engines write into config.json (issue 7), as captured from Podman 4.3
# with a runtime wrapper that copies config.json aside: each is accepted and honoured, and
# an option cradle cannot honour fails with an error naming it. The same file runs against
# runc (RUNTIME=/usr/sbin/runc).

load helpers

setup() {
    common_setup
    HOST_DIR=$(mktemp -d "$BATS_RUN_TMPDIR/host.XXXXXX")
    echo from-host >"$HOST_DIR/file"
}

teardown() {
    common_teardown
    rm -rf "$HOST_DIR"
    return 0
}

# Adds the mount given as a JSON object.
add_mount() {
    update_config --argjson m "$1" '.mounts += [$m]'
}

# The mountinfo line of mount point $2 in output $1.
mountinfo_line() {
    echo "$1" | awk -v mp="$2" '$5 == mp'
}

@test "podman -v SRC:DST, :z, :U and --mount type=volume: rw, rprivate, rbind (nosuid, nodev)" {
    add_mount "$(jq -n --arg s "$HOST_DIR" '{destination: "/v", type: "bind", source: $s,
        options: ["rw", "rprivate", "nosuid", "nodev", "rbind"]}')"
    run_cmd sh -c 'cat /v/file; cat /proc/self/mountinfo'
    assert_success
    assert_line --index 0 from-host
    local line
    line=$(mountinfo_line "$output" /v)
    [[ $line == *" rw,nosuid,nodev"* ]] || fail "flags missing: $line"
}

@test "podman -v SRC:DST:ro,rshared and --mount bind-propagation=rslave" {
    add_mount "$(jq -n --arg s "$HOST_DIR" '{destination: "/v", type: "bind", source: $s,
        options: ["ro", "rshared", "rbind"]}')"
    add_mount "$(jq -n --arg s "$HOST_DIR" '{destination: "/m", type: "bind", source: $s,
        options: ["ro", "rslave", "rbind"]}')"
    run_cmd cat /proc/self/mountinfo
    assert_success
    [[ $(mountinfo_line "$output" /v) == *" ro,"*"shared:"* ]] || fail "/v: $output"
    # rslave of a source no peer group shares is private: only ro shows.
    [[ $(mountinfo_line "$output" /m) == *" ro,"* ]] || fail "/m: $output"
}

@test "podman -v SRC:DST:O: an overlay with lowerdir, upperdir, workdir and private" {
    mkdir -p "$HOST_DIR/upper" "$HOST_DIR/work" "$HOST_DIR/lower"
    echo lower >"$HOST_DIR/lower/file"
    add_mount "$(jq -n --arg h "$HOST_DIR" '{destination: "/o", type: "overlay",
        source: ($h + "/upper"), options: ["lowerdir=" + $h + "/lower",
        "upperdir=" + $h + "/upper", "workdir=" + $h + "/work", "private"]}')"
    run_cmd sh -c 'cat /o/file; echo new >/o/new'
    assert_success
    assert_output lower
    [ "$(cat "$HOST_DIR/upper/new")" = new ]
    [ ! -e "$HOST_DIR/lower/new" ]
}

@test "podman --mount type=devpts: a devpts without options" {
    add_mount '{"destination": "/dev/pts2", "type": "devpts", "source": "devpts"}'
    run_cmd sh -c 'grep " /dev/pts2 " /proc/self/mountinfo'
    assert_success
    assert_output --partial " - devpts "
}

@test "podman's volume options copy and nocopy on a bind are accepted" {
    local opt
    for opt in copy nocopy; do
        update_config '.mounts |= map(select(.destination != "/v"))'
        add_mount "$(jq -n --arg s "$HOST_DIR" --arg o "$opt" '{destination: "/v", type: "bind",
            source: $s, options: ["noexec", "nosuid", "nodev", $o, "rw", "rprivate", "rbind"]}')"
        run_cmd cat /v/file
        assert_success
        assert_output from-host
    done
}

@test "nosymfollow and rnosymfollow: symlinks on the mount are not followed" {
    ln -s file "$HOST_DIR/link"
    add_mount "$(jq -n --arg s "$HOST_DIR" '{destination: "/n", type: "bind", source: $s,
        options: ["rbind", "nosymfollow"]}')"
    add_mount "$(jq -n --arg s "$HOST_DIR" '{destination: "/r", type: "bind", source: $s,
        options: ["rbind", "rnosymfollow"]}')"
    add_mount '{"destination": "/t", "type": "tmpfs", "source": "tmpfs", "options": ["nosymfollow"]}'
    # Each result on stdout (2>&1 per command): the order of the lines is the script's.
    run_cmd sh -c 'ln -s /etc/passwd /t/l
        for f in /n/link /r/link /t/l /n/file; do echo "$f: $(cat "$f" 2>&1)"; done'
    assert_success
    assert_line --regexp '^/n/link: .*Too many levels of symbolic links$'
    assert_line --regexp '^/r/link: .*Too many levels of symbolic links$'
    assert_line --regexp '^/t/l: .*Too many levels of symbolic links$'
    assert_line "/n/file: from-host"
}

@test "acl and noacl are accepted" {
    add_mount '{"destination": "/a", "type": "tmpfs", "source": "tmpfs", "options": ["acl"]}'
    add_mount "$(jq -n --arg s "$HOST_DIR" '{destination: "/b", type: "bind", source: $s,
        options: ["rbind", "noacl"]}')"
    run_cmd cat /b/file
    assert_success
    assert_output from-host
}

@test "podman --mount ...,idmap without a user namespace fails as in runc 1.2, naming the mount" {
    skip_unless_cradle "runc 1.1.5 fails in mount_setattr with EPERM"
    add_mount "$(jq -n --arg s "$HOST_DIR" '{destination: "/m", type: "bind", source: $s,
        options: ["idmap", "rw", "rprivate", "rbind"]}')"
    run_cmd true
    assert_failure
    # With a user namespace the mount takes its mappings (mounts_idmap.bats).
    assert_output --regexp 'mounts\[[0-9]+\]: id-mapped mounts must have both uid and gid mappings specified'
}

@test "an unknown option on a tmpfs fails naming it" {
    skip_unless_cradle "runc passes unknown words to the kernel as data"
    add_mount '{"destination": "/x", "type": "tmpfs", "source": "tmpfs", "options": ["frobnicate"]}'
    run_cmd true
    assert_failure
    assert_output --partial 'unknown mount option \"frobnicate\" for tmpfs on /x'
}

@test "features lists the same mount options as runc 1.1.5" {
    run runtime features
    assert_success
    local ours runc_list
    ours=$(echo "$output" | jq -r '.mountOptions | sort | join(" ")')
    runc_list=$(/usr/sbin/runc features | jq -r '.mountOptions | sort | join(" ")')
    assert_equal "$ours" "$runc_list"
}
