#!/bin/sh
# One reader for what ramtop writes (issue 15): `ramtop show` and
# `ramtop diff` on the NDJSON of `ramtop -b --json` with marks give the
# same phase table (and the same diff) as on the -o file of the same run;
# a recording of an older ramtop (no mark 0) still reads, with phase 0
# from its first sample; anything else gets one clear line.
. "${top_srcdir:-.}/tests/lib.sh"

use_runtime_dir mark

# One run writes both: the NDJSON on stdout and the -o snapshot.
"$RAMTOP" -b --json --regions -d 0.2 -o "$T/snap.json" -- "$WORKLOAD" \
	"sleep 0.3" "mark start" "anon 32M" "sleep 0.5" "mark kv-cache" \
	"shm_open 16M" "sleep 0.5" "mark shm" "exit 0" \
	>"$T/rec0.ndjson" 2>"$T/err" || fail "run: $(cat "$T/err")"
# A launched command's own lines may be in the file (older ramtops, or
# 2>&1): the reader skips what does not start with '{'.
{ echo "ok anon addr=0x0 size_kb=1"; cat "$T/rec0.ndjson"; } >"$T/rec.ndjson"

# show: the same phase table and peaks; only the first line (the file's
# name and kind) differs.
"$RAMTOP" show "$T/rec.ndjson" >"$T/show.rec" 2>"$T/err" || fail "show ndjson: $(cat "$T/err")"
"$RAMTOP" show "$T/snap.json" >"$T/show.snap" 2>"$T/err" || fail "show snap: $(cat "$T/err")"
head -1 "$T/show.rec" | grep -q "batch recording (NDJSON)" || fail "kind: $(head -1 "$T/show.rec")"
tail -n +2 "$T/show.rec" >"$T/a"
tail -n +2 "$T/show.snap" >"$T/b"
cmp -s "$T/a" "$T/b" || fail "show differs: $(diff "$T/a" "$T/b")"
for l in baseline start kv-cache shm; do
	grep -q "^ *[0-9]  $l " "$T/show.rec" || fail "show lacks '$l': $(cat "$T/show.rec")"
done
grep -q "^4 phases" "$T/show.rec" || fail "phase count: $(cat "$T/show.rec")"

# --json: the same phases, figure for figure.
"$RAMTOP" show --json "$T/rec.ndjson" >"$T/a.json" || fail "show --json ndjson"
"$RAMTOP" show --json "$T/snap.json" >"$T/b.json" || fail "show --json snap"
$PY - "$T/a.json" "$T/b.json" <<'PY' || fail "show --json differs"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
assert a["source"] == "recording" and b["source"] == "snapshot"
assert a["phases"] == b["phases"], (a["phases"], b["phases"])
assert a["host"] == b["host"] and a["target"] == b["target"]
assert [p["label"] for p in a["phases"]] == ["baseline", "start", "kv-cache", "shm"]
# The peaks: the tree's highest sampled Σ RSS is at least the last mark's.
assert a["peaks"]["rss_kb"] >= a["phases"][-1]["rss_kb"] > 45 * 1024, a["peaks"]
assert a["peaks"]["rss_kb"] == b["peaks"]["rss_kb"]
PY

# diff: phase to phase in one file, and the last phases of two files.
for args in "" "1 3" "start kv-cache"; do
	"$RAMTOP" diff "$T/rec.ndjson" $args >"$T/d.rec" 2>"$T/err" || fail "diff ndjson $args: $(cat "$T/err")"
	"$RAMTOP" diff "$T/snap.json" $args >"$T/d.snap" || fail "diff snap $args"
	cmp -s "$T/d.rec" "$T/d.snap" || fail "diff $args differs: $(diff "$T/d.rec" "$T/d.snap")"
done
grep -q ' anon  *+32M ' "$T/d.rec" || fail "diff: no anon +32M: $(cat "$T/d.rec")"
"$RAMTOP" diff "$T/rec.ndjson" "$T/snap.json" >"$T/d2" 2>"$T/err" || fail "diff two files: $(cat "$T/err")"

# A recording of an older ramtop: no mark 0, no session.  Phase 0 is its
# first sample; the host is unknown.
grep -v '"index":0,"label":"baseline"' "$T/rec.ndjson" >"$T/old.ndjson"
"$RAMTOP" show "$T/old.ndjson" >"$T/show.old" 2>"$T/err" || fail "old recording: $(cat "$T/err")"
grep -q "^ *0  baseline " "$T/show.old" || fail "old: no baseline: $(cat "$T/show.old")"
grep -q "on an unknown host" "$T/show.old" || fail "old: host: $(head -3 "$T/show.old")"
grep -q "^4 phases" "$T/show.old" || fail "old: phases: $(cat "$T/show.old")"

# -o with no marks still saves the timeline: every sample, phase 0 marked,
# the peaks; the file validates against the schema.
"$RAMTOP" -b -n 6 -d 0.1 -o "$T/nomarks.json" -p $$ >/dev/null 2>"$T/err" ||
	fail "-o without marks: $(cat "$T/err")"
$PY - "$T/nomarks.json" "$top_srcdir/docs/snapshot.schema.json" <<'PY' || fail "timeline of a run without marks"
import json, sys
d = json.load(open(sys.argv[1]))
tl = d["timeline"]
pts = tl["points"]
samples = [p for p in pts if "mark" not in p]
assert len(samples) == 6, pts
assert [p["mark"] for p in pts if "mark" in p] == [0], pts
assert all(p["rss_kb"] > 0 for p in pts), pts
assert tl["peak"]["rss"]["kb"] == max(p["rss_kb"] for p in pts), tl["peak"]
assert d["phases"][0]["peak"]["rss_kb"] == tl["peak"]["rss"]["kb"]
assert [p["elapsed_s"] for p in pts] == sorted(p["elapsed_s"] for p in pts)
try:
    import jsonschema
except ImportError:
    sys.exit(0)
jsonschema.Draft202012Validator(json.load(open(sys.argv[2]))).validate(d)
PY

# Anything else: one line, exit 1.
bad() {	# FILE WHAT
	"$RAMTOP" show "$1" >/dev/null 2>"$T/err"
	rc=$?
	[ "$rc" -eq 1 ] || fail "$2: exit $rc"
	[ "$(wc -l <"$T/err")" -eq 1 ] || fail "$2: want one line: $(cat "$T/err")"
	grep -q "$3" "$T/err" || fail "$2: message: $(cat "$T/err")"
}
printf 'time,rss\n1,2\n' >"$T/x.csv"
bad "$T/x.csv" csv "not valid JSON (line 1"
printf '{"a":1}\n{"b":2}\n' >"$T/other.ndjson"
bad "$T/other.ndjson" "other NDJSON" "not a valid ramtop recording: line 1: no \"kind\""
{ head -3 "$T/rec.ndjson"; echo '{"kind":"sample", oops'; } >"$T/cut.ndjson"
bad "$T/cut.ndjson" "broken line" "not a valid ramtop recording: line 4: not valid JSON"
sed 's/"totals":{/"totalz":{/' "$T/rec.ndjson" | grep -v '"kind":"sample"' >"$T/nototals.ndjson"
bad "$T/nototals.ndjson" "mark without totals" "not a valid ramtop recording: line [0-9]*: mark: missing field \"totals\""
echo "ok: recording"
