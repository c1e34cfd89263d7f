#!/usr/bin/env bats
# LSM labels (process.apparmorProfile, process.selinuxLabel, linux.mountLabel) and
# linux.intelRdt on a host where neither LSM nor resctrl is enabled: each does what runc
# does there, with runc's words, and leaves nothing behind. The enabled paths (the attr
# files written, context= honoured) cannot run here; docs/security.md says so. Every test
# runs on runc too (RUNTIME=/usr/sbin/runc).

load helpers

setup() {
    common_setup
}

teardown() {
    common_teardown
}

skip_if_apparmor() {
    if [ -d /sys/kernel/security/apparmor ] &&
        grep -q '^Y' /sys/module/apparmor/parameters/enabled 2>/dev/null; then
        skip "AppArmor is enabled on this host"
    fi
}

skip_if_selinux() {
    if grep -q ' /sys/fs/selinux selinuxfs ' /proc/self/mounts; then
        skip "SELinux is enabled on this host"
    fi
}

# Starts a detached container running sleep; its output goes to a file, not bats' pipe.
start_sleeper() {
    set_args sleep 100
    runtime run -d --bundle "$BUNDLE" "$1" >"$BATS_TEST_TMPDIR/run.log" 2>&1 </dev/null
}

@test "features: apparmor and selinux are supported, as runc reports them" {
    run runtime features
    assert_success
    [ "$(jq .linux.apparmor.enabled <<<"$output")" = true ]
    [ "$(jq .linux.selinux.enabled <<<"$output")" = true ]
    if is_cradle; then
        [ "$(jq .linux.netDevices.enabled <<<"$output")" = true ]
        [ "$(jq .linux.intelRdt.enabled <<<"$output")" = false ]
    fi
}

@test "process.apparmorProfile with AppArmor disabled: the init fails writing attr/exec, as runc's" {
    skip_if_apparmor
    local id
    id=$(new_id)
    update_config '.process.apparmorProfile = "cradle-test-profile"'
    run_create "$id"
    assert_failure
    assert_output --partial "unable to apply apparmor profile: apparmor failed to apply profile: write /proc/"
    assert_output --partial "/attr/exec: invalid argument"
    assert_no_trace "$id"
}

@test "an empty apparmorProfile or selinuxLabel means none" {
    update_config '.process.apparmorProfile = "" | .process.selinuxLabel = "" | .linux.mountLabel = ""'
    run_cmd echo labelled
    assert_success
    assert_output labelled
}

@test "process.selinuxLabel with SELinux disabled: runc's validation error, nothing made" {
    skip_if_selinux
    local id
    id=$(new_id)
    update_config '.process.selinuxLabel = "system_u:system_r:container_t:s0:c1,c2"'
    run_create "$id"
    assert_failure
    assert_output --partial "selinux label is specified in config, but selinux is disabled or not supported"
    assert_no_trace "$id"
}

# runc gives context="..." whether or not SELinux is enabled (label.FormatMountLabel);
# without SELinux the kernel refuses the option on the first tmpfs, /dev.
@test "linux.mountLabel with SELinux disabled: the /dev tmpfs refuses context=, as with runc" {
    skip_if_selinux
    local id
    id=$(new_id)
    update_config '.linux.mountLabel = "system_u:object_r:container_file_t:s0"'
    run_create "$id"
    assert_failure
    assert_output --partial "/dev"
    assert_output --regexp "[Ii]nvalid argument"
    assert_no_trace "$id"
}

# The label is quoted in the mount data: a quote of its own would end it there and let the
# config add mount options through the label. runc passes it on as it is.
@test "cradle: a linux.mountLabel with a quote is refused, naming the field, leaving nothing" {
    skip_unless_cradle "runc 1.1.5 passes the label on unchecked"
    local id
    id=$(new_id)
    update_config '.linux.mountLabel = "system_u:object_r:container_file_t:s0\",nosuid,size=1k,\""'
    run_create "$id"
    assert_failure
    assert_output --partial "linux.mountLabel: a label cannot contain a double quote"
    assert_no_trace "$id"
}

@test "exec --apparmor and --process-label with the LSMs disabled fail, the container runs on" {
    skip_if_apparmor
    skip_if_selinux
    local id
    id=$(new_id)
    start_sleeper "$id"
    run runtime exec --apparmor cradle-test-profile "$id" true
    assert_failure 255
    assert_output --partial "apparmor failed to apply profile: write /proc/"
    assert_output --partial "/attr/exec: invalid argument"
    # runc's exec validates the label as create does.
    run runtime exec --process-label system_u:system_r:container_t:s0 "$id" true
    assert_failure 255
    assert_output --partial "selinux label is specified in config, but selinux is disabled or not supported"
    run runtime exec "$id" echo alive
    assert_success
    assert_output alive
}

# CVE-2019-16884: a container that mounts a fake /proc over its own must not swallow the
# profile an exec asks for (the write would land in a plain file, the process unconfined).
@test "exec --apparmor refuses an attr/exec that is not on procfs (CVE-2019-16884)" {
    local id
    id=$(new_id)
    update_config '.process.capabilities.bounding += ["CAP_SYS_ADMIN"]
        | .process.capabilities.effective += ["CAP_SYS_ADMIN"]
        | .process.capabilities.permitted += ["CAP_SYS_ADMIN"]
        | .mounts += [{"destination": "/mnt", "type": "tmpfs", "source": "tmpfs"}]'
    start_sleeper "$id"
    run runtime exec "$id" sh -c 'mkdir -p /mnt/thread-self/attr /mnt/self/attr &&
        touch /mnt/thread-self/attr/exec /mnt/self/attr/exec && mount --bind /mnt /proc'
    assert_success
    run runtime exec --apparmor cradle-test-profile "$id" true
    assert_failure 255
    if is_cradle; then
        assert_output --partial "/proc/thread-self/attr/exec is not on procfs"
    fi
    # runc 1.1.5 fails earlier (it lists /proc/self/fd); either way nothing was written.
    local root
    root=/proc/$(container_pid "$id")/root/mnt
    [ -e "$root/thread-self/attr/exec" ]
    [ ! -s "$root/thread-self/attr/exec" ] && [ ! -s "$root/self/attr/exec" ]
}

# CVE-2025-52881: the fake /proc's attr/exec is a real procfs file, bound from a procfs the
# container mounted itself, so a procfs check alone passes. The file here is the container's
# own hostname (its UTS namespace): a misdirected write would rename it "exec PROFILE"
# (on a host, /proc/sysrq-trigger would take it as 'e': SIGTERM to every process).
@test "exec --apparmor never writes to a procfs file bound over attr/exec (CVE-2025-52881)" {
    local id
    id=$(new_id)
    update_config '.process.capabilities.bounding += ["CAP_SYS_ADMIN"]
        | .process.capabilities.effective += ["CAP_SYS_ADMIN"]
        | .process.capabilities.permitted += ["CAP_SYS_ADMIN"]
        | .hostname = "untouched"
        | .mounts += [{"destination": "/mnt", "type": "tmpfs", "source": "tmpfs"}]'
    start_sleeper "$id"
    run runtime exec "$id" sh -c 'mkdir -p /mnt/real /mnt/thread-self/attr /mnt/self/attr &&
        mount -t proc proc /mnt/real &&
        touch /mnt/thread-self/attr/exec /mnt/self/attr/exec &&
        mount --bind /mnt/real/sys/kernel/hostname /mnt/thread-self/attr/exec &&
        mount --bind /mnt/real/sys/kernel/hostname /mnt/self/attr/exec &&
        mount --rbind /mnt /proc'
    assert_success
    run runtime exec --apparmor cradle-test-profile "$id" true
    local status_exec=$status
    run nsenter --uts --target "$(container_pid "$id")" hostname
    assert_success
    assert_output untouched
    [ "$status_exec" -ne 0 ]
}

@test "linux.intelRdt without resctrl: refused naming the field, nothing made" {
    [ ! -d /sys/fs/resctrl/info ] || skip "resctrl is mounted on this host"
    local id
    id=$(new_id)
    update_config '.linux.intelRdt = {"closID": "c1", "l3CacheSchema": "L3:0=f"}'
    run_create "$id"
    assert_failure
    if is_cradle; then
        assert_output --partial "intelRdt is specified in config, but Intel RDT is not enabled"
    else
        assert_output --partial "intelRdt.l3CacheSchema is specified in config, but Intel RDT/CAT is not enabled"
    fi
    assert_no_trace "$id"

    # runc 1.1.5 ignores a bare closID here; runc 1.4 and the runtime-spec refuse it.
    is_cradle || skip "runc 1.1.5 silently ignores intelRdt without schemata when resctrl is absent"
    update_config '.linux.intelRdt = {"closID": "c1"}'
    run_create "$id"
    assert_failure
    assert_output --partial "intelRdt is specified in config, but Intel RDT is not enabled"
    assert_no_trace "$id"
}
