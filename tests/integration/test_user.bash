# An ordinary user that a test file makes for rootless runs (rootless.bats, linux_fields.bats,
# engines/podman_rootless.bats), and its removal with everything it still runs.

# Creates user $1 with home directory $2 (made by useradd) and subordinate uid and gid ranges.
test_user_create() {
    useradd --create-home --home-dir "$2" --shell /bin/sh "$1"
    test_user_add_subids "$1"
}

# Gives user $1 subordinate ranges where useradd did not (no SUB_UID_* in login.defs, or no
# /etc/subuid yet): 65536 ids after the highest range in use.
test_user_add_subids() {
    grep -q "^$1:" /etc/subuid 2>/dev/null && grep -q "^$1:" /etc/subgid 2>/dev/null && return 0
    local from
    from=$(cat /etc/subuid /etc/subgid 2>/dev/null |
        awk -F: 'BEGIN { m = 100000 } $2 + $3 > m { m = $2 + $3 } END { print m }')
    usermod --add-subuids "$from-$((from + 65535))" --add-subgids "$from-$((from + 65535))" "$1"
}

# The first id of user $1's range in /etc/$2 (subuid or subgid).
test_user_subid_start() {
    awk -F: -v u="$1" '$1 == u { print $2; exit }' "/etc/$2"
}

# Kills by pid whatever user $1 still runs (the test file started it), then removes the
# user, its home and its subordinate ranges (lines a failed userdel left too).
test_user_remove() {
    local user=$1 uid pid file
    uid=$(id -u "$user" 2>/dev/null) || return 0
    for pid in $(ps -u "$uid" -o pid= 2>/dev/null); do
        kill -9 "$pid" 2>/dev/null || true
    done
    userdel --remove "$user" 2>/dev/null || true
    for file in /etc/subuid /etc/subgid; do
        if grep -q "^$user:" "$file" 2>/dev/null; then
            sed -i "/^$user:/d" "$file"
        fi
    done
}
