#!/usr/bin/env bats
# Issue 6 items 5 and 6: the proc-mount policy judges procfs by what it is, wherever it is
# mounted (a bind's source, identified from the opened fd, as well as its destination),
# allows at /proc what runc 1.1.5 allows there, and its directory fails closed. Each
# attack runs against cradle and, where installed, runc and crun; the file prints who is
# vulnerable. Probes only ever OPEN host sysctls for writing, never write to them.

load helpers
load security_helpers

setup() {
    common_setup
}

teardown() {
    unmount_test_procfs
    common_teardown
    [ -n "${POLICY_DIR:-}" ] && rm -rf "$POLICY_DIR"
    # Never rm -rf into a procfs that failed to unmount.
    if [ -n "${SHARED:-}" ] && ! grep -qF " $SHARED/" /proc/self/mountinfo; then
        rm -rf "$SHARED"
    fi
    return 0
}

# mount_test_procfs DIR: mounts a procfs (of the host's pid namespace) at DIR, made if
# missing; teardown unmounts it.
mount_test_procfs() {
    mkdir -p "$1"
    mount -t proc proc "$1"
    printf '%s\n' "$1" >>"$BATS_TEST_TMPDIR/procfs-mounts"
}

unmount_test_procfs() {
    local mnt
    [ -f "$BATS_TEST_TMPDIR/procfs-mounts" ] || return 0
    while IFS= read -r mnt; do
        umount "$mnt" 2>/dev/null || umount -l "$mnt" || true
    done <"$BATS_TEST_TMPDIR/procfs-mounts"
    rm -f "$BATS_TEST_TMPDIR/procfs-mounts"
}

teardown_file() {
    print_attack_table
}

# Inserts mount $1 (a JSON object) right after the bundle's /proc mount.
add_mount_after_proc() {
    update_config --argjson m "$1" '(.mounts | map(.destination) | index("/proc")) as $proc
        | .mounts |= .[0:$proc + 1] + [$m] + .[$proc + 1:]'
}

# try_attack NAME PROBE: runs the bundle with `sh -c PROBE` on every runtime of
# attack_runtimes; PROBE prints VULNERABLE when the attack worked. Records each outcome;
# cradle's output and outcome are left in CRADLE_OUTPUT and CRADLE_OUTCOME.
try_attack() {
    local name=$1 probe=$2 rt id out outcome
    set_args sh -c "$probe"
    for rt in $(attack_runtimes); do
        id=$(new_id atk)
        out=$(timeout 60 "$rt" --root "$STATE_ROOT" run --bundle "$BUNDLE" "$id" 2>&1 </dev/null) ||
            true
        if grep -q VULNERABLE <<<"$out"; then
            outcome=vulnerable
        elif grep -q "cgroups in hybrid mode not supported" <<<"$out"; then
            outcome="n/a: refuses this hybrid-cgroup host"
        else
            outcome=safe
        fi
        record_attack "$name" "$rt" "$outcome"
        RUNTIME=$rt runtime delete --force "$id" >/dev/null 2>&1 || true
        if [ "$rt" = "$CRADLE" ]; then
            CRADLE_OUTPUT=$out
            CRADLE_OUTCOME=$outcome
        fi
    done
}

# cradle refused the attack's create with one line naming the mount, and left nothing.
assert_cradle_refused() {
    [ "$CRADLE_OUTCOME" = safe ] || fail "cradle is vulnerable: $CRADLE_OUTPUT"
    [[ $CRADLE_OUTPUT == *"$1"* ]] || fail "want \"$1\" in: $CRADLE_OUTPUT"
    [ -z "$(ls -A "$STATE_ROOT")" ] || fail "state left: $(ls -A "$STATE_ROOT")"
}

@test "issue 6 item 5: ns_last_pid bound onto /nslp without CAP_CHECKPOINT_RESTORE is refused" {
    add_mount_after_proc '{"destination": "/nslp", "type": "bind",
        "source": "/proc/sys/kernel/ns_last_pid", "options": ["rbind", "rw"]}'
    try_attack "item 5: ns_last_pid bound rw onto /nslp" 'exec 3<>/nslp && echo VULNERABLE'
    assert_cradle_refused "mount of /nslp denied: its source /proc/sys/kernel/ns_last_pid is on procfs, and no proc-policy rule allows it at /nslp"
}

@test "issue 6 item 5: ns_last_pid bound onto /proc/cpuinfo (an lxcfs rule) is refused" {
    add_mount_after_proc '{"destination": "/proc/cpuinfo", "type": "bind",
        "source": "/proc/sys/kernel/ns_last_pid", "options": ["rbind", "rw"]}'
    try_attack "item 5: ns_last_pid bound rw onto /proc/cpuinfo" \
        'exec 3<>/proc/cpuinfo && echo VULNERABLE'
    assert_cradle_refused "mount of /proc/cpuinfo denied: rule lxcfs-cpuinfo allows only bind from FUSE there, not bind from procfs"
}

@test "issue 6 item 5: the host's core_pattern bound onto /proc/cpuinfo is refused" {
    add_mount_after_proc '{"destination": "/proc/cpuinfo", "type": "bind",
        "source": "/proc/sys/kernel/core_pattern", "options": ["rbind", "rw"]}'
    try_attack "item 5: core_pattern bound rw onto /proc/cpuinfo" \
        'exec 3<>/proc/cpuinfo && echo VULNERABLE'
    assert_cradle_refused "rule lxcfs-cpuinfo allows only bind from FUSE there, not bind from procfs"
}

@test "issue 6 item 5: a second procfs at /myproc (no read-only /myproc/sys) is refused" {
    add_mount_after_proc '{"destination": "/myproc", "type": "proc", "source": "proc"}'
    try_attack "item 5: second procfs at /myproc, rw sys" \
        'exec 3<>/myproc/sys/kernel/core_pattern && echo VULNERABLE'
    assert_cradle_refused "mount of /myproc denied: a procfs outside /proc gets none of the read-only and masked paths of /proc, and no proc-policy rule allows one at /myproc (a rule with"
}

@test "issue 6 item 5: the host's /proc/sys bound at /proc (a procfs subdirectory) is refused" {
    update_config '(.mounts[] | select(.destination == "/proc")) |=
        {destination: "/proc", type: "bind", source: "/proc/sys", options: ["rbind", "rw"]}'
    try_attack "item 5: host /proc/sys bound at /proc" \
        'exec 3<>/proc/kernel/core_pattern && echo VULNERABLE'
    assert_cradle_refused "mount of /proc denied: rule proc allows a bind from procfs only of /proc there, not of /proc/sys"
}

@test "issue 6 item 5: with CAP_CHECKPOINT_RESTORE, ns_last_pid's rule admits only ns_last_pid" {
    update_config '.process.capabilities |= with_entries(.value += ["CAP_CHECKPOINT_RESTORE"])'
    add_mount_after_proc '{"destination": "/proc/sys/kernel/ns_last_pid", "type": "bind",
        "source": "/proc/sys/kernel/core_pattern", "options": ["rbind", "rw"]}'
    try_attack "item 5: core_pattern onto ns_last_pid, with the cap" \
        'exec 3<>/proc/sys/kernel/ns_last_pid && read v </proc/sys/kernel/ns_last_pid &&
         case $v in *[!0-9]*) echo VULNERABLE ;; esac'
    assert_cradle_refused "mount of /proc/sys/kernel/ns_last_pid denied: rule ns_last_pid allows a bind from procfs only of /proc/sys/kernel/ns_last_pid there, not of /proc/sys/kernel/core_pattern"
}

@test "issue 6 item 5: a container with CAP_CHECKPOINT_RESTORE and ns_last_pid reaches nothing else of the host's /proc" {
    skip_unless_cradle "the gated ns_last_pid rule is cradle's"
    update_config '.process.capabilities |= with_entries(.value += ["CAP_CHECKPOINT_RESTORE"])'
    add_mount_after_proc '{"destination": "/proc/sys/kernel/ns_last_pid", "type": "bind",
        "source": "/proc/sys/kernel/ns_last_pid", "options": ["rbind", "rw"]}'
    # ns_last_pid acts on the container's own pid namespace; the file is no way up (not a
    # directory), and the rest of /proc/sys stays read-only.
    run_cmd sh -c 'echo 4999 >/proc/sys/kernel/ns_last_pid && sh -c "echo child=\$\$"
        ls /proc/sys/kernel/ns_last_pid/.. >/dev/null 2>&1 && echo ESCAPED-UP
        (exec 3<>/proc/sys/kernel/core_pattern) 2>/dev/null && echo CORE-PATTERN-WRITABLE
        (exec 3<>/proc/sys/kernel/hostname) 2>/dev/null && echo SYSCTL-WRITABLE; true'
    assert_success
    assert_line child=5000
    refute_line ESCAPED-UP
    refute_line CORE-PATTERN-WRITABLE
    refute_line SYSCTL-WRITABLE
    # And the same rule does not admit the directory around it, nor the file elsewhere.
    update_config '(.mounts[] | select(.destination == "/proc/sys/kernel/ns_last_pid")) |=
        (.destination = "/ckpt/ns_last_pid")'
    run runtime create --bundle "$BUNDLE" "$(new_id dir)"
    assert_failure
    assert_output --partial "mount of /ckpt/ns_last_pid denied: its source /proc/sys/kernel/ns_last_pid is on procfs"
}

@test "issue 6: host /proc bound at /proc without a pid namespace runs, as with runc, and stays masked" {
    update_config '.linux.namespaces -= [{"type": "pid"}]
        | (.mounts[] | select(.destination == "/proc")) |=
          {destination: "/proc", type: "bind", source: "/proc",
           options: ["rbind", "nosuid", "noexec", "nodev"]}'
    set_args sh -c 'test -e /proc/1/comm && echo host-procfs
        (exec 3<>/proc/sys/kernel/core_pattern) 2>/dev/null && echo CORE-PATTERN-WRITABLE
        test -s /proc/kcore && echo KCORE-READABLE; true'
    local rt id out
    for rt in $(attack_runtimes); do
        [ "$(runtime_name "$rt")" = crun ] && continue # refuses this hybrid-cgroup host
        id=$(new_id hostproc)
        out=$(timeout 60 "$rt" --root "$STATE_ROOT" run --bundle "$BUNDLE" "$id" 2>&1 </dev/null) ||
            fail "$(runtime_name "$rt") refused it: $out"
        RUNTIME=$rt runtime delete --force "$id" >/dev/null 2>&1 || true
        [[ $out == *host-procfs* ]] || fail "$(runtime_name "$rt"): no procfs at /proc: $out"
        [[ $out != *CORE-PATTERN-WRITABLE* && $out != *KCORE-READABLE* ]] ||
            fail "$(runtime_name "$rt"): /proc not masked: $out"
    done
    run runtime policy explain --bundle "$BUNDLE"
    assert_success
    assert_line --regexp '^mounts\[[0-9]+\] /proc \(bind-procfs /proc\): allowed by rule proc \(built-in\): '
}

@test "issue 6 item 5: policy explain shows procfs mounts anywhere, their source and the rule" {
    skip_unless_cradle "policy explain"
    add_mount_after_proc '{"destination": "/nslp", "type": "bind",
        "source": "/proc/sys/kernel/ns_last_pid", "options": ["rbind", "rw"]}'
    # An rbind of a directory with no procfs below it (not /tmp, where another test may
    # have mounted one) is not judged.
    update_config --arg dir "$(mktemp -d "$BATS_TEST_TMPDIR/plain.XXXXXX")" \
        '.mounts += [{destination: "/myproc", type: "proc", source: "proc"},
        {destination: "/srv", type: "bind", source: $dir, options: ["rbind"]}]'
    run runtime policy explain --bundle "$BUNDLE"
    assert_failure 1
    assert_line --regexp '^mounts\[[0-9]+\] /proc \(proc\): allowed by rule proc \(built-in\): '
    assert_line --regexp '^mounts\[[0-9]+\] /nslp \(bind-procfs /proc/sys/kernel/ns_last_pid\): denied: mount of /nslp denied: its source /proc/sys/kernel/ns_last_pid is on procfs'
    assert_line --regexp '^mounts\[[0-9]+\] /myproc \(proc\): denied: mount of /myproc denied: a procfs outside /proc'
    refute_output --partial "/srv"
}

# The tests below move the policy directory: use_policy_dir (helpers.bash).

# Each of create, features and policy explain fails at once (no hang), naming $1.
assert_every_command_fails_naming() {
    local id
    id=$(new_id pol)
    local log rc=0
    log=$(mktemp "$BATS_RUN_TMPDIR/create.XXXXXX")
    # Through a file, as run_create: a create that wrongly succeeds leaves an init holding
    # its output open.
    timeout 20 "$CRADLE" --root "$STATE_ROOT" create --bundle "$BUNDLE" "$id" >"$log" 2>&1 \
        </dev/null || rc=$?
    [ "$rc" -ne 0 ] || fail "create succeeded: $(cat "$log")"
    [ "$rc" -ne 124 ] || fail "create hung"
    grep -qF -- "$1" "$log" || fail "want \"$1\" in: $(cat "$log")"
    assert_no_trace "$id"
    run timeout 20 "$CRADLE" features
    assert_failure
    [ "$status" -ne 124 ] || fail "features hung"
    assert_output --partial "$1"
    run timeout 20 "$CRADLE" policy explain --bundle "$BUNDLE"
    assert_failure
    [ "$status" -ne 124 ] || fail "policy explain hung"
    assert_output --partial "$1"
}

@test "issue 6 item 6: a dangling symlink named proc-policy.conf fails closed" {
    use_policy_dir
    ln -s /nonexistent/site-policy "$POLICY_DIR/proc-policy.conf"
    assert_every_command_fails_naming "proc-policy: policy file $POLICY_DIR/proc-policy.conf is a dangling symlink"
}

@test "issue 6 item 6: a dangling symlink named proc-policy.d fails closed" {
    use_policy_dir
    rmdir "$POLICY_DIR/proc-policy.d"
    ln -s /nonexistent/site-policy.d "$POLICY_DIR/proc-policy.d"
    assert_every_command_fails_naming "proc-policy: policy directory $POLICY_DIR/proc-policy.d is a dangling symlink"
}

@test "issue 6 item 6: a dangling symlink named 10-site.conf fails closed" {
    use_policy_dir
    ln -s /nonexistent/10-site.conf "$POLICY_DIR/proc-policy.d/10-site.conf"
    assert_every_command_fails_naming "proc-policy: policy file $POLICY_DIR/proc-policy.d/10-site.conf is a dangling symlink"
}

@test "issue 6 item 6: a FIFO named 10-site.conf fails at once instead of hanging" {
    use_policy_dir
    mkfifo "$POLICY_DIR/proc-policy.d/10-site.conf"
    assert_every_command_fails_naming "proc-policy: policy file $POLICY_DIR/proc-policy.d/10-site.conf is not a regular file"
}

@test "issue 6 item 6: a symlink to a regular policy file is still followed" {
    use_policy_dir
    printf 'remove ns_last_pid\n' >"$POLICY_DIR/site.policy"
    ln -s "$POLICY_DIR/site.policy" "$POLICY_DIR/proc-policy.d/10-site.conf"
    run "$CRADLE" features
    assert_success
    refute_output --partial '\"name\":\"ns_last_pid\"'
}

# Issue 6 item 5 follow-up: a recursive bind (rbind) carries every mount below its source,
# procfs mounts included; each carried procfs is judged as a bind of that procfs to where
# it lands, at create's check and again on the tree actually mounted.

@test "issue 6 item 5 (rbind): an rbind of / at /host, carrying the host's /proc, is refused" {
    update_config '.mounts += [{destination: "/host", type: "bind", source: "/",
        options: ["rbind"]}]'
    try_attack "item 5 rbind: / at /host carries host /proc" \
        'exec 3<>/host/proc/sys/kernel/core_pattern && echo VULNERABLE'
    assert_cradle_refused 'mount of /host denied: as a recursive bind (rbind) it carries the procfs mounted below its source to /host/proc: mount of /host/proc denied: its source /proc is on procfs, and no proc-policy rule allows it at /host/proc (a rule with'
    [[ $CRADLE_OUTPUT == *'destination /host/proc'*'kinds bind-procfs'*'source /proc'*would* ]] ||
        fail "no rule named in: $CRADLE_OUTPUT"
}

@test "issue 6 item 5 (rbind): an rbind of a directory with a procfs mounted below it is refused" {
    SHARED=$(mktemp -d "$BATS_RUN_TMPDIR/shared.XXXXXX")
    mount_test_procfs "$SHARED/sub/proc"
    update_config --arg src "$SHARED" '.mounts += [{destination: "/data", type: "bind",
        source: $src, options: ["rbind"]}]'
    try_attack "item 5 rbind: dir with a procfs below" \
        'exec 3<>/data/sub/proc/sys/kernel/core_pattern && echo VULNERABLE'
    assert_cradle_refused "mount of /data denied: as a recursive bind (rbind) it carries the procfs mounted below its source to /data/sub/proc: mount of /data/sub/proc denied: its source /proc is on procfs"
    is_cradle || return 0
    run runtime policy explain --bundle "$BUNDLE"
    assert_failure 1
    assert_line --regexp "^mounts\[[0-9]+\] /data/sub/proc \(bind-procfs /proc, carried by the rbind of $SHARED at /data\): denied: mount of /data/sub/proc denied: its source /proc is on procfs"
}

@test "issue 6 item 5 (rbind): a plain bind of that directory carries no procfs and runs" {
    SHARED=$(mktemp -d "$BATS_RUN_TMPDIR/shared.XXXXXX")
    mount_test_procfs "$SHARED/sub/proc"
    update_config --arg src "$SHARED" '.mounts += [{destination: "/data", type: "bind",
        source: $src, options: ["bind"]}]'
    try_attack "item 5 rbind: same dir, plain bind (allowed)" \
        'test -e /data/sub/proc/sys && echo VULNERABLE; echo container-ran'
    [ "$CRADLE_OUTCOME" = safe ] || fail "the procfs came along: $CRADLE_OUTPUT"
    [[ $CRADLE_OUTPUT == *container-ran* ]] || fail "cradle refused a plain bind: $CRADLE_OUTPUT"
    run runtime policy explain --bundle "$BUNDLE"
    assert_success
    refute_output --partial /data
}

@test "issue 6 item 5 (rbind): a procfs the rbind picks up after create's check is judged where it is mounted" {
    # The bundle holds the rootfs, on which the init mounts the container's own procfs
    # before this rbind: create's check cannot see it, the tree actually mounted carries
    # it (with a writable sys/: runc's /proc/sys read-only path is not on this copy).
    add_mount_after_proc "$(jq -n --arg src "$BUNDLE" '{destination: "/bundle", type: "bind",
        source: $src, options: ["rbind"]}')"
    if is_cradle; then
        run runtime policy explain --bundle "$BUNDLE"
        assert_success
    fi
    try_attack "item 5 rbind: bundle, own procfs at mount time" \
        'exec 3<>/bundle/rootfs/proc/sys/kernel/core_pattern && echo VULNERABLE'
    assert_cradle_refused "mount of /bundle denied: as a recursive bind (rbind) it carries the procfs mounted below its source to /bundle/rootfs/proc: mount of /bundle/rootfs/proc denied: its source /proc is on procfs"
}

@test "issue 6 item 5 (rbind): a site rule admits a carried procfs, read-only with rro" {
    skip_unless_cradle "proc-policy rules"
    SHARED=$(mktemp -d "$BATS_RUN_TMPDIR/shared.XXXXXX")
    mount_test_procfs "$SHARED/sub/proc"
    printf 'rule shared-proc\n  destination /data/sub/proc\n  kinds bind-procfs\n  source /proc\n' \
        >"$BATS_TEST_TMPDIR/site.conf"
    update_config --arg src "$SHARED" '.mounts += [{destination: "/data", type: "bind",
        source: $src, options: ["rbind"]}]'
    run "$CRADLE" --proc-policy "$BATS_TEST_TMPDIR/site.conf" policy explain --bundle "$BUNDLE"
    assert_failure 1
    assert_output --partial "denied by rule shared-proc ($BATS_TEST_TMPDIR/site.conf:1): mount of /data/sub/proc denied: rule shared-proc allows only read-only mounts"
    update_config '.mounts[-1].options = ["rbind", "rro"]'
    set_args sh -c 'test -e /data/sub/proc/1/comm && echo carried
        (exec 3<>/data/sub/proc/sys/kernel/core_pattern) 2>/dev/null && echo WRITABLE; true'
    run "$CRADLE" --proc-policy "$BATS_TEST_TMPDIR/site.conf" --root "$STATE_ROOT" run \
        --bundle "$BUNDLE" "$(new_id rro)"
    assert_success
    assert_line carried
    refute_line WRITABLE
}

@test "issue 6 item 5: a procfs mounted on a path with a blank in it is identified" {
    SHARED=$(mktemp -d "$BATS_RUN_TMPDIR/shared.XXXXXX")
    mount_test_procfs "$SHARED/my proc"
    # Its root bound at /proc (no pid namespace) is what runc allows there.
    update_config --arg src "$SHARED/my proc" '.linux.namespaces -= [{"type": "pid"}]
        | (.mounts[] | select(.destination == "/proc")) |=
          {destination: "/proc", type: "bind", source: $src,
           options: ["rbind", "nosuid", "noexec", "nodev"]}'
    set_args sh -c 'test -e /proc/1/comm && echo host-procfs'
    local rt id out
    for rt in $(attack_runtimes); do
        [ "$(runtime_name "$rt")" = crun ] && continue # refuses this hybrid-cgroup host
        id=$(new_id blank)
        out=$(timeout 60 "$rt" --root "$STATE_ROOT" run --bundle "$BUNDLE" "$id" 2>&1 </dev/null) ||
            fail "$(runtime_name "$rt") refused it: $out"
        RUNTIME=$rt runtime delete --force "$id" >/dev/null 2>&1 || true
        [[ $out == *host-procfs* ]] || fail "$(runtime_name "$rt"): no procfs at /proc: $out"
    done
    run runtime policy explain --bundle "$BUNDLE"
    assert_success
    assert_line --regexp '^mounts\[[0-9]+\] /proc \(bind-procfs /proc\): allowed by rule proc \(built-in\): '
    # A file of it is told too, and so is its place when an rbind carries it.
    update_config --arg src "$SHARED/my proc/sys/kernel/core_pattern" --arg dir "$SHARED" \
        '.mounts += [{destination: "/cp", type: "bind", source: $src, options: ["bind"]},
                     {destination: "/data", type: "bind", source: $dir, options: ["rbind"]}]'
    run runtime policy explain --bundle "$BUNDLE"
    assert_failure 1
    assert_line --regexp '^mounts\[[0-9]+\] /cp \(bind-procfs /proc/sys/kernel/core_pattern\): denied: '
    assert_line --partial "/data/my proc (bind-procfs /proc, carried by the rbind of $SHARED at /data): denied"
}
