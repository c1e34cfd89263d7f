#!/bin/bash
# Runs the bats integration suite ROUNDS times in a row (default 3) against build/cradle
# while stress-ng keeps every core busy, to show the tests wait for facts and not for time.
# Prints one summary line per round; exits non-zero if any round failed.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-3}
cradle=${CRADLE:-$repo/build/cradle}
command -v stress-ng >/dev/null || { echo "stress-test.sh: stress-ng is not installed (scripts/setup.sh deps)" >&2; exit 1; }
[ -x "$cradle" ] || { echo "stress-test.sh: $cradle is not built" >&2; exit 1; }

stress-ng --cpu "$(nproc)" --timeout 0 >/dev/null 2>&1 &
stress_pid=$!
trap 'kill "$stress_pid" 2>/dev/null; wait "$stress_pid" 2>/dev/null' EXIT

rc=0
for ((round = 1; round <= rounds; round++)); do
    tap=$(mktemp /tmp/cradle-stress.XXXXXX)
    start=$(date +%s)
    CRADLE=$cradle bats --tap "$repo/tests/integration" >"$tap" 2>&1 || rc=1
    awk -v round="$round" -v secs=$(($(date +%s) - start)) \
        '/^ok .* # skip/ { skipped++ } /^ok / { ok++ } /^not ok / { failed++; print }
        END { printf "stress round %d (%d s): %d passed, %d failed, %d skipped\n",
              round, secs, ok - skipped, failed, skipped }' "$tap"
    rm -f "$tap"
done
exit "$rc"
