#!/bin/sh
# --listen under abuse (issue 17): a malformed request, an oversized one
# (header and URL), a POST with a body, 200 connections at once (five
# rounds) and an idle connection each get a clean answer or a close,
# while batch sampling keeps its interval (the gaps between the samples'
# timestamps are measured); the server still answers afterwards.  A port
# already in use is a one-line error and exit 1.
. "${top_srcdir:-.}/tests/lib.sh"

MX="$PY $top_srcdir/tests/metrics.py"
wl_start w
wl_cmd w "anon 4M" >/dev/null

# A port in use: one line on stderr, exit 1, nothing started.
$PY -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1], flush=True); time.sleep(30)' >"$T/busy" &
BUSY=$!
WL_PIDS="$WL_PIDS $BUSY"
for i in $(seq 1 50); do [ -s "$T/busy" ] && break; sleep 0.1; done
BP=$(cat "$T/busy")
"$RAMTOP" -b -n 1 --listen "127.0.0.1:$BP" -p "$WL" >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" -eq 1 ] || fail "port in use: exit $rc, not 1"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "port in use: not one line: $(cat "$T/err")"
grep -q "^ramtop: --listen: cannot listen on 127.0.0.1:$BP: Address already in use" "$T/err" ||
	fail "port in use: $(cat "$T/err")"
[ ! -s "$T/out" ] || fail "port in use: a sample was printed"
echo "port in use: $(cat "$T/err") (exit $rc)"
"$RAMTOP" -b -n 1 --listen "nonsense:x" -p "$WL" >/dev/null 2>"$T/err" && fail "bad --listen accepted"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "bad --listen: $(cat "$T/err")"
kill "$BUSY" 2>/dev/null

# A scrape never reads /proc: under strace, the thread that accepts the
# connections opens no file at all (the main thread opens /proc).
if command -v strace >/dev/null 2>&1 &&
	strace -qq -o /dev/null true 2>/dev/null; then
	P=$($MX freeport)
	strace -f -qq -e trace=openat,open,accept4,accept -o "$T/st" \
		"$RAMTOP" -b -d 0.5 --listen "$P" -p "$WL" >/dev/null 2>&1 &
	ST=$!
	WL_PIDS="$WL_PIDS $ST"
	$MX wait "http://127.0.0.1:$P/metrics" 20 || fail "strace run: no /metrics"
	for i in $(seq 1 20); do
		$MX get "http://127.0.0.1:$P/metrics" >/dev/null 3>&1 || fail "strace run: GET"
	done
	# strace does not pass a TERM on: end ramtop itself, strace follows.
	RS=$(pgrep -P "$ST")
	WL_PIDS="$WL_PIDS $RS"
	kill -TERM $RS
	wait "$ST" 2>/dev/null
	$PY - "$T/st" <<'PYEOF' || fail "a scrape opened files"
import collections, re, sys
ops = collections.defaultdict(collections.Counter)
procs = collections.defaultdict(int)
for line in open(sys.argv[1]):
    m = re.match(r"(\d+) +(\w+)\((.*)", line)
    if m:
        ops[m.group(1)][m.group(2)] += 1
        if m.group(2).startswith("open") and "/proc" in m.group(3):
            procs[m.group(1)] += 1
        # What the server may not do is read the kernel's figures: /proc,
        # /sys, or a file relative to a /proc/PID directory (openat(N, ..)).
        # Anything else it opens (seen once: one file in a distcheck run)
        # is printed, not failed.
        if m.group(2).startswith("open"):
            a = m.group(3)
            if "/proc" in a or "/sys" in a or not a.startswith(("AT_FDCWD", '"')):
                ops[m.group(1)]["kernel"] += 1
            else:
                ops[m.group(1)]["other:" + a.split(",")[1].strip()] += 1
srv = [t for t in ops if ops[t]["accept4"] + ops[t]["accept"] > 0]
print("server thread(s) %s: %s; /proc opened by %s" %
      (srv, [dict(ops[t]) for t in srv], dict(procs)))
assert srv and all(ops[t]["kernel"] == 0 for t in srv)
assert procs and not set(procs) & set(srv)
PYEOF
else
	echo "strace cannot run here: the scrape-opens-no-file check is left out"
fi

# Sampling every 0.2 s with the server up, the samples' times recorded.
P=$($MX freeport)
"$RAMTOP" -b --json -d 0.2 --listen "$P" -p "$WL" >"$T/nd" 2>"$T/rerr" &
RT=$!
WL_PIDS="$WL_PIDS $RT"
$MX wait "http://127.0.0.1:$P/metrics" 10 || fail "no /metrics: $(cat "$T/rerr")"
# libmicrohttpd is loaded for --listen only (ramtop without it maps no
# GnuTLS: 2.9 MiB and ~1.6 ms of start-up).
grep -q libmicrohttpd "/proc/$RT/maps" || fail "--listen: libmicrohttpd not mapped"
"$RAMTOP" -b -d 0.2 -p "$WL" >/dev/null 2>&1 &
R2=$!
sleep 0.3
n=$(grep -cE 'libmicrohttpd|libgnutls' "/proc/$R2/maps")
kill "$R2"
wait "$R2" 2>/dev/null
[ "$n" -eq 0 ] || fail "ramtop without --listen maps libmicrohttpd/GnuTLS ($n)"
echo "ok: libmicrohttpd is loaded only for --listen"
T0=$(date +%s.%N)
$MX robust 127.0.0.1 "$P" "$T/rob.json" >/dev/null || fail "robust helper failed"
T1=$(date +%s.%N)
kill -TERM "$RT"
wait "$RT" 2>/dev/null
$MX gaps "$T/nd" "$T0" "$T1" >"$T/gaps"
$PY - "$T/rob.json" "$T/gaps" <<'PYEOF' || fail "see above"
import json, sys
r = json.load(open(sys.argv[1]))
g = json.load(open(sys.argv[2]))
bad = []
def clean(name, allowed):
    x = r[name]
    ok = x["status"] in allowed or (x["status"] is None and
                                    x["how"] in ("closed", "reset"))
    print("%-17s status %s (%s)%s" % (name, x["status"], x["how"],
                                     "" if ok else "  <- BAD"))
    if not ok:
        bad.append(name)
clean("malformed", (400,))
clean("oversized_header", (400, 413, 431))
clean("oversized_url", (400, 414, 431))
clean("post_body", (405,))
clean("after", (200,))
print("keep-alive        two scrapes on one connection: %s" % r["keepalive"]["status"])
if r["keepalive"]["status"] != [200, 200]:
    bad.append("keep-alive")
c = r["concurrent"]
print("concurrent        %d x %d rounds: %d complete 200, %d closed, %d other "
      "in %.2f s" % (c["n"], c["rounds"], c["ok_200"], c["closed"],
                      len(c["other"]), c["seconds"]))
if c["other"] or c["ok_200"] + c["closed"] != c["n"] or c["ok_200"] == 0:
    bad.append("concurrent: %s" % c["other"][:5])
i = r["idle"]
print("idle connection   closed after %s s (timeout 10 s)" % i["closed_after"])
if i["closed_after"] is None or not 8 <= i["closed_after"] <= 14:
    bad.append("idle")
print("sampling (-d 0.2) %d samples, mean gap %s s, max gap %s s" %
      (g["samples"], g["mean_gap"], g["max_gap"]))
# One sample's cost and a loaded machine's scheduling, not a stall.
if g["max_gap"] is None or g["max_gap"] > 0.6 or g["samples"] < 30:
    bad.append("sampling interval")
if bad:
    print("FAIL:", bad)
    sys.exit(1)
PYEOF
exit 0
