#!/usr/bin/env bats
# Docs that run: every command block of README.md, docs/ and examples/ that a reader types
# (```sh, and the "$ " lines of ```console transcripts) runs here, in a sandbox
# (docs_helpers.bash), so that a page cannot drift from the code. A block that cannot run
# here says why ("skip: REASON") or names the test that runs it verbatim ("run-by:"); the
# convention is in docs/docs-that-run.md. A failure names the page and the line of the block.

load docs_helpers

setup_file() {
    "$REPO_ROOT/tests/fixtures/make-busybox-rootfs.sh" "$ROOTFS_CACHE"
}

teardown() {
    doc_sandbox_teardown
}

# Every block of the pages whose path matches regex $1, unless skipped or run by another
# test, runs; fails listing each failed block with its output.
run_doc_blocks_of() {
    local pattern=$1 page id lang attrs failed="" count=0
    for page in $(doc_pages); do
        [[ $page =~ $pattern ]] || continue
        while IFS=$'\t' read -r id lang attrs; do
            doc_attr "$attrs" skip >/dev/null && continue
            doc_attr "$attrs" run-by >/dev/null && continue
            run_doc_block "$id"
            count=$((count + 1))
            if [ "$status" -ne 0 ]; then
                failed+="--- $id ($lang${attrs:+; $attrs}) failed, status $status:"$'\n'"$output"$'\n'
            fi
            doc_sandbox_teardown
        done < <(cd "$REPO_ROOT" && "$DOC_BLOCKS" list "$page")
    done
    echo "# $count blocks run" >&3
    [ -z "$failed" ] || fail "$failed"
}

@test "every command block of the docs runs here, is run by a named test, or says why not" {
    local page id lang attrs pairs pair key value bad=""
    for page in $(doc_pages); do
        while IFS=$'\t' read -r id lang attrs; do
            IFS=';' read -ra pairs <<<"$attrs"
            for pair in "${pairs[@]}"; do
                key=$(trim "${pair%%:*}")
                value=$(trim "${pair#*:}")
                case $key in
                given | output) ;;
                skip) [ -n "$value" ] || bad+="$id: skip without a reason"$'\n' ;;
                run-by)
                    if [ ! -f "$REPO_ROOT/$value" ]; then
                        bad+="$id: run-by names no file: $value"$'\n'
                    elif [ "$(doc_block_run_by "$page" "$value")" != "$id" ] ||
                        ! grep -q "$page" "$REPO_ROOT/$value"; then
                        bad+="$id: $value does not run this block (it must name $page)"$'\n'
                    fi
                    ;;
                *) bad+="$id: unknown attribute '$pair'"$'\n' ;;
                esac
            done
        done < <(cd "$REPO_ROOT" && "$DOC_BLOCKS" list "$page")
    done
    [ -z "$bad" ] || fail "$bad"
}

@test "man pages: the EXAMPLES are fenced blocks (indented ones would not run)" {
    local page bad=""
    for page in "$REPO_ROOT"/docs/man/*.md; do
        bad+=$(awk -v page="${page#"$REPO_ROOT"/}" '
            /^```/ { fenced = !fenced; next }
            /^## / { examples = ($0 == "## EXAMPLES") }
            examples && !fenced && /^    [^ ]/ { print page ":" FNR ": " $0 }' "$page")
    done
    [ -z "$bad" ] || fail "indented example lines (fence them as \`\`\`sh or \`\`\`console):"$'\n'"$bad"
}

@test "README.md and docs/*.md: the typed blocks run" {
    skip_unless_cradle "the docs describe cradle (policy, features, events)"
    run_doc_blocks_of '^(README\.md|docs/[^/]*\.md)$'
}

@test "docs/man/*.md: the EXAMPLES run" {
    skip_unless_cradle "the docs describe cradle (policy, features, events)"
    run_doc_blocks_of '^docs/man/'
}

@test "examples/: the typed blocks run" {
    skip_unless_cradle "the docs describe cradle (policy, features, events)"
    run_doc_blocks_of '^examples/'
}

@test "doc-blocks.sh: lists sh and console blocks with their attributes, shows what is typed, expects the rest" {
    local page=$BATS_TEST_TMPDIR/page.md
    cat >"$page" <<'PAGE'
# A page

```toml
not = "run"
```

```sh given: bundles, web1 running; skip: a reason: with a colon
echo one
```

```console output: varies
$ echo two \
    three
two three
$ false
$ echo $?
1
```

    indented: never run
PAGE
    run "$DOC_BLOCKS" list "$page"
    assert_success
    assert_output "$page:7	sh	given: bundles, web1 running; skip: a reason: with a colon
$page:11	console	output: varies"
    run doc_attr "given: bundles, web1 running; skip: a reason: with a colon" skip
    assert_output "a reason: with a colon"
    run "$DOC_BLOCKS" show "$page:11"
    assert_output 'echo two \
    three
false
echo $?'
    run "$DOC_BLOCKS" expect "$page:11"
    assert_output 'two three
1'
    run "$DOC_BLOCKS" show "$page:3"
    assert_failure
    assert_output "doc-blocks.sh: no sh or console block opens at $page:3"
    run "$DOC_BLOCKS" show "$page:4"
    assert_failure
}
