#!/bin/sh
# --gentle reads no smaps and no smaps_rollup unless asked (issue 13):
# strace -f -y -e trace=openat sees every file ramtop opens.  Batch over all
# processes and over a workload, and the screen: no smaps or smaps_rollup
# opened at all, phase 0 included.  A mark (SIGUSR1) is asking: then the
# target's smaps is read, which shows the check can fail.  Without
# --gentle, all-processes batch reads no full smaps of anyone (a mark
# keeps region tables only for target trees and the focused process).
. "${top_srcdir:-.}/tests/lib.sh"

need_strace
use_runtime_dir

wl_start wl
line=$(wl_cmd wl "anon 8M")
case $line in ok*) ;; *) fail "workload: $line" ;; esac

# traced LOG ARGS...: run ramtop under strace, trace in $T/LOG.
traced() {
	log=$1
	shift
	# LeakSanitizer cannot run under ptrace (the sanitizer build).
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	strace -f -qq -y -e trace=openat -o "$T/$log" "$RAMTOP" "$@" \
		>"$T/$log.out" 2>"$T/$log.err" ||
		fail "ramtop $*: exit $?: $(tail -3 "$T/$log.err")"
}
# opens LOG WHAT: how many times WHAT (smaps or smaps_rollup) was opened,
# by path or relative to a /proc/PID descriptor (-y names it).
opens() {
	grep -cE "[/\"]$2\"" "$T/$1"
}
no_costly() {
	n=$(opens "$1" smaps)
	r=$(opens "$1" smaps_rollup)
	[ "$n" -eq 0 ] && [ "$r" -eq 0 ] ||
		fail "$2: $n smaps and $r smaps_rollup opened: $(grep smaps "$T/$1" | head -3)"
}

traced all -b -n 3 -d 0.2 --gentle --json
n=$(grep -c '"kind":"sample"' "$T/all.out")	# (and mark 0, the baseline)
[ "$n" -eq 3 ] || fail "all --gentle: $n samples"
st=$(grep -cE "[/\"]$WL/stat\"" "$T/all")
[ "$st" -ge 1 ] || fail "all --gentle: stat of $WL never opened: trace is wrong"
no_costly all "-b -n 3 --gentle, all processes"
# Over all processes the first sample reads each process's other files
# right after its stat, before the next process's (collect.h: the
# kernel's /proc entries are warm then): WL's five files of the first
# sample, from its stat to the next stat opened.
seq=$(awk -v wl="$WL" '
	index($0, "\"" wl "/stat\"") { on = 1; next }
	on && /\/stat"/ { exit }
	on && index($0, "\"" wl "/") { sub(/.*"[0-9]+\//, ""); sub(/".*/, ""); printf "%s ", $0 }
' "$T/all")
for f in cmdline status cgroup oom_score oom_score_adj; do
	case " $seq" in *" $f "*) ;; *) fail "all: $WL's $f not read right after its stat (read then: $seq)" ;; esac
done

traced tree -b -n 3 -d 0.2 --gentle -p "$WL" -o "$T/tree.json"
no_costly tree "-b -n 3 --gentle -p $WL -o (phase 0 saved)"
[ -s "$T/tree.json" ] || fail "no snapshot saved"

# Without --gentle, over all processes: rollups under a budget, no full
# smaps of anyone (no target tree, no focused process in batch).
traced def -b -n 3 -d 0.2 --json
n=$(opens def smaps)
[ "$n" -eq 0 ] || fail "all processes, default: $n full smaps read: $(grep -E '[/"]smaps"' "$T/def" | head -3)"

# The screen, --gentle, three samples at least.
tm_setup
$TM new-session -d -x 120 -y 40 -s g \
	"strace -f -qq -y -e trace=openat -o $T/scr $RAMTOP --gentle -d 0.2 -p $WL"
for i in $(seq 1 100); do
	[ "$(grep -cE "[/\"]$WL/stat\"" "$T/scr" 2>/dev/null)" -ge 4 ] && break
	sleep 0.1
done
[ "$(grep -cE "[/\"]$WL/stat\"" "$T/scr" 2>/dev/null)" -ge 4 ] ||
	fail "screen: fewer than 4 samples in 10 s: $($TM capture-pane -p -t g | head -5)"
$TM send-keys -t g q
sleep 0.5
no_costly scr "screen --gentle -p $WL"

# A mark asks: the target's smaps is read then (the check can fail).
strace -f -qq -y -e trace=openat -o "$T/mark" "$RAMTOP" -b --gentle -d 0.2 \
	-p "$WL" >"$T/mark.out" 2>"$T/mark.err" &
SP=$!
for i in $(seq 1 100); do
	RP=$(pgrep -P "$SP" -x ramtop)
	[ -n "$RP" ] && [ "$(grep -cE "[/\"]$WL/stat\"" "$T/mark")" -ge 2 ] && break
	sleep 0.1
done
[ -n "$RP" ] || fail "ramtop under strace did not start"
kill -USR1 "$RP"
for i in $(seq 1 100); do
	[ "$(opens mark smaps)" -ge 1 ] && break
	sleep 0.1
done
kill -TERM "$RP"
wait "$SP"
n=$(opens mark smaps)
[ "$n" -ge 1 ] || fail "a mark under --gentle read no smaps of $WL"
grep -qE "/$WL(>, \"|/)smaps\"" "$T/mark" || fail "the mark did not read $WL's smaps"
echo "gentle: no smaps/smaps_rollup in batch (all: $st samples of $WL seen), -p with -o, screen; default all-processes batch: 0 full smaps; a mark read $n smaps"
