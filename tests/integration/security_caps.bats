#!/usr/bin/env bats
# CVE-2022-29162: runc < 1.1.2 gave the container process a full inheritable capability
# set, so a non-root process gained any capability a file in the image carried as
# file-inheritable (setcap cap_x+ei) by executing it. The process's inheritable set must be
# exactly process.capabilities.inheritable (empty in the default spec). Run against cradle,
# runc and crun; the file prints who is vulnerable.

load helpers
load security_helpers

setup() {
    USED=$BATS_TEST_TMPDIR/used
    : >"$USED"
}

teardown() {
    delete_used_runtimes
}

teardown_file() {
    print_attack_table
}

# In $BUNDLE: a copy of busybox at /capbin/busybox carrying CAP_DAC_OVERRIDE as
# file-inheritable and -effective, run by uid 1000 with no capability of its own.
setup_file_caps_bundle() {
    mkdir "$BUNDLE/rootfs/capbin"
    cp "$BUNDLE/rootfs/bin/busybox" "$BUNDLE/rootfs/capbin/busybox"
    setcap cap_dac_override+ei "$BUNDLE/rootfs/capbin/busybox"
    update_config '.process.user = {uid: 1000, gid: 1000}
        | .process.capabilities.ambient = [] | .process.capabilities.inheritable = []
        | .process.capabilities.permitted = [] | .process.capabilities.effective = []'
    # /root is 0700 root: only CAP_DAC_OVERRIDE lets uid 1000 list it.
    mkdir -p "$BUNDLE/rootfs/root"
    chmod 700 "$BUNDLE/rootfs/root"
}

@test "CVE-2022-29162: a non-root process gains no capability from file-inheritable bits" {
    command -v setcap >/dev/null || skip "setcap is not installed (libcap2-bin)"
    local attack="CVE-2022-29162 inheritable caps via setcap +ei" rt out outcome
    for rt in $(attack_runtimes); do
        usable_runtime "$attack" "$rt" || continue
        new_bundle
        setup_file_caps_bundle
        set_args sh -c 'grep -E "^Cap(Inh|Prm|Eff)" /proc/self/status;
            /capbin/busybox grep -E "^Cap(Inh|Prm|Eff)" /proc/self/status | sed "s/^/exec: /";
            /capbin/busybox ls /root >/dev/null 2>&1 && echo READ_ROOT; exit 0'
        out=$(runtime run --bundle "$BUNDLE" "$(new_id caps)" 2>&1 </dev/null 3>&-) || true
        outcome=safe
        if [[ $out == *READ_ROOT* ]] || grep -q '^exec: CapEff:[[:space:]]*0*[1-9a-f]' <<<"$out"; then
            outcome=vulnerable
        fi
        record_attack "$attack" "$rt" "$outcome"
        if is_cradle; then
            assert_equal "$outcome" safe
            grep -qE '^CapInh:[[:space:]]+0000000000000000$' <<<"$out" || fail "$out"
            grep -qE '^exec: CapEff:[[:space:]]+0000000000000000$' <<<"$out" || fail "$out"
        fi
    done
}

@test "CVE-2022-29162: the inheritable set is exactly the config's" {
    local attack="CVE-2022-29162 inheritable set as configured" rt out outcome
    for rt in $(attack_runtimes); do
        usable_runtime "$attack" "$rt" || continue
        new_bundle
        # Root, the default spec's sets, but only CAP_KILL inheritable: bit 5.
        update_config '.process.capabilities.inheritable = ["CAP_KILL"]
            | .process.capabilities.ambient = []'
        set_args sh -c 'grep "^CapInh" /proc/self/status'
        out=$(runtime run --bundle "$BUNDLE" "$(new_id inh)" 2>&1 </dev/null 3>&-) || true
        outcome=safe
        grep -qE '^CapInh:[[:space:]]+0000000000000020$' <<<"$out" || outcome="vulnerable ($out)"
        record_attack "$attack" "$rt" "$outcome"
        if is_cradle; then
            assert_equal "$outcome" safe
        fi
    done
}
