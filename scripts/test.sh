#!/bin/bash
# Runs every test: the unit tests in a normal build (build/) and an ASan/UBSan build
# (build-asan/), then the bats integration suite against both, then the cgroup tests in a
# pure cgroup v2 guest and a systemd guest (tests/vm/). Exits non-zero if anything failed;
# always prints bats' summaries.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)
failed=()

step() {
    local name=$1
    shift
    echo "==> $name"
    "$@" || failed+=("$name")
}

# The tree follows .clang-format.
format_check() {
    (cd "$repo" && git ls-files -z '*.c' '*.h' | xargs -0 clang-format --dry-run --Werror)
}
if command -v clang-format >/dev/null; then
    step "format" format_check
fi

# -Werror only here: a user's or packager's build never fails on a warning.
# CRADLE_TESTING: the test-only hooks the suite uses (CRADLE_PROC_POLICY_DIR).
step "build" bash -c "cmake -S '$repo' -B '$repo/build' -DCRADLE_WERROR=ON -DCRADLE_TESTING=ON \
    && cmake --build '$repo/build' -j$jobs"
step "unit tests" ctest --test-dir "$repo/build" --output-on-failure
step "build (ASan/UBSan)" bash -c "cmake -S '$repo' -B '$repo/build-asan' -DCRADLE_SANITIZE=ON -DCRADLE_WERROR=ON \
    -DCRADLE_TESTING=ON \
    && cmake --build '$repo/build-asan' -j$jobs"
step "unit tests (ASan/UBSan)" ctest --test-dir "$repo/build-asan" --output-on-failure
# A packager's Release build (more optimisation, more warnings) with both compilers.
for cc in gcc clang; do
    if command -v "$cc" >/dev/null; then
        step "build (Release, $cc)" bash -c "cmake -S '$repo' -B '$repo/build-release-$cc' \
            -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=$cc -DCRADLE_WERROR=ON >/dev/null \
            && cmake --build '$repo/build-release-$cc' -j$jobs"
        # Without CRADLE_TESTING: also checks the test-only hooks are absent.
        step "unit tests (Release, $cc)" ctest --test-dir "$repo/build-release-$cc" --output-on-failure
    fi
done

# Runs COMMAND (a bats run with --tap), its TAP output plain in CI logs, then a one-line
# summary, also kept for the end. $1 labels the summary.
summaries=()
tap_run() {
    local label=$1 tap rc=0 line
    shift
    tap=$(mktemp /tmp/cradle-bats.XXXXXX)
    "$@" | tee "$tap"
    rc=${PIPESTATUS[0]}
    echo
    line=$(awk -v label="$label" '/^ok .* # skip/ { skipped++ } /^ok / { ok++ } /^not ok / { failed++ }
        END { printf "%s: %d passed, %d failed, %d skipped\n", label, ok - skipped, failed, skipped }' "$tap")
    echo "$line"
    summaries+=("$line")
    rm -f "$tap"
    return "$rc"
}

# Files only the normal build's run has. engines/podman_rootless.bats (as root, it creates
# an ordinary user and runs rootless Podman as that user) runs each case with runc and crun
# too, the same minute of runs again under ASan. And there an ASan cradle's `podman exec`
# never ends: at exit the runtime spins in sched_yield beside a dead child of its own born
# in the container's pid namespace, where it stays for its children (it has no right to
# return from the user's namespace): LeakSanitizer's tracer, which cannot attach from there.
normal_build_only=("$repo/tests/integration/engines/podman_rootless.bats")

# The whole suite against the cradle binary $1 (the ASan/UBSan build: without the files
# of normal_build_only).
integration_tests() {
    local build files=("$repo/tests/integration")
    build=$(basename "$(dirname "$1")")
    if [ "$build" != build ]; then
        mapfile -t files < <(find "$repo/tests/integration" -type f -name '*.bats' | sort |
            grep -vxF "${normal_build_only[@]/#/--regexp=}")
    fi
    tap_run "integration ($build)" env CRADLE="$1" bats --tap --recursive "${files[@]}"
}

# Needs root (namespaces, mounts, cgroups). The whole suite runs twice: against the
# normal build, and against the ASan/UBSan build, whose runtime aborts on any memory
# error or undefined behaviour (the container's init included).
for build in build build-asan; do
    if [ -x "$repo/$build/cradle" ]; then
        step "integration tests ($build)" integration_tests "$repo/$build/cradle"
    else
        echo "==> integration tests: $build/cradle was not built" >&2
        failed+=("integration tests ($build)")
    fi
done

# The cgroup tests again where this host cannot run them: in a pure cgroup v2 guest and in
# one with systemd as PID 1 (tests/vm/run-in-cgroup2.sh: user-mode-linux, ~2 s and ~7 s to
# boot; fork/exec is ~20x slower there, so only these files run). Against build/cradle.
# $1 labels the summary, $2 is "" or --systemd, the rest are bats' arguments.
guest_tests() {
    local label=$1 mode=$2 rc=0
    shift 2
    # The guest runs the command in our cwd, which it must see (not a tmpfs of its own).
    cd "$repo" || return 1
    tap_run "integration ($label)" \
        tests/vm/run-in-cgroup2.sh ${mode:+"$mode"} env CRADLE="$repo/build/cradle" bats --tap "$@" || rc=$?
    cd - >/dev/null || return 1
    return "$rc"
}
# cgroups_guest.bats first: it checks the guest's layout as booted (see there).
cgroup_files=("$repo/tests/integration/cgroups_guest.bats")
for file in "$repo"/tests/integration/cgroups_*.bats; do
    [ "$file" = "${cgroup_files[0]}" ] || cgroup_files+=("$file")
done
step "integration tests (pure cgroup v2 guest)" guest_tests "pure cgroup v2 guest" "" "${cgroup_files[@]}"
step "integration tests (systemd guest)" guest_tests "systemd guest" --systemd \
    "$repo/tests/integration/cgroups_guest.bats" "$repo/tests/integration/cgroups_systemd.bats"
# The --systemd-cgroup cases of the other cgroup files (they skip without systemd).
step "integration tests (systemd guest, --systemd-cgroup cases)" guest_tests \
    "systemd guest, --systemd-cgroup cases" --systemd -f 'systemd-cgroup' \
    "$repo/tests/integration/cgroups_commands.bats" "$repo/tests/integration/cgroups_devices.bats"
# The ptrace shim's shadow path, which only hosts with a large XSAVE area need: forced here
# (UML's buffers taken as 832 bytes), a guest that boots and runs runc (Go, many threads).
CRADLE_VM_SHIM_TEST_LEN=832 step "guest through the ptrace shim's shadow path" guest_tests "guest, shim shadow path" "" \
    -f "runc runs a busybox bundle" "$repo/tests/integration/cgroups_guest.bats"

# How cradle ships: the Debian package built, linted, installed, used, upgraded, removed and
# purged (the host is left as it was); the static binary run from a root without shared
# libraries.
step "Debian package" "$repo/scripts/test-package.sh"
step "static binary" "$repo/scripts/test-static.sh"

# Bounded fuzzing of the proc-policy and config.json parsers (libFuzzer, needs clang);
# CRADLE_FUZZ_SECONDS per target, default 30, 0 skips. Crash inputs land in build-fuzz/.
fuzz_parsers() {
    local target corpus log rc=0
    cmake -S "$repo" -B "$repo/build-fuzz" -DCRADLE_FUZZ=ON -DCMAKE_C_COMPILER=clang >/dev/null &&
        cmake --build "$repo/build-fuzz" -j"$jobs" --target fuzz_policy_parse fuzz_spec_parse ||
        return 1
    for target in policy spec; do
        corpus=$(mktemp -d /tmp/cradle-fuzz.XXXXXX)
        log=$corpus.log
        cp "$repo/tests/fuzz/corpus/$target/"* "$corpus/"
        if "$repo/build-fuzz/fuzz_${target}_parse" -max_total_time="$fuzz_seconds" \
            -artifact_prefix="$repo/build-fuzz/" "$corpus" >"$log" 2>&1; then
            echo "fuzz_${target}_parse: $(grep -o 'Done [0-9]* runs.*' "$log")"
        else
            tail -n 40 "$log"
            rc=1
        fi
        rm -rf "$corpus" "$log"
    done
    return "$rc"
}
fuzz_seconds=${CRADLE_FUZZ_SECONDS:-30}
if [ "$fuzz_seconds" -gt 0 ] && command -v clang >/dev/null; then
    step "fuzzing (${fuzz_seconds}s per parser)" fuzz_parsers
elif [ "$fuzz_seconds" -gt 0 ]; then
    echo "==> fuzzing: skipped, clang is not installed (scripts/setup.sh installs it)"
fi

print_summaries() {
    [ ${#summaries[@]} -gt 0 ] || summaries=("integration: not run")
    printf '%s\n' "${summaries[@]}"
}
if [ ${#failed[@]} -gt 0 ]; then
    printf 'FAILED: %s\n' "${failed[@]}" >&2
    print_summaries
    exit 1
fi
echo "all steps passed"
print_summaries
