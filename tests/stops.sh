#!/bin/sh
# tests/stops.sh - stop signals and the launched command:
#  - Ctrl-C under `ramtop -b -- CMD` (a terminal, tmux): CMD sees SIGINT
#    exactly once (the terminal's; ramtop does not forward it again);
#  - the screen: Ctrl-\ ends ramtop as q does (the -o file saved, the
#    terminal restored, CMD asked to end with SIGTERM), and Ctrl-C
#    reaches CMD once (it runs in its own process group);
#  - a second SIGTERM with a CMD that ignores SIGTERM: CMD is killed,
#    ramtop reports its real status (137), never 0 while it runs;
#  - EPIPE (`| head -1`): ramtop watches CMD to its end, exits with its
#    status;
#  - a stalled stdout pipe: SIGTERM still ends ramtop at once, -o saved.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

# The command: counts the signals it gets, runs until killed.
cat >"$T/cmd.sh" <<EOF2
trap 'echo INT >>"$T/ints"' INT
trap 'echo TERM >>"$T/terms"' TERM
echo started >"$T/started"
while :; do sleep 0.05; done
EOF2
wait_file() {
	i=0
	while [ ! -s "$1" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	[ -s "$1" ] || fail "no $1"
}
gone() { # gone PID: wait up to 10 s for it to end
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	! kill -0 "$1" 2>/dev/null
}

# 1. Second SIGTERM, CMD ignoring SIGTERM.
"$RAMTOP" -b -d 0.2 --json -- sh -c 'trap "" TERM; exec sleep 100' >"$T/j1" 2>"$T/e1" &
rp=$!
sleep 0.5
kill -TERM $rp
sleep 0.5
kill -0 $rp 2>/dev/null || fail "ramtop left at the first SIGTERM while the command runs: $(cat "$T/e1")"
kill -TERM $rp
gone $rp || { kill -KILL $rp; fail "ramtop did not end at the second SIGTERM"; }
wait $rp
rc=$?
[ "$rc" -eq 137 ] || fail "second SIGTERM: exit $rc, want 137 (the command killed): $(cat "$T/e1")"
tail -1 "$T/j1" | grep -q '"kind":"exit".*"exit_code":137\|"exit_code":137.*"kind":"exit"' ||
	fail "no exit record with 137: $(tail -1 "$T/j1")"
echo "ok: a second SIGTERM kills the command and reports 137"

# 2. EPIPE: watch the command to its end, its status.
t0=$(date +%s)
sh -c "'$RAMTOP' -b -d 0.1 -- sh -c 'sleep 1.5; exit 7' 2>'$T/e2'; echo \$? >'$T/rc2'" | head -1 >/dev/null
t1=$(date +%s)
[ "$(cat "$T/rc2")" = 7 ] || fail "EPIPE: exit $(cat "$T/rc2"), want the command's 7: $(cat "$T/e2")"
[ $((t1 - t0)) -ge 1 ] || fail "EPIPE: ramtop did not wait for the command"
grep -q "the output was closed; watching the command" "$T/e2" || fail "EPIPE: $(cat "$T/e2")"
echo "ok: EPIPE: the command watched to its end, its status (7)"

# 3. A stalled stdout pipe: SIGTERM ends ramtop, -o saved.
( "$RAMTOP" -b -d 0.05 --json --regions -p $$ -o "$T/stall.json" 2>"$T/e3" &
  echo $! >"$T/rp3"; wait ) | sleep 30 &
sp=$!
wait_file "$T/rp3"
rp=$(cat "$T/rp3")
i=0 # until the pipe is full and ramtop blocked writing to it
while ! grep -q pipe_write /proc/$rp/wchan 2>/dev/null && [ $i -lt 300 ]; do
	sleep 0.05; i=$((i + 1))
done
grep -q pipe_write /proc/$rp/wchan || fail "setup: ramtop not blocked on the pipe"
kill -TERM "$rp"
gone "$rp" || { kill -KILL "$rp"; fail "SIGTERM ignored while stdout is stalled"; }
kill $sp 2>/dev/null
"$RAMTOP" show "$T/stall.json" >/dev/null 2>&1 || fail "stalled: -o not saved: $(cat "$T/e3")"
echo "ok: SIGTERM ends ramtop blocked on a stalled pipe; -o saved"

tm_setup optional || exit 0
# 4. Ctrl-C in a terminal, batch launch mode: once.
rm -f "$T/ints" "$T/started"
$TM new-session -d -s b -x 120 -y 30 \
	"'$RAMTOP' -b -d 0.5 -- sh '$T/cmd.sh' >/dev/null 2>'$T/e4'; echo \$? >'$T/rc4'; sleep 30"
wait_file "$T/started"
$TM send-keys -t b C-c
sleep 1
n=$(wc -l <"$T/ints" 2>/dev/null || echo 0)
[ "$n" -eq 1 ] || fail "Ctrl-C under ramtop -b -- CMD: CMD got SIGINT $n times, want 1"
echo "ok: Ctrl-C (batch): the command got SIGINT once"

# 5. The screen: Ctrl-C reaches CMD once.
rm -f "$T/ints" "$T/started"
$TM new-session -d -s s -x 120 -y 30 \
	"env LC_ALL=C.UTF-8 TMPDIR='$T' '$RAMTOP' -d 0.5 -- sh '$T/cmd.sh' 2>'$T/e5'; echo \$? >'$T/rc5'; sleep 30"
wait_file "$T/started"
sleep 0.5
$TM send-keys -t s C-c
wait_file "$T/rc5"   # ramtop ends: asks CMD (SIGINT), 3 s grace, SIGKILL
n=$(wc -l <"$T/ints" 2>/dev/null || echo 0)
[ "$n" -eq 1 ] || fail "Ctrl-C on the screen: CMD got SIGINT $n times, want 1"
echo "ok: Ctrl-C (screen): the command got SIGINT once"

# 6. The screen: Ctrl-\ ends it as q does.
rm -f "$T/terms" "$T/started"
$TM new-session -d -s q -x 120 -y 30 \
	"env LC_ALL=C.UTF-8 TMPDIR='$T' '$RAMTOP' -d 0.5 -o '$T/q.json' -- sh '$T/cmd.sh' 2>'$T/e6'; echo \$? >'$T/rc6'; stty -a >'$T/stty6'; sleep 30"
wait_file "$T/started"
sleep 0.5
$TM send-keys -t q 'C-\'
wait_file "$T/rc6"
[ -s "$T/stty6" ] || sleep 0.5
grep -q ' icanon' "$T/stty6" && grep -q ' echo ' "$T/stty6" ||
	fail "Ctrl-\\: terminal left raw: $(cat "$T/stty6")"
"$RAMTOP" show "$T/q.json" >/dev/null 2>&1 || fail "Ctrl-\\: no -o file (exit $(cat "$T/rc6")): $(cat "$T/e6")"
[ "$(wc -l <"$T/terms" 2>/dev/null || echo 0)" -eq 1 ] ||
	fail "Ctrl-\\: the command was not asked to end with SIGTERM (as q does)"
ls "$T"/ramtop-cmd-*.log >/dev/null 2>&1 && fail "Ctrl-\\: an empty command log left: $(ls "$T"/ramtop-cmd-*)"
echo "ok: Ctrl-\\ ends the screen as q: saved, terminal restored, command sent SIGTERM"
