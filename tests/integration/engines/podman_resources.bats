#!/usr/bin/env bats
# Podman with its stock containers.conf (podman_helpers.bash) driving cradle, runc and crun
# through the same commands: every config carries Podman's default pids limit (2048), and
# --memory, --pids-limit and --cpus add their resources. Each test runs the same steps
# with every runtime and expects the same observation from each; a failure lists what each
# runtime gave. Limits are read back from the container's cgroup on the host and from
# inside the container, and enforced: an allocation past --memory is OOM-killed (137), a
# fork past --pids-limit fails.

load podman_helpers

setup_file() {
    podman_setup_file
}

teardown_file() {
    podman_teardown_file
}

teardown() {
    podman_teardown
}

# Prints a cgroup file of the container itself, from inside it: the v1 controller's
# directory or the cgroup2 root (Podman mounts the container's own cgroups there).
IN_CGROUP='cg() { cat "/sys/fs/cgroup/$1/$2" 2>/dev/null || cat "/sys/fs/cgroup/$3" 2>/dev/null; }'

# The pid of running container $1's init, as Podman knows it.
podman_pid() {
    podman inspect --format '{{.State.Pid}}' "$1"
}

observe_run_rm() {
    local out rc=0
    out=$(podman_run "$1" --rm localhost/cradle-busybox \
        sh -c "$IN_CGROUP; echo \"pids.max \$(cg pids pids.max pids.max)\"; echo hello") || rc=$?
    echo "rc=$rc $(tr '\n' ' ' <<<"$out")left=$(podman ps -aq | wc -l)"
}

@test "podman run --rm with the stock containers.conf: Podman's pids limit 2048, nothing left" {
    expect_on_every_runtime "rc=0 pids.max 2048 hello left=0" observe_run_rm
}

# Under the systemd manager runc leaves the scope's TasksMax at systemd's DefaultTasksMax
# while crun writes max: either is no limit from the config.
observe_no_pids_limit() {
    local max
    max=$(podman_run "$1" --rm --pids-limit 0 localhost/cradle-busybox \
        sh -c "$IN_CGROUP; cg pids pids.max pids.max" 2>&1)
    if [ "$max" != max ] && [ "$(podman_cgroup_manager)" = systemd ] &&
        [ "$max" = "$(systemctl show --property DefaultTasksMax --value)" ]; then
        max="max"
    fi
    echo "$max"
}

@test "podman run --pids-limit 0 (Podman still writes {\"limit\": 0}): no pids limit" {
    expect_on_every_runtime max observe_no_pids_limit
}

# Limits read on the host from the cgroup of a running container, then from inside one.
observe_limits() {
    local rt=$1 name=limits-$1 pid memory pids quota period inside
    podman_run "$rt" -d --name "$name" --memory 64m --pids-limit 50 --cpus 1 \
        localhost/cradle-busybox sleep 1000 >/dev/null || return 1
    pid=$(podman_pid "$name")
    if cgroup_v2_only; then
        memory=$(cat "$(host_cgroup_file "$pid" - - memory.max)")
        pids=$(cat "$(host_cgroup_file "$pid" - - pids.max)")
        read -r quota period <"$(host_cgroup_file "$pid" - - cpu.max)"
    else
        memory=$(cat "$(host_cgroup_file "$pid" memory memory.limit_in_bytes -)")
        pids=$(cat "$(host_cgroup_file "$pid" pids pids.max -)")
        quota=$(cat "$(host_cgroup_file "$pid" cpu cpu.cfs_quota_us -)")
        period=$(cat "$(host_cgroup_file "$pid" cpu cpu.cfs_period_us -)")
    fi
    podman rm --force --time 0 "$name" >/dev/null
    # cgroup2's cpu.max holds both quota and period; it has no period file ("none").
    inside=$(podman_run "$rt" --rm --memory 64m --pids-limit 50 --cpus 1 localhost/cradle-busybox \
        sh -c "$IN_CGROUP"'; echo $(cg memory memory.limit_in_bytes memory.max) $(cg pids pids.max pids.max) \
            $(cg cpu cpu.cfs_quota_us cpu.max) $(cg cpu cpu.cfs_period_us none)')
    echo "host: $memory $pids $quota $period inside: $inside"
}

@test "podman run --memory 64m --pids-limit 50 --cpus 1: the limits in the container's cgroup" {
    expect_on_every_runtime "host: 67108864 50 100000 100000 inside: 67108864 50 100000 100000" \
        observe_limits
}

observe_oom() {
    local rc=0
    # busybox tail keeps a line in memory until it ends: /dev/zero has none. conmon runs
    # in Podman's working directory and writes a file "oom" there on cgroup v1: the test's
    # directory, not the caller's.
    (cd "$BATS_TEST_TMPDIR" && podman_run "$1" --rm --memory 64m localhost/cradle-busybox tail /dev/zero) >/dev/null 2>&1 || rc=$?
    echo "rc=$rc"
}

@test "podman run --memory 64m: an allocation past the limit is OOM-killed (137)" {
    expect_on_every_runtime "rc=137" observe_oom
}

observe_fork_limit() {
    local out rc=0
    out=$(podman_run "$1" --rm --pids-limit 50 localhost/cradle-busybox \
        sh -c 'for i in $(seq 60); do sleep 1000 & done; echo all 60 started' 2>&1) || rc=$?
    case $out in
    *"can't fork"*) echo "fork failed" ;;
    *) echo "rc=$rc $out" ;;
    esac
}

@test "podman run --pids-limit 50: a fork past the limit fails inside the container" {
    expect_on_every_runtime "fork failed" observe_fork_limit
}

# Whether the counter stops while paused (runtime state, freezer file, log) and goes on.
observe_pause() {
    local rt=$1 name=pause-$1 id frozen state before after
    podman_run_counter "$rt" "$name" || return 1
    wait_for_count_above "$name" 2 || return 1
    podman pause "$name" >/dev/null || return 1
    id=$(podman inspect --format '{{.Id}}' "$name")
    state=$("$PODMAN_DIR/bin/$rt" state "$id" | jq -r .status)
    if cgroup_v2_only; then
        frozen=$(cat "$(host_cgroup_file "$(podman_pid "$name")" - - cgroup.freeze)")
    else
        frozen=$(cat "$(host_cgroup_file "$(podman_pid "$name")" freezer freezer.state -)")
    fi
    before=$(last_count "$name")
    # The counter prints five times a second: a second without a line means it stopped.
    sleep 1
    after=$(last_count "$name")
    echo "paused: $(podman inspect --format '{{.State.Status}}' "$name") $state $frozen" \
        "advanced=$([ "$after" -gt "$before" ] && echo yes || echo no)"
    podman unpause "$name" >/dev/null || return 1
    wait_for_count_above "$name" "$after" || return 1
    echo "resumed: $(podman inspect --format '{{.State.Status}}' "$name")" \
        "$("$PODMAN_DIR/bin/$rt" state "$id" | jq -r .status)"
}

@test "podman pause stops the container's counter, unpause lets it go on" {
    local want frozen=FROZEN
    cgroup_v2_only && frozen=1
    want="paused: paused paused $frozen advanced=no"$'\n'"resumed: running running"
    expect_on_every_runtime "$want" observe_pause
}

observe_stats() {
    local name=stats-$1
    podman_run_counter "$1" "$name" --memory 64m || return 1
    wait_for_count_above "$name" 1 || return 1
    # Podman reads the container's cgroup itself (cgroupfs manager): the limit, and the
    # shell and its sleep among the pids.
    podman stats --no-stream --format '{{.MemUsage}} {{.PIDs}}' "$name" |
        awk '{ print "limit", $3, "pids>=1", ($4 >= 1 ? "yes" : "no") }'
}

@test "podman stats --no-stream shows the memory limit and the pids" {
    expect_on_every_runtime "limit 67.11MB pids>=1 yes" observe_stats
}

observe_top() {
    local name=top-$1
    podman_run "$1" -d --name "$name" localhost/cradle-busybox sleep 1000 >/dev/null || return 1
    podman top "$name" pid args | awk 'NR > 1 { print $1, $2, $3 }'
}

@test "podman top lists the container's process" {
    expect_on_every_runtime "1 sleep 1000" observe_top
}
