# Shared by checkpoint.bats and checkpoint_flags.bats: a counter container whose /data is
# a bind of $DATA, and waits on what it counts.

load helpers

# The counter writes "PID COUNT" to the bind-mounted /data ten times a second. PID is read
# from /proc/self/stat each time (not $$, which a restore would bring back from memory), so
# it shows the pid the process really has inside its pid namespace. The counter is a child
# of the init, after a few pids were used up, so its pid is not a trivial 1 or 2.
COUNTER='for n in 1 2 3 4 5 6 7 8 9 10; do (:); done
sh -c '\''i=0; while :; do i=$((i+1)); read -r p _ < /proc/self/stat
echo "$p $i" > /data/count.new; mv /data/count.new /data/count; sleep 0.1; done'\'' &
wait'

# Skips the file without a working criu: scripts/get-criu.sh builds and installs CRIU 4.1.1
# when the criu on PATH fails `criu check`.
checkpoint_setup_file() {
    local why
    why=$("$REPO_ROOT/scripts/get-criu.sh" 2>&1) || skip "no working criu: $why"
}

# The bundle runs COUNTER with /data bound from $DATA; IMAGES is where images go; ID is a
# new container id with prefix $1.
checkpoint_setup() {
    export PATH=/usr/local/sbin:$PATH
    common_setup
    DATA=$BATS_TEST_TMPDIR/data
    IMAGES=$BATS_TEST_TMPDIR/images
    mkdir -p "$DATA"
    update_config --arg data "$DATA" \
        '.mounts += [{destination: "/data", type: "bind", source: $data, options: ["rbind", "rw"]}]'
    set_args sh -c "$COUNTER"
    ID=$(new_id "$1")
}

# "PID COUNT" as the counter last wrote it.
count_line() {
    cat "$DATA/count" 2>/dev/null || true
}

# Waits until the count is at least $1.
wait_for_count() {
    local want=$1 i line
    for ((i = 0; i < 100; i++)); do
        line=$(count_line)
        [ -n "$line" ] && [ "${line#* }" -ge "$want" ] && return 0
        sleep 0.05
    done
    fail "the count did not reach $want (last: ${line:-none})"
}

# Runs container $1 detached and waits for its counter to have counted five times.
start_counter() {
    runtime run -d --bundle "$BUNDLE" "$1" </dev/null >/dev/null 2>&1
    wait_for_count 5
}
