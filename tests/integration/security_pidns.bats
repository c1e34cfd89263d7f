#!/usr/bin/env bats
# No runtime process inside a container's pid namespace (issue 11 item 4). Container B
# joins the pid namespace of a running container A by path (`docker run --pid
# container:A`): B's init must be born in A, but nothing else the runtime forks for B
# (cradle's exit monitor, the hooks) may be, or A's processes could see and signal it and
# A's init would inherit it as a zombie. Each attack runs against cradle and, where
# installed, runc and crun; the file ends with a table of who is vulnerable. A's view is
# taken from inside A: nsenter into its mount and pid namespaces, with A's own /proc.

load helpers
load security_helpers

setup() {
    USED=$BATS_TEST_TMPDIR/used-runtimes
    : >"$USED"
}

teardown() {
    delete_used_runtimes
}

teardown_file() {
    print_attack_table
}

# Waits (bounded) until process $1 runs command line $2 (words joined by spaces): start
# returns before the init has exec'd the container's process.
wait_for_exec() {
    local i
    for ((i = 0; i < 200; i++)); do
        [ "$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null)" = "$2 " ] && return 0
        sleep 0.05
    done
    fail "process $1 did not exec $2"
}

# Starts container A (its own pid namespace, and a time namespace with "time"; its init,
# sleep, reaps no child) from a fresh bundle; sets A_PID (on the host).
start_a() {
    new_bundle
    set_args sleep 1001
    [ "${1:-}" != time ] || update_config '.linux.namespaces += [{type: "time"}]'
    local id
    id=$(new_id a)
    A_PID=$(create_quiet "$id") && runtime start "$id"
    wait_for_exec "$A_PID" "sleep 1001"
}

# Runs container B (sleep 1002) detached in A's pid namespace (and time namespace, with
# "time"), with prestart, createRuntime and poststart hooks that write the pid and time
# namespaces they run in to $HOOKS/NAME; sets B_ID and B_PID (on the host). B's stdout
# and stderr (the runtime's too) go to $B_OUT, default a log file.
run_b() {
    new_bundle
    set_args sleep 1002
    join_pid_namespace_of "$A_PID"
    [ "${1:-}" != time ] || update_config --arg path "/proc/$A_PID/ns/time" \
        '.linux.namespaces += [{type: "time", path: $path}]'
    HOOKS=$(mktemp -d "$BATS_TEST_TMPDIR/hooks.XXXXXX")
    local hook
    for hook in prestart createRuntime poststart; do
        update_config --arg name "$hook" --arg out "$HOOKS/$hook" \
            '.hooks[$name] = [{path: "/bin/sh", args: ["sh", "-c", "echo $(readlink /proc/self/ns/pid /proc/self/ns/time) >" + $out]}]'
    done
    B_ID=$(new_id b)
    local out=${B_OUT:-$BATS_TEST_TMPDIR/run-$B_ID.log}
    runtime run -d --bundle "$BUNDLE" "$B_ID" >"$out" 2>&1 </dev/null 3>&- ||
        { cat "$out" >&2; return 1; }
    B_PID=$(container_pid "$B_ID")
    wait_for_exec "$B_PID" "sleep 1002"
}

# Every process A can see, one line each: its pid in A, state, exe and command line. The
# list is taken at once, when the listing shell is the only process of its own in A.
A_VIEW='for d in /proc/[0-9]*; do
    p=${d#/proc/}
    [ "$p" = "$$" ] && continue
    state=$(sed -n "s/^State:[[:space:]]*//p" "$d/status" 2>/dev/null)
    echo "$p ${state%% *} $(readlink "$d/exe") $(tr "\0" " " <"$d/cmdline" 2>/dev/null)"
done'

processes_in_a() {
    nsenter -t "$A_PID" -m -p sh -c "$A_VIEW"
}

# Lines of processes_in_a that are neither A's init (sleep 1001) nor B's (sleep 1002).
strangers_in_a() {
    processes_in_a | grep -v -E '^[0-9]+ [RSD] /bin/busybox sleep 100[12] $' || true
}

@test "issue 11 item 4: no runtime process is visible in a pid namespace joined by path" {
    local attack="issue 11 item 4: runtime process in A" rt out
    while read -r rt; do
        usable_runtime "$attack" "$rt" || continue
        start_a
        run_b
        out=$(strangers_in_a)
        if [ -n "$out" ]; then
            record_attack "$attack" "$rt" vulnerable
            echo "$(runtime_name "$rt") left in A: $out"
            is_cradle && fail "a process of cradle's is visible in A: $out"
        else
            record_attack "$attack" "$rt" safe
        fi
    done < <(attack_runtimes)
}

# The hooks that ran in another pid or time namespace than the runtime's (none: "").
hooks_born_elsewhere() {
    local host hook bad=
    host=$(echo $(readlink /proc/self/ns/pid /proc/self/ns/time))
    for hook in prestart createRuntime poststart; do
        wait_for_file "$HOOKS/$hook" 5 || fail "$(runtime_name "$RUNTIME"): $hook hook did not run"
        [ "$(cat "$HOOKS/$hook")" = "$host" ] || bad="$bad $hook"
    done
    echo "$bad"
}

@test "issue 11 item 4: hooks of a container joining a pid namespace by path run in the runtime's" {
    local attack="issue 11 item 4: hook born in A's pid ns" rt bad
    while read -r rt; do
        usable_runtime "$attack" "$rt" || continue
        start_a
        run_b
        bad=$(hooks_born_elsewhere)
        if [ -n "$bad" ]; then
            record_attack "$attack" "$rt" "vulnerable:$bad"
            is_cradle && fail "hooks born in A's pid namespace:$bad"
        else
            record_attack "$attack" "$rt" safe
        fi
    done < <(attack_runtimes)
}

@test "issue 11 item 4: once a container that joined a pid namespace by path is deleted, nothing of it is left there" {
    local attack="issue 11 item 4: zombie left in A" rt out i
    while read -r rt; do
        usable_runtime "$attack" "$rt" || continue
        start_a
        run_b
        runtime delete --force "$B_ID"
        # B's init is reaped by the host (its parent was the runtime); whatever else the
        # runtime left in A is A's init's to reap, and it reaps nothing.
        for ((i = 0; i < 200; i++)); do
            out=$(processes_in_a | grep -v -E '^1 S /bin/busybox sleep 1001 $' || true)
            [ -z "$out" ] && break
            sleep 0.05
        done
        if [ -n "$out" ]; then
            record_attack "$attack" "$rt" vulnerable
            echo "$(runtime_name "$rt") left in A: $out"
            is_cradle && fail "left in A after delete: $out"
        else
            record_attack "$attack" "$rt" safe
        fi
    done < <(attack_runtimes)
}

# runc 1.1.5 knows no time namespace: cradle only.
@test "issue 11 item 4: with pid and time namespaces joined by path, only the init is born in them" {
    use_runtime "$CRADLE"
    start_a time
    run_b time
    [ "$(readlink /proc/$B_PID/ns/time)" = "$(readlink /proc/$A_PID/ns/time)" ]
    [ "$(readlink /proc/$B_PID/ns/pid)" = "$(readlink /proc/$A_PID/ns/pid)" ]
    local bad out
    bad=$(hooks_born_elsewhere)
    [ -z "$bad" ] || fail "hooks born in A's namespaces:$bad"
    out=$(strangers_in_a)
    [ -z "$out" ] || fail "a process of cradle's is visible in A: $out"
}

# restore: criu joins the pid namespace itself (inherited as extRootPidNS); cradle never
# enters it, and criu's own processes are gone once the restored init runs.
@test "issue 11 item 4: a restore into a pid namespace joined by path leaves nothing of the runtime there" {
    local why out i
    why=$("$REPO_ROOT/scripts/get-criu.sh" 2>&1) || skip "no working criu: $why"
    export PATH=/usr/local/sbin:$PATH
    use_runtime "$CRADLE"
    start_a
    # criu dumps no file outside the container's mounts: B writes nowhere.
    B_OUT=/dev/null run_b
    runtime checkpoint --image-path "$BATS_TEST_TMPDIR/images" "$B_ID"
    update_config 'del(.hooks)' # they ran at B's create; the restored B needs none
    # B's pid in A stays taken until the host reaps B's old init.
    for ((i = 0; i < 200; i++)); do
        [ -e "/proc/$B_PID" ] || break
        sleep 0.05
    done
    runtime restore -d --image-path "$BATS_TEST_TMPDIR/images" --bundle "$BUNDLE" "$B_ID" \
        >"$BATS_TEST_TMPDIR/restore.log" 2>&1 </dev/null 3>&- ||
        fail "restore: $(cat "$BATS_TEST_TMPDIR/restore.log")"
    B_PID=$(container_pid "$B_ID")
    [ "$(readlink /proc/$B_PID/ns/pid)" = "$(readlink /proc/$A_PID/ns/pid)" ]
    out=$(strangers_in_a)
    [ -z "$out" ] || fail "visible in A after restore: $out"
    runtime delete --force "$B_ID"
    for ((i = 0; i < 200; i++)); do
        out=$(processes_in_a | grep -v -E '^1 S /bin/busybox sleep 1001 $' || true)
        [ -z "$out" ] && break
        sleep 0.05
    done
    [ -z "$out" ] || fail "left in A after delete: $out"
}
