#!/bin/bash
# Sets up a fresh Debian 12 machine for cradle: installs the build and test dependencies,
# builds with CMake, installs cradle to /usr/local/sbin, builds the example busybox bundle
# and runs it. `scripts/setup.sh deps` stops after the package step (used by CI).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)

packages=(build-essential cmake pkg-config clang clang-format libcap-dev libseccomp-dev libjson-c-dev libmnl-dev libsystemd-dev
    busybox-static bats bats-support bats-assert jq runc crun golang-github-containers-common podman
    stress-ng libcap2-bin containerd conmon python3 tmux containernetworking-plugins buildah docker.io
    uidmap slirp4netns # rootless Podman (tests/integration/engines/podman_rootless.bats)
    iproute2           # veth pairs and netns for net_devices.bats
    go-md2man man-db debhelper lintian) # man pages; the Debian package (test-package.sh)

install_deps() {
    local missing=() pkg
    for pkg in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

[ "$(id -u)" -eq 0 ] || { echo "setup.sh: run as root (apt-get, install to /usr/local/sbin)" >&2; exit 1; }
install_deps
"$repo/scripts/get-criu.sh" || true # a working criu, or the checkpoint/restore tests skip
# The pure cgroup v2 guest's kernel: Debian's user-mode-linux, unpacked into build-vm/.
"$repo/tests/vm/get-uml.sh" "${CRADLE_VM_CACHE:-$repo/build-vm}"
[ "${1:-}" = deps ] && exit 0

# CRADLE_TESTING off explicitly: test.sh turns it on in the same (cached) build directory,
# and the installed cradle must not take its proc-policy directory from the environment.
cmake -S "$repo" -B "$repo/build" -DCRADLE_TESTING=OFF
cmake --build "$repo/build" -j"$(nproc)"
cmake --install "$repo/build" --prefix /usr/local

"$repo/scripts/make-example-bundle.sh"
/usr/local/sbin/cradle run --bundle "$repo/build/examples/busybox" "setup-hello-$$"
