# Shared by the security_*.bats files: each attack runs against cradle and, where they are
# installed, runc and crun; the outcome of each is recorded and the file prints a table of
# who is vulnerable when it ends (teardown_file calls print_attack_table).

# The runtimes an attack is tried on: cradle (the build under test) first, then runc and
# crun when installed. One path per line.
attack_runtimes() {
    echo "$CRADLE"
    local other
    for other in runc crun; do
        command -v "$other" 2>/dev/null || true
    done
}

# A short name for runtime binary $1 (cradle, runc, crun).
runtime_name() {
    basename "$1"
}

# record_attack ATTACK RUNTIME OUTCOME: OUTCOME is "vulnerable", "safe" or "n/a: why".
record_attack() {
    printf '%s\t%s\t%s\n' "$1" "$(runtime_name "$2")" "$3" >>"$BATS_FILE_TMPDIR/attack-table"
}

# Prints the table of attacks and outcomes to the terminal (fd 3), one row per attack.
print_attack_table() {
    local table=$BATS_FILE_TMPDIR/attack-table
    [ -s "$table" ] || return 0
    {
        echo "# who is vulnerable ($(basename "$BATS_TEST_FILENAME")):"
        awk -F'\t' '{ key = $1; if (!(key in seen)) { order[n++] = key; seen[key] = 1 }
                      row[key] = row[key] sprintf("  %s: %s", $2, $3) }
                    END { for (i = 0; i < n; i++) printf "#   %-45s%s\n", order[i], row[order[i]] }' "$table"
    } >&3
}
