#!/bin/bash
# Makes a static libmnl for the static cradle (-DCRADLE_STATIC=ON) and prints the prefix to
# pass in CMAKE_PREFIX_PATH (it holds lib/libmnl.a, include/libmnl/ and lib/pkgconfig/).
#
# Debian 12's libmnl-dev ships only libmnl.so. First choice: build libmnl.a from Debian's
# libmnl source package for this machine's release (bookworm: 1.0.4), fetched with a private
# apt configuration (one deb-src line for the mirror this machine already uses, as
# scripts/get-criu.sh does for CRIU; the system's apt sources are left untouched). Where that
# mirror does not serve the source tarball (measured here: the .dsc is served, the
# .orig.tar.bz2 is 404), the fallback is the libmnl.a that Debian 13 (trixie) ships in its
# libmnl-dev binary package, unpacked with dpkg-deb, not installed. libmnl needs nothing from
# libc beyond socket calls and stdio, so it links with Debian 12's libc.a.
# Cached under tests/fixtures/cache/libmnl/ (LIBMNL_CACHE): re-runs print the prefix at once.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${LIBMNL_CACHE:-$repo/tests/fixtures/cache/libmnl}
prefix=$cache/prefix

say() { echo "get-libmnl-static: $*" >&2; }
die() {
    say "$*"
    exit 1
}

# This machine's release and the Debian archive URI it uses for it, as apt sees them.
release_and_mirror() {
    local codename
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
    [ -n "$codename" ] || return 1
    apt-get indextargets --format '$(RELEASE) $(REPO_URI)' 'Created-By: Packages' |
        awk -v want="$codename" '$1 == want { print $1, $2; exit }'
}

# apt-get with a private configuration whose only source is the line "$1".
private_apt() {
    local line=$1 apt_dir=$cache/apt
    shift
    mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial"
    echo "$line" >"$apt_dir/sources.list"
    apt-get -o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=/dev/null" \
        -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache::Archives=$apt_dir/archives" "$@"
}

# Builds libmnl.a from this release's libmnl source package into $prefix.
build_from_source() {
    local release mirror tree
    read -r release mirror < <(release_and_mirror) || return 1
    mkdir -p "$cache/src"
    say "fetching the libmnl source package from $mirror ($release)"
    private_apt "deb-src $mirror $release main" update -q >&2 || return 1
    (cd "$cache/src" && private_apt "deb-src $mirror $release main" source -q libmnl >&2) || return 1
    tree=$(find "$cache/src" -maxdepth 1 -type d -name 'libmnl-*' | head -1)
    [ -n "$tree" ] || return 1
    say "building libmnl.a in $tree"
    # -fPIE: the archive links into cradle whichever way cradle is linked.
    (cd "$tree" && ./configure --quiet --prefix="$prefix" --enable-static --disable-shared \
        CFLAGS="-O2 -g -fPIE -fstack-protector-strong" &&
        make -s -j"$(nproc)" && make -s install) >"$cache/build.log" 2>&1 ||
        die "building libmnl failed; see $cache/build.log"
}

# Unpacks trixie's libmnl-dev (which ships libmnl.a) into $prefix.
unpack_trixie_archive() {
    local release mirror deb unpacked
    read -r release mirror < <(release_and_mirror) || die "no Debian mirror found in this machine's apt sources"
    say "falling back to the libmnl.a of trixie's libmnl-dev binary package"
    private_apt "deb $mirror trixie main" update -q >&2 || die "apt-get update of trixie on $mirror failed"
    (cd "$cache" && private_apt "deb $mirror trixie main" download -q libmnl-dev >&2) ||
        die "apt-get download libmnl-dev (trixie) failed"
    deb=$(find "$cache" -maxdepth 1 -name 'libmnl-dev_*.deb' | head -1)
    unpacked=$cache/deb
    rm -rf "$unpacked" && dpkg-deb -x "$deb" "$unpacked"
    mkdir -p "$prefix/lib/pkgconfig" "$prefix/include"
    cp "$unpacked"/usr/lib/*/libmnl.a "$prefix/lib/"
    cp -r "$unpacked/usr/include/libmnl" "$prefix/include/"
    sed -e "s|^prefix=.*|prefix=$prefix|" -e 's|^libdir=.*|libdir=${prefix}/lib|' \
        "$unpacked"/usr/lib/*/pkgconfig/libmnl.pc >"$prefix/lib/pkgconfig/libmnl.pc"
}

main() {
    if [ -s "$prefix/lib/libmnl.a" ] && [ -s "$prefix/lib/pkgconfig/libmnl.pc" ]; then
        echo "$prefix"
        return 0
    fi
    build_from_source || unpack_trixie_archive
    [ -s "$prefix/lib/libmnl.a" ] || die "no $prefix/lib/libmnl.a after the build"
    echo "$prefix"
}

main "$@"
