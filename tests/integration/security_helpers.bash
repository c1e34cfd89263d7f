# Shared by the security_*.bats files: each attack runs against cradle and, where they are
# installed, runc and crun; the outcome of each is recorded and the file prints a table of
# who is vulnerable when it ends (teardown_file calls print_attack_table).

# The runtimes an attack is tried on: cradle (the build under test) first, then runc and
# crun when installed. One path per line.
attack_runtimes() {
    echo "$CRADLE"
    local other
    for other in runc crun; do
        command -v "$other" 2>/dev/null || true
    done
}

# A short name for runtime binary $1 (cradle, runc, crun).
runtime_name() {
    basename "$1"
}

# record_attack ATTACK RUNTIME OUTCOME: OUTCOME is "vulnerable", "safe" or "n/a: why".
record_attack() {
    printf '%s\t%s\t%s\n' "$1" "$(runtime_name "$2")" "$3" >>"$BATS_FILE_TMPDIR/attack-table"
}

# Prints the table of attacks and outcomes to the terminal (fd 3), one row per attack.
print_attack_table() {
    local table=$BATS_FILE_TMPDIR/attack-table
    [ -s "$table" ] || return 0
    {
        echo "# who is vulnerable ($(basename "$BATS_TEST_FILENAME")):"
        awk -F'\t' '{ key = $1; if (!(key in seen)) { order[n++] = key; seen[key] = 1 }
                      row[key] = row[key] sprintf("  %s: %s", $2, $3) }
                    END { for (i = 0; i < n; i++) printf "#   %-45s%s\n", order[i], row[order[i]] }' "$table"
    } >&3
}

# The attacks run copies of the runtimes: setup empties $USED (a file under
# $BATS_TEST_TMPDIR), use_runtime adds each copy and its state dir to it, and teardown calls
# delete_used_runtimes.

# use_runtime BINARY: the tests run a copy of BINARY (named like it, in its own dir), with
# its own state dir; RUNTIME and STATE_ROOT point at them, SUM is the copy's checksum.
use_runtime() {
    local name dir
    name=$(runtime_name "$1")
    dir=$(mktemp -d "$BATS_TEST_TMPDIR/bin-$name.XXXXXX")
    cp "$1" "$dir/$name"
    RUNTIME=$dir/$name
    STATE_ROOT=$(mktemp -d "$BATS_TEST_TMPDIR/state-$name.XXXXXX")
    SUM=$(sha256sum <"$RUNTIME")
    echo "$RUNTIME $STATE_ROOT" >>"$USED"
}

# Deletes what each runtime copy made (by that runtime), then its state dir.
delete_used_runtimes() {
    local rt root id
    while read -r rt root; do
        for id in $("$rt" --root "$root" list -q 2>/dev/null); do
            "$rt" --root "$root" delete --force "$id" >/dev/null 2>&1 || true
        done
        rm -rf "$root"
    done <"$USED"
}

# new_bundle: a fresh bundle (busybox rootfs, the runtime's own spec, no terminal) whose
# path is left in BUNDLE.
new_bundle() {
    "$REPO_ROOT/tests/fixtures/make-busybox-rootfs.sh" "$ROOTFS_CACHE"
    BUNDLE=$(mktemp -d "$BATS_TEST_TMPDIR/bundle.XXXXXX")
    chmod 755 "$BUNDLE"
    cp -a "$ROOTFS_CACHE" "$BUNDLE/rootfs"
    (cd "$BUNDLE" && "$RUNTIME" spec)
    update_config '.process.terminal = false'
}

# Why the runtime under test cannot run a trivial container on this host (crun refuses
# hybrid cgroup hosts), or nothing when it can.
unusable_reason() {
    new_bundle
    set_args true
    local out
    out=$(runtime run --bundle "$BUNDLE" "$(new_id probe)" 2>&1 </dev/null 3>&-) && return 0
    echo "${out##*$'\n'}" | cut -c1-40
}

# Tries each attack runtime in turn: sets RUNTIME (a copy), or records "n/a" and returns 1.
usable_runtime() {
    local attack=$1 binary=$2 why
    use_runtime "$binary"
    why=$(unusable_reason)
    [ -z "$why" ] && return 0
    record_attack "$attack" "$binary" "n/a: $why"
    return 1
}

# The container in $BUNDLE joins the pid namespace of process $1.
join_pid_namespace_of() {
    update_config --arg path "/proc/$1/ns/pid" \
        '.linux.namespaces |= map(if .type == "pid" then .path = $path else . end)'
}

# Waits (bounded, default 20 s) for file $1 to exist.
wait_for_file() {
    local i
    for ((i = 0; i < ${2:-20} * 20; i++)); do
        [ -e "$1" ] && return 0
        sleep 0.05
    done
    return 1
}

# Creates container $1 from $BUNDLE (args already set) without starting it; prints its pid.
create_quiet() {
    runtime create --bundle "$BUNDLE" "$1" >"$BATS_TEST_TMPDIR/create-$1.log" 2>&1 </dev/null 3>&- ||
        { cat "$BATS_TEST_TMPDIR/create-$1.log" >&2; return 1; }
    container_pid "$1"
}

# Copies the runtime's loader and libraries into $BUNDLE/rootfs, so that the kernel can run
# the runtime's own image inside the container.
copy_runtime_libraries() {
    local lib
    for lib in $(ldd "$RUNTIME" | grep -o '/[^ ]*'); do
        mkdir -p "$BUNDLE/rootfs$(dirname "$lib")"
        cp -L "$lib" "$BUNDLE/rootfs$lib"
    done
}

# start_seccomp_agent DIR MODE: tests/tools/seccomp-agent listening on DIR/agent.sock for
# linux.seccomp.listenerPath, answering mkdir as MODE says ("fake" or "errno:N"); returns
# once it listens. AGENT_PID is its pid (the caller's teardown kills it); its records are
# DIR/states (one container process state JSON per line) and DIR/events.
start_seccomp_agent() {
    local agent i
    agent=${AGENT:-$(dirname "$CRADLE")/seccomp-agent}
    [ -x "$agent" ] || skip "no $agent (a build with -DCRADLE_TESTING=ON builds it)"
    "$agent" "$1/agent.sock" "$1" "$2" >"$1/agent.log" 2>&1 </dev/null 3>&- &
    AGENT_PID=$!
    for ((i = 0; i < 100; i++)); do
        [ -e "$1/ready" ] && return 0
        sleep 0.05
    done
    fail "the seccomp agent did not start: $(cat "$1/agent.log")"
}
