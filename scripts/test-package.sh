#!/bin/bash
# The Debian package, end to end (root; scripts/test.sh runs it):
#   1. builds it from a copy of the tree with `dpkg-buildpackage -us -uc -b` and runs lintian
#      (no error allowed); installs its build tree with `cmake --install` into a DESTDIR and
#      uninstalls it (nothing left);
#   2. installs it with dpkg and checks /usr/sbin/cradle --version (commit: the package
#      version), `man -w cradle` and `man -w cradle-run`, the bash completion, and a container
#      run through /usr/sbin/cradle;
#   3. upgrades it (the same package with a higher version) after an admin edited the conffile
#      /etc/cradle/proc-policy.d/README and added a policy file there: both survive;
#   4. removes it, then purges it, and checks that every path the package holds (`dpkg -L`
#      before) is as it was before the install: gone, or there before (/usr, /etc, ...).
# The host is left as it was found, also on failure (EXIT trap). A cradle package already
# installed is not touched: the test refuses to run. /usr/local/sbin/cradle (setup.sh's) is
# left alone.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
package=cradle
admin_file=/etc/cradle/proc-policy.d/99-package-test-$$.conf

say() { echo "test-package: $*" >&2; }
die() {
    say "FAILED: $*"
    exit 1
}

[ "$(id -u)" -eq 0 ] || die "run as root (dpkg -i)"
if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed\|config-files'; then
    die "the $package package is already on this machine; this test would replace it"
fi

tmp=$(mktemp -d /tmp/cradle-package.XXXXXX)
installed=
created_dirs=()
cleanup() {
    local dir
    if [ -x /usr/sbin/cradle ]; then
        /usr/sbin/cradle --root "$tmp/state" delete --force pkg-test-$$ >/dev/null 2>&1 || true
    fi
    rm -f "$admin_file"
    if [ -n "$installed" ]; then
        dpkg --purge "$package" >/dev/null 2>&1 || true
    fi
    for dir in "${created_dirs[@]}"; do
        rmdir "$dir" 2>/dev/null || true
    done
    rm -rf "$tmp"
}
trap cleanup EXIT

# 1. Build from a copy of the tree (dpkg-buildpackage writes next to the source directory).
src=$tmp/src/$package
mkdir -p "$src"
(cd "$repo" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$src")
say "dpkg-buildpackage -us -uc -b (log: $tmp/build.log)"
(cd "$src" && DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" dpkg-buildpackage -us -uc -b) \
    >"$tmp/build.log" 2>&1 || {
    tail -n 40 "$tmp/build.log"
    die "dpkg-buildpackage"
}
deb=$(find "$tmp/src" -maxdepth 1 -name "${package}_*.deb")
[ -f "$deb" ] || die "no ${package}_*.deb built"
version=$(dpkg-deb -f "$deb" Version)
lintian_out=$(lintian --allow-root "$deb" 2>&1) || true
[ -z "$lintian_out" ] || echo "$lintian_out"
! grep -q '^E: ' <<<"$lintian_out" || die "lintian reports errors"
say "built $(basename "$deb"); lintian: $(grep -c '^E: ' <<<"$lintian_out") errors, $(grep -c '^W: ' <<<"$lintian_out") warnings"

# cmake --install of the package's build tree elsewhere: everything lands under DESTDIR +
# prefix, and the uninstall target leaves DESTDIR empty.
objdir=$(find "$src" -maxdepth 1 -type d -name 'obj-*' | head -1)
destdir=$tmp/destdir
mkdir "$destdir"
DESTDIR=$destdir cmake --install "$objdir" --prefix /opt/cradle-check >/dev/null || die "cmake --install"
outside=$(find "$destdir" -mindepth 1 ! -path "$destdir/opt" ! -path "$destdir/opt/cradle-check*")
[ -z "$outside" ] || die "cmake --install wrote outside DESTDIR/prefix: $outside"
[ -x "$destdir/opt/cradle-check/sbin/cradle" ] || die "cmake --install: no sbin/cradle under the prefix"
DESTDIR=$destdir cmake --build "$objdir" --target uninstall >/dev/null || die "the uninstall target"
left=$(find "$destdir" -mindepth 1)
[ -z "$left" ] || die "left after the uninstall target: $left"
say "cmake --install with DESTDIR and a prefix, then uninstall: nothing left"

# Which of the package's paths exist before the install (its directories such as /usr/sbin do).
mapfile -t paths < <(dpkg-deb -c "$deb" | awk '{ sub(/^\./, "", $6); sub(/\/$/, "", $6); if ($6 != "") print $6 }')
existed_before=()
for path in "${paths[@]}"; do
    [ -e "$path" ] && existed_before+=("$path")
done
for dir in /etc/cradle /etc/cradle/proc-policy.d; do
    [ -e "$dir" ] || created_dirs=("$dir" "${created_dirs[@]}")
done

# 2. Install and use it.
installed=yes
dpkg -i "$deb" >/dev/null || die "dpkg -i $deb"
mapfile -t listed < <(dpkg -L "$package")
[ -x /usr/sbin/cradle ] || die "no /usr/sbin/cradle after the install"
version_out=$(/usr/sbin/cradle --version)
echo "$version_out"
grep -qx "commit: $version" <<<"$version_out" || die "--version has no 'commit: $version' line"
man -w cradle >/dev/null || die "man -w cradle"
man -aw cradle | grep -qx /usr/share/man/man8/cradle.8.gz || die "man -aw cradle: no /usr/share/man/man8/cradle.8.gz"
man -w cradle-run | grep -q 'man8/cradle-run.8' || die "man -w cradle-run"
man -w 5 proc-policy >/dev/null || die "man -w 5 proc-policy"
bash -c 'source /usr/share/bash-completion/completions/cradle && complete -p cradle' >/dev/null ||
    die "the bash completion does not register for cradle"
[ -f /etc/cradle/proc-policy.d/README ] || die "no /etc/cradle/proc-policy.d/README"
dpkg-query --showformat='${Conffiles}\n' --show "$package" | grep -q /etc/cradle/proc-policy.d/README ||
    die "/etc/cradle/proc-policy.d/README is not a conffile"

bundle=$tmp/bundle
"$repo/tests/fixtures/make-busybox-rootfs.sh" "$bundle/rootfs"
(cd "$bundle" && /usr/sbin/cradle spec)
jq '.process.terminal = false | .process.args = ["echo", "hello from the package"]' \
    "$bundle/config.json" >"$bundle/config.json.new" && mv "$bundle/config.json.new" "$bundle/config.json"
out=$(/usr/sbin/cradle --root "$tmp/state" run --bundle "$bundle" pkg-test-$$ </dev/null 2>&1) ||
    die "cradle run through /usr/sbin/cradle: $out"
[ "$out" = "hello from the package" ] || die "unexpected container output: $out"
say "installed: --version, man -w cradle and cradle-run, completion, a container run: ok"

# 3. An admin edits the conffile and adds a policy file; an upgrade keeps both.
echo "# edited by the admin" >>/etc/cradle/proc-policy.d/README
echo "# the admin's (empty) site policy" >"$admin_file"
readme_sum=$(md5sum </etc/cradle/proc-policy.d/README)
newer=$tmp/newer
dpkg-deb -R "$deb" "$newer"
sed -i "s/^Version: .*/Version: $version+upgrade1/" "$newer/DEBIAN/control"
dpkg-deb -b "$newer" "$tmp/upgrade.deb" >/dev/null
dpkg -i "$tmp/upgrade.deb" </dev/null >/dev/null || die "upgrade"
[ "$(dpkg-query -W -f='${Version}' "$package")" = "$version+upgrade1" ] || die "the upgrade did not happen"
[ "$(md5sum </etc/cradle/proc-policy.d/README)" = "$readme_sum" ] ||
    die "the upgrade replaced the admin's edited /etc/cradle/proc-policy.d/README"
[ -f "$admin_file" ] || die "the upgrade removed the admin's $admin_file"
/usr/sbin/cradle features >/dev/null || die "cradle features with the admin's policy file"
say "upgrade: the admin's edited README and $admin_file survived"

# 4. Remove (conffiles stay), then purge (nothing stays).
dpkg -r "$package" >/dev/null || die "dpkg -r"
[ ! -e /usr/sbin/cradle ] || die "/usr/sbin/cradle left after dpkg -r"
[ -f /etc/cradle/proc-policy.d/README ] || die "dpkg -r removed the conffile (only purge may)"
rm -f "$admin_file" # the admin's own file is the admin's to remove
dpkg --purge "$package" >/dev/null || die "dpkg --purge"
installed=
! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'installed\|config-files' ||
    die "dpkg still knows $package after the purge"
left=()
for path in "${listed[@]}"; do
    [ "$path" != /. ] && [ -e "$path" ] || continue
    printf '%s\n' "${existed_before[@]}" | grep -qxF -- "$path" || left+=("$path")
done
[ ${#left[@]} -eq 0 ] || die "left behind after the purge: ${left[*]}"
for dir in /etc/cradle/proc-policy.d /etc/cradle; do
    printf '%s\n' "${created_dirs[@]}" | grep -qxF "$dir" && [ -e "$dir" ] && die "$dir left after the purge"
done
say "removed and purged: none of the package's ${#listed[@]} paths is left"
say "passed"
