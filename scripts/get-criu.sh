#!/bin/bash
# Makes sure a working criu is on PATH (idempotent).
#
# Debian 12's criu 3.17.1 fails `criu check` on kernels >= 6.13 ("vdso: Unexpected rt vDSO
# area bounds"). When the criu on PATH fails its check, this builds CRIU 4.1.1 from the
# upstream tarball of Debian trixie's criu source package and installs it as
# /usr/local/sbin/criu, which shadows /usr/sbin/criu. The source is fetched with a private
# apt configuration: one deb-src entry for trixie on the Debian mirror this machine is
# already configured with; the system's own apt sources are left untouched.
#
# Downloads and the build are cached under tests/fixtures/cache/criu/ so re-runs are fast.
# Exits non-zero, saying why, when no working criu can be had (the tests then skip).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${CRIU_CACHE:-$repo/tests/fixtures/cache/criu}
version=4.1.1
source_suite=trixie
install_path=/usr/local/sbin/criu
build_packages=(build-essential pkg-config libcap-dev libprotobuf-c-dev protobuf-c-compiler
    libprotobuf-dev libnl-3-dev libnet1-dev libbsd-dev libnftables-dev libgnutls28-dev
    uuid-dev python3-protobuf xz-utils)

say() { echo "get-criu: $*" >&2; }
die() {
    say "$*"
    say "no working criu: checkpoint/restore tests will skip"
    exit 1
}

# `criu check` with the given binary; its complaints go to stderr only when asked.
criu_works() {
    local criu=$1
    [ -x "$criu" ] && "$criu" check >/dev/null 2>&1
}

install_build_deps() {
    local missing=() pkg
    for pkg in "${build_packages[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing build dependencies: ${missing[*]}"
    apt-get update -q || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" ||
        die "could not install the build dependencies: ${missing[*]}"
}

# The Debian archive URI this machine uses for its own release, as apt itself sees it.
debian_mirror() {
    local codename
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
    [ -n "$codename" ] || return 1
    apt-get indextargets --format '$(RELEASE) $(REPO_URI)' 'Created-By: Packages' |
        awk -v want="$codename" '$1 == want { print $2; exit }'
}

# Downloads criu_$version.orig.tar.xz into $cache/src with a private apt state dir.
fetch_tarball() {
    local tarball=$cache/src/criu_$version.orig.tar.xz mirror apt_dir
    [ -s "$tarball" ] && return 0
    mirror=$(debian_mirror) || true
    [ -n "$mirror" ] || die "no Debian mirror found in this machine's apt sources"
    apt_dir=$cache/apt
    mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$cache/src"
    echo "deb-src $mirror $source_suite main" >"$apt_dir/sources.list"
    local apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list"
        -o "Dir::Etc::SourceParts=/dev/null" -o "Dir::State::Lists=$apt_dir/lists"
        -o "Dir::Cache::Archives=$apt_dir/archives")
    say "fetching the criu source package from $mirror ($source_suite)"
    apt-get "${apt_opts[@]}" update -q || die "apt-get update of deb-src $mirror $source_suite failed"
    # The .dsc may 404 when the index is newer than the pool: the orig tarball is enough.
    (cd "$cache/src" && apt-get "${apt_opts[@]}" source --download-only criu) ||
        say "apt-get source reported an error; checking for the orig tarball"
    [ -s "$tarball" ] ||
        die "criu_$version.orig.tar.xz was not downloaded (the $source_suite source may have moved on from $version)"
}

build_criu() {
    local tree=$cache/criu-$version
    [ -x "$tree/criu/criu" ] && return 0
    fetch_tarball
    rm -rf "$tree"
    tar -xf "$cache/src/criu_$version.orig.tar.xz" -C "$cache" || die "could not unpack the criu tarball"
    [ -d "$tree" ] || die "the tarball did not unpack into $tree"
    say "building criu $version in $tree"
    make -C "$tree" -j"$(nproc)" criu >"$cache/build.log" 2>&1 ||
        die "make criu failed; see $cache/build.log"
}

main() {
    local current
    current=$(command -v criu || true)
    if [ -n "$current" ] && criu_works "$current"; then
        say "$current passes 'criu check' ($("$current" --version | head -1))"
        return 0
    fi
    [ -n "$current" ] && say "$current fails 'criu check': $("$current" check 2>&1 | tail -1)"
    [ "$(id -u)" -eq 0 ] || die "run as root to build and install criu"
    install_build_deps
    build_criu
    install -m 0755 "$cache/criu-$version/criu/criu" "$install_path"
    criu_works "$install_path" ||
        die "the freshly built $install_path fails 'criu check': $("$install_path" check 2>&1 | tail -1)"
    say "installed $install_path ($("$install_path" --version | head -1)); 'criu check' passes"
}

main "$@"
