#!/bin/bash
# The static cradle (-DCRADLE_STATIC=ON, build-static/): builds it, checks that ldd calls it
# "not a dynamic executable", then runs a container with it from inside a root that holds
# no shared library at all: a busybox-static tree with the static cradle at
# /usr/sbin/cradle and a bundle at /bundle, entered with chroot in a private mount
# namespace (its /proc, /sys, /dev and /run mounts vanish with the namespace). Root only.
# Exits non-zero, saying why, on any failure; leaves nothing behind.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build=${CRADLE_STATIC_BUILD:-$repo/build-static}

say() { echo "test-static: $*" >&2; }
die() {
    say "FAILED: $*"
    exit 1
}

[ "$(id -u)" -eq 0 ] || die "run as root (mount namespace, chroot, cgroups)"

mnl_prefix=$("$repo/scripts/get-libmnl-static.sh") || die "no static libmnl"
cmake -S "$repo" -B "$build" -DCRADLE_STATIC=ON -DCRADLE_MAN=OFF \
    -DCMAKE_PREFIX_PATH="$mnl_prefix" >/dev/null || die "cmake configure"
# The link must not warn about NSS functions (getpwnam & co. need glibc's shared modules).
link_log=$(cmake --build "$build" -j"$(nproc)" --target cradle 2>&1) || {
    tail -n 30 <<<"$link_log"
    die "build"
}
if grep -q "statically linked applications requires at runtime" <<<"$link_log"; then
    grep "statically linked applications" <<<"$link_log" >&2
    die "the static cradle calls functions that need glibc's shared libraries at run time"
fi
cradle=$build/cradle

ldd_out=$(ldd "$cradle" 2>&1 || true)
grep -q "not a dynamic executable" <<<"$ldd_out" || die "ldd $cradle: $ldd_out"
say "ldd: $ldd_out"

tmp=$(mktemp -d /tmp/cradle-static.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
"$repo/tests/fixtures/make-busybox-rootfs.sh" "$root"
install -D -m 0755 "$cradle" "$root/usr/local/sbin/cradle"
"$repo/tests/fixtures/make-busybox-rootfs.sh" "$root/bundle/rootfs"
(cd "$root/bundle" && "$cradle" spec)
# "runc" is the hostname of the default spec, as runc's.
jq '.process.terminal = false | .process.args = ["sh", "-c", "echo static-ok in $(hostname)"]' \
    "$root/bundle/config.json" >"$root/bundle/config.json.new"
mv "$root/bundle/config.json.new" "$root/bundle/config.json"

libs=$(find "$root" \( -name '*.so' -o -name '*.so.*' -o -name 'ld-linux*' \) -print)
[ -z "$libs" ] || die "the test root holds shared libraries: $libs"

id=static-$$
out=$(unshare --mount --propagation private /bin/sh -ec '
    root=$1 id=$2
    mount --bind "$root" "$root" # a mount point, so that the container can pivot_root
    mount -t proc proc "$root/proc"
    mount --rbind /sys "$root/sys"
    mount --rbind /dev "$root/dev"
    mount -t tmpfs tmpfs "$root/run"
    mount -t tmpfs tmpfs "$root/tmp"
    rc=0
    chroot "$root" /usr/local/sbin/cradle --root /run/cradle run --bundle /bundle "$id" || rc=$?
    chroot "$root" /usr/local/sbin/cradle --root /run/cradle delete --force "$id" 2>/dev/null || true
    exit $rc
' sh "$root" "$id" 2>&1) || die "cradle run in the library-free root: $out"
[ "$out" = "static-ok in runc" ] || die "unexpected output: $out"
say "a container ran from a root without shared libraries: $out"
say "passed"
