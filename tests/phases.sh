#!/bin/sh
# Phases (issue 5 acceptance): a launched workload goes through the steps
# of a model server starting up - weights file mapped, then touched; an
# anonymous "KV cache"; a /dev/shm segment; an mlocked "pinned" buffer -
# and marks each one with `ramtop mark` from inside.  Batch mode prints
# the marks; the snapshot saved with -o validates against the schema;
# `ramtop diff` puts each step's growth in the right type within 5%;
# `ramtop show` lists the phases.
. "${top_srcdir:-.}/tests/lib.sh"

$PY -c 'import jsonschema' 2>/dev/null ||
	{ echo "skip: python3-jsonschema is not installed"; exit 77; }

# A private socket directory, so other sessions cannot interfere.
use_runtime_dir mark

"$RAMTOP" -b --json -d 0.5 -o "$T/snap.json" -- "$WORKLOAD" \
	"mark start" \
	"file $T/weights.bin 64M 0" "mark weights mapped" \
	"touch 0 50" "mark weights touched" \
	"anon 64M" "mark kv-cache" \
	"shm_open 32M" "mark shm" \
	"mlock 16M" "mark pinned" \
	"exit 0" >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" -eq 0 ] || fail "exit $rc: $(cat "$T/err")"
grep -q "saved $T/snap.json (.*7 phases)" "$T/err" ||
	fail "no save message: $(cat "$T/err")"
[ "$(grep -c '^err' "$T/out")" -eq 0 ] || fail "workload: $(grep '^err' "$T/out")"

$PY "$top_srcdir/tests/phases.py" "$T/out" "$T/snap.json" \
	"$top_srcdir/docs/snapshot.schema.json" "$RAMTOP" "$T/weights.bin" ||
	fail "phases"

# The phase table.
"$RAMTOP" show "$T/snap.json" >"$T/show" 2>"$T/err" || fail "show: $(cat "$T/err")"
for l in baseline start "weights mapped" "weights touched" kv-cache shm pinned; do
	grep -q "^ *[0-9]  $l " "$T/show" || fail "show lacks '$l': $(cat "$T/show")"
done
grep -q "^7 phases" "$T/show" || fail "show: phase count"

# Text mode prints a block per mark; a second run to diff against.
"$RAMTOP" -b -d 0.5 -o "$T/snap2.json" -- "$WORKLOAD" "mark start" \
	"anon 8M" "mark after anon" "exit" >"$T/out2" 2>"$T/err2" ||
	fail "text run: $(cat "$T/err2")"
grep -q '^ramtop .*  mark 2 "after anon"' "$T/out2" || fail "no mark block: $(cat "$T/out2")"
grep -q '^Changed since phase 1 "start"' "$T/out2" || fail "mark block: no changes"
grep -q ' anon  *+8.0M ' "$T/out2" || fail "mark block: anon +8M not shown"

# Two files: last phase against last phase, processes matched by command.
"$RAMTOP" diff --json "$T/snap.json" "$T/snap2.json" >"$T/d2" 2>"$T/err" ||
	fail "diff two files: $(cat "$T/err")"
$PY -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["matched_by"] == "command", d["matched_by"]
assert d["a"]["label"] == "pinned" and d["b"]["label"] == "after anon", (d["a"], d["b"])
assert d["a"]["file"].endswith("snap.json") and d["b"]["file"].endswith("snap2.json")
' "$T/d2" || fail "diff of two files"
# The same file twice: the same run, nothing changed.
"$RAMTOP" diff "$T/snap.json" "$T/snap.json" >"$T/d3" || fail "diff same file"
grep -q "^Region groups: no change" "$T/d3" || fail "same file: $(cat "$T/d3")"
echo "ok: phases"
