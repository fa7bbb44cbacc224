#!/bin/sh
# Signals and exit paths: with -o, the phases are saved on every way out
# but SIGKILL - SIGINT, SIGTERM, SIGHUP in batch mode and the screen, the
# reader of `ramtop -b` going away (EPIPE), the terminal closing under
# the screen; the exit status says which signal; the terminal is always
# restored (modes, the alternate screen left, the cursor shown).  A
# SIGTSTP sent from outside suspends the screen like Ctrl-Z does, and a
# storm of resizes and SIGWINCHs leaves it drawing at the final size.
. "${top_srcdir:-.}/tests/lib.sh"

"$WORKLOAD" "heap 2M" "sleep 600" >/dev/null &
idle=$!
WL_PIDS="$WL_PIDS $idle"

signum() {
	case $1 in HUP) echo 1 ;; INT) echo 2 ;; TERM) echo 15 ;; esac
}

# saved FILE WHAT: FILE is a complete snapshot with at least phase 0.
saved() {
	"$RAMTOP" show --json "$1" >"$T/show.json" 2>"$T/show.err" ||
		fail "$2: no valid snapshot in $1: $(cat "$T/show.err")"
	$PY -c 'import json,sys; d=json.load(open(sys.argv[1]));
assert len(d["phases"]) >= 1 and d["phases"][0]["label"] == "baseline", d' \
		"$T/show.json" || fail "$2: snapshot without its baseline phase"
}

# wait_lines FILE N: until FILE has N lines (10 s at most).
wait_lines() {
	for i in $(seq 1 100); do
		[ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ] && return 0
		sleep 0.1
	done
	fail "no output in $1"
}

# --- batch: SIGINT, SIGTERM, SIGHUP ------------------------------------
for sig in INT TERM HUP; do
	"$RAMTOP" -b --json -d 0.1 -p "$idle" -o "$T/b-$sig.json" \
		>"$T/b-$sig.out" 2>"$T/b-$sig.err" &
	r=$!
	wait_lines "$T/b-$sig.out" 2
	kill -"$sig" "$r"
	wait "$r"
	rc=$?
	want=$((128 + $(signum "$sig")))
	[ "$rc" -eq "$want" ] || fail "batch SIG$sig: exit $rc, want $want"
	saved "$T/b-$sig.json" "batch SIG$sig"
	grep -q "^ramtop: saved $T/b-$sig.json" "$T/b-$sig.err" ||
		fail "batch SIG$sig: save not reported: $(cat "$T/b-$sig.err")"
done
echo "ok: batch SIGINT/SIGTERM/SIGHUP: exit 128+n, snapshot saved"

# --- batch: the reader goes away ----------------------------------------
{ "$RAMTOP" -b -d 0.1 -p "$idle" -o "$T/pipe.json" 2>"$T/pipe.err"
  echo $? >"$T/pipe.rc"; } | head -1 >/dev/null
[ "$(cat "$T/pipe.rc")" -eq 0 ] || fail "EPIPE: exit $(cat "$T/pipe.rc")"
saved "$T/pipe.json" "EPIPE"
grep -v "^ramtop: saved " "$T/pipe.err" | grep . &&
	fail "EPIPE: noise on stderr: $(cat "$T/pipe.err")"
echo "ok: ramtop -b -o F | head -1: quiet exit 0, snapshot saved"

# --- batch: SIGWINCH and SIGCONT storms do not disturb sampling ---------
"$RAMTOP" -b --json -d 0.1 -n 20 -p "$idle" >"$T/w.out" 2>"$T/w.err" &
r=$!
n=0
while kill -0 "$r" 2>/dev/null && [ $n -lt 2000 ]; do
	kill -WINCH "$r" 2>/dev/null
	kill -CONT "$r" 2>/dev/null
	n=$((n + 1))
done
wait "$r" || fail "batch under a signal storm: exit $?: $(cat "$T/w.err")"
# 20 samples (and mark 0, the baseline, after the first).
n=$(grep -c '"kind":"sample"' "$T/w.out")
[ "$n" -eq 20 ] || fail "storm: $n samples, want 20"
echo "ok: batch through $n SIGWINCH+SIGCONT: 20 samples, exit 0"

# --- the screen ---------------------------------------------------------
tm_setup optional || exit 0	# the batch part stands alone

cap() {
	$TM capture-pane -p -t rt >"$T/screen"
}
# poll_screen WHAT EGREP [absent]: until the screen matches (or not).
poll_screen() {
	for i in $(seq 1 200); do
		cap
		if [ "${3:-}" = absent ]; then
			grep -Eq -- "$2" "$T/screen" || return 0
		else
			grep -Eq -- "$2" "$T/screen" && return 0
		fi
		sleep 0.1
	done
	cat "$T/screen" >&2
	fail "$1: screen never ${3:+lost }'$2'"
}
prompt() {
	for i in $(seq 1 200); do
		cap
		[ "$(grep . "$T/screen" | tail -1)" = "rt\$" ] && return 0
		sleep 0.1
	done
	cat "$T/screen" >&2
	fail "$1: no prompt"
}
# sane WHAT: the pane's terminal is as the shell left it.
sane() {
	stty -a <"$($TM display -p -t rt '#{pane_tty}')" >"$T/stty" ||
		fail "$1: cannot read the terminal modes"
	grep -q -- " icanon" "$T/stty" && grep -q -- " echo " "$T/stty" ||
		fail "$1: terminal left raw: $(cat "$T/stty")"
	[ "$($TM display -p -t rt '#{alternate_on}')" = 0 ] ||
		fail "$1: still on the alternate screen"
	[ "$($TM display -p -t rt '#{cursor_flag}')" = 1 ] ||
		fail "$1: cursor left hidden"
}
shell_rc() {	# WHAT WANT: the status of the last command in the pane
	nrc=$((${nrc:-0} + 1))
	$TM send-keys -t rt "echo rc$nrc=\$?" Enter
	poll_screen "$1" "^rc$nrc=[0-9]+"
	got=$(sed -n "s/^rc$nrc=\([0-9]*\).*/\1/p" "$T/screen" | tail -1)
	[ "$got" = "$2" ] || fail "$1: exit $got, want $2"
}
ramtop_pid() {
	shell=$($TM display -p -t rt '#{pane_pid}')
	ps -o pid= --ppid "$shell" | tr -d ' '
}

$TM new-session -d -s rt -x 100 -y 30 \
	"env LC_ALL=C.UTF-8 PS1='rt\$ ' sh" || fail "cannot start tmux"

for sig in INT TERM HUP; do
	f=$T/t-$sig.json
	$TM send-keys -t rt "clear; '$RAMTOP' -d 0.2 -p $idle -o '$f' 2>'$T/t-$sig.err'" Enter
	poll_screen "screen SIG$sig" "^ *$idle "
	kill -"$sig" "$(ramtop_pid)"
	prompt "screen SIG$sig"
	sane "screen SIG$sig"
	shell_rc "screen SIG$sig" $((128 + $(signum "$sig")))
	saved "$f" "screen SIG$sig"
done
echo "ok: screen SIGINT/SIGTERM/SIGHUP: terminal restored, 128+n, saved"

# SIGTSTP from outside: suspended like Ctrl-Z, terminal given back;
# fg brings the screen back; q still saves and exits 0.
f=$T/t-tstp.json
$TM send-keys -t rt "clear; '$RAMTOP' -d 0.2 -p $idle -o '$f'" Enter
poll_screen "TSTP" "^ *$idle "
r=$(ramtop_pid)
kill -TSTP "$r"
prompt "TSTP"
sane "TSTP"
grep -q '^State:[[:space:]]*T' "/proc/$r/status" || fail "TSTP: not stopped"
$TM send-keys -t rt "fg" Enter
poll_screen "CONT" "^ *$idle "
# SIGCONT alone (already running) changes nothing.
kill -CONT "$r"
sleep 0.3
poll_screen "CONT again" "^ *$idle "

# A storm: 100 resizes, 1000 SIGWINCHs, then the final size.
i=0
while [ $i -lt 100 ]; do
	$TM resize-window -t rt -x $((1 + (i * 37) % 160)) -y $((1 + (i * 13) % 50))
	i=$((i + 1))
done &
rz=$!
n=0
while [ $n -lt 1000 ]; do
	kill -WINCH "$r" || fail "ramtop died in the SIGWINCH storm"
	n=$((n + 1))
done
wait $rz
$TM resize-window -t rt -x 90 -y 25
poll_screen "after the storm" "^ *$idle "
sleep 0.5
cap
$PY -c 'import sys
sys.exit(any(len(l.rstrip("\n")) > 90 for l in open(sys.argv[1], encoding="utf-8")))' \
	"$T/screen" ||
	fail "a line wider than the terminal after the storm"
[ "$(wc -l <"$T/screen")" -eq 25 ] || fail "screen is not 25 lines"
grep -q "PID.*RSS" "$T/screen" || fail "no tree after the storm"
# Not spinning: under 20% of a CPU over 2 s of idle screen.
t0=$(awk '{print $14 + $15}' "/proc/$r/stat")
sleep 2
t1=$(awk '{print $14 + $15}' "/proc/$r/stat")
hz=$(getconf CLK_TCK)
[ $(((t1 - t0) * 100 / hz)) -lt 40 ] || fail "ramtop busy after the storm: $((t1 - t0)) ticks in 2 s"
$TM send-keys -t rt q
prompt "q"
sane "q"
shell_rc "q" 0
saved "$f" "q after TSTP and the storm"
echo "ok: SIGTSTP/fg, 100 resizes and $n SIGWINCH: redrawn at 90x25, idle, q saves"

# The terminal closes under the screen: SIGHUP with the tty gone.  The
# snapshot is saved and ramtop exits at once, without spinning.
f=$T/t-close.json
$TM send-keys -t rt "clear; '$RAMTOP' -d 0.2 -p $idle -o '$f'" Enter
poll_screen "close" "^ *$idle "
r=$(ramtop_pid)
$TM kill-server
for i in $(seq 1 50); do
	kill -0 "$r" 2>/dev/null || break
	sleep 0.1
done
kill -0 "$r" 2>/dev/null && { kill -KILL "$r"; fail "ramtop still running 5 s after its terminal closed"; }
saved "$f" "terminal closed"
echo "ok: terminal closed: exit within $((i / 10)).$((i % 10)) s, snapshot saved"
echo "ok: signals"
