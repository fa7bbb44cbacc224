#!/bin/sh
# Marks from Python (issue 18 acceptance): a script using
# contrib/python/ramtop_phase.py under `ramtop -- python3 script.py`
# gives the expected phases in the file, with the block's memory in its
# phase; the same script without ramtop runs and prints one warning.
# And the documented pytest recipe (the conftest.py in docs/budgets.md,
# run as written there) gives one phase per test.
. "${top_srcdir:-.}/tests/lib.sh"

use_runtime_dir
PYTHONPATH=$top_srcdir/contrib/python
export PYTHONPATH
unset RAMTOP_SOCKET

cat >"$T/script.py" <<'EOF'
from ramtop_phase import mark, phase
mark("imports")
with phase("alloc"):
    b = bytearray(48 * 1024 * 1024)
    for i in range(0, len(b), 4096):
        b[i] = 1
mark("done")
mark("done")       # a second call warns no more without ramtop
print("script finished")
EOF

# Without ramtop: runs to the end, one warning.
$PY "$T/script.py" >"$T/out0" 2>"$T/err0" || fail "without ramtop: exit $?"
grep -q "script finished" "$T/out0" || fail "without ramtop: did not finish"
[ "$(grep -c 'RamtopWarning' "$T/err0")" -eq 1 ] ||
	fail "without ramtop: not one warning: $(cat "$T/err0")"
grep -q "script.py:2: RamtopWarning: ramtop_phase: not running under ramtop" \
	"$T/err0" || fail "the warning names the caller's line: $(cat "$T/err0")"
echo "ok: without ramtop: runs, one warning"

# Under ramtop: the phases, in order, and the block's 48M in "alloc".
"$RAMTOP" -b -d 0.5 -o "$T/py.json" -- $PY "$T/script.py" >"$T/out1" \
	2>"$T/err1" || fail "under ramtop: exit $?: $(cat "$T/err1")"
grep -q "RamtopWarning" "$T/err1" && fail "under ramtop: a warning: $(cat "$T/err1")"
$PY - "$T/py.json" <<'EOF' || fail "python phases"
import json, sys
s = json.load(open(sys.argv[1]))
labels = [p["label"] for p in s["phases"]]
assert labels == ["baseline", "imports", "alloc start", "alloc", "done",
                  "done"], labels
ph = s["phases"]
grew = ph[3]["totals"]["rss_kb"] - ph[2]["totals"]["rss_kb"]
assert 46 * 1024 <= grew <= 56 * 1024, grew   # the 48M bytearray
EOF
echo "ok: ramtop -- python3 script.py: baseline, imports, alloc start, alloc, done"

# The pytest recipe, exactly as docs/budgets.md gives it.
PYT=""
for p in $PY /usr/bin/python3; do
	if "$p" -c 'import pytest' 2>/dev/null; then
		PYT=$p
		break
	fi
done
if [ -z "$PYT" ]; then
	echo "SKIP: pytest is not installed (Debian python3-pytest)"
	exit 77
fi
mkdir "$T/suite"
awk '/^<!-- recipe: conftest.py/ { on = 1; next }
     on && /^```python/ { inblk = 1; next }
     inblk && /^```/ { exit }
     inblk { print }' "$top_srcdir/docs/budgets.md" >"$T/suite/conftest.py"
grep -q "def ramtop_phase_per_test" "$T/suite/conftest.py" ||
	fail "no recipe in docs/budgets.md"
cat >"$T/suite/test_three.py" <<'EOF'
def test_small():
    assert sum(range(10)) == 45

def test_alloc():
    b = bytearray(16 * 1024 * 1024)
    b[::4096] = b"\1" * len(b[::4096])
    assert len(b) == 16 * 1024 * 1024

def test_third():
    pass
EOF
(cd "$T/suite" && "$RAMTOP" -b -d 1 -o "$T/pt.json" -- "$PYT" -m pytest -q \
	-p no:cacheprovider test_three.py) >"$T/out2" 2>"$T/err2" ||
	fail "pytest under ramtop: exit $?: $(tail -5 "$T/out2") $(cat "$T/err2")"
# (the command's output is on ramtop's stdout or, since batch mode
# keeps stdout for its report, its stderr)
cat "$T/out2" "$T/err2" | grep -q "3 passed" ||
	fail "pytest: $(tail -3 "$T/out2") $(tail -3 "$T/err2")"
$PY - "$T/pt.json" <<'EOF' || fail "pytest phases"
import json, sys
s = json.load(open(sys.argv[1]))
labels = [p["label"] for p in s["phases"]]
tests = ["test_three.py::test_small", "test_three.py::test_alloc",
         "test_three.py::test_third"]
for t in tests:
    assert labels.count(t) == 1, (t, labels)            # one phase per test
    assert labels.count(t + " start") == 1, (t, labels)
named = [l for l in labels if l in tests]
assert named == tests, named                             # in run order
EOF
echo "ok: the pytest recipe: one phase per test"
