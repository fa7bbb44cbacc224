#!/bin/sh
# tests/markstop.sh - `ramtop mark` is bounded over the whole call,
# connect() included: a session that is stopped (SIGSTOP) with its
# connection queue full made connect() block for ever.  With --timeout 2
# it must give up in about 2 s, exit 1, and say why.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

use_runtime_dir
"$RAMTOP" -b -d 0.2 -p $$ >/dev/null 2>"$T/err" &
rp=$!
WL_PIDS="$rp"
sock="$XDG_RUNTIME_DIR/ramtop/$rp.sock"
i=0
while [ ! -S "$sock" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ -S "$sock" ] || fail "no socket: $(cat "$T/err")"
kill -STOP "$rp"
# Fill its queue: connections nobody accepts, held open.
$PY - "$sock" "$T/filled" <<'PYEOF' &
import os, socket, sys, time
held = []
for i in range(4096):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.setblocking(False)
    try:
        s.connect(sys.argv[1])
    except BlockingIOError:
        break
    held.append(s)
open(sys.argv[2], "w").write("%d\n" % len(held))
time.sleep(30)
PYEOF
hp=$!
WL_PIDS="$rp $hp"
i=0
while [ ! -s "$T/filled" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ -s "$T/filled" ] || fail "could not fill the queue"
t0=$(date +%s)
timeout 20 "$RAMTOP" mark --to "$rp" --timeout 2 stuck >/dev/null 2>"$T/merr"
rc=$?
t1=$(date +%s)
[ "$rc" -eq 1 ] || fail "mark to a stopped session: exit $rc (124: blocked), $(cat "$T/merr")"
[ $((t1 - t0)) -le 5 ] || fail "mark took $((t1 - t0)) s with --timeout 2"
grep -q "no answer from .* within 2 seconds" "$T/merr" || fail "message: $(cat "$T/merr")"
echo "ok: mark to a stopped session with a full queue: gave up after $((t1 - t0)) s ($(cat "$T/filled") queued)"
kill -CONT "$rp"
kill $hp 2>/dev/null
