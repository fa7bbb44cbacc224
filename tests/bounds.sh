#!/bin/sh
# tests/bounds.sh - crafted inputs cost bounded memory and time: a
# snapshot of tiny values, one larger than the documented limit, a FIFO
# given to show, diff of two files with 64k processes each (matching is
# O(n log n): a nested loop took 24 s), and a --replay recording whose
# files are /dev/zero, /dev/urandom and a FIFO; and the same limits for a
# batch NDJSON recording (tiny values, too big, a FIFO).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

"$RAMTOP" -b -n 1 -o "$T/snap.json" -p $$ >/dev/null 2>"$T/err" ||
	fail "cannot make a snapshot: $(cat "$T/err")"

# 1. An ignored key of 3 million zeros: refused before jansson builds
#    them, in little memory.
$PY - "$T/snap.json" "$T/zeros.json" <<'PYEOF'
import sys
s = open(sys.argv[1]).read().rstrip()
assert s.endswith("}")
open(sys.argv[2], "w").write(s[:-1] + ', "ignored": [' + ",".join(["0"] * 3000000) + "]}\n")
PYEOF
/usr/bin/time -f %M -o "$T/mem" "$RAMTOP" show "$T/zeros.json" >/dev/null 2>"$T/err"
rc=$?
[ "$rc" -eq 1 ] || fail "zeros: exit $rc"
grep -q "it holds more JSON values than one can" "$T/err" || fail "zeros: $(cat "$T/err")"
kb=$(tail -1 "$T/mem")
[ "$kb" -lt 100000 ] || fail "zeros: reading the refusal took $kb KiB"
echo "ok: 3M tiny values refused using $kb KiB"

# 2. Larger than the limit (a sparse file): refused at once.
truncate -s 300M "$T/big.json"
timeout 5 "$RAMTOP" show "$T/big.json" >/dev/null 2>"$T/err"
rc=$?
[ "$rc" -eq 1 ] || fail "big: exit $rc"
grep -q "larger than a snapshot can be (256 MiB)" "$T/err" || fail "big: $(cat "$T/err")"
echo "ok: a 300 MiB file refused"

# 3. A FIFO: show must not block in open().
mkfifo "$T/fifo"
timeout 5 "$RAMTOP" show "$T/fifo" >/dev/null 2>"$T/err"
rc=$?
[ "$rc" -eq 1 ] || fail "show FIFO: exit $rc (124: it blocked)"
grep -q "is a FIFO, not a snapshot file" "$T/err" || fail "show FIFO: $(cat "$T/err")"
echo "ok: show FIFO refused at once"

# 4. diff of 64k processes per file, same run and two runs.
$PY - "$T/snap.json" "$T" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
ph = d["phases"][0]
tmpl = {"ppid": 1, "comm": "x", "pss_kb": None, "by_type": None,
        "regions": None}
def procs(st, delta):
    out = []
    # b and c in reverse order: the worst case of a nested loop
    for i in (range(65536) if delta == 0 else reversed(range(65536))):
        p = dict(tmpl)
        p["pid"] = 100000 + i
        p["start_time"] = st
        p["cmdline"] = "cmd %d" % i
        p["rss_kb"] = 1000 + (i % 7) * delta
        out.append(p)
    return out
for name, st, delta in (("a", 1, 0), ("b", 1, 4), ("c", 2, 8)):
    ph["processes"] = procs(st, delta)
    json.dump(d, open("%s/%s.json" % (sys.argv[2], name), "w"),
              separators=(",", ":"))
PYEOF
timeout 10 "$RAMTOP" diff --json "$T/a.json" "$T/b.json" >"$T/ab" 2>"$T/err" ||
	fail "diff 64k same run: exit $? (124: too slow) $(cat "$T/err")"
timeout 10 "$RAMTOP" diff --json "$T/a.json" "$T/c.json" >"$T/ac" 2>"$T/err" ||
	fail "diff 64k two runs: exit $? (124: too slow) $(cat "$T/err")"
$PY - "$T/ab" "$T/ac" <<'PYEOF' || fail "diff 64k: wrong matching"
import json, sys
ab = json.load(open(sys.argv[1])); ac = json.load(open(sys.argv[2]))
assert ab["matched_by"] == "pid" and ac["matched_by"] == "command", (ab["matched_by"], ac["matched_by"])
for d, k in ((ab, 4), (ac, 8)):
    ps = d["processes"]
    assert all(p["status"] == "changed" for p in ps), "a process unmatched"
    assert len(ps) == 65536 - 65536 // 7 - 1, len(ps)
    assert all(p["rss_delta_kb"] == (p["pid"] - 100000) % 7 * k for p in ps)
print("ok: diff matched 64k processes per file, both ways")
PYEOF

# 5. --replay: a recording's cmdline is /dev/zero, its smaps
#    /dev/urandom, a system file a FIFO: refused (not regular files),
#    never read for ever; SIGTERM ends ramtop at once.
R=$T/rec
mkdir -p "$R/4242" "$R/self"
echo "4242 (evil) S 1 4242 4242 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 100 1000000 100 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0" >"$R/4242/stat"
printf 'Name:\tevil\nPid:\t4242\nPPid:\t1\nVmRSS:\t 1000 kB\nRssAnon:\t 500 kB\nRssFile:\t 500 kB\nRssShmem:\t 0 kB\n' >"$R/4242/status"
ln -s /dev/zero "$R/4242/cmdline"
ln -s /dev/urandom "$R/4242/smaps"
ln -s /dev/urandom "$R/4242/smaps_rollup"
mkfifo "$R/meminfo"
cp /proc/self/mountinfo "$R/self/mountinfo"
timeout 10 "$RAMTOP" -b -n 2 -d 0.1 --json --regions --replay "$R" -p 4242 \
	>"$T/rj" 2>"$T/err"
rc=$?
[ "$rc" -eq 0 ] || fail "replay of /dev/zero and /dev/urandom: exit $rc (124: it never ended) $(cat "$T/err")"
$PY - "$T/rj" <<'PYEOF' || fail "replay: figures"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
p = lines[-1]["processes"][0]
assert p["pid"] == 4242 and p["rss_kb"] == 1000, p
assert p["cmdline"] in (None, ""), "cmdline read from /dev/zero: %r" % p["cmdline"][:40]
assert p["pss_kb"] is None and p["regions"] in (None, []), p["pss_kb"]
print("ok: replay refused /dev/zero, /dev/urandom and a FIFO")
PYEOF
# A huge regular smaps (sparse, over the 1 GiB cap) is refused from its
# size; a big one (600 MiB of zeros) is read until SIGTERM comes.
rm "$R/4242/smaps"
truncate -s 600M "$R/4242/smaps"
"$RAMTOP" -b -d 0.1 --regions --replay "$R" -p 4242 >/dev/null 2>&1 &
pid=$!
sleep 0.5
t0=$(date +%s.%N)
kill -TERM $pid
i=0
while kill -0 $pid 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill -0 $pid 2>/dev/null && { kill -KILL $pid; fail "replay: SIGTERM ignored while reading a 600 MiB smaps"; }
wait $pid
echo "ok: SIGTERM ends a replay reading a big smaps ($(echo "$(date +%s.%N) - $t0" | bc 2>/dev/null || echo '<5') s)"

# 6. A batch NDJSON recording is read by the same reader as a snapshot
#    (show, diff, report, check, --replay FILE): the same limits.  A
#    real recording with a line of 3 million zeros is refused before it
#    is parsed, in little memory; a FIFO named like a recording is
#    refused at once by show, report and check.
"$RAMTOP" -b --json -n 2 -d 0.1 -o "$T/unused.json" -p $$ >"$T/rec.ndjson" 2>"$T/err" ||
	fail "cannot make a recording: $(cat "$T/err")"
"$RAMTOP" show "$T/rec.ndjson" >/dev/null 2>"$T/err" ||
	fail "the plain recording is refused: $(cat "$T/err")"
$PY - "$T/rec.ndjson" "$T/zeros.ndjson" <<'PYEOF'
import sys
s = open(sys.argv[1]).read()
assert s.count("\n") >= 2 and '"kind":"mark"' in s.replace(" ", "")
open(sys.argv[2], "w").write(s + '{"kind":"sample","ignored":[' + ",".join(["0"] * 3000000) + "]}\n")
PYEOF
/usr/bin/time -f %M -o "$T/mem" "$RAMTOP" show "$T/zeros.ndjson" >/dev/null 2>"$T/err"
rc=$?
[ "$rc" -eq 1 ] || fail "recording zeros: exit $rc"
grep -q "it holds more JSON values than one can" "$T/err" || fail "recording zeros: $(cat "$T/err")"
kb=$(tail -1 "$T/mem")
[ "$kb" -lt 100000 ] || fail "recording zeros: reading the refusal took $kb KiB"
echo "ok: a recording of 3M tiny values refused using $kb KiB"
truncate -s 300M "$T/big.ndjson"
printf '{"kind":"mark"}\n' | dd of="$T/big.ndjson" conv=notrunc 2>/dev/null
timeout 5 "$RAMTOP" show "$T/big.ndjson" >/dev/null 2>"$T/err"
rc=$?
[ "$rc" -eq 1 ] || fail "big recording: exit $rc"
grep -q "larger than a snapshot can be (256 MiB)" "$T/err" || fail "big recording: $(cat "$T/err")"
echo "ok: a 300 MiB recording refused"
mkfifo "$T/fifo.ndjson"
echo "tree rss <= 1G" >"$T/budget"
for cmd in "show" "report" "check $T/budget"; do
	# shellcheck disable=SC2086 # cmd is the subcommand and its arguments
	timeout 5 "$RAMTOP" $cmd "$T/fifo.ndjson" >/dev/null 2>"$T/err"
	rc=$?
	[ "$rc" -ne 124 ] || fail "$cmd FIFO recording: it blocked"
	[ "$rc" -ne 0 ] || fail "$cmd FIFO recording: exit 0"
	grep -q "is a FIFO, not a snapshot file" "$T/err" || fail "$cmd FIFO recording: $(cat "$T/err")"
done
echo "ok: show, report and check refuse a FIFO recording at once"
