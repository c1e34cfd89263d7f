#!/usr/bin/env bats
# The bash completion (contrib/completions/bash/cradle): commands, global and per-command
# options, option values and container ids from `cradle list -q`, as bash computes them on
# TAB (COMP_WORDS/COMP_CWORD in, COMPREPLY out).

load helpers

COMPLETION=$REPO_ROOT/contrib/completions/bash/cradle

setup() {
    skip_unless_cradle "cradle's completion reads cradle's --help"
    common_setup
    # `cradle` on PATH is the binary under test with the test's state dir, so that the
    # completion sees exactly what a user typing `cradle ...` would.
    mkdir -p "$BATS_TEST_TMPDIR/bin"
    printf '#!/bin/sh\nexec "%s" --root "%s" "$@"\n' "$CRADLE" "$STATE_ROOT" >"$BATS_TEST_TMPDIR/bin/cradle"
    chmod +x "$BATS_TEST_TMPDIR/bin/cradle"
    PATH=$BATS_TEST_TMPDIR/bin:$PATH
    # shellcheck source=/dev/null
    source "$COMPLETION"
}

teardown() {
    common_teardown
}

# Completes the words given, the last one being the word under the cursor; sets $output
# to the candidates, sorted, one per line.
complete_words() {
    COMP_WORDS=("$@")
    COMP_CWORD=$(($# - 1))
    COMPREPLY=()
    _cradle
    output=$(printf '%s\n' "${COMPREPLY[@]}" | sort)
    mapfile -t lines <<<"$output"
}

@test "sourcing the completion registers it for cradle" {
    run complete -p cradle
    assert_success
    assert_output "complete -F _cradle cradle"
}

@test "cradle de<TAB> completes to delete" {
    complete_words cradle de
    assert_equal "$output" delete
}

@test "cradle <TAB> offers every command of --help" {
    complete_words cradle ""
    local cmd
    for cmd in checkpoint create delete features kill list run spec start state; do
        assert_line "$cmd"
    done
    refute_line --partial -- "-"
}

@test "cradle delete <TAB> offers the running container's id" {
    local id other
    id=$(new_id comp)
    other=$(new_id other)
    set_args sleep 100
    # Not through bats' run: the container's sleep would hold its output pipe for 100 s.
    runtime run -d --bundle "$BUNDLE" "$id" </dev/null >"$BATS_TEST_TMPDIR/run.out" 2>&1
    runtime run -d --bundle "$BUNDLE" "$other" </dev/null >>"$BATS_TEST_TMPDIR/run.out" 2>&1

    complete_words cradle delete ""
    assert_equal "$output" "$(printf '%s\n' "$id" "$other" | sort)"
    complete_words cradle delete "${id:0:$((${#id} - 2))}"
    assert_equal "$output" "$id"
    # The same through an explicit --root, with the binary's own path.
    complete_words "$CRADLE" --root "$STATE_ROOT" delete ""
    assert_equal "$output" "$(printf '%s\n' "$id" "$other" | sort)"
    # After the id, delete takes nothing more.
    complete_words cradle delete "$id" ""
    assert_equal "$output" ""
}

@test "options: global ones, a command's own, and values" {
    complete_words cradle --lo
    assert_equal "$output" "$(printf '%s\n' --log --log-format)"
    complete_words cradle delete --f
    assert_equal "$output" --force
    complete_words cradle checkpoint --image
    assert_equal "$output" --image-path
    complete_words cradle --log-format ""
    assert_equal "$output" "$(printf '%s\n' json text)"
    complete_words cradle list --format j
    assert_equal "$output" json
    complete_words cradle kill some-id SIGK
    assert_equal "$output" SIGKILL
    # The value of a global option is not taken for the command.
    complete_words cradle --log-format json de
    assert_equal "$output" delete
}

@test "no container: cradle delete <TAB> offers nothing" {
    complete_words cradle delete ""
    assert_equal "$output" ""
}
