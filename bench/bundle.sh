# shellcheck shell=bash
# Sourced by the benchmarks: the bundle they run, the resources Podman writes, and the
# measurement and summary they share.

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

# children_cpu FILE: sets cpu_us to the CPU time (user + system) of this shell's finished
# children so far, in microseconds (FILE is scratch space). `times` must run in this shell:
# in a pipe or $(...) it would report a subshell's children.
children_cpu() {
    times >"$1"
    cpu_us=$(awk 'NR == 2 {
        split($1 " " $2, t, /[ ms]+/)
        printf "%d\n", ((t[1] + t[3]) * 60 + t[2] + t[4]) * 1e6
    }' "$1")
}

# print_summary WORK RUNTIME...: per runtime, the mean and median wall time and the mean CPU
# time of the "NANOSECONDS CPU_MICROSECONDS" lines of WORK/times-RUNTIME, and the peak RSS
# from the caller's peak_rss RUNTIME; then the ratios of cradle to baseline, crun and runc.
print_summary() {
    local work=$1 rt ref mean_ms median_ms cpu_ms
    shift
    local -A mean cpu
    printf '\n%-8s %10s %10s %10s %12s\n' runtime "mean ms" "median ms" "CPU ms" "peak RSS KiB"
    for rt in "$@"; do
        read -r mean_ms median_ms cpu_ms < <(sort -n "$work/times-$rt" | awk '
            { v[NR] = $1; sum += $1; cpu += $2 }
            END {
                median = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
                printf "%.2f %.2f %.2f\n", sum / NR / 1e6, median / 1e6, cpu / NR / 1e3
            }')
        mean[$rt]=$mean_ms
        cpu[$rt]=$cpu_ms
        printf '%-8s %10s %10s %10s %12s\n' "$rt" "$mean_ms" "$median_ms" "$cpu_ms" "$(peak_rss "$rt")"
    done

    # CPU time hardly depends on the host's load; wall time on a busy host does.
    for ref in baseline crun runc; do
        if [ -n "${mean[cradle]:-}" ] && [ -n "${mean[$ref]:-}" ]; then
            awk -v a="${mean[cradle]}" -v b="${mean[$ref]}" -v ca="${cpu[cradle]}" -v cb="${cpu[$ref]}" \
                -v r="$ref" 'BEGIN { printf "cradle/%s (mean): %.2f   CPU: %.2f\n", r, a / b, ca / cb }'
        fi
    done
}
