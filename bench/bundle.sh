# shellcheck shell=bash
# Sourced by the benchmarks: the bundle they run and the resources Podman writes.

# linux.resources of `podman run --memory 512m --cpu-shares 1024` with Podman's stock
# containers.conf (its default pids limit 2048 and swap twice the memory limit).
PODMAN_RESOURCES='{"devices": [{"allow": false, "access": "rwm"}], "pids": {"limit": 2048},
    "memory": {"limit": 536870912, "swap": 1073741824}, "cpu": {"shares": 1024}}'

# make_bench_bundle RUNTIME DIR RESOURCES: a busybox bundle in DIR whose config is RUNTIME's
# own default spec running /bin/true, with linux.resources RESOURCES (JSON; null keeps the
# spec's).
make_bench_bundle() {
    local runtime=$1 bundle=$2 resources=$3 repo
    repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    "$repo/tests/fixtures/make-busybox-rootfs.sh" "$repo/tests/fixtures/cache/busybox-rootfs"
    mkdir -p "$bundle"
    cp -a "$repo/tests/fixtures/cache/busybox-rootfs" "$bundle/rootfs"
    "$runtime" spec --bundle "$bundle" || return 1
    jq --argjson resources "$resources" '.process.terminal = false | .process.args = ["/bin/true"]
        | if $resources then .linux.resources = $resources else . end' \
        "$bundle/config.json" >"$bundle/c.json"
    mv "$bundle/c.json" "$bundle/config.json"
}
