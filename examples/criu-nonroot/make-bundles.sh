#!/bin/bash
# Makes the two bundles of the non-root CRIU example in DEST (default
# build/examples/criu-nonroot): dump/ and restore/, sharing a read-only rootfs (busybox,
# criu and its libraries) and a data/ directory owned by uid 1000 for the images.
# With --old-kernel, the restore bundle also gets what kernels without clone3 set_tid
# need: a seccomp rule making clone3 fail with ENOSYS (to simulate such a kernel here)
# and the read-write ns_last_pid bind that cradle's proc-policy rule ns_last_pid gates.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
old_kernel=false
if [ "${1:-}" = --old-kernel ]; then
    old_kernel=true
    shift
fi
dest=${1:-$repo/build/examples/criu-nonroot}
runtime=${RUNTIME:-$(command -v cradle || echo "$repo/build/cradle")}

"$repo/tests/fixtures/make-criu-rootfs.sh" "$dest/rootfs"
rm -rf "$dest/data" # a fresh start: no count, pid or images of an earlier run
mkdir -p "$dest/data"
chown 1000:1000 "$dest/data"

# The counter goes to the background and writes its pid to /data/pid; pid 1 then sleeps,
# so that the container (and a criu run in it by "exec") lives until it is deleted. The
# subshells use up a few pids so that the counter's pid is still free when criu runs in
# the fresh container. The count is replaced by a rename: a reader never sees it half
# written.
counter='for n in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do (:); done
{ i=0; while :; do i=$((i+1)); echo $i > /data/count.new; mv /data/count.new /data/count; sleep 0.1; done; } </dev/null >/dev/null 2>&1 &
echo $! > /data/pid.new && mv /data/pid.new /data/pid
exec sleep 1000000'
restore='criu restore --unprivileged -D /data/img --shell-job -d -v4 -o restore.log && exec sleep 1000000'

# Writes $dest/$1/config.json: the runtime's default spec with the example's settings and
# process.args = sh -c "$2".
write_config() {
    local bundle=$dest/$1 script=$2
    mkdir -p "$bundle"
    rm -f "$bundle/config.json"
    (cd "$bundle" && "$runtime" spec)
    jq --arg rootfs "$dest/rootfs" --arg data "$dest/data" --arg script "$script" '
        .root = {path: $rootfs, readonly: true}
        | .process.terminal = false
        | .process.user = {uid: 1000, gid: 1000}
        | .process.noNewPrivileges = true
        | .process.capabilities = ({} | .bounding = ["CAP_CHECKPOINT_RESTORE"]
            | .permitted = .bounding | .effective = .bounding | .inheritable = .bounding
            | .ambient = .bounding)
        | del(.linux.seccomp)
        | .mounts += [{destination: "/data", type: "bind", source: $data, options: ["rbind", "rw"]}]
        | .process.args = ["sh", "-c", $script]' "$bundle/config.json" >"$bundle/config.json.new"
    mv "$bundle/config.json.new" "$bundle/config.json"
}

write_config dump "$counter"
write_config restore "$restore"
if $old_kernel; then
    jq '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["clone3"],
            action: "SCMP_ACT_ERRNO", errnoRet: 38}]}
        | .mounts += [{destination: "/proc/sys/kernel/ns_last_pid", type: "bind",
            source: "/proc/sys/kernel/ns_last_pid", options: ["rbind", "rw"]}]' \
        "$dest/restore/config.json" >"$dest/restore/config.json.new"
    mv "$dest/restore/config.json.new" "$dest/restore/config.json"
fi
echo "bundles ready: $dest/dump $dest/restore (images go to $dest/data/img)"
