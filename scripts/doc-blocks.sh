#!/bin/bash
# Finds the command blocks of Markdown pages, for the tests that run the docs
# (tests/integration/docs.bats; the convention is in docs/docs-that-run.md):
#   ```sh ATTRS        commands a reader types; the docs test runs them
#   ```console ATTRS   a transcript: "$ " lines (and their "\" continuations) are typed,
#                      the other lines are what they print
#   any other fence, indented blocks: shown, never run
# ATTRS, after the language, ";"-separated: "given: FACT, FACT" (what the test sets up
# first), "output: varies" (a transcript whose output is not compared), "skip: REASON" (not
# run here, and why), "run-by: TEST" (that test runs the block verbatim instead).
#
# doc-blocks.sh list FILE...    FILE:LINE<TAB>LANG<TAB>ATTRS for each sh or console block
# doc-blocks.sh show FILE:LINE  the commands of that block (LINE: its opening fence)
# doc-blocks.sh expect FILE:LINE  a transcript's output lines
set -euo pipefail

usage() {
    echo "usage: doc-blocks.sh list FILE... | show FILE:LINE | expect FILE:LINE" >&2
    exit 2
}

# Prints the body of the block whose fence is on line $2 of file $1: with $3 = commands,
# a transcript's typed lines without their "$ "; with $3 = output, its other lines.
body() {
    awk -v start="$2" -v want="$3" '
        NR == start {
            lang = $0; sub(/^```/, "", lang); sub(/[ \t;].*/, "", lang)
            if (!/^```/ || (lang != "sh" && lang != "console")) exit 1
            inside = 1; next
        }
        !inside { next }
        /^```/ { exit }
        lang != "console" { if (want == "commands") print; next }
        continued || /^\$ / {
            line = $0
            if (!continued) sub(/^\$ /, "", line)
            continued = /\\$/
            if (want == "commands") print line
            next
        }
        want == "output" { print }
        END { if (!inside) exit 1 }' "$1" || {
        echo "doc-blocks.sh: no sh or console block opens at $1:$2" >&2
        return 1
    }
}

[ $# -ge 2 ] || usage
case $1 in
list)
    shift
    awk '/^```/ {
            if (inside) { inside = 0; next }
            inside = 1
            info = substr($0, 4)
            lang = info; sub(/[ \t;].*/, "", lang)
            attrs = substr(info, length(lang) + 1); sub(/^[ \t;]+/, "", attrs)
            if (lang == "sh" || lang == "console") printf "%s:%d\t%s\t%s\n", FILENAME, FNR, lang, attrs
        }' "$@"
    ;;
show | expect)
    [ $# -eq 2 ] || usage
    file=${2%:*}
    line=${2##*:}
    if [ ! -f "$file" ] || [[ ! $line =~ ^[0-9]+$ ]]; then usage; fi
    if [ "$1" = show ]; then body "$file" "$line" commands; else body "$file" "$line" output; fi
    ;;
*) usage ;;
esac
