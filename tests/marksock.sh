#!/bin/sh
# The mark socket: `ramtop mark` finds the session (RAMTOP_SOCKET, --to,
# or the only one), refuses to guess between several and lists them, says
# so when there is none, ignores and removes stale sockets; the directory
# is 0700 and checked; malformed, oversized, slow and surplus requests are
# refused and counted; another user cannot mark (directory permissions,
# and SO_PEERCRED behind them); SIGUSR1 marks; the socket file goes away
# at exit and the phases are in the -o file.
. "${top_srcdir:-.}/tests/lib.sh"

use_runtime_dir
D=$XDG_RUNTIME_DIR/ramtop
unset RAMTOP_SOCKET

"$WORKLOAD" "sleep 300" >/dev/null &
WLP=$!
WL_PIDS="$WL_PIDS $WLP"

wait_sock() {	# DIR PID
	for i in $(seq 1 100); do
		[ -S "${1%/}/$2.sock" ] && return 0
		sleep 0.05
	done
	fail "no socket ${1%/}/$2.sock"
}
mark() {	# expect-status args...
	want=$1
	shift
	"$RAMTOP" mark "$@" >"$T/m.out" 2>"$T/m.err"
	rc=$?
	[ "$rc" -eq "$want" ] || fail "mark $*: exit $rc, want $want: $(cat "$T/m.err")"
}

# No session yet.
mark 1 x
grep -q "no ramtop session is running for you ($D does not exist)" "$T/m.err" ||
	fail "no session: $(cat "$T/m.err")"

"$RAMTOP" -b --json -d 0.2 -p "$WLP" -o "$T/a.json" >"$T/a.out" 2>"$T/a.err" &
A=$!
WL_PIDS="$WL_PIDS $A"
wait_sock "$D" "$A"
[ "$(stat -c %a "$D")" = 700 ] || fail "directory mode $(stat -c %a "$D")"
[ "$(stat -c %a "$D/$A.sock")" = 600 ] || fail "socket mode"

mark 0 one
grep -q '^marked phase 1 "one"$' "$T/m.out" || fail "mark one: $(cat "$T/m.out")"

# A second session: no guessing.
"$RAMTOP" -b --json -d 0.2 -p "$WLP" >"$T/b.out" 2>"$T/b.err" &
B=$!
WL_PIDS="$WL_PIDS $B"
wait_sock "$D" "$B"
mark 1 two
grep -q "2 ramtop sessions are running; choose one with --to PID:" "$T/m.err" ||
	fail "several: $(cat "$T/m.err")"
grep -q "^ *$A  .*ramtop -b --json" "$T/m.err" || fail "A not listed: $(cat "$T/m.err")"
grep -q "^ *$B  .*ramtop -b --json" "$T/m.err" || fail "B not listed: $(cat "$T/m.err")"
mark 0 --to "$A" two
grep -q '^marked phase 2 "two"$' "$T/m.out" || fail "--to: $(cat "$T/m.out")"
RAMTOP_SOCKET=$D/$A.sock mark 0 three
grep -q '^marked phase 3 "three"$' "$T/m.out" || fail "RAMTOP_SOCKET: $(cat "$T/m.out")"
# --to is explicit: it wins over the environment.
RAMTOP_SOCKET=$D/$B.sock mark 0 --to "$A" four
grep -q '^marked phase 4 "four"$' "$T/m.out" || fail "--to over env: $(cat "$T/m.out")"
mark 1 --to 999999999 x
grep -q "no ramtop session with pid 999999999" "$T/m.err" || fail "--to missing"

# B dies without cleaning up: its socket is stale, ignored and removed.
kill -KILL "$B"
wait "$B" 2>/dev/null
[ -S "$D/$B.sock" ] || fail "B's socket should still be there"
mark 0 five
grep -q '^marked phase 5 "five"$' "$T/m.out" || fail "stale: $(cat "$T/m.out")"
[ ! -e "$D/$B.sock" ] || fail "stale socket not removed"

# Requests that are not a mark: refused with a reason, counted.
$PY - "$D/$A.sock" <<'PYEOF' || fail "protocol"
import socket, sys, time
path = sys.argv[1]

def ask(data, close_write=False):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    try:
        if data:
            s.sendall(data)
        if close_write:
            s.shutdown(socket.SHUT_WR)
    except (BrokenPipeError, ConnectionResetError):
        pass    # refused before we finished: the answer is there to read
    s.settimeout(10)
    got = b""
    while not got.endswith(b"\n"):
        b = s.recv(512)
        if not b:
            break
        got += b
    s.close()
    return got.decode()

def expect(data, want, **kw):
    got = ask(data, **kw)
    assert got.startswith(want), f"{data[:40]!r}: got {got!r}, want {want!r}"

expect(b"bogus\n", "err unknown request")
expect(b"a" * 300, "err message too long")
expect(b"mark " + b"x" * 200 + b"\n", "err label too long")
expect(b"mark a\0b\n", "err malformed request: NUL byte")
expect(b"mark x\nmark y\n", "err one request per connection")
expect(b"", "err timeout")                      # nothing within 5 s
# A control sequence in a label is made harmless, not refused.
expect(b"mark \x1b[31mred\r\n", "ok 6")
# No newline, but the writer is done: fine.
expect(b"mark eof", "ok 7", close_write=True)
# Too many at once.
idle = []
for i in range(8):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    idle.append(s)
time.sleep(0.5)
expect(b"mark nine\n", "err busy")
for s in idle:
    s.close()
time.sleep(0.5)
got = ask(b"ping\n")
want = "marks=7 refused=0 malformed=4 oversized=1 timeouts=1 busy=1"
assert got.startswith("ok ramtop ") and want in got, got
PYEOF

# Labels: too long for the client too; several words are one label.
mark 2 "$(printf '%0200d' 0)"
mark 0 two words
grep -q '^marked phase 8 "two words"$' "$T/m.out" || fail "words: $(cat "$T/m.out")"

# Another user cannot mark this session.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	install -m 0755 "$RAMTOP" "$T/ramtop"
	chmod 0755 "$T"
	nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
	RAMTOP_SOCKET=$D/$A.sock nobody "$T/ramtop" mark intruder >/dev/null 2>"$T/m.err"
	[ $? -eq 1 ] || fail "nobody marked through RAMTOP_SOCKET"
	grep -q "Permission denied (the session belongs to another user)" "$T/m.err" ||
		fail "nobody: $(cat "$T/m.err")"
	nobody "$T/ramtop" mark --to "$A" intruder >/dev/null 2>"$T/m.err"
	[ $? -eq 1 ] || fail "nobody marked with --to"

	# Behind the directory, the server checks the peer's uid itself: a
	# session of nobody's refuses root.
	mkdir -m 0700 "$T/nrun" "$T/nout"
	chown nobody "$T/nrun" "$T/nout"
	# (not through the function: $! must be ramtop's pid)
	env XDG_RUNTIME_DIR="$T/nrun" setpriv --reuid=nobody --regid=nogroup \
		--clear-groups "$T/ramtop" -b -d 0.2 -p "$WLP" \
		-o "$T/nout/c.json" >/dev/null 2>"$T/c.err" &
	C=$!
	WL_PIDS="$WL_PIDS $C"
	wait_sock "$T/nrun/ramtop" "$C"
	RAMTOP_SOCKET=$T/nrun/ramtop/$C.sock mark 1 intruder
	grep -q "the session refused: permission denied: this ramtop session belongs to another user" "$T/m.err" ||
		fail "peer uid: $(cat "$T/m.err")"
	kill -TERM "$C"
	wait "$C"
	$PY -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert [p["label"] for p in d["phases"]] == ["baseline"], d["phases"]
' "$T/nout/c.json" || fail "nobody's session got a mark"
	[ ! -e "$T/nrun/ramtop/$C.sock" ] || fail "C's socket left behind"
fi

# SIGUSR1: an unlabelled phase.
kill -USR1 "$A"
for i in $(seq 1 100); do
	grep -q '"label":"phase 9"' "$T/a.out" && break
	sleep 0.05
done
grep -q '"label":"phase 9"' "$T/a.out" || fail "SIGUSR1 did not mark"

kill -TERM "$A"
wait "$A"
rc=$?
[ "$rc" -eq 143 ] || fail "A: exit $rc, want 143: $(cat "$T/a.err")"
[ ! -e "$D/$A.sock" ] || fail "socket file left behind"
# Marks 1-9, and mark 0 (the baseline) after the first sample.
[ "$(grep -c '"kind":"mark"' "$T/a.out")" -eq 10 ] || fail "A printed $(grep -c '"kind":"mark"' "$T/a.out") marks"
$PY -c '
import json, sys
d = json.load(open(sys.argv[1]))
labels = [p["label"] for p in d["phases"]]
want = ["baseline", "one", "two", "three", "four", "five", "?[31mred", "eof",
        "two words", "phase 9"]
assert labels == want, labels
' "$T/a.json" || fail "A's phases"

# A socket directory open to others, or not ours: refused, said once.
mkdir -m 0700 "$T/bad"
mkdir -m 0755 "$T/bad/ramtop"
XDG_RUNTIME_DIR=$T/bad "$RAMTOP" -b -n 1 -p "$WLP" >/dev/null 2>"$T/err" ||
	fail "bad dir: ramtop should still run"
grep -q "warning: marks from other programs are off: $T/bad/ramtop has mode 0755, open to other users; it must be 0700" "$T/err" ||
	fail "bad dir warning: $(cat "$T/err")"
XDG_RUNTIME_DIR=$T/bad mark 1 x
grep -q "has mode 0755" "$T/m.err" || fail "client, bad dir: $(cat "$T/m.err")"
if [ "$(id -u)" -eq 0 ]; then
	chmod 0700 "$T/bad/ramtop"
	chown nobody "$T/bad/ramtop"
	XDG_RUNTIME_DIR=$T/bad mark 1 x
	grep -q "belongs to uid [0-9]*, not to you (uid 0); refusing to use it" "$T/m.err" ||
		fail "client, foreign dir: $(cat "$T/m.err")"
fi
# docs/marking.md's Python examples work as written, in a launched command.
awk '/^```python/ {on = 1; next} /^```/ {on = 0} on' \
	"$top_srcdir/docs/marking.md" >"$T/example.py"
[ "$(grep -c 'RAMTOP_SOCKET' "$T/example.py")" -eq 2 ] || fail "examples not found"
# The helper's answer goes to a file of its own: ramtop's JSON lines share
# stdout with the command and may be written in several pieces.
printf '%s\n' 'print("helper: " + ramtop_mark("from the helper"), file=open(sys.argv[1], "w"))' >>"$T/example.py"
sed -i '1s/^/import sys\n/' "$T/example.py"
"$RAMTOP" -b --json -d 0.5 -o "$T/py.json" -- "$PY" "$T/example.py" "$T/helper.out" \
	>"$T/py.out" 2>"$T/py.err" || fail "python example: $(cat "$T/py.err")"
grep -q '^helper: ok 2$' "$T/helper.out" || fail "helper: $(cat "$T/helper.out")"
$PY -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert [p["label"] for p in d["phases"]] == ["baseline", "weights loaded",
                                            "from the helper"], d["phases"]
# The marking program is the workload: it is in its own phases.
assert d["phases"][1]["processes"][0]["comm"].startswith("python"), d
' "$T/py.json" || fail "python example phases"
echo "ok: marksock"
