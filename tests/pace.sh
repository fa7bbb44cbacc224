#!/bin/sh
# Pacing of the screen's costly reads (Cost control): a process whose
# status shows no change has its smaps_rollup and smaps read again only
# after MODEL_PACE_IDLE_MIN (5 s), however cheap the read; once its
# status moves, at once again.  strace -f -y -e trace=openat counts the
# reads of a screen at -d 0.2 on an idle workload (the region panel
# open: its smaps is read too).  Before the 5 s floor both were read at
# every tick (a read of a small process costs ~50 us: 100x that, or 10x
# more while idle, is shorter than a tick).  The window is timed by
# strace -ttt, not by counting samples.
. "${top_srcdir:-.}/tests/lib.sh"

need_strace
use_runtime_dir

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

# in_window WHAT: WL's WHAT opened from 1 s to 4.5 s after its first
# smaps_rollup (strace -ttt: the second field is the time).  The first
# second is the first sample's: the rollup, the region panel's smaps and
# phase 0's.
in_window() {
	awk -v wl="$WL" -v what="$1" '
	function is(f) {
		return index($0, "/" wl ">, \"" f "\"") ||
		       index($0, "/" wl "/" f "\"")
	}
	t0 == "" && is("smaps_rollup") { t0 = $2 }
	t0 != "" && $2 >= t0 + 1 && $2 < t0 + 4.5 && is(what) { n++ }
	END { print n + 0 }' "$T/scr"
}

tm_setup
# LeakSanitizer cannot run under ptrace (the sanitizer build).
$TM new-session -d -x 160 -y 40 -s p \
	"ASAN_OPTIONS=\${ASAN_OPTIONS:+\$ASAN_OPTIONS:}detect_leaks=0 strace -f -ttt -qq -y -e trace=openat -o $T/scr $RAMTOP -d 0.2 -p $WL"
wait_stats 3
[ "$(count smaps_rollup)" -ge 1 ] ||
	fail "no smaps_rollup of $WL after 3 samples: the trace is wrong"
[ "$(count smaps)" -ge 1 ] ||
	fail "no smaps of $WL after 3 samples (region panel): the trace is wrong"
# The workload idle: from 1 s to 4.5 s after the first read (timed by
# strace, so a slow machine does not make it fail), no read again.
sleep 5
n=$(in_window stat)
r=$(in_window smaps_rollup)
sm=$(in_window smaps)
[ "$n" -ge 8 ] || fail "only $n samples in 3.5 s: too few to tell"
[ "$r" -eq 0 ] ||
	fail "idle: smaps_rollup read again $r times in 3.5 s ($n samples; 5 s floor)"
[ "$sm" -eq 0 ] ||
	fail "idle: smaps read again $sm times in 3.5 s ($n samples; 5 s floor)"
# It moves: read again within a few samples.
r1=$(count smaps_rollup)
s1=$(count smaps)
n1=$(stats)
line=$(wl_cmd wl "anon 4M")
case $line in ok*) ;; *) fail "workload: $line" ;; esac
wait_stats $((n1 + 5))
r2=$(count smaps_rollup)
s2=$(count smaps)
[ "$r2" -gt "$r1" ] || fail "status moved: smaps_rollup not read again in 5 samples"
[ "$s2" -gt "$s1" ] || fail "status moved: smaps not read again in 5 samples"
$TM send-keys -t p q
sleep 0.3
echo "pace: idle, $n samples from 1 s to 4.5 s, no read again; moved: rollup +$((r2 - r1)), smaps +$((s2 - s1))"
