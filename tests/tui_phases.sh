#!/bin/sh
# Phases in the interactive screen, driven in tmux: `m` with a typed
# label (Backspace edits, Esc cancels, Enter marks) shows in the phases
# panel (Tab); SIGUSR1 and `ramtop mark` mark from outside; `c` switches
# the region panel's change column and title; `s` saves the snapshot
# under its default name in the current directory, and `ramtop show`
# lists the phases from it.
. "${top_srcdir:-.}/tests/lib.sh"

tm_setup

cap() {
	$TM capture-pane -p -t rt >"$T/screen"
}

# poll EREGEX: capture until a line of the screen matches (20 s at most).
poll() {
	local i
	for i in $(seq 1 200); do
		cap
		grep -Eq -- "$1" "$T/screen" && return 0
		sleep 0.1
	done
	echo "--- screen ---" >&2
	cat "$T/screen" >&2
	fail "no line matching '$1'"
}

# gone EREGEX: the screen has no such line (after a short settle).
gone() {
	sleep 0.5
	cap
	if grep -Eq -- "$1" "$T/screen"; then
		cat "$T/screen" >&2
		fail "a line matches '$1'"
	fi
}

keys() {
	$TM send-keys -t rt "$@"
}

sleep 600 &
target=$!
WL_PIDS="$WL_PIDS $target"

mkdir "$T/cwd"
$TM new-session -d -s rt -x 140 -y 40 -c "$T/cwd" \
	"env LC_ALL=C.UTF-8 sh -c 'echo \$\$ >\"$T/pid\"; exec \"$RAMTOP\" -d 0.3 -p $target'; sleep 600" ||
	fail "cannot start tmux"
poll "^ *PID[^ ]* +RSS"
rpid=$(cat "$T/pid")
[ -n "$rpid" ] || fail "no ramtop pid"

# The baseline is phase 0, in the header and the phases panel (Tab
# twice: the phases panel takes the region panel's place).
poll "phases 1 last baseline"
keys Tab Tab
poll "^ +0 +baseline "
echo "ok: phase 0 baseline recorded at start"

# Esc cancels the prompt: no phase.
keys m
poll "mark phase 1, label"
keys x y z Escape
poll "mark cancelled"
gone "^ +1 +xyz"
echo "ok: Esc cancels the mark"

# A typed label, edited with Backspace, then Enter.
keys m
poll "mark phase 1, label"
keys -l "kv-cachX"
keys BSpace
keys -l "e"
poll "label .*: kv-cache_"
keys Enter
poll "marked phase 1 \"kv-cache\""
poll "phases 2 last kv-cache"
poll "^ +1 +kv-cache "
echo "ok: m, typed label, Enter: the phases panel shows it"

# Enter alone takes "phase N".
keys m
poll "mark phase 2, label"
keys Enter
poll "^ +2 +phase 2 "
echo "ok: Enter alone marks \"phase 2\""

# SIGUSR1 and `ramtop mark` mark from outside, while the screen waits.
kill -USR1 "$rpid"
poll "^ +3 +phase 3 "
out=$("$RAMTOP" mark --to "$rpid" from-socket 2>&1) ||
	fail "ramtop mark: $out"
poll "^ +4 +from-socket "
echo "ok: SIGUSR1 and ramtop mark add phases"

# The changes of the selected phase since the previous one.
poll "^Changes 3 -> 4"
keys Up
poll "^Changes 2 -> 3"
echo "ok: selecting a phase shows what changed since the previous one"

# c: the region panel's change is since the last mark, and back.  Tab
# once more: tree and regions again.
keys Tab
poll "^Regions $target "
poll "^Regions $target .* since baseline"
keys c
poll "^Regions $target .* since last mark 4 \"from-socket\""
poll "^TYPE +FL +SIZE +RSS +.MARK "
keys c
poll "^Regions $target .* since baseline"
poll "^TYPE +FL +SIZE +RSS +.RSS "
echo "ok: c switches the region deltas and says which in the titles"

# s: the snapshot file under its default name, read back by show.
keys s
poll "saved ramtop-$target-[0-9]{8}-[0-9]{6}\.json"
f=$(ls "$T/cwd"/ramtop-"$target"-*.json 2>/dev/null | head -1)
[ -n "$f" ] && [ -s "$f" ] || fail "no snapshot file in $T/cwd"
"$RAMTOP" show "$f" >"$T/show" 2>&1 || {
	cat "$T/show" >&2
	fail "ramtop show"
}
for l in baseline kv-cache "phase 2" "phase 3" from-socket; do
	grep -q -- "$l" "$T/show" || {
		cat "$T/show" >&2
		fail "ramtop show lacks $l"
	}
done
echo "ok: s saves $(basename "$f"); ramtop show lists the phases"

# A hostile label (from outside: typed, ESC would cancel) is shown
# sanitised.
out=$("$RAMTOP" mark --to "$rpid" "$(printf 'a\033[31mb')" 2>&1) ||
	fail "ramtop mark: $out"
keys Tab Tab
poll "^ +5 +a.\[31mb "
cap
grep -q "$(printf '\033')" "$T/screen" && fail "ESC reached the screen"
echo "ok: a label with ESC is sanitised"

keys q
for i in $(seq 1 50); do
	kill -0 "$rpid" 2>/dev/null || break
	sleep 0.1
done
kill -0 "$rpid" 2>/dev/null && fail "q did not quit"
echo "ok: tui_phases"
