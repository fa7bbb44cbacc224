#!/bin/sh
# Identity: a pid taken by a new process (same pid, new start time) is a
# new process with its own baseline, never a delta against the old one —
# in the samples, their per-type figures, and the phases.  Read from a
# real recording (tests/fixtures/pidreuse, made by make_pidreuse.sh:
# child 4043 of 4038 is killed and its pid given to a new workload
# between frames 1 and 2) with the replay collector.  Also: a file
# missing from a recording is unknown with its reason, never 0.
. "${top_srcdir:-.}/tests/lib.sh"

FX=$top_srcdir/tests/fixtures/pidreuse
# Replay reads the fixture in place; distcheck's srcdir is read-only,
# which is fine: nothing is written there.

"$RAMTOP" -b -n 4 -d 0.05 --json --regions --replay "$FX" -p 4038 \
	>"$T/s.json" 2>"$T/s.err" || fail "replay batch: exit $? $(cat "$T/s.err")"

$PY - "$T/s.json" "$FX" <<'PY' || fail "pid reuse in samples"
import json, sys
samples = [json.loads(l) for l in open(sys.argv[1])]
samples = [s for s in samples if s["kind"] == "sample"]  # mark 0 too
fx = sys.argv[2]

def status(frame, pid, key):
    for line in open(f"{fx}/{frame}/{pid}/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise SystemExit(f"no {key} in frame {frame}")

def start(frame, pid):
    s = open(f"{fx}/{frame}/{pid}/stat").read()
    return int(s[s.rindex(")") + 2:].split()[19])

assert len(samples) == 4, len(samples)
old, new = start(0, 4043), start(2, 4043)
assert old != new and start(1, 4043) == old and start(3, 4043) == new
bad = []
for i, s in enumerate(samples):
    p = {q["pid"]: q for q in s["processes"]}
    assert sorted(p) == [4038, 4043], (i, sorted(p))
    c = p[4043]
    rss = status(i, 4043, "VmRSS")
    base = status(0 if i < 2 else 2, 4043, "VmRSS")
    want_start = old if i < 2 else new
    if c["start_time"] != want_start:
        bad.append(f"sample {i}: start_time {c['start_time']} != {want_start}")
    if c["rss_kb"] != rss:
        bad.append(f"sample {i}: rss {c['rss_kb']} != {rss}")
    if c["rss_delta_kb"] != rss - base:
        bad.append(f"sample {i}: rss delta {c['rss_delta_kb']} != {rss - base}")
    if i == 2:
        # The new process starts from its own first sample: every delta
        # is 0, per process and per region type.
        for k, v in c.items():
            if k.endswith("_delta_kb") and v not in (0, None):
                bad.append(f"sample 2: {k} = {v}, want 0")
        for t, g in c["by_type"].items():
            for k, v in g.items():
                if k.endswith("_delta_kb") and v != 0:
                    bad.append(f"sample 2: by_type {t} {k} = {v}")
# The grown mapping: +4 MiB for the old process (1), +1 MiB for the new (3).
d1 = samples[1]["processes"][1]["rss_delta_kb"]
d3 = samples[3]["processes"][1]["rss_delta_kb"]
if not (4096 <= d1 < 4096 + 64 and 1024 <= d3 < 1024 + 64):
    bad.append(f"growth deltas {d1} {d3}, want ~4096 and ~1024")
# The tree's delta follows: old process's growth is not carried over.
t2 = samples[2]["totals"]["rss_delta_kb"]
p2 = samples[2]["processes"][0]["rss_delta_kb"]
if t2 != p2:
    bad.append(f"sample 2 tree delta {t2} != parent's delta {p2}")
if bad:
    print("\n".join(bad))
    sys.exit(1)
print(f"pid 4043 reused: start {old} -> {new}; deltas {d1} then 0 then {d3}")
PY

# The same in the text report: the new process's row has ΔRSS 0.
"$RAMTOP" -b -n 3 -d 0.05 --replay "$FX" -p 4038 >"$T/s.txt" 2>&1 ||
	fail "replay text: exit $?"
awk '/^ramtop .* sample 2 /{f=1} f && $1 == 4043 {print $3; exit}' \
	"$T/s.txt" >"$T/d2"
[ "$(cat "$T/d2")" = "0" ] || fail "text sample 2: ΔRSS '$(cat "$T/d2")', want 0"

# Phases: mark once on frame 1 (old process) and once on frame 3 (new).
# Each scan, marks included, reads the next frame: sample 0 reads frame
# 0 at t=0, the mark at t=1 frame 1, sample 1 at t=2 frame 2, the mark at
# t=3 frame 3.
"$RAMTOP" -b -n 3 -d 2 --replay "$FX" -p 4038 -o "$T/p.snap" \
	>/dev/null 2>"$T/p.err" &
R=$!
sleep 1
kill -USR1 $R
sleep 2
kill -USR1 $R
wait $R || fail "replay with marks: exit $? $(cat "$T/p.err")"
"$RAMTOP" diff --json "$T/p.snap" 1 2 >"$T/d.json" || fail "diff: exit $?"
$PY - "$T/d.json" <<'PY' || fail "pid reuse in the phase diff: $(cat "$T/d.json")"
import json, sys
d = json.load(open(sys.argv[1]))
rows = {p["status"]: p for p in d["processes"] if p["pid"] == 4043}
assert sorted(rows) == ["gone", "new"], sorted(rows)
g, n = rows["gone"], rows["new"]
assert g["start_time"] != n["start_time"], (g, n)
# Each against its own life, not one against the other.
assert g["rss_b_kb"] == 0 and g["rss_delta_kb"] == -g["rss_a_kb"] < 0, g
assert n["rss_a_kb"] == 0 and n["rss_delta_kb"] == n["rss_b_kb"] > 0, n
print("phase diff: 4043 gone + 4043 new")
PY

# A recording without a file: unknown, with the reason; never 0.
cp -r "$FX/3" "$T/rec"
chmod -R u+w "$T/rec"
rm "$T/rec/4043/smaps_rollup" "$T/rec/4043/smaps"
"$RAMTOP" -b -n 1 --json --regions --replay "$T/rec" -p 4038 >"$T/m.json" ||
	fail "replay without smaps: exit $?"
$PY - "$T/m.json" <<'PY' || fail "missing file: $(cat "$T/m.json")"
import json, sys
s = json.loads(open(sys.argv[1]).readline())
p = {q["pid"]: q for q in s["processes"]}[4043]
assert p["pss_kb"] is None and p["uss_kb"] is None, p
assert p["rss_kb"] > 0, p
assert p["error"] == "not in the recording", p["error"]
assert s["totals"]["unknown"]["pss"] == 1, s["totals"]["unknown"]
PY

# A directory that is not there: a clear error, exit 1.
"$RAMTOP" -b -n 1 --replay "$T/nothere" >/dev/null 2>"$T/e"
[ $? -eq 1 ] || fail "missing replay dir: exit status"
grep -q "ramtop: --replay: $T/nothere: No such file or directory" "$T/e" ||
	fail "missing replay dir: $(cat "$T/e")"
exit 0
