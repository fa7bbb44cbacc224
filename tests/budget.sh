#!/bin/sh
# Budgets (issue 18 acceptance), end to end on the real workload:
# `ramtop -b --json -o run.json --budget B -- workload ...` where one rule
# holds and one breaks.  The exit status (--fail-on-budget), the NDJSON
# budget line, the `ramtop check` table and its JUnit file (parsed with
# Python's XML parser) all say which rule broke, in which phase, with the
# measured figure equal to the snapshot's.  Then: the command's failure
# wins, text mode's line, check's exit statuses 0/1/2 and parse errors
# with line and column, a rule that can never be evaluated, and the
# screen's status line in tmux.
. "${top_srcdir:-.}/tests/lib.sh"

use_runtime_dir mark

cat >"$T/B" <<'EOF'
# one holds, one breaks
tree pss <= 4G                        # every sample and phase
phase kv-cache: anon delta <= +32M    # the workload allocates 64M here
EOF

"$RAMTOP" -b --json -d 0.2 -o "$T/run.json" --budget "$T/B" \
	--fail-on-budget -- "$WORKLOAD" "mark start" "anon 64M" \
	"mark kv-cache" "anon 4M" "mark after" "exit 0" >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" -eq 1 ] || fail "--fail-on-budget: exit $rc, not 1: $(cat "$T/err")"
grep -q "budgets $T/B: 2 rules, 1 held, 1 broke, 0 could not be checked" \
	"$T/err" || fail "no summary on stderr: $(cat "$T/err")"
grep -q 'budget broken: line 3 "phase kv-cache: anon delta <= +32M"' \
	"$T/err" || fail "stderr lacks the broken rule: $(cat "$T/err")"

"$RAMTOP" check --junit "$T/junit.xml" "$T/B" "$T/run.json" \
	>"$T/table" 2>"$T/cerr"
rc=$?
[ "$rc" -eq 1 ] || fail "check: exit $rc, not 1: $(cat "$T/cerr")"

# The NDJSON recording of the same run (stdout) is read as well, and the
# phase rule's row is the same as on the -o file.
"$RAMTOP" check "$T/B" "$T/out" >"$T/table.ndjson" 2>"$T/cerr"
rc=$?
[ "$rc" -eq 1 ] || fail "check on the recording: exit $rc, not 1: $(cat "$T/cerr")"
r1=$(grep '^3 ' "$T/table")
r2=$(grep '^3 ' "$T/table.ndjson")
[ -n "$r1" ] && [ "$r1" = "$r2" ] ||
	fail "the recording's row differs: '$r2' vs the file's '$r1'"

"$RAMTOP" check --json "$T/B" "$T/run.json" >"$T/check.json" 2>"$T/cerr"
rc=$?
[ "$rc" -eq 1 ] || fail "check --json: exit $rc, not 1: $(cat "$T/cerr")"

$PY - "$T/out" "$T/run.json" "$T/table" "$T/junit.xml" "$T/check.json" <<'EOF' || fail "figures"
import json, re, sys
import xml.etree.ElementTree as ET

out, snap, table, junit, cj = sys.argv[1:]
s = json.load(open(snap))
ph = {p["label"]: p for p in s["phases"]}
kv = ph["kv-cache"]
prev = s["phases"][kv["index"] - 1]
anon = lambda p: p["totals"]["by_type"]["anon"]["rss_kb"]
want = anon(kv) - anon(prev)
assert want > 32 * 1024, want            # the workload's 64M are there

# The NDJSON line, at once (final false), then the final record.
# (the workload's own "ok ..." lines share stdout)
lines = [json.loads(l) for l in open(out) if l.startswith("{")]
kinds = [l["kind"] for l in lines]
b = [l for l in lines if l["kind"] == "budget"]
now = [l for l in b if not l["final"]]
assert len(now) == 1, now                # only the breaking rule
n = now[0]
assert n["line"] == 3 and n["status"] == "fail", n
assert n["rule"] == "phase kv-cache: anon delta <= +32M", n
assert n["phase"] == {"index": kv["index"], "label": "kv-cache",
                      "sample": False}, n
assert n["measured_kb"] == want, (n["measured_kb"], want)
assert n["limit_kb"] == 32 * 1024, n
assert n["time"] == kv["time"], (n["time"], kv["time"])
# It came right after the kv-cache mark's line.
i = lines.index(n)
assert lines[i - 1]["kind"] == "mark" and lines[i - 1]["label"] == "kv-cache"
fin = {l["line"]: l for l in b if l["final"]}
assert fin[2]["status"] == "pass" and fin[3]["status"] == "fail", fin
assert fin[3]["measured_kb"] == want
# Rule 2 held; its worst moment is the snapshot's highest tree PSS, or
# a sample's (every sample is checked live).
for p in s["phases"]:
    assert p["totals"]["pss_kb"] is not None, ("a phase without PSS",
        p["label"], [(q["pid"], q["comm"], q["cmdline"], q["error"],
                      q["pss_kb"]) for q in p["processes"]])
worst = max(p["totals"]["pss_kb"] for p in s["phases"])
samp = [l["totals"]["pss_kb"] for l in lines if l["kind"] == "sample"]
assert fin[2]["measured_kb"] == max([worst] + samp), fin[2]
assert kinds[-1] == "exit", kinds[-3:]  # the final records come first

# The table: the rule that broke, in which phase, with the figure.
t = open(table).read()
row = [l for l in t.splitlines() if l.startswith("3 ")]
assert len(row) == 1 and " FAIL " in row[0], t
assert 'phase %d "kv-cache", tree' % kv["index"] in row[0], row
assert re.search(r"^2 .* pass ", t, re.M), t
m = re.search(r"^broke: line 3: anon rss delta \S+ \((\d+) KiB\) > \+32M at "
              r"phase (\d+) \"kv-cache\"", t, re.M)
assert m, t
assert int(m.group(1)) == want and int(m.group(2)) == kv["index"], m.groups()
assert "2 rules: 1 held, 1 broke, 0 could not be checked" in t, t

# JUnit, through Python's XML parser.
root = ET.parse(junit).getroot()
assert root.tag == "testsuites", root.tag
assert root.get("tests") == "2" and root.get("failures") == "1", root.attrib
cases = root.findall("./testsuite/testcase")
assert len(cases) == 2, cases
ok, bad = cases
assert ok.get("name") == "line 2: tree pss <= 4G", ok.get("name")
assert ok.find("failure") is None and ok.find("error") is None
assert bad.get("name") == "line 3: phase kv-cache: anon delta <= +32M"
f = bad.find("failure")
assert f is not None, ET.tostring(bad)
msg = f.get("message")
assert "(%d KiB)" % want in msg and 'phase %d "kv-cache"' % kv["index"] in msg, msg

# check --json: the same objects as the NDJSON lines.
c = json.load(open(cj))
assert (c["held"], c["broke"], c["unknown"]) == (1, 1, 0), c
r3 = [r for r in c["rules"] if r["line"] == 3][0]
assert r3["status"] == "fail" and r3["measured_kb"] == want, r3
assert r3["phase"]["label"] == "kv-cache", r3
EOF
echo "ok: one rule broke: exit 1, NDJSON line, check table and JUnit agree with the snapshot"

# Without --fail-on-budget the run's status is the command's; a failing
# command's status wins over a broken budget.
"$RAMTOP" -b -d 0.2 --budget "$T/B" -- "$WORKLOAD" "mark start" \
	"anon 64M" "mark kv-cache" "exit 0" >"$T/out2" 2>"$T/err2"
rc=$?
[ "$rc" -eq 0 ] || fail "without --fail-on-budget: exit $rc"
grep -q '^ramtop: budget broken: line 3 "phase kv-cache: anon delta <= +32M": anon rss delta +64M' \
	"$T/out2" || fail "text mode: no budget line: $(grep budget "$T/out2")"
"$RAMTOP" -b -d 0.2 --budget "$T/B" --fail-on-budget -- "$WORKLOAD" \
	"mark start" "anon 64M" "mark kv-cache" "exit 3" >/dev/null 2>&1
rc=$?
[ "$rc" -eq 3 ] || fail "the command's status 3 must win, got $rc"
echo "ok: exit status: the command's own failure wins; text mode prints the rule"

# check: 0 when every rule holds; an unknown phase is reported, never
# passed (exit 1); bad input is 2 with the line and column.
printf 'tree pss <= 4G\nphase start: process "workload" rss <= 1G\n' >"$T/ok"
"$RAMTOP" check "$T/ok" "$T/run.json" >"$T/t0" 2>&1 ||
	fail "all hold: exit $?: $(cat "$T/t0")"
grep -Eq '^2 +phase start: process "workload" rss <= 1G .* pass +phase 1 "start", pid [0-9]+ \(workload\)' "$T/t0" ||
	fail "process rule: $(cat "$T/t0")"
printf 'phase nope: rss <= 1G\n' >"$T/unk"
"$RAMTOP" check "$T/unk" "$T/run.json" --junit "$T/unk.xml" >"$T/t1" 2>&1
rc=$?
[ "$rc" -eq 1 ] || fail "unknown phase: exit $rc, not 1"
grep -q 'unknown  phase "nope" was never marked' "$T/t1" || fail "$(cat "$T/t1")"
$PY -c '
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
assert r.get("errors") == "1", r.attrib
e = r.find("./testsuite/testcase/error")
assert e is not None and "never marked" in e.get("message"), e
' "$T/unk.xml" || fail "unknown rule in JUnit"
printf 'tree pss <= 4G\n# fine\nphase kv-cache: anon delta <= 300\n' >"$T/bad"
"$RAMTOP" check "$T/bad" "$T/run.json" >"$T/t2" 2>&1
rc=$?
[ "$rc" -eq 2 ] || fail "parse error: exit $rc, not 2"
grep -q "^ramtop: $T/bad:3:34: a size needs a unit" "$T/t2" ||
	fail "parse error message: $(cat "$T/t2")"
"$RAMTOP" check "$T/ok" "$T/nonexistent.json" >"$T/t3" 2>&1
[ $? -eq 2 ] || fail "missing snapshot: not exit 2"
"$RAMTOP" -b -n 1 --budget "$T/bad" -p $$ >/dev/null 2>"$T/t4"
[ $? -eq 2 ] || fail "--budget with a parse error: not exit 2"
grep -q "$T/bad:3:34:" "$T/t4" || fail "--budget: $(cat "$T/t4")"
"$RAMTOP" --help | grep -q -- "--budget FILE" || fail "--help lacks --budget"
"$RAMTOP" --help | grep -q -- "--fail-on-budget" || fail "--help lacks --fail-on-budget"
for w in "--budget" "--fail-on-budget" "ramtop check" "BUDGETS"; do
	sed 's/\\//g' "$top_srcdir/man/ramtop.1" | grep -q -- "$w" ||
		fail "man page lacks $w"
done
"$RAMTOP" check --help | grep -q "Usage: ramtop check \[--json\] \[--junit FILE\] BUDGETS FILE" ||
	fail "check --help"
echo "ok: check exits 0 held / 1 broke or unknown / 2 bad input, errors with line:column"

# check over a file with a timeline: rules without a phase are checked
# at its samples too (tree figures), a sample counting in the phase
# marked before it.
$PY - "$T/run.json" "$T/tl.json" <<'EOF' || fail "making a timeline"
import json, sys
s = json.load(open(sys.argv[1]))
kv = [p for p in s["phases"] if p["label"] == "kv-cache"][0]
# As issue 15's timeline.c writes it: a mark's point is its phase.
s["timeline"] = {"samples": 2, "points": [
    {"elapsed_s": 0, "rss_kb": 1, "pss_kb": 1, "mark": 0},
    {"elapsed_s": kv["elapsed_s"] + 0.0001, "rss_kb": 5 * 1024 * 1024,
     "pss_kb": None, "rss_by_type": None},
]}
json.dump(s, open(sys.argv[2], "w"))
EOF
printf 'tree rss <= 4G\ntree pss <= 4G\n' >"$T/tl"
"$RAMTOP" check "$T/tl" "$T/tl.json" >"$T/t5" 2>&1
rc=$?
[ "$rc" -eq 1 ] || fail "timeline: exit $rc, not 1: $(cat "$T/t5")"
grep -Eq '^1 +tree rss <= 4G +5.0G +4.0G FAIL +sample in phase [0-9]+ "kv-cache", tree, ' \
	"$T/t5" || fail "timeline sample: $(cat "$T/t5")"
grep -Eq '^2 +tree pss <= 4G .* pass ' "$T/t5" || fail "timeline: $(cat "$T/t5")"
echo "ok: check evaluates the timeline's samples"

# A tree rule over every sample: broken by a sample between marks.
printf 'tree rss <= 40M\n' >"$T/tree"
"$RAMTOP" -b --json -d 0.2 --budget "$T/tree" -- "$WORKLOAD" "sleep 0.5" \
	"anon 64M" "sleep 1" "exit 0" >"$T/out5" 2>/dev/null
$PY -c '
import json, sys
b = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
b = [l for l in b if l["kind"] == "budget" and not l["final"]]
assert len(b) == 1 and b[0]["status"] == "fail", b
assert b[0]["phase"]["sample"] is True and b[0]["measured_kb"] > 40 * 1024, b
' "$T/out5" || fail "every-sample rule"
echo "ok: a tree rule breaks at a sample between marks"

# The screen: the status line names the broken rule at once.
if tm_setup optional; then
	$TM new-session -d -s bud -x 160 -y 30 \
		"env LC_ALL=C.UTF-8 TERM=xterm-256color RAMTOP_MARK_CMD='$RAMTOP mark' '$RAMTOP' -d 0.3 --budget '$T/B' -- '$WORKLOAD' 'mark start' 'anon 64M' 'mark kv-cache' 'sleep 60'; sleep 60" ||
		fail "cannot start tmux"
	for i in $(seq 1 150); do
		$TM capture-pane -p -t bud >"$T/screen"
		grep -q 'budget: 1 of 2 rules broken; line 3 "phase kv-cache: anon delta <= +32M": anon rss delta +64M' \
			"$T/screen" && break
		sleep 0.2
	done
	grep -q 'budget: 1 of 2 rules broken; line 3' "$T/screen" ||
		{ cat "$T/screen" >&2; fail "screen: no budget status line"; }
	# In the warning colour: black on yellow (THEME_WARN).
	$TM capture-pane -e -p -t bud | grep 'budget: 1 of 2 rules broken' |
		grep -q "$(printf '\033')\[43mbudget:" ||
		fail "screen: the budget line is not in the warning colour"
	tm_kill
	echo "ok: the screen's status line shows the broken rule"
fi

# Names in check --json are in the one JSON encoding (a backslash
# doubled once, as the file has it), not encoded a second time.
"$RAMTOP" -b -n 2 -d 0.1 -o "$T/enc.json" -p $$ >/dev/null 2>"$T/err" ||
	fail "enc: cannot make a snapshot: $(cat "$T/err")"
$PY - "$T/enc.json" "$T/enc2.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["phases"][0]["label"] = "a\\\\b"      # the label a\b, encoded
json.dump(d, open(sys.argv[2], "w"))
PYEOF
echo 'phase 0: tree rss <= 1K' >"$T/enc.budget"
"$RAMTOP" check --json "$T/enc.budget" "$T/enc2.json" >"$T/enc.out" 2>"$T/err"
[ $? -eq 1 ] || fail "enc: check did not report the broken rule: $(cat "$T/err")"
$PY - "$T/enc.out" <<'PYEOF' || fail "enc: the label was encoded twice"
import json, sys
d = json.load(open(sys.argv[1]))
labels = []
def walk(o):
    if isinstance(o, dict):
        if isinstance(o.get("phase"), dict):
            labels.append(o["phase"].get("label"))
        for v in o.values(): walk(v)
    elif isinstance(o, list):
        for v in o: walk(v)
walk(d)
assert labels and all(l == "a\\\\b" for l in labels), labels
PYEOF
echo "ok: check --json keeps the file's name encoding"
