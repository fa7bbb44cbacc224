#!/bin/sh
# tests/foreign.sh - strings from a file reach stdout and stderr only
# through the sanitiser: every string field of the snapshot format, made
# hostile (ESC sequences, OSC 52, C1, bidi controls, 3000 bytes), through
# show, diff and their --json.  See tests/foreign.py.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

"$RAMTOP" -b -n 1 -o "$T/snap.json" -p $$ >/dev/null 2>"$T/err" ||
	fail "cannot make a snapshot: $(cat "$T/err")"
LC_ALL=C.UTF-8 $PY "$top_srcdir/tests/foreign.py" "$T/snap.json" "$RAMTOP" "$T" ||
	fail "a foreign string reached the terminal unsanitised"

# A file name that is not UTF-8: show --json and diff --json give it in
# the one encoding (docs/snapshot-format.md), not "out of memory" or a
# missing key.
bad=$(printf '%s/n\377m.json' "$T")
cp "$T/snap.json" "$bad"
"$RAMTOP" show --json "$bad" >"$T/sj" 2>"$T/se" || fail "show --json on a non-UTF-8 name: $(cat "$T/se")"
$PY -c 'import json,sys; f=json.load(open(sys.argv[1]))["file"]; assert f.endswith("/n\\xffm.json"), f' "$T/sj" ||
	fail "show --json: file name not encoded as \\xff"
"$RAMTOP" diff --json "$bad" "$bad" >"$T/dj" 2>"$T/de" || fail "diff --json: $(cat "$T/de")"
$PY -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["a"]["file"].endswith("/n\\xffm.json") and d["b"]["file"] == d["a"]["file"], d["a"]' "$T/dj" ||
	fail "diff --json dropped or mis-encoded the file names"
echo "ok: non-UTF-8 file names in show/diff --json"
