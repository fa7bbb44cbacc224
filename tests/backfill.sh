#!/bin/sh
# Backfill (issue 17): a recorded run (a launched workload that marks
# four phases, saved with -o) goes through `ramtop export --openmetrics`,
# `promtool tsdb create-blocks-from openmetrics` into a fresh TSDB, and a
# Prometheus started on it answers a range query with the recorded
# values at the recorded times (step 1 ms: the point at each phase's
# time holds its value, the point 1 ms before still the one exported
# last before it: the previous phase, or a sample of the file's timeline).
# A file with a timeline (samples between the marks) adds those points.
# The server is stopped and its directory removed, even on failure.
. "${top_srcdir:-.}/tests/lib.sh"

. "$top_srcdir/tests/prom-lib.sh"
RAMTOP_MARK_CMD="$RAMTOP mark"
export RAMTOP_MARK_CMD

# The recorded run.
"$RAMTOP" -b -d 0.3 -o "$T/run.json" -- "$WORKLOAD" \
	"anon 16M" "sleep 0.3" "mark kv cache" \
	"shm_open 8M" "sleep 0.3" "mark shm segment" \
	"mlock 4M" "sleep 0.3" "mark pinned" \
	"exit 0" >"$T/out" 2>"$T/err" || fail "recording: $(cat "$T/err")"

"$RAMTOP" export "$T/run.json" --openmetrics >"$T/run.om" 2>"$T/xerr" ||
	fail "export: $(cat "$T/xerr")"
[ "$(tail -1 "$T/run.om")" = "# EOF" ] || fail "export: no # EOF"
grep -q 'label="shm segment"' "$T/run.om" || fail "export: no phase label"
"$RAMTOP" export >/dev/null 2>"$T/xerr" && fail "export without a file succeeded"
[ "$(wc -l <"$T/xerr")" -le 2 ] || fail "export usage: $(cat "$T/xerr")"
echo '{"format": "other"}' >"$T/bad.json"
"$RAMTOP" export "$T/bad.json" >/dev/null 2>"$T/xerr" && fail "export of a non-snapshot succeeded"
[ "$(wc -l <"$T/xerr")" -eq 1 ] || fail "export error: $(cat "$T/xerr")"

# A file with a timeline (the samples between the marks, as issue 15's
# "timeline" member keeps them: elapsed_s, rss_kb, pss_kb, rss_by_type
# where a missing type had none; the points that are marks carry
# "mark"): each point that is not a mark
# is exported at its own time with the tree's figures.
$PY - "$T/run.json" "$T/tl.json" <<'PYEOF' || fail "cannot add a timeline"
import json, sys
s = json.load(open(sys.argv[1]))
p0, p1 = s["phases"][0], s["phases"][1]
mid = (p0["elapsed_s"] + p1["elapsed_s"]) / 2
s["timeline"] = {"points": [
    {"elapsed_s": p0["elapsed_s"], "rss_kb": 1, "mark": 0},
    {"elapsed_s": mid, "rss_kb": 4242, "pss_kb": None,
     "rss_by_type": {"anon": 4000, "heap": None}},
    {"elapsed_s": p1["elapsed_s"], "rss_kb": 2, "mark": 1}]}
json.dump(s, open(sys.argv[2], "w"))
PYEOF
"$RAMTOP" export "$T/tl.json" >"$T/tl.om" 2>"$T/xerr" || fail "export with a timeline: $(cat "$T/xerr")"
promtool tsdb create-blocks-from openmetrics "$T/tl.om" "$T/tl.tsdb" >"$T/tl.log" 2>&1 ||
	fail "timeline export not accepted: $(cat "$T/tl.log")"
$PY - "$T/tl.json" "$T/tl.om" <<'PYEOF' || fail "timeline export"
import calendar, json, sys, time
s = json.load(open(sys.argv[1]))
p0 = s["phases"][0]
t0 = calendar.timegm(time.strptime(p0["time"][:19], "%Y-%m-%dT%H:%M:%S")) + \
    float("0" + p0["time"][19:-1]) - p0["elapsed_s"]
tp = "%.3f" % (t0 + s["timeline"]["points"][1]["elapsed_s"])
lines = [l for l in open(sys.argv[2]) if l.rstrip().endswith(" " + tp)]
print("timeline point at %s: %s" % (tp, [l.split(" ")[0] + " " + l.split(" ")[1] for l in lines]))
# anon given, heap null (unknown: absent), the others missing (none: 0).
want = {"ramtop_tree_resident_bytes 4343808",
        'ramtop_tree_region_resident_bytes{type="anon"} 4096000',
        'ramtop_phase_info{index="0",label="baseline"} 1'} | {
        'ramtop_tree_region_resident_bytes{type="%s"} 0' % t
        for t in ("stack", "shm", "file", "lib", "device", "special")}
got = {" ".join(l.split(" ")[:2]) for l in lines if not l.startswith("ramtop_phase_timestamp")}
assert got == want, got
# The mark points are not doubled: the phase frames hold them.
assert not [l for l in open(sys.argv[2]) if l.startswith("ramtop_tree_resident_bytes 1024 ")]
PYEOF
rm -rf "$T/tl.tsdb"

# A batch NDJSON recording: its samples are exported at their own times
# with their Σ RSS.
"$RAMTOP" -b --json -d 0.2 -- "$WORKLOAD" "anon 8M" "sleep 0.5" \
	"mark half" "anon 8M" "sleep 0.5" "exit 0" >"$T/rec.ndjson" 2>"$T/rerr" ||
	fail "NDJSON recording: $(cat "$T/rerr")"
if "$RAMTOP" show "$T/rec.ndjson" >/dev/null 2>&1; then
	"$RAMTOP" export "$T/rec.ndjson" >"$T/rec.om" 2>"$T/xerr" ||
		fail "export of a recording: $(cat "$T/xerr")"
	promtool tsdb create-blocks-from openmetrics "$T/rec.om" "$T/rec.tsdb" \
		>"$T/rec.log" 2>&1 || fail "recording export not accepted: $(cat "$T/rec.log")"
	rm -rf "$T/rec.tsdb"
	$PY - "$T/rec.ndjson" "$T/rec.om" <<'PYEOF' || fail "recording export"
import calendar, json, sys, time
def ts(iso):
    return calendar.timegm(time.strptime(iso[:19], "%Y-%m-%dT%H:%M:%S")) + \
        float("0" + iso[19:-1])
samples = []
for line in open(sys.argv[1]):
    if line.startswith("{"):
        o = json.loads(line)
        if o.get("kind") == "sample" and o["totals"]["rss_kb"] is not None:
            samples.append((ts(o["time"]), o["totals"]["rss_kb"] * 1024))
got = {}
for line in open(sys.argv[2]):
    if line.startswith("ramtop_tree_resident_bytes "):
        _, v, t = line.split()
        got[float(t)] = float(v)
hit = 0
for t, v in samples:
    near = [g for g in got if abs(g - t) <= 0.002]
    if near:
        hit += 1
        assert got[near[0]] == v, (t, v, got[near[0]])
print("recording: %d samples, %d exported at their time with their sum RSS" %
      (len(samples), hit))
assert hit >= len(samples) - 1 and hit >= 3, "samples missing from the export"
PYEOF
else
	fail "ramtop show does not read its own NDJSON recording"
fi

mkdir -p "$T/prom"
promtool tsdb create-blocks-from openmetrics "$T/run.om" "$T/prom/data" \
	>"$T/prom/blocks" 2>&1 || fail "create-blocks-from: $(cat "$T/prom/blocks")"
cat >"$T/prom/prometheus.yml" <<EOF
global:
  scrape_interval: 1m
EOF
PP=$($MX freeport)
PURL="http://127.0.0.1:$PP"
prometheus --config.file="$T/prom/prometheus.yml" \
	--storage.tsdb.path="$T/prom/data" \
	--web.listen-address="127.0.0.1:$PP" --log.level=warn \
	>"$T/prom/log" 2>&1 &
PROM_PID=$!
$MX wait "$PURL/-/ready" 30 || fail "prometheus did not start: $(tail -5 "$T/prom/log")"

$PY - "$PURL" "$T/run.json" <<'PYEOF' || fail "see above"
import calendar, json, sys, time, urllib.parse, urllib.request
purl, snap = sys.argv[1:3]
s = json.load(open(snap))

def ts(iso):
    return calendar.timegm(time.strptime(iso[:19], "%Y-%m-%dT%H:%M:%S")) + \
        float("0" + iso[19:-1])

phases = [(ts(p["time"]), p) for p in s["phases"]]
assert len(phases) == 4, len(phases)
def rss_sum(p):
    return sum(x["rss_kb"] * 1024 for x in p["processes"] if x["rss_kb"] is not None)

t0, tn = phases[0][0], phases[-1][0]
def qr(expr):
    u = purl + "/api/v1/query_range?" + urllib.parse.urlencode(
        {"query": expr, "start": "%.3f" % t0, "end": "%.3f" % tn, "step": "0.001"})
    for i in range(50):
        try:
            with urllib.request.urlopen(u, timeout=10) as r:
                d = json.load(r)
            if d["data"]["result"]:
                return d["data"]["result"]
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("no data for " + expr)

res = qr("ramtop_tree_resident_bytes")
assert len(res) == 1, res
pts = {round(float(t), 3): float(v) for t, v in res[0]["values"]}
print("range query: %d points from %.3f to %.3f (step 1 ms)" % (len(pts), t0, tn))
# What was exported before each phase: the previous phase, or a sample
# of the file's timeline after it (export.c: the run's start, phase 0's
# time less its elapsed_s, plus the point's elapsed_s).
start = phases[0][0] - phases[0][1]["elapsed_s"]
frames = [(t, rss_sum(p)) for t, p in phases] + [
    (start + q["elapsed_s"], q["rss_kb"] * 1024)
    for q in s.get("timeline", {}).get("points", [])
    if "mark" not in q and q.get("rss_kb") is not None]
def last_before(t):
    c = [(round(tt, 3), v) for tt, v in frames if round(tt, 3) < round(t, 3)]
    return max(c)[1] if c else None
bad = 0
prev = None
for t, p in phases:
    want = rss_sum(p)
    got = pts.get(round(t, 3))
    before = pts.get(round(t - 0.001, 3))
    prev = last_before(t)
    ok = got == want and (prev is None or before == prev)
    print("phase %d %-16r at %s: recorded %10d, Prometheus %s%s" % (
        p["index"], p["label"], p["time"], want, got,
        "" if ok else "   <- WRONG (1 ms before: %s, previous %s)" % (before, prev)))
    bad += not ok

# The phases as labels, at the right times.
res = qr("ramtop_phase_timestamp_seconds")
got = sorted((x["metric"]["label"], float(x["values"][-1][1])) for x in res)
want = sorted((p["label"], round(t, 3)) for t, p in phases)
print("phase labels:", got)
if [(l, round(v, 3)) for l, v in got] != want:
    print("WRONG phases, want", want)
    bad += 1
# A per-process series with its labels.
res = qr('ramtop_process_resident_bytes')
pids = sorted({x["metric"]["pid"] for x in res})
roots = sorted({x["metric"]["root"] for x in res})
print("process series: pids %s, root %s" % (pids, roots))
if roots != [str(s["target"]["pids"][0])]:
    bad += 1
sys.exit(1 if bad else 0)
PYEOF
prom_stop
[ ! -d "$T/prom" ] || fail "the Prometheus directory is still there"
exit 0
