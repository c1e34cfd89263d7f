# Runs the command blocks of the docs (found by scripts/doc-blocks.sh; the convention is in
# docs/docs-that-run.md) as a reader would type them, with nothing but the
# test's own state touched:
# - in a private mount namespace with fresh tmpfs on /tmp, /srv, /var/lib and /var/log, so
#   the docs' example paths (/srv/bundles/web, /tmp/criu-demo, /var/lib/ckpt/web1) exist
#   and what a block writes there never reaches the host; bats' own directory stays visible;
# - with `cradle` on PATH a wrapper of the runtime under test passing a private --root
#   (`given: cradle installed` also binds it over /usr/local/sbin/cradle);
# - from a directory that looks like the top of the tree (a link to each of its entries,
#   so a block can write there);
# - after the facts of its "given:" attribute (see doc_given) are set up.
# A sh block runs under `set -euo pipefail`; a transcript's commands run one after the
# other and its output is compared with the lines shown (unless "output: varies").

load "$(dirname "${BASH_SOURCE[0]}")/helpers"

DOC_BLOCKS=$REPO_ROOT/scripts/doc-blocks.sh

# The Markdown pages whose blocks are run.
doc_pages() {
    (cd "$REPO_ROOT" && ls README.md docs/*.md docs/man/*.md && find examples -name '*.md' | sort)
}

# $1 without leading and trailing blanks.
trim() {
    local s=${1#"${1%%[![:space:]]*}"}
    echo "${s%"${s##*[![:space:]]}"}"
}

# Value of attribute $2 ("given", "skip", "run-by", "output") in a block's attributes $1.
doc_attr() {
    local attr attrs
    IFS=';' read -ra attrs <<<"$1"
    for attr in "${attrs[@]}"; do
        attr=$(trim "$attr")
        if [[ $attr == "$2:"* ]]; then
            trim "${attr#"$2:"}"
            return 0
        fi
    done
    return 1
}

# The list line of block FILE:LINE ($1) from scripts/doc-blocks.sh.
doc_block_line() {
    (cd "$REPO_ROOT" && "$DOC_BLOCKS" list "${1%:*}") | awk -F'\t' -v id="$1" '$1 == id'
}

# Runs block FILE:LINE ($1, FILE relative to the top of the tree) in a fresh sandbox. The
# bats `run` result is the block's: its status and its output (a transcript's status is
# 1 when its output differs from the page's, and the output is then a diff).
run_doc_block() {
    local id=$1 line lang attrs
    line=$(doc_block_line "$id")
    [ -n "$line" ] || fail "no sh or console block opens at $id"
    IFS=$'\t' read -r _ lang attrs <<<"$line"
    doc_sandbox "$id" "$lang" "$attrs"
    run doc_run_sandbox
    if [ "$lang" = console ] && [ "$status" -eq 0 ] && ! doc_attr "$attrs" output >/dev/null; then
        local expected=$DOC_SANDBOX/expected
        (cd "$REPO_ROOT" && "$DOC_BLOCKS" expect "$id") >"$expected"
        run diff -u "$expected" - <<<"$output"
    fi
}

# Runs the sandbox's inner.sh in a new mount namespace. Its output goes through a file: a
# container a block leaves running must not hold bats' pipe open.
doc_run_sandbox() {
    local rc=0
    timeout -k 5 "${DOC_TIMEOUT:-300}" unshare --mount --propagation private \
        bash "$DOC_SANDBOX/inner.sh" >"$DOC_SANDBOX/log" 2>&1 </dev/null || rc=$?
    cat "$DOC_SANDBOX/log"
    return "$rc"
}

# The id (FILE:LINE) of the block of page $1 whose run-by attribute names test file $2.
doc_block_run_by() {
    (cd "$REPO_ROOT" && "$DOC_BLOCKS" list "$1") |
        awk -F'\t' -v test="$2" '$3 ~ "(^|;) *run-by: *" test "( |;|$)" { print $1 }'
}

# Writes the sandbox of block $1 (language $2, attributes $3) into $DOC_SANDBOX: the
# wrapper, the block's commands and inner.sh, which runs in the new mount namespace.
doc_sandbox() {
    local id=$1 lang=$2 attrs=$3 given shell_flags=-euo
    DOC_SANDBOX=$(mktemp -d "$BATS_RUN_TMPDIR/docs.XXXXXX")
    STATE_ROOT=$DOC_SANDBOX/state
    mkdir -p "$DOC_SANDBOX/bin"
    cat >"$DOC_SANDBOX/bin/cradle" <<EOF
#!/bin/sh
exec "${RUNTIME:-$CRADLE}" --root "$STATE_ROOT" "\$@"
EOF
    chmod +x "$DOC_SANDBOX/bin/cradle"
    (cd "$REPO_ROOT" && "$DOC_BLOCKS" show "$id") >"$DOC_SANDBOX/block.sh"
    given=$(doc_attr "$attrs" given || true)
    # A transcript may show a command that fails, then `echo $?`: what it prints is checked,
    # not how it ends.
    [ "$lang" = console ] && shell_flags=-uo && echo true >>"$DOC_SANDBOX/block.sh"
    {
        echo "set -euo pipefail"
        declare -f trim doc_namespace doc_tree doc_given doc_bundle doc_add_mounts
        echo "REPO_ROOT='$REPO_ROOT' ROOTFS_CACHE='$ROOTFS_CACHE' CRADLE_BIN='$DOC_SANDBOX/bin/cradle'"
        echo "RUN_TMPDIR='$BATS_RUN_TMPDIR' SANDBOX_NAME='cradle-${DOC_SANDBOX##*/}'"
        echo "PATH='$DOC_SANDBOX/bin':\$PATH"
        echo "doc_namespace"
        echo "doc_tree"
        echo "IFS=, read -ra facts <<<'$given'"
        echo 'set -E; trap '\''echo "docs sandbox: setting up \"$fact\" failed" >&2; cat /tmp/given.log 2>/dev/null; trap - ERR'\'' ERR'
        echo 'for fact in "${facts[@]}"; do doc_given "$(trim "$fact")"; done'
        echo 'trap - ERR; set +E'
        echo "cd /srv/tree"
        echo "exec bash $shell_flags pipefail '$DOC_SANDBOX/block.sh'"
    } >"$DOC_SANDBOX/inner.sh"
}

# Deletes the containers a block left in its sandbox's state dir, then the sandbox.
doc_sandbox_teardown() {
    local id
    [ -n "${DOC_SANDBOX:-}" ] || return 0
    for id in $("$DOC_SANDBOX/bin/cradle" list -q 2>/dev/null); do
        "$DOC_SANDBOX/bin/cradle" delete --force "$id" >/dev/null 2>&1 || true
    done
    rm -rf "$DOC_SANDBOX"
    DOC_SANDBOX=
}

# In the sandbox's mount namespace: fresh tmpfs on the docs' example directories; bats'
# directory (under /tmp) bound back in place through an fd opened before (not
# canonicalized: the path it links to is the new, empty one).
doc_namespace() {
    local dir
    exec 9<"$RUN_TMPDIR"
    mount -t tmpfs -o mode=1777 doc-tmp /tmp
    mkdir -p "$RUN_TMPDIR"
    mount --no-canonicalize --rbind /proc/self/fd/9 "$RUN_TMPDIR"
    exec 9<&-
    for dir in /srv /var/lib /var/log; do
        mount -t tmpfs -o mode=755 doc-tmp "$dir"
    done
}

# /srv/tree: the top of the tree as a fresh checkout, each entry a link (to what git
# tracks, and .git: build directories are not there).
doc_tree() {
    local entry
    mkdir /srv/tree
    for entry in .git $(git -C "$REPO_ROOT" ls-files | cut -d/ -f1 | sort -u); do
        ln -s "$REPO_ROOT/$entry" /srv/tree/
    done
}

# Makes bundle /srv/bundles/$1 on the shared busybox rootfs, running the words $2... Its
# cgroup is named after the sandbox: the docs' container names (web1) are not unique.
doc_bundle() {
    local bundle=/srv/bundles/$1
    shift
    mkdir -p "$bundle"
    [ -d /srv/rootfs ] || cp -a "$ROOTFS_CACHE" /srv/rootfs
    (cd "$bundle" && cradle spec)
    jq --arg cgroup "/$SANDBOX_NAME-${bundle##*/}" --args '.root.path = "/srv/rootfs"
        | .process.terminal = false | .process.args = $ARGS.positional
        | .linux.cgroupsPath = $cgroup' "$@" <"$bundle/config.json" >"$bundle/config.json.new"
    mv "$bundle/config.json.new" "$bundle/config.json"
}

# Appends the mounts of jq expression $2 to those of bundle /srv/bundles/$1.
doc_add_mounts() {
    local config=/srv/bundles/$1/config.json
    jq ".mounts += $2" <"$config" >"$config.new"
    mv "$config.new" "$config"
}

# Sets up fact $1 of a block's "given:" attribute. A container's stdio is /dev/null, as the
# docs start theirs (criu dumps no other file); errors go to /tmp/given.log.
doc_given() {
    case $1 in
    "bundles")
        # What the man pages' examples call their bundles.
        doc_bundle busybox echo hello
        doc_bundle web sleep 1000000
        doc_bundle job7 sh -c 'exit 3'
        ;;
    "policy bundles")
        # cradle-policy(8)'s: proc mounts that its policy refuses.
        doc_bundle criu sleep 1000000
        doc_add_mounts criu '[
            {destination: "/proc/sys/kernel/ns_last_pid", type: "bind",
             source: "/proc/sys/kernel/ns_last_pid", options: ["rbind", "rw"]},
            {destination: "/proc/sys/kernel/hostname", type: "bind",
             source: "/proc/sys/kernel/hostname", options: ["rbind", "ro"]},
            {destination: "/nslp", type: "bind",
             source: "/proc/sys/kernel/ns_last_pid", options: ["rbind", "ro"]}]'
        doc_bundle agent sleep 1000000
        doc_add_mounts agent '[{destination: "/host", type: "bind", source: "/",
            options: ["rbind", "ro"]}]'
        ;;
    "web1 created")
        cradle --log /tmp/given.log create --bundle /srv/bundles/web web1 </dev/null >/dev/null 2>&1
        ;;
    "web1 running")
        cradle --log /tmp/given.log run -d --bundle /srv/bundles/web web1 </dev/null >/dev/null 2>&1
        ;;
    "web1 paused")
        doc_given "web1 running"
        cradle pause web1
        ;;
    "job7 stopped")
        cradle --log /tmp/given.log run -d --bundle /srv/bundles/job7 job7 </dev/null >/dev/null 2>&1
        until cradle state job7 | grep -q '"status": "stopped"'; do sleep 0.05; done
        ;;
    "no site policy")
        # An empty /etc/cradle: only the built-in proc-policy rules.
        if [ -d /etc/cradle ]; then mount -t tmpfs -o mode=755 doc-tmp /etc/cradle; fi
        ;;
    "criu")
        command -v criu >/dev/null || { echo "no criu on PATH (scripts/get-criu.sh)" >&2; return 1; }
        ;;
    "an empty /usr/local")
        mount -t tmpfs -o mode=755 doc-tmp /usr/local
        ;;
    "cradle installed")
        mount --bind "$CRADLE_BIN" /usr/local/sbin/cradle
        ;;
    *)
        echo "unknown given: $1" >&2
        return 1
        ;;
    esac
}
