#!/usr/bin/env bats
# Id-mapped mounts (runtime-spec 1.2, as runc 1.2 makes them): mounts[N].uidMappings and
# gidMappings, the "idmap" and "ridmap" options, their errors, and runc 1.2's recursive
# mount options on a submount. A mapping {containerID: C, hostID: H} shows a file the
# filesystem holds as owned by C as owned by H (then seen through the container's user
# namespace, if it has one), and writes H's files as C's.
# runc 1.1.5 has no id-mapped mounts (those tests skip there); crun 1.8.1 maps a mount but
# not the submounts of an rbind and has other words for the errors (those tests skip on crun).

load helpers

setup() {
    common_setup
    HOST_DIR=$(mktemp -d "$BATS_RUN_TMPDIR/idmap.XXXXXX")
    echo from-host >"$HOST_DIR/file"
    chown -R 1000:1000 "$HOST_DIR"
    # A unique hostID per test: the throwaway user namespace of a mapping is found by it.
    UNIQUE_ID=$((200000 + RANDOM))
}

teardown() {
    common_teardown
    if [ -n "${HOLDER:-}" ]; then
        kill -9 "$HOLDER" 2>/dev/null || true
        wait "$HOLDER" 2>/dev/null || true
    fi
    if [ -n "${SUBMOUNT:-}" ]; then
        umount "$SUBMOUNT" 2>/dev/null || true
    fi
    rm -rf "$HOST_DIR"
    return 0
}

is_crun() {
    [ "$(basename "${RUNTIME:-$CRADLE}")" = crun ]
}

requires_idmap() {
    is_runc && skip "runc 1.1.5 has no id-mapped mounts (runc 1.2 has)"
    return 0
}

skip_on_crun() {
    is_crun && skip "crun 1.8.1: $1"
    return 0
}

# Adds a bind of $HOST_DIR at /m with options $1 (a JSON array) and, when $2 is given, the
# uid and gid mapping {containerID: $2, hostID: $3, size: ${4:-1}}.
add_idmapped_bind() {
    local opts=$1
    if [ $# -ge 3 ]; then
        update_config --arg s "$HOST_DIR" --argjson o "$opts" --argjson c "$2" \
            --argjson h "$3" --argjson n "${4:-1}" \
            '.mounts += [{destination: "/m", type: "bind", source: $s, options: $o,
                uidMappings: [{containerID: $c, hostID: $h, size: $n}],
                gidMappings: [{containerID: $c, hostID: $h, size: $n}]}]'
    else
        update_config --arg s "$HOST_DIR" --argjson o "$opts" \
            '.mounts += [{destination: "/m", type: "bind", source: $s, options: $o}]'
    fi
}

# The container gets a user namespace: its root is host uid and gid 100000.
add_userns() {
    chmod 755 "$BATS_RUN_TMPDIR" "$BUNDLE"
    # The container's root may not create the mount point in the host root's rootfs.
    mkdir "$BUNDLE/rootfs/m"
    update_config '.linux.namespaces += [{type: "user"}]
        | .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
        | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
}

# Mounts a tmpfs at $HOST_DIR/sub holding a file "file" owned by 1000 (unmounted in teardown).
add_submount() {
    SUBMOUNT=$HOST_DIR/sub
    mkdir "$SUBMOUNT"
    mount -t tmpfs -o mode=777 tmpfs "$SUBMOUNT"
    echo from-sub >"$SUBMOUNT/file"
    chown 1000:1000 "$SUBMOUNT/file"
}

# Fails when a process lives in a user namespace whose uid_map names host id $1.
assert_no_userns_with() {
    local f
    for f in /proc/[0-9]*/uid_map; do
        if awk -v h="$1" '$2 == h { found = 1 } END { exit !found }' "$f" 2>/dev/null; then
            fail "a process is left in a user namespace mapping $1: $f"
        fi
    done
}

@test "without a user namespace: 1000's files show as the mapping's 0, and root's new files land as 1000" {
    requires_idmap
    add_idmapped_bind '["bind"]' 1000 0
    run_cmd sh -c 'stat -c %u:%g /m/file; cat /m/file; echo new >/m/new; stat -c %u:%g /m/new
        grep " /m " /proc/self/mountinfo'
    assert_success
    assert_line --index 0 0:0
    assert_line --index 1 from-host
    assert_line --index 2 0:0
    assert_line --regexp '^.* /m .*idmapped'
    [ "$(stat -c %u:%g "$HOST_DIR/new")" = 1000:1000 ]
}

@test "with a user namespace: 1000's files show as the container's root, whose new files land as 1000" {
    requires_idmap
    add_userns
    add_idmapped_bind '["rbind"]' 1000 100000
    run_cmd sh -c 'stat -c %u:%g /m/file; echo new >/m/new; stat -c %u:%g /m/new
        stat -c %u /etc/passwd'
    assert_success
    assert_line --index 0 0:0
    assert_line --index 1 0:0
    # The rootfs, owned by the host's root, is unmapped in the container: not id-mapped.
    assert_line --index 2 65534
    [ "$(stat -c %u:%g "$HOST_DIR/new")" = 1000:1000 ]
}

@test "idmap without mappings takes the container's user namespace mappings" {
    requires_idmap
    add_userns
    # The host's root owns the directory: through the mount, the container's root does.
    chown 0:0 "$HOST_DIR"
    chmod 755 "$HOST_DIR"
    chown 5:6 "$HOST_DIR/file"
    add_idmapped_bind '["rbind", "idmap"]'
    run_cmd sh -c 'stat -c %u:%g /m/file; echo new >/m/new'
    assert_success
    assert_output 5:6
    # The container's root writes as the host's root (the mount undoes the user namespace).
    [ "$(stat -c %u:%g "$HOST_DIR/new")" = 0:0 ]
}

@test "idmap without mappings in a user namespace joined by path takes that namespace" {
    requires_idmap
    # A user namespace held by a sleeping process, mapped by hand: 0 is host 100000.
    hold_userns
    chmod 755 "$BATS_RUN_TMPDIR" "$BUNDLE"
    mkdir "$BUNDLE/rootfs/m"
    chown 0:0 "$HOST_DIR"
    chmod 755 "$HOST_DIR"
    chown 5:6 "$HOST_DIR/file"
    update_config --arg p "$USERNS" '.linux.namespaces += [{type: "user", path: $p}]'
    add_idmapped_bind '["rbind", "idmap"]'
    run_cmd sh -c 'stat -c %u:%g /m/file; echo new >/m/new'
    assert_success
    assert_output 5:6
    [ "$(stat -c %u:%g "$HOST_DIR/new")" = 0:0 ]
}

@test "ridmap maps the submounts of an rbind too; idmap only the mount itself" {
    requires_idmap
    skip_on_crun "the submounts of an rbind with mappings are not mounted"
    add_submount
    add_idmapped_bind '["rbind", "ridmap"]' 1000 0
    run_cmd sh -c 'stat -c %u /m/file /m/sub/file; grep " /m/sub " /proc/self/mountinfo'
    assert_success
    assert_line --index 0 0
    assert_line --index 1 0
    assert_line --regexp '^.* /m/sub .*idmapped'

    update_config '.mounts |= map(if .destination == "/m" then .options = ["rbind", "idmap"]
        else . end)'
    run_cmd sh -c 'stat -c %u /m/file /m/sub/file; grep " /m/sub " /proc/self/mountinfo'
    assert_success
    assert_line --index 0 0
    assert_line --index 1 1000
    refute_line --regexp '^.* /m/sub .*idmapped'
}

@test "attack: an id outside the mapping cannot write or chown through the mount (EOVERFLOW)" {
    requires_idmap
    chmod 777 "$HOST_DIR"
    add_idmapped_bind '["bind"]' 1000 0
    # root (mapped) may chown to root only: uid 5 has no id on the filesystem.
    update_config '.process.capabilities.bounding += ["CAP_CHOWN"]
        | .process.capabilities.effective += ["CAP_CHOWN"]
        | .process.capabilities.permitted += ["CAP_CHOWN"]'
    run_cmd sh -c 'chown 5:5 /m/file'
    assert_failure
    assert_output --partial 'Value too large for defined data type'
    # uid 2000 (unmapped) may not create a file even in a directory open to all.
    update_config '.process.user = {uid: 2000, gid: 2000}'
    run_cmd sh -c 'echo x >/m/by-2000'
    assert_failure
    assert_output --partial 'Value too large for defined data type'
    [ ! -e "$HOST_DIR/by-2000" ]
    [ "$(stat -c %u:%g "$HOST_DIR/file")" = 1000:1000 ]
}

@test "attack: the container's root cannot make a host-root setuid file through the mount" {
    requires_idmap
    add_userns
    add_idmapped_bind '["rbind"]' 1000 100000
    update_config '.process.capabilities.bounding += ["CAP_CHOWN", "CAP_FOWNER"]
        | .process.capabilities.effective += ["CAP_CHOWN", "CAP_FOWNER"]
        | .process.capabilities.permitted += ["CAP_CHOWN", "CAP_FOWNER"]'
    run_cmd sh -c 'cp /bin/busybox /m/suid && chmod 4755 /m/suid; chown 1:1 /m/suid'
    assert_failure
    assert_output --partial 'Value too large for defined data type'
    # The setuid file belongs to 1000, never to the host's root.
    [ "$(stat -c %u:%g:%a "$HOST_DIR/suid")" = 1000:1000:4755 ]
}

@test "mappings on a mount that is no bind fail naming mounts[N], leaving nothing behind" {
    requires_idmap
    skip_on_crun "other words"
    local id
    update_config '.mounts += [{destination: "/t", type: "tmpfs", source: "tmpfs",
        uidMappings: [{containerID: 0, hostID: 1000, size: 1}],
        gidMappings: [{containerID: 0, hostID: 1000, size: 1}]}]'
    id=$(new_id)
    run runtime run --bundle "$BUNDLE" "$id"
    assert_failure
    assert_output --regexp 'mounts\[[0-9]+\]: id-mapped mounts are only supported for bind-mounts'
    assert_no_trace "$id"

    update_config '.mounts[-1].options = ["idmap"] | del(.mounts[-1].uidMappings, .mounts[-1].gidMappings)'
    run runtime run --bundle "$BUNDLE" "$id"
    assert_failure
    assert_output --regexp 'mounts\[[0-9]+\]: id-mapped mounts are only supported for bind-mounts'
    assert_no_trace "$id"
}

@test "a uid mapping without a gid mapping, or idmap with neither and no user namespace, fails naming mounts[N]" {
    requires_idmap
    skip_on_crun "other words"
    local id
    id=$(new_id)
    update_config --arg s "$HOST_DIR" '.mounts += [{destination: "/m", type: "bind",
        source: $s, options: ["bind"], uidMappings: [{containerID: 0, hostID: 1000, size: 1}]}]'
    run runtime run --bundle "$BUNDLE" "$id"
    assert_failure
    assert_output --regexp 'mounts\[[0-9]+\]: id-mapped mounts must have both uid and gid mappings specified'
    assert_no_trace "$id"

    update_config '.mounts[-1].options = ["rbind", "ridmap"] | del(.mounts[-1].uidMappings)'
    run runtime run --bundle "$BUNDLE" "$id"
    assert_failure
    assert_output --regexp 'mounts\[[0-9]+\]: id-mapped mounts must have both uid and gid mappings specified'
    assert_no_trace "$id"
}

@test "a bind with filesystem options (crun's idmap=uids=...) fails as in runc 1.2 instead of losing them" {
    is_runc && skip "runc 1.1.5 ignores filesystem options on a bind (runc 1.2 refuses them)"
    skip_on_crun "idmap=uids=... is crun's own syntax"
    local id
    id=$(new_id)
    add_idmapped_bind '["rbind", "idmap=uids=0-1000-1;gids=0-1000-1"]'
    run runtime run --bundle "$BUNDLE" "$id"
    assert_failure
    assert_output --regexp 'mounts\[[0-9]+\]: bind mounts cannot have any filesystem-specific options applied'
    assert_no_trace "$id"
}

@test "a mapping the kernel refuses fails naming the mount; no user namespace process is left" {
    requires_idmap
    skip_on_crun "other words"
    local id
    id=$(new_id)
    # Two ranges over the same container ids: the kernel refuses the uid_map.
    update_config --arg s "$HOST_DIR" --argjson h "$UNIQUE_ID" '.mounts += [{destination: "/m",
        type: "bind", source: $s, options: ["bind"],
        uidMappings: [{containerID: 0, hostID: $h, size: 10}, {containerID: 5, hostID: 1, size: 1}],
        gidMappings: [{containerID: 0, hostID: $h, size: 1}]}]'
    run runtime run --bundle "$BUNDLE" "$id"
    assert_failure
    assert_output --regexp 'mounts\[[0-9]+\] \(/m\): uidMappings: write /proc/[0-9]+/uid_map'
    assert_no_trace "$id"
    assert_no_userns_with "$UNIQUE_ID"
}

@test "the user namespace that carries a mapping lives only while create makes the mount" {
    requires_idmap
    local id pid
    id=$(new_id)
    add_idmapped_bind '["bind"]' 1000 "$UNIQUE_ID"
    set_args sleep 1000
    run_create "$id"
    assert_success
    # The container is created and its init holds the mount: the namespace's helper is gone.
    assert_no_userns_with "$UNIQUE_ID"
    pid=$(container_pid "$id")
    grep -q ' /m .*idmapped' "/proc/$pid/mountinfo"
    runtime delete --force "$id"
    assert_no_trace "$id"
}

@test "two mounts with the same mapping (one user namespace for both) are both mapped" {
    requires_idmap
    mkdir "$HOST_DIR/two"
    chown 1000:1000 "$HOST_DIR/two"
    add_idmapped_bind '["bind"]' 1000 0
    update_config --arg s "$HOST_DIR/two" '.mounts += [{destination: "/n", type: "bind",
        source: $s, options: ["bind"], uidMappings: [{containerID: 1000, hostID: 0, size: 1}],
        gidMappings: [{containerID: 1000, hostID: 0, size: 1}]}]'
    run_cmd sh -c 'stat -c %u /m/file /n'
    assert_success
    assert_output "0
0"
}

@test "an unprivileged caller: id-mapped mounts are refused as by runc 1.2, nothing left" {
    requires_idmap
    skip_on_crun "other words"
    local state
    state=$(mktemp -d "$BATS_RUN_TMPDIR/rootless.XXXXXX")
    chown 65534:65534 "$state"
    chmod 755 "$BATS_RUN_TMPDIR" "$BUNDLE"
    update_config '.linux.namespaces += [{type: "user"}]
        | .linux.uidMappings = [{containerID: 0, hostID: 65534, size: 1}]
        | .linux.gidMappings = [{containerID: 0, hostID: 65534, size: 1}]
        | .mounts |= map(if .options then .options -= ["gid=5"] else . end)'
    add_idmapped_bind '["rbind", "idmap"]'
    chmod 644 "$BUNDLE/config.json"
    run setpriv --reuid=65534 --regid=65534 --clear-groups env XDG_RUNTIME_DIR="$state" \
        "${RUNTIME:-$CRADLE}" --root "$state/root" run --bundle "$BUNDLE" "$(new_id)"
    assert_failure
    assert_output --regexp 'mounts\[[0-9]+\]: id-mapped mounts are not supported for rootless containers'
    [ -z "$(ls -A "$state/root" 2>/dev/null)" ] || fail "left in the state dir: $(ls -A "$state/root")"
}

@test "checkpoint and restore of a container with an id-mapped mount fail, not supported yet; it keeps running" {
    requires_idmap
    skip_on_crun "Debian's crun has no checkpoint"
    local id images
    id=$(new_id)
    images=$(mktemp -d "$BATS_RUN_TMPDIR/images.XXXXXX")
    add_idmapped_bind '["bind"]' 1000 0
    set_args sleep 1000
    runtime run -d --bundle "$BUNDLE" "$id" </dev/null >/dev/null 2>&1
    # criu would bring the bind back unmapped: the container would write as itself.
    run runtime checkpoint --image-path "$images" "$id"
    assert_failure
    assert_output --partial 'not supported yet: checkpoint and restore of an id-mapped mount (mounts['
    assert_equal "$(runtime state "$id" | jq -r .status)" running

    local id2
    id2=$(new_id restored)
    run runtime restore -d --bundle "$BUNDLE" --image-path "$images" "$id2" </dev/null
    assert_failure
    assert_output --partial 'not supported yet: checkpoint and restore of an id-mapped mount (mounts['
    runtime delete --force "$id"
    assert_no_trace "$id2"
}

@test "rro makes every submount of an rbind read-only; ro only the mount itself" {
    # The container's root has no CAP_DAC_OVERRIDE to walk into 1000's directory.
    chmod 755 "$HOST_DIR"
    add_submount
    update_config --arg s "$HOST_DIR" '.mounts += [{destination: "/m", type: "bind",
        source: $s, options: ["rbind", "rro"]}]'
    run_cmd sh -c 'echo x >/m/sub/new'
    assert_failure
    assert_output --partial 'Read-only file system'

    update_config '.mounts[-1].options = ["rbind", "ro"]'
    run_cmd sh -c 'echo x >/m/sub/new && cat /m/sub/new; echo x >/m/new'
    assert_failure
    assert_line --index 0 x
    assert_output --partial 'Read-only file system'
}

@test "a bind whose options only clear flags gets them cleared, as with runc 1.2; a bare bind keeps the source's" {
    is_runc && skip "runc 1.1.5 ignores options that only clear flags on a bind"
    skip_on_crun "a bare bind loses the source's flags too"
    SUBMOUNT=$HOST_DIR/flags
    mkdir "$SUBMOUNT"
    mount -t tmpfs -o nosuid,nodev,noexec tmpfs "$SUBMOUNT"
    update_config --arg s "$SUBMOUNT" '.mounts += [{destination: "/m", type: "bind",
        source: $s, options: ["bind", "exec", "suid"]}, {destination: "/n", type: "bind",
        source: $s, options: ["bind"]}]'
    run_cmd cat /proc/self/mountinfo
    assert_success
    local m n
    m=$(echo "$output" | awk '$5 == "/m" { print $6 }')
    n=$(echo "$output" | awk '$5 == "/n" { print $6 }')
    # As runc 1.2 (mount --bind -o ...): only what the options set; nodev goes too.
    assert_equal "$m" rw,relatime
    assert_equal "$n" rw,nosuid,nodev,noexec,relatime
}

@test "in a user namespace, an option clearing a flag the kernel keeps locked fails, as with runc 1.2" {
    skip_unless_cradle "the source is a procfs file, which only cradle's proc-policy lets a test allow"
    local id policy
    id=$(new_id)
    # A procfs source is opened by the init inside the user namespace, where the kernel
    # locks the nosuid, nodev and noexec of the host's mount.
    chmod 755 "$HOST_DIR"
    SUBMOUNT=$HOST_DIR/proc
    mkdir "$SUBMOUNT"
    mount -t proc -o nosuid,nodev,noexec proc "$SUBMOUNT"
    policy="$BATS_TEST_TMPDIR/policy.conf"
    printf 'rule up\ndestination /up\nkinds bind-procfs\nsource /proc/uptime\naccess ro rw\n' >"$policy"
    add_userns
    touch "$BUNDLE/rootfs/up"
    update_config --arg s "$SUBMOUNT/uptime" '.mounts += [{destination: "/up", type: "bind",
        source: $s, options: ["bind", "exec"]}]'
    run "$CRADLE" --proc-policy "$policy" --root "$STATE_ROOT" run --bundle "$BUNDLE" "$id"
    assert_failure
    assert_output --partial 'remounting /up: option \"exec\" cannot clear a flag the kernel keeps locked on this source'
    assert_no_trace "$id"

    # Setting flags keeps the locked ones, as runc 1.2 does.
    update_config '.mounts[-1].options = ["bind", "ro"]'
    set_args sh -c 'grep " /up " /proc/self/mountinfo'
    run "$CRADLE" --proc-policy "$policy" --root "$STATE_ROOT" run --bundle "$BUNDLE" "$id"
    assert_success
    assert_output --partial ' /up ro,nosuid,nodev,noexec'
}

@test "features: linux.mountExtensions.idmap is enabled; idmap and ridmap are no mountOptions, as in runc 1.2" {
    requires_idmap
    skip_on_crun "crun 1.8.1 reports no mountExtensions"
    run runtime features
    assert_success
    assert_equal "$(echo "$output" | jq -c .linux.mountExtensions)" '{"idmap":{"enabled":true}}'
    assert_equal "$(echo "$output" | jq '.mountOptions | index("idmap"), index("ridmap")')" "null
null"
}
