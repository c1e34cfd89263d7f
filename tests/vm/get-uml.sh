#!/bin/bash
# Fetches Debian's user-mode-linux package and unpacks it (no install) into CACHE/uml.
# Usage: tests/vm/get-uml.sh CACHE
set -euo pipefail
cache=${1:?usage: get-uml.sh CACHE}
[ -x "$cache/uml/usr/bin/linux.uml" ] && exit 0
mkdir -p "$cache"
tmp=$(mktemp -d "$cache/uml-download.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# As root: apt's sandbox user may not reach the cache directory.
download() { (cd "$tmp" && apt-get -q -o APT::Sandbox::User=root download user-mode-linux) >&2; }
download || { apt-get update && download; } || {
    echo "get-uml.sh: cannot download Debian's user-mode-linux package" >&2
    exit 1
}
dpkg-deb -x "$tmp"/user-mode-linux_*.deb "$tmp/uml"
rm -rf "$cache/uml"
mv "$tmp/uml" "$cache/uml"
