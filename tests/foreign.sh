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
