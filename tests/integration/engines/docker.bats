#!/usr/bin/env bats
# Debian's Docker 20.10 (dockerd, /usr/bin/docker: /usr/local/bin/docker may be another
# client) driving cradle, runc and crun with its stock settings. The daemon is the test's
# own: data-root, exec-root, pidfile, socket and a daemon.json naming the runtimes in a test
# directory, no iptables and no bridge; it starts its own containerd there. It is started
# with SIGHUP ignored, as under nohup, and stopped by its pid. The image is a tar of the
# busybox rootfs, imported with `docker import`. Each test runs the same steps with
# `--runtime NAME` for every runtime and expects the same observation from each; after
# `docker rm` nothing of the container may be left (runtime state, bundle, cgroups, mounts,
# processes). docs/engines.md's Docker block runs here verbatim.

load engine_helpers
load ../docs_helpers

IMAGE=cradle-busybox

setup_file() {
    [ -x /usr/sbin/dockerd ] && [ -x /usr/bin/docker ] ||
        skip "Debian's docker.io is not installed (scripts/setup.sh installs it)"
    "$REPO_ROOT/tests/fixtures/make-busybox-rootfs.sh" "$ROOTFS_CACHE"
    export DOCKER_DIR=$BATS_FILE_TMPDIR/docker
    mkdir -p "$DOCKER_DIR/bin" "$DOCKER_DIR/client"
    # The docs' blocks type `docker`: Debian's client, not another one earlier in PATH.
    ln -s /usr/bin/docker "$DOCKER_DIR/bin/docker"
    export DOCKER_HOST=unix://$DOCKER_DIR/docker.sock DOCKER_CONFIG=$DOCKER_DIR/client
    # runc is Docker's built-in runtime (the name is reserved); the others are named here.
    local runtimes='"cradle": {"path": "'$CRADLE'"}'
    command -v crun >/dev/null && runtimes+=', "crun": {"path": "'$(command -v crun)'"}'
    cat >"$DOCKER_DIR/daemon.json" <<EOF
{
  "runtimes": {$runtimes},
  "storage-driver": "$(overlayfs_choice overlay2 vfs)"
}
EOF
    # dockerd makes /run/docker/plugins whatever its exec-root: removed afterwards unless
    # it was there before.
    [ -e /run/docker ] || touch "$DOCKER_DIR/made-run-docker"
    # Its cgroup parent /docker too (in each v1 hierarchy), as after any Docker use.
    docker_cgroup_parents >"$DOCKER_DIR/cgroup-parents-before"
    (
        trap '' HUP
        exec /usr/sbin/dockerd --config-file "$DOCKER_DIR/daemon.json" \
            --data-root "$DOCKER_DIR/data" --exec-root "$DOCKER_DIR/exec" \
            --pidfile "$DOCKER_DIR/docker.pid" -H "$DOCKER_HOST" \
            --iptables=false --ip-masq=false --bridge=none
    ) >"$DOCKER_DIR/dockerd.log" 2>&1 </dev/null 3>&- &
    export DOCKERD_PID=$!
    local i
    for ((i = 0; i < 300; i++)); do
        docker version >/dev/null 2>&1 && break
        sleep 0.1
    done
    docker version >/dev/null || fail "dockerd did not start: $(tail -n 5 "$DOCKER_DIR/dockerd.log")"
    tar -C "$ROOTFS_CACHE" -cf "$DOCKER_DIR/rootfs.tar" .
    docker import "$DOCKER_DIR/rootfs.tar" "$IMAGE" >/dev/null
    # docs/engines.md's image; there is no registry here.
    docker tag "$IMAGE" busybox
}

# Removes every container, stops dockerd by its pid (it stops its containerd), then
# unmounts what a failed test left below the directory and removes it.
teardown_file() {
    [ -n "${DOCKER_DIR:-}" ] || return 0
    if [ -n "${DOCKERD_PID:-}" ]; then
        docker_remove_all
        kill "$DOCKERD_PID" 2>/dev/null || true
        wait_for_pid_gone "$DOCKERD_PID" 300 || kill -KILL "$DOCKERD_PID" 2>/dev/null || true
        local ctrd_pid
        ctrd_pid=$(cat "$DOCKER_DIR/exec/containerd/containerd.pid" 2>/dev/null) &&
            [ "$(cat "/proc/$ctrd_pid/comm" 2>/dev/null)" = containerd ] &&
            kill "$ctrd_pid" 2>/dev/null
    fi
    if [ -e "$DOCKER_DIR/made-run-docker" ]; then
        rmdir /run/docker/plugins /run/docker 2>/dev/null || true
    fi
    docker_cgroup_parents | grep -vxFf "$DOCKER_DIR/cgroup-parents-before" | xargs -r rmdir 2>/dev/null || true
    unmount_below "$DOCKER_DIR"
    rm -rf "$DOCKER_DIR"
}

teardown() {
    local rt
    # The -it tests' tmux servers, one per runtime.
    for rt in $(engine_runtimes); do
        tmux -S "$DOCKER_DIR/tmux-$rt.sock" kill-server 2>/dev/null || true
    done
    doc_sandbox_teardown
    docker_remove_all
}

# The cgroups named docker at the top of each hierarchy.
docker_cgroup_parents() {
    find /sys/fs/cgroup /sys/fs/cgroup/* -maxdepth 1 -type d -name docker 2>/dev/null | sort -u
}

docker() {
    /usr/bin/docker "$@"
}

docker_remove_all() {
    local ids
    ids=$(docker ps -aq 2>/dev/null) || return 0
    [ -z "$ids" ] || docker rm --force $ids >/dev/null 2>&1 || true
}

# `docker run --runtime $1`; docker run's arguments follow.
docker_run() {
    local rt=$1
    shift
    docker run --runtime "$rt" "$@"
}

# The state of container $1 (running, paused, exited...).
docker_status() {
    docker inspect -f '{{.State.Status}}' "$1"
}

# Waits up to 10 s for the log of container $1 to hold a line matching extended regex $2.
wait_for_log() {
    local i
    for ((i = 0; i < 200; i++)); do
        docker logs "$1" 2>&1 | grep -Eq "$2" && return 0
        sleep 0.05
    done
    echo "no line matching '$2' in the log of $1: $(docker logs "$1" 2>&1 | paste -sd ' ')"
    return 1
}

# The command lines of container $1's processes, as `docker top` lists them (its ps options
# must include pid).
docker_top_args() {
    docker top "$1" -o pid,args | awk 'NR > 1 { $1 = ""; print substr($0, 2) }'
}

# What is left of the container whose full id is $1 after `docker rm`: its runtime state dir
# (under <exec-root>/runtime-*/moby), the shim's bundle, its cgroups (a process of the
# container left alive would keep them), mounts and processes (the shim) naming it; "nothing
# left" when there is none. The shim exits after the task is deleted: its end is waited for
# (5 s at most).
docker_leftovers() {
    local id=$1 i left
    for ((i = 0; i < 50; i++)); do
        left=$(
            ls -d "$DOCKER_DIR"/exec/runtime-*/moby/"$id" \
                "$DOCKER_DIR/exec/containerd/daemon/io.containerd.runtime.v2.task/moby/$id" 2>/dev/null
            find /sys/fs/cgroup -maxdepth 3 -type d -name "$id" 2>/dev/null
            grep -F "$id" /proc/self/mountinfo | awk '{ print "mount " $5 }'
            # The id through a file: grep's own command line must not hold it.
            grep -lFf <(echo "$id") /proc/[0-9]*/cmdline 2>/dev/null | sed 's|/cmdline$||' |
                while read -r proc; do
                    echo "process $(tr '\0' ' ' 2>/dev/null <"$proc/cmdline")"
                done
        )
        [ -z "$left" ] && echo "nothing left" && return 0
        sleep 0.1
    done
    echo "$left"
}

# The file $2 (cgroup v1, controller $1) or $3 (cgroup2) of running container $4's cgroup,
# read on the host.
container_cgroup_file() {
    local pid
    pid=$(docker inspect -f '{{.State.Pid}}' "$4")
    cat "$(host_cgroup_file "$pid" "$1" "$2" "$3")"
}

observe_run_rm() {
    local rc=0 out
    out=$(docker_run "$1" --rm --cidfile "$BATS_TEST_TMPDIR/$1.cid" "$IMAGE" echo hello 2>&1) || rc=$?
    echo "$out rc=$rc"
    docker_leftovers "$(cat "$BATS_TEST_TMPDIR/$1.cid")"
}

@test "docker run --rm echo: the output, status 0, nothing left" {
    expect_on_every_runtime "hello rc=0
nothing left" observe_run_rm
}

observe_network_none() {
    docker_run "$1" --rm --network none "$IMAGE" \
        sh -c 'ls /sys/class/net; awk -F: "NR > 2 { print \$1 }" /proc/net/dev | tr -d " "'
}

@test "docker run --network none: only a loopback in the container" {
    expect_on_every_runtime "lo
lo" observe_network_none
}

# The init traps TERM (it prints and exits 5); docker stop sends TERM.
observe_detached() {
    local name=det-$1 id
    id=$(docker_run "$1" -d --name "$name" "$IMAGE" \
        sh -c 'trap "echo got TERM; exit 5" TERM; echo started; while :; do sleep 0.1; done') || return 1
    wait_for_log "$name" '^started$' || return 1
    echo "$(docker_status "$name") $(docker logs "$name" 2>&1)"
    docker stop "$name" >/dev/null
    echo "$(docker_status "$name") exit=$(docker inspect -f '{{.State.ExitCode}}' "$name")"
    docker logs "$name" 2>&1 | paste -sd ' '
    docker rm "$name" >/dev/null
    docker_leftovers "$id"
}

@test "docker run -d, logs, stop (the init's TERM trap), rm: nothing left" {
    expect_on_every_runtime "running started
exited exit=5
started got TERM
nothing left" observe_detached
}

observe_exec() {
    local name=exec-$1 rc
    docker_run "$1" -d --name "$name" --ulimit nofile=123:456 "$IMAGE" sleep 1000 >/dev/null || return 1
    rc=0
    docker exec "$name" sh -c 'echo out; echo err >&2; exit 4' \
        >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" || rc=$?
    echo "stdout=$(cat "$BATS_TEST_TMPDIR/out") stderr=$(cat "$BATS_TEST_TMPDIR/err") rc=$rc"
    docker exec -u 1000:1000 -w /tmp -e FOO=bar "$name" sh -c 'echo "$(id -u):$(id -g) $PWD $FOO"'
    docker exec "$name" sh -c 'echo "nofile $(ulimit -n) $(ulimit -Hn)"'
    echo piped | docker exec -i "$name" sed 's/^/stdin: /'
    # Docker 20.10 gives 126 for every exec that fails to start, with runc too.
    rc=0
    docker exec "$name" /no/such/command >/dev/null 2>&1 || rc=$?
    echo "missing rc=$rc"
    rc=0
    docker exec "$name" /etc/passwd >/dev/null 2>&1 || rc=$?
    echo "not executable rc=$rc"
    # The exec'd processes are gone: only the init is left in the container.
    docker_top_args "$name"
}

@test "docker exec: output, exit status 4, user, workdir, env, ulimit, stdin; missing and non-executable commands" {
    expect_on_every_runtime "stdout=out stderr=err rc=4
1000:1000 /tmp bar
nofile 123 456
stdin: piped
missing rc=126
not executable rc=126
sleep 1000" observe_exec
}

# Docker 20.10's client sends the first window size once the process has started (no
# process.consoleSize): until then the pty is 0x0, with every runtime, and busybox's
# `stty size` prints nothing on stdout. The shell waits for it (5 s at most).
WAIT_FOR_SIZE='i=0; until [ -n "$(stty size 2>/dev/null)" ] || [ $i -ge 100 ]; do sleep 0.05; i=$((i+1)); done; exec sh'

@test "docker run -it through tmux: the container's pty, window size, a resize, exit status" {
    local rt
    for rt in $(engine_runtimes); do
        run observe_tty_session "$DOCKER_DIR/tmux-$rt.sock" \
            "/usr/bin/docker run -it --rm --runtime $rt $IMAGE sh -c '$WAIT_FOR_SIZE'"
        [ "$output" = "$TTY_SESSION_WANT" ] || fail "$rt: want '$TTY_SESSION_WANT', got '$output'; the screen:
$(tmux -S "$DOCKER_DIR/tmux-$rt.sock" capture-pane -p -J)"
    done
}

@test "docker exec -it through tmux: a pty of the container's devpts, window size, a resize, exit status" {
    local rt
    for rt in $(engine_runtimes); do
        docker_run "$rt" -d --name "tty-$rt" "$IMAGE" sleep 1000 >/dev/null
        run observe_tty_session "$DOCKER_DIR/tmux-$rt.sock" "/usr/bin/docker exec -it tty-$rt sh -c '$WAIT_FOR_SIZE'"
        [ "$output" = "$TTY_SESSION_WANT" ] || fail "$rt: want '$TTY_SESSION_WANT', got '$output'; the screen:
$(tmux -S "$DOCKER_DIR/tmux-$rt.sock" capture-pane -p -J)"
    done
}

observe_read_only() {
    docker_run "$1" --rm --read-only "$IMAGE" \
        sh -c 'touch /file 2>&1; awk "\$2 == \"/\" { split(\$4, o, \",\"); print o[1] }" /proc/mounts'
}

@test "docker run --read-only: the root is mounted ro and a write fails" {
    expect_on_every_runtime "touch: /file: Read-only file system
ro" observe_read_only
}

observe_tmpfs() {
    docker_run "$1" --rm --read-only --tmpfs /scratch:size=1m "$IMAGE" \
        sh -c 'awk "\$2 == \"/scratch\" { print \$1, \$3, \$4 }" /proc/mounts; echo x >/scratch/f && cat /scratch/f'
}

@test "docker run --tmpfs: a tmpfs of the size asked, writable on a read-only root" {
    expect_on_every_runtime "tmpfs tmpfs rw,nosuid,nodev,noexec,relatime,size=1024k
x" observe_tmpfs
}

observe_volume() {
    local dir=$BATS_TEST_TMPDIR/vol-$1
    mkdir -p "$dir"
    echo from-host >"$dir/in"
    docker_run "$1" --rm -v "$dir:/data" -v "$dir:/ro:ro" "$IMAGE" \
        sh -c 'cat /data/in; echo from-container >/data/out; touch /ro/x 2>&1'
    cat "$dir/out"
}

@test "docker run -v: a host directory read and written, and read-only with :ro" {
    expect_on_every_runtime "from-host
touch: /ro/x: Read-only file system
from-container" observe_volume
}

observe_user() {
    docker_run "$1" --rm --user 1000:1000 --group-add 10 "$IMAGE" \
        sh -c 'id -u; id -g; id -G; grep -E "^Cap(Prm|Eff)" /proc/self/status'
}

@test "docker run --user: uid, gid, supplementary groups, no capabilities" {
    expect_on_every_runtime "1000
1000
1000 10
CapPrm:	0000000000000000
CapEff:	0000000000000000" observe_user
}

observe_caps() {
    docker_run "$1" --rm --cap-drop ALL --cap-add NET_ADMIN --cap-add KILL "$IMAGE" \
        sh -c 'grep -E "^Cap(Prm|Eff|Bnd)" /proc/self/status'
    docker_run "$1" --rm --cap-drop CHOWN "$IMAGE" sh -c 'chown 1 /tmp 2>&1'
}

@test "docker run --cap-add/--cap-drop: the capability sets inside, a chown refused" {
    # NET_ADMIN is capability 12, KILL 5.
    expect_on_every_runtime "CapPrm:	0000000000001020
CapEff:	0000000000001020
CapBnd:	0000000000001020
chown: /tmp: Operation not permitted" observe_caps
}

observe_privileged() {
    local rc=0 out
    out=$(docker_run "$1" --rm --privileged "$IMAGE" sh -c 'grep -E "^Cap(Eff|Bnd)" /proc/self/status; grep Seccomp: /proc/self/status; [ -e /dev/fuse ] && echo host devices' 2>/dev/null) || rc=$?
    echo "$out rc=$rc"
}

@test "docker run --privileged: every capability, no seccomp, the host's devices; refused alike where the host lacks a capability" {
    local want bounding
    # Docker 20.10 asks for capabilities 0-37 (up to CAP_AUDIT_READ).
    bounding=$(awk '/^CapBnd/ { print $2 }' /proc/self/status)
    if (((0x$bounding & 0x3fffffffff) == 0x3fffffffff)); then
        want="CapEff:	0000003fffffffff
CapBnd:	0000003fffffffff
Seccomp:	0
host devices rc=0"
    else
        # Here (CapBnd without CAP_SYS_RESOURCE) runc's capset fails as cradle's does.
        want=" rc=125"
    fi
    expect_on_every_runtime "$want" observe_privileged
}

observe_oom() {
    local rc=0
    docker_run "$1" --rm --memory 64m "$IMAGE" sh -c 'head -c 200m /dev/zero | tail >/dev/null' \
        >/dev/null 2>&1 || rc=$?
    echo "rc=$rc"
}

@test "docker run --memory 64m: an allocation past the limit is OOM-killed (137)" {
    expect_on_every_runtime "rc=137" observe_oom
}

observe_limits() {
    local name=limits-$1
    docker_run "$1" -d --name "$name" --memory 64m --pids-limit 10 --cpus 0.5 "$IMAGE" \
        sleep 1000 >/dev/null || return 1
    container_cgroup_file memory memory.limit_in_bytes memory.max "$name"
    container_cgroup_file pids pids.max pids.max "$name"
    container_cgroup_file cpu cpu.cfs_quota_us cpu.max "$name"
    docker update --memory 128m --memory-swap 256m --cpus 1.5 "$name" >/dev/null
    container_cgroup_file memory memory.limit_in_bytes memory.max "$name"
    container_cgroup_file cpu cpu.cfs_quota_us cpu.max "$name"
    # A fork past the pids limit fails.
    docker exec "$name" sh -c 'for i in $(seq 12); do sleep 1000 & done; echo all started' 2>&1 |
        grep -o "can't fork" | head -n 1
}

@test "docker run --memory --pids-limit --cpus, then update --memory --cpus: read back on the host; a fork past the limit fails" {
    local want
    if cgroup_v2_only; then
        want="67108864
10
50000 100000
134217728
150000 100000"
    else
        want="67108864
10
50000
134217728
150000"
    fi
    expect_on_every_runtime "$want
can't fork" observe_limits
}

observe_ulimit() {
    docker_run "$1" --rm --ulimit nofile=123:456 --ulimit nproc=77:88 "$IMAGE" \
        sh -c 'echo $(ulimit -n) $(ulimit -Hn) $(ulimit -u) $(ulimit -Hu)'
}

@test "docker run --ulimit: soft and hard limits in the init" {
    expect_on_every_runtime "123 456 77 88" observe_ulimit
}

observe_exit_codes() {
    local args rc out=""
    for args in "sh -c 'exit 3'" /no/such/command /etc/passwd; do
        rc=0
        eval docker_run "$1" --rm "$IMAGE" "$args" >/dev/null 2>&1 || rc=$?
        out+="$rc "
    done
    echo "$out"
}

@test "docker run: exit status 3, a missing command 127, a non-executable one 126" {
    # Docker reads the status from runc's error text; crun 1.8.1's words give 125.
    ENGINE_RUNTIMES=$(engine_runtimes | grep -vx crun | paste -sd ' ') expect_on_every_runtime "3 127 126 " observe_exit_codes
}

# B joins A's pid namespace: A sees B's process, never a runtime process, and nothing of B
# stays in A once B is removed.
observe_pid_container() {
    local a=pidA-$1 b=pidB-$1
    docker_run "$1" -d --name "$a" "$IMAGE" sleep 1000 >/dev/null || return 1
    docker_run "$1" -d --name "$b" --pid "container:$a" "$IMAGE" sleep 1001 >/dev/null || return 1
    docker exec "$a" ps -o args | paste -sd ' '
    docker rm --force "$b" >/dev/null
    docker exec "$a" ps -o args | paste -sd ' '
}

@test "docker run --pid container:X: no runtime process in X, nothing left there after rm" {
    expect_on_every_runtime "COMMAND sleep 1000 sleep 1001 ps -o args
COMMAND sleep 1000 ps -o args" observe_pid_container
}

observe_hup() {
    local name=hup-$1
    docker_run "$1" -d --name "$name" "$IMAGE" \
        sh -c 'trap "echo got HUP" HUP; grep SigIgn /proc/self/status; echo ready; while :; do sleep 0.1; done' \
        >/dev/null || return 1
    wait_for_log "$name" '^ready$' || return 1
    docker kill -s HUP "$name" >/dev/null
    wait_for_log "$name" '^got HUP$' || return 1
    docker logs "$name" 2>&1
}

@test "docker kill -s HUP reaches the container's trap though dockerd and the shim ignore HUP" {
    local shim_ignored
    docker_run runc -d --name probe "$IMAGE" sleep 1000 >/dev/null
    shim_ignored=$(awk '/^SigIgn/ { print $2 }' "/proc/$(ps -o ppid= -p "$(docker inspect -f '{{.State.Pid}}' probe)" | tr -d ' ')/status")
    (((0x$shim_ignored & 1) == 1)) || fail "the shim does not ignore HUP (SigIgn $shim_ignored): nothing to test"
    expect_on_every_runtime "SigIgn:	0000000000000000
ready
got HUP" observe_hup
}

observe_top_pause() {
    local name=pause-$1
    docker_run "$1" -d --name "$name" "$IMAGE" sleep 1000 >/dev/null || return 1
    docker_top_args "$name"
    docker pause "$name" >/dev/null
    echo "$(docker_status "$name") $(container_cgroup_file freezer freezer.state cgroup.freeze "$name")"
    docker unpause "$name" >/dev/null
    echo "$(docker_status "$name") $(container_cgroup_file freezer freezer.state cgroup.freeze "$name")"
    docker exec "$name" echo alive
}

@test "docker top, pause and unpause: the process list, the frozen cgroup, then running again" {
    local frozen=FROZEN thawed=THAWED
    cgroup_v2_only && frozen=1 thawed=0
    expect_on_every_runtime "sleep 1000
paused $frozen
running $thawed
alive" observe_top_pause
}

# `docker start --checkpoint` (experimental) restores through containerd's shim, whose
# go-runc writes "-no-subreaper" with one dash; Docker's own upload of the checkpoint
# fails now and then with runc too ("content ... already exists"), so the shim's command
# line is run here directly.
observe_shim_restore_flags() {
    local dir=$BATS_TEST_TMPDIR/$1 out
    mkdir -p "$dir/images"
    out=$("$(engine_runtime_binary "$1")" --root "$dir/root" restore --image-path "$dir/images" \
        --work-path "$dir/work" --detach --pid-file "$dir/init.pid" -no-subreaper \
        --bundle "$dir/no-bundle" "shim-restore-$1" 2>&1) && echo "restored?! $out"
    case $out in
    *"flag provided but not defined"*) echo "refused a flag: $out" ;;
    *) echo "flags accepted" ;;
    esac
}

@test "restore takes the shim's -no-subreaper (one dash), as runc does" {
    ENGINE_RUNTIMES=$(engine_runtimes | grep -vx crun | paste -sd ' ') \
        expect_on_every_runtime "flags accepted" observe_shim_restore_flags
}

@test "docs/engines.md's Docker block runs verbatim" {
    PATH=$DOCKER_DIR/bin:$PATH run_doc_block "$(doc_block_run_by docs/engines.md tests/integration/engines/docker.bats)"
    assert_success
    assert_output "hello
cradle
running
nothing of web1 left"
}
