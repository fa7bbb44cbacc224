#!/bin/sh
# Pacing of the screen's costly reads (Cost control): a process whose
# status shows no change has its smaps_rollup and smaps read again only
# after MODEL_PACE_IDLE_MIN (5 s), however cheap the read; once its
# status moves, at once again.  strace -f -y -e trace=openat counts the
# reads of a screen at -d 0.2 on an idle workload (the region panel
# open: its smaps is read too).  Before the 5 s floor both were read at
# every tick (a read of a small process costs ~50 us: 100x that, or 10x
# more while idle, is shorter than a tick).
. "${top_srcdir:-.}/tests/lib.sh"

need_strace
XDG_RUNTIME_DIR=$T/run
export XDG_RUNTIME_DIR
mkdir -m 0700 "$XDG_RUNTIME_DIR"

wl_start wl
line=$(wl_cmd wl "anon 8M")
case $line in ok*) ;; *) fail "workload: $line" ;; esac

# count WHAT: WL's files named WHAT opened so far (by path, or relative
# to its /proc/PID descriptor, which -y names).
count() {
	grep -cE "/$WL(>, \"|/)$1\"" "$T/scr" 2>/dev/null
}
stats() {
	count stat
}
# wait_stats N: until WL's stat was read N times (N samples), 20 s at most.
wait_stats() {
	for i in $(seq 1 200); do
		[ "$(stats)" -ge "$1" ] && return 0
		sleep 0.1
	done
	fail "fewer than $1 samples in 20 s: $($TM capture-pane -p -t p | head -5)"
}

tm_setup
# LeakSanitizer cannot run under ptrace (the sanitizer build).
$TM new-session -d -x 160 -y 40 -s p \
	"ASAN_OPTIONS=\${ASAN_OPTIONS:+\$ASAN_OPTIONS:}detect_leaks=0 strace -f -qq -y -e trace=openat -o $T/scr $RAMTOP -d 0.2 -p $WL"
wait_stats 3
r0=$(count smaps_rollup)
s0=$(count smaps)
n0=$(stats)
[ "$r0" -ge 1 ] || fail "no smaps_rollup of $WL after 3 samples: the trace is wrong"
[ "$s0" -ge 1 ] || fail "no smaps of $WL after 3 samples (region panel): the trace is wrong"
# About 12 more samples, 2.5 s, the workload idle: no read again.
wait_stats $((n0 + 12))
r1=$(count smaps_rollup)
s1=$(count smaps)
n1=$(stats)
[ "$r1" -eq "$r0" ] ||
	fail "idle: smaps_rollup read $((r1 - r0)) more times in $((n1 - n0)) samples (5 s floor)"
[ "$s1" -eq "$s0" ] ||
	fail "idle: smaps read $((s1 - s0)) more times in $((n1 - n0)) samples (5 s floor)"
# It moves: read again within a few samples.
line=$(wl_cmd wl "anon 4M")
case $line in ok*) ;; *) fail "workload: $line" ;; esac
wait_stats $((n1 + 5))
r2=$(count smaps_rollup)
s2=$(count smaps)
[ "$r2" -gt "$r1" ] || fail "status moved: smaps_rollup not read again in 5 samples"
[ "$s2" -gt "$s1" ] || fail "status moved: smaps not read again in 5 samples"
$TM send-keys -t p q
sleep 0.3
echo "pace: idle $((n1 - n0)) samples, 0 reads again; moved: rollup +$((r2 - r1)), smaps +$((s2 - s1))"
