#!/usr/bin/env bats
# Rootless Podman 4.3 driving cradle, runc and crun: an ordinary user created for this file
# (useradd, subuid/subgid ranges, a 0700 XDG_RUNTIME_DIR) runs Podman with its own storage
# (vfs) and state in a test directory, the runtimes named in containers.conf's
# [engine.runtimes] as docs/engines.md shows. Podman runs the runtime as root of the
# user's namespace (newuidmap maps the subordinate ids), so each runtime keeps its state
# in $XDG_RUNTIME_DIR/NAME. On this hybrid cgroup v1 host rootless Podman gives the
# runtime no cgroup (no cgroupsPath, empty resources).
#
# Each test runs the same steps with every runtime and expects the same observation from
# each; a failure lists what each runtime gave. The tests run as root (bats) and switch to
# the user for every podman command; teardown_file kills what is left by pid, removes the
# user, its subordinate ids and the directory. Root's Podman storage is never touched.
# ENGINE_RUNTIMES="runc crun" runs the comparisons on the references only, RUNTIME=PATH
# the docs' block with PATH behind the name cradle.

load podman_helpers
load ../docs_helpers
load ../test_user

IMAGE=localhost/cradle-busybox

setup_file() {
    command -v podman >/dev/null || skip "podman is not installed (scripts/setup.sh installs it)"
    command -v newuidmap >/dev/null || skip "newuidmap is missing (uidmap; scripts/setup.sh installs it)"
    "$REPO_ROOT/tests/fixtures/make-busybox-rootfs.sh" "$ROOTFS_CACHE"

    # The user must reach the directory, the runtimes and the configuration: not below
    # bats' 0700 temporary directory.
    export RL_DIR RL_USER RL_UID RL_SUBUID
    RL_DIR=$(mktemp -d /tmp/cradle-podman-rootless.XXXXXX)
    chmod 755 "$RL_DIR"
    RL_USER=cradle-prl-$$
    echo "$RL_USER" >"$RL_DIR/user"
    test_user_create "$RL_USER" "$RL_DIR/home"
    RL_UID=$(id -u "$RL_USER")
    RL_SUBUID=$(test_user_subid_start "$RL_USER" subuid)

    mkdir -p "$RL_DIR/bin" "$RL_DIR/xdg" "$RL_DIR/podman"
    chown "$RL_USER:" "$RL_DIR/xdg" "$RL_DIR/podman"
    chmod 700 "$RL_DIR/xdg"
    # Copies the user can execute. The name cradle is always there, for the docs' block:
    # RUNTIME=/usr/sbin/runc puts runc behind it.
    local rt runtimes=""
    for rt in cradle $(engine_runtimes | grep -vx cradle); do
        if [ "$rt" = cradle ]; then
            install -m 755 "${RUNTIME:-$CRADLE}" "$RL_DIR/bin/$rt"
        else
            install -m 755 "$(engine_runtime_binary "$rt")" "$RL_DIR/bin/$rt"
        fi
        runtimes+="$rt = [\"$RL_DIR/bin/$rt\"]"$'\n'
    done
    local conf=$RL_DIR/podman
    # default_ulimits: as for root's Podman here (podman_helpers.bash), every run fails
    # without it. runroot is $XDG_RUNTIME_DIR/containers for a rootless user.
    cat >"$conf/containers.conf" <<EOF
[containers]
log_driver = "k8s-file"
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[network]
network_config_dir = "$conf/networks"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$conf/events.log"
tmp_dir = "$conf/tmp"
runtime_supports_json = ["crun", "runc", "cradle"]
[engine.runtimes]
$runtimes
EOF
    cat >"$conf/storage.conf" <<EOF
[storage]
driver = "vfs"
graphroot = "$conf/root"
rootless_storage_path = "$conf/root"
EOF
    tar -C "$ROOTFS_CACHE" -cf "$RL_DIR/rootfs.tar" .
    chmod 644 "$RL_DIR/rootfs.tar" "$conf/containers.conf" "$conf/storage.conf"
    as_user podman import "$RL_DIR/rootfs.tar" "$IMAGE" >/dev/null
    # The name the docs' block uses.
    as_user podman tag "$IMAGE" localhost/busybox
}

# Runs a command as the user, in a login-like environment of its own, with a timeout so
# that a hung podman fails the test instead of the suite.
as_user() {
    timeout -k 5 120 runuser -u "$RL_USER" -- env -i -C "$RL_DIR" \
        PATH=/usr/bin:/bin:/usr/sbin:/sbin HOME="$RL_DIR/home" USER="$RL_USER" LOGNAME="$RL_USER" \
        XDG_RUNTIME_DIR="$RL_DIR/xdg" CONTAINERS_CONF="$RL_DIR/podman/containers.conf" \
        CONTAINERS_STORAGE_CONF="$RL_DIR/podman/storage.conf" "$@"
}

# `podman run` as the user with runtime NAME ($1); the rest are podman run's arguments.
rl_run() {
    local rt=$1
    shift
    as_user podman --runtime "$rt" run "$@"
}

# The pid of Podman's pause process, which holds the user's namespace between commands.
pause_pid() {
    cat "$RL_DIR/podman/tmp/pause.pid" 2>/dev/null
}

# The user's live processes (zombies are not), except Podman's pause process.
user_processes() {
    ps -u "$RL_UID" -o pid=,stat=,args= 2>/dev/null |
        awk -v pause="$(pause_pid)" '$1 != pause && $2 !~ /^Z/'
}

# Waits up to 5 s for the user to have no process but the pause process; prints them.
wait_for_no_user_processes() {
    local i
    for ((i = 0; i < 50; i++)); do
        [ -z "$(user_processes)" ] && return 0
        sleep 0.1
    done
    user_processes
}

# What Podman and runtime $1 still have: containers, entries of the runtime's state
# directory ($XDG_RUNTIME_DIR/NAME) and the user's processes.
left_behind() {
    local procs
    procs=$(wait_for_no_user_processes | wc -l)
    echo "left=$(as_user podman ps -aq | wc -l) state=$(ls -A "$RL_DIR/xdg/$1" 2>/dev/null | wc -l) procs=$procs"
}

teardown() {
    [ -n "${RL_USER:-}" ] || return 0
    as_user podman rm --all --force --time 0 >/dev/null 2>&1 || true
}

teardown_file() {
    [ -n "${RL_DIR:-}" ] || return 0
    if [ -f "$RL_DIR/user" ]; then
        RL_USER=$(cat "$RL_DIR/user")
        as_user podman rm --all --force --time 0 >/dev/null 2>&1 || true
        as_user podman system reset --force >/dev/null 2>&1 || true
        # Whatever the user still runs (the pause process, a conmon, a container's
        # processes) was started by this file: killed by pid, with the user.
        unmount_below "$RL_DIR"
        test_user_remove "$RL_USER"
    fi
    unmount_below "$RL_DIR"
    rm -rf "$RL_DIR"
}

@test "the user is an ordinary one, with subordinate ids and Podman rootless" {
    run as_user sh -c 'echo "uid=$(id -u)"; podman info --format "rootless={{.Host.Security.Rootless}} {{.Store.GraphDriverName}} {{.Host.CgroupManager}}"'
    assert_success
    assert_output "uid=$RL_UID
rootless=true vfs cgroupfs"
    [ "$RL_UID" -ne 0 ]
    [ -n "$RL_SUBUID" ]
}

observe_run_rm() {
    local out rc=0
    out=$(rl_run "$1" --rm --network none "$IMAGE" sh -c 'echo "hello as $(id -u)"; exit 3' 2>&1) || rc=$?
    echo "rc=$rc $out $(left_behind "$1")"
}

@test "rootless podman run --rm: the output, exit code 3 reported as 3, nothing left" {
    expect_on_every_runtime "rc=3 hello as 0 left=0 state=0 procs=0" observe_run_rm
}

# The init traps SIGTERM, so `podman stop` ends it through the runtime's kill.
SERVICE='trap "echo got TERM; exit 0" TERM; echo started; while :; do sleep 0.1; done'

# Waits up to 10 s for container $1's log to hold line $2.
wait_for_log_line() {
    local i
    for ((i = 0; i < 100; i++)); do
        as_user podman logs "$1" 2>/dev/null | grep -qx "$2" && return 0
        sleep 0.1
    done
    echo "the log of $1 has no line '$2': $(as_user podman logs "$1" 2>&1 | tr '\n' ' ')"
    return 1
}

observe_detached_stop_rm() {
    local rt=$1 name=svc-$1 id pid
    id=$(rl_run "$rt" -d --name "$name" --network none "$IMAGE" sh -c "$SERVICE" 2>"$BATS_TEST_TMPDIR/err") || {
        echo "run -d failed: $(cat "$BATS_TEST_TMPDIR/err")"
        return 1
    }
    wait_for_log_line "$name" started || return 1
    pid=$(as_user podman inspect --format '{{.State.Pid}}' "$name")
    # The container's init runs on the host as the user (root of its namespace).
    echo "running: state has it=$([ -e "$RL_DIR/xdg/$rt/$id" ] && echo yes || echo no)" \
        "init uid=$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")"
    as_user podman stop --time 10 "$name" >/dev/null || return 1
    echo "stopped: $(as_user podman inspect --format '{{.State.Status}} exit={{.State.ExitCode}}' "$name")" \
        "log: $(as_user podman logs "$name" | tr '\n' ' ')"
    as_user podman rm "$name" >/dev/null || return 1
    wait_for_pid_gone "$pid" || echo "the init $pid is still there"
    echo "removed: $(left_behind "$rt")"
}

@test "rootless podman run -d + stop + rm: state under \$XDG_RUNTIME_DIR, the TERM trap, nothing left" {
    expect_on_every_runtime "running: state has it=yes init uid=$RL_UID
stopped: exited exit=0 log: started got TERM 
removed: left=0 state=0 procs=0" observe_detached_stop_rm
}

# podman exec into a running container: the runtime's exec joins the init's pid namespace
# from the user's namespace (for good: it cannot return to the host's).
observe_exec() {
    local rt=$1 name=exec-$1 rc=0
    rl_run "$rt" -d --name "$name" --network none "$IMAGE" sleep 1000 >/dev/null || return 1
    as_user podman exec "$name" sh -c 'echo "exec as $(id -u), pid 1 is $(cat /proc/1/comm)"' 2>&1
    as_user podman exec --user 1000:1000 --workdir /tmp "$name" sh -c 'echo "$(id -u) in $PWD"' 2>&1
    as_user podman exec "$name" sh -c 'exit 7' 2>&1 || rc=$?
    echo "rc=$rc"
    as_user podman rm --force --time 0 "$name" >/dev/null || return 1
    echo "$(left_behind "$rt")"
}

@test "rootless podman exec: in the container's pid namespace, --user and --workdir, the exit status" {
    expect_on_every_runtime "exec as 0, pid 1 is sleep
1000 in /tmp
rc=7
left=0 state=0 procs=0" observe_exec
}

observe_user() {
    rl_run "$1" --rm --network none --user 1000:1000 "$IMAGE" \
        sh -c 'id; grep -E "^(Uid|Gid|CapEff):" /proc/self/status | tr -s "\t" " "' 2>&1
}

@test "rootless podman run --user 1000:1000: the ids inside, no capabilities" {
    expect_on_every_runtime "uid=1000(user) gid=1000(user) groups=1000(user)
Uid: 1000 1000 1000 1000
Gid: 1000 1000 1000 1000
CapEff: 0000000000000000" observe_user
}

# A volume: the user's directory (0777, so that uid 1000 can write) bound at /data. Files
# written inside as root and as uid 1000, and one the user wrote on the host, seen from
# both sides.
observe_volume() {
    local rt=$1 dir=$RL_DIR/vol-$1
    mkdir "$dir"
    chown "$RL_USER:" "$dir"
    chmod 777 "$dir"
    as_user sh -c "echo from-host >$dir/host-file"
    rl_run "$rt" --rm --network none -v "$dir:/data" "$IMAGE" \
        sh -c 'echo root >/data/by-root; echo "inside: host-file owner $(stat -c %u:%g /data/host-file) $(cat /data/host-file)"' 2>&1
    rl_run "$rt" --rm --network none --user 1000:1000 -v "$dir:/data" "$IMAGE" \
        sh -c 'echo user >/data/by-1000; echo "inside: by-1000 owner $(stat -c %u:%g /data/by-1000)"' 2>&1
    echo "host: by-root $(stat -c %u:%g "$dir/by-root") by-1000 $(stat -c %u:%g "$dir/by-1000")"
}

@test "rootless podman run -v HOSTDIR:/data: files written inside belong to the mapped ids on the host" {
    local sub1000=$((RL_SUBUID + 999)) gid
    gid=$(id -g "$RL_USER")
    # The user's subgid range starts where its subuid range does when useradd made both.
    local subgid1000=$(($(awk -F: -v u="$RL_USER" '$1 == u { print $2; exit }' /etc/subgid) + 999))
    expect_on_every_runtime "inside: host-file owner 0:0 from-host
inside: by-1000 owner 1000:1000
host: by-root $RL_UID:$gid by-1000 $sub1000:$subgid1000" observe_volume
}

# --userns keep-id: the config gets a user namespace of its own (nested in the user's),
# in which the user's id is itself; a file it writes in a volume is the user's on the host.
observe_keep_id() {
    local rt=$1 dir=$RL_DIR/keep-id-$1
    mkdir "$dir"
    chown "$RL_USER:" "$dir"
    rl_run "$rt" --rm --network none --userns keep-id -v "$dir:/data" "$IMAGE" \
        sh -c 'echo "inside: $(id -u):$(id -g)"; echo x >/data/f' 2>&1
    echo "host: $(stat -c %u:%g "$dir/f")"
}

@test "rootless podman run --userns keep-id: the user's own ids inside and on the host" {
    local gid
    gid=$(id -g "$RL_USER")
    expect_on_every_runtime "inside: $RL_UID:$gid
host: $RL_UID:$gid" observe_keep_id
}

# --pid host: Podman binds the host's /proc (the user's namespace may make no procfs of
# the host's pid namespace); the runtime's init uses it to reopen its exec fifo.
observe_pid_host() {
    rl_run "$1" --rm --network none --pid host "$IMAGE" sh -c 'echo "pid 1: $(cat /proc/1/comm)"' 2>&1
}

# Stopping such a container: Podman asks the runtime to kill --all (the container has no
# pid namespace of its own), which without a cgroup cannot find its processes.
observe_pid_host_stop() {
    local rt=$1 name=pidhost-$1 pid
    rl_run "$rt" -d --name "$name" --network none --pid host "$IMAGE" sh -c "$SERVICE" >/dev/null || return 1
    wait_for_log_line "$name" started || return 1
    pid=$(as_user podman inspect --format '{{.State.Pid}}' "$name")
    # runc 1.1.5 warns here (no freezer, "lstat : no such file or directory"): the words
    # are left out, the status is compared.
    as_user podman stop --time 5 "$name" >/dev/null 2>&1
    echo "stop rc=$? stopped: $(as_user podman inspect --format '{{.State.Status}}' "$name")" \
        "log: $(as_user podman logs "$name" | tr '\n' ' ')"
    as_user podman rm --force --time 0 "$name" >/dev/null || return 1
    wait_for_pid_gone "$pid" || echo "the init $pid is still there"
    echo "removed: $(left_behind "$rt")"
}

@test "rootless podman run --pid host: the host's pid 1 through the bound /proc" {
    expect_on_every_runtime "pid 1: $(cat /proc/1/comm)" observe_pid_host
}

@test "rootless podman run -d --pid host + stop + rm: the TERM trap, nothing left" {
    expect_on_every_runtime "stop rc=0 stopped: exited log: started got TERM 
removed: left=0 state=0 procs=0" observe_pid_host_stop
}

# Root of the container is the user, no more: a root-owned host file bound in stays
# unwritable (it shows as the overflow id), no device node can be made, the bound /dev/null
# is the host's node (mode and numbers) and nothing else of the host's /dev is there.
observe_no_more_than_the_user() {
    local rt=$1 file=$RL_DIR/root-owned-$1
    # Root's and 0644: only root of the host may write it or change its mode.
    echo original >"$file"
    chmod 644 "$file"
    rl_run "$rt" --rm --network none -v "$file:/data/file" "$IMAGE" sh -c '
        echo changed 2>/dev/null >/data/file && echo "write: done" || echo "write: refused"
        chmod 666 /data/file 2>/dev/null && echo "chmod: done" || echo "chmod: refused"
        mknod /tmp/sda b 8 0 2>/dev/null && echo "mknod: done" || echo "mknod: refused"
        echo "owner inside: $(stat -c %u:%g /data/file)"
        echo "/dev/null: $(stat -c "%t:%T %a" /dev/null)"
        echo "no host disk: $(ls /dev | grep -c -E "^(sd|vd|nvme|loop|mem$|kmsg$)")"' 2>&1
    echo "host file: $(cat "$file") $(stat -c %a "$file")"
}

@test "rootless podman attack: root inside cannot write a root-owned host file, chmod it, or make a device" {
    expect_on_every_runtime "write: refused
chmod: refused
mknod: refused
owner inside: 65534:65534
/dev/null: 1:3 666
no host disk: 0
host file: original 644" observe_no_more_than_the_user
}

# On cgroup v1 rootless Podman gives the runtime no cgroup: it ignores resource limits
# with a warning and refuses pause and stats itself (docs/engines.md says so).
observe_no_cgroup() {
    local rt=$1 name=nocg-$1
    rl_run "$rt" --rm --network none --memory 64m --pids-limit 50 "$IMAGE" echo ran 2>&1
    rl_run "$rt" -d --name "$name" --network none "$IMAGE" sleep 1000 >/dev/null || return 1
    as_user podman pause "$name" 2>&1
    as_user podman stats --no-stream "$name" 2>&1
    echo "still $(as_user podman inspect --format '{{.State.Status}}' "$name")"
}

@test "rootless podman on cgroup v1: limits ignored with Podman's warning, pause and stats refused" {
    cgroup_v2_only && skip "a cgroup v2 host: Podman may use a delegated cgroup there"
    expect_on_every_runtime "Resource limits are not supported and ignored on cgroups V1 rootless systems
ran
Error: can not pause containers on rootless containers with cgroup V1: this container does not have a cgroup
Error: stats is not supported in rootless mode without cgroups v2
still running" observe_no_cgroup
}

# Podman's default rootless network is slirp4netns, which needs /dev/net/tun: skipped,
# with slirp4netns' words, where it fails with Podman's default runtime too (here
# /dev/net/tun is mode 0600; with a 0666 node bound over it in a private mount namespace,
# the three runtimes gave this observation).
observe_default_network() {
    rl_run "$1" --rm "$IMAGE" sh -c 'ip -o -4 addr show scope global | awk "{ print \$2, \$4 }"' 2>&1
}

@test "rootless podman run with the default network (slirp4netns): tap0 with slirp's address" {
    local err
    if ! err=$(as_user podman run --rm "$IMAGE" true 2>&1); then
        err=${err//$'\n'/ }
        skip "slirp4netns fails with Podman's default runtime too: ${err%%\\n*}"
    fi
    expect_on_every_runtime "tap0 10.0.2.100/24" observe_default_network
}

@test "docs/engines.md's rootless Podman block runs verbatim as the user" {
    local id
    id=$(doc_block_run_by docs/engines.md tests/integration/engines/podman_rootless.bats)
    [ -n "$id" ] || fail "docs/engines.md has no block run by this file"
    (cd "$REPO_ROOT" && "$DOC_BLOCKS" show "$id") >"$RL_DIR/block.sh"
    chmod 644 "$RL_DIR/block.sh"
    run as_user bash -euo pipefail "$RL_DIR/block.sh"
    assert_success
    assert_output "hello
uid=1000(user) gid=1000(user) groups=1000(user)"
}
