#!/bin/bash
# Builds the example bundle: a busybox rootfs (tests/fixtures/make-busybox-rootfs.sh) and a
# config.json from `cradle spec` whose process prints hello. Default: build/examples/busybox
# (generated files stay out of the source tree).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
bundle=${1:-$repo/build/examples/busybox}
cradle=${CRADLE:-$(command -v cradle || echo "$repo/build/cradle")}

"$repo/tests/fixtures/make-busybox-rootfs.sh" "$bundle/rootfs"
rm -f "$bundle/config.json"
(cd "$bundle" && "$cradle" spec)
tmp=$(mktemp "$bundle/config.XXXXXX")
jq '.process.terminal = false | .process.args = ["echo", "hello"]' "$bundle/config.json" >"$tmp"
mv "$tmp" "$bundle/config.json"
echo "bundle ready: $bundle"
