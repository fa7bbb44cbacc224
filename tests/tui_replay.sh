#!/bin/sh
# --replay FILE (issue 15): a batch recording, and the snapshot file of
# the same run, opened in the interactive screen; `}` steps to the next
# mark and the screen shows that mark's figures (the file's, as `ramtop
# show` prints them) and its regions in the region panel, `{` goes
# back, `)` steps one sample; m, s and b
# refuse (a replay is read-only); a bad file is refused with one line.
. "${top_srcdir:-.}/tests/lib.sh"

tm_setup

use_runtime_dir mark

"$RAMTOP" -b --json --regions -d 0.2 -o "$T/snap.json" -- "$WORKLOAD" \
	"sleep 0.3" "mark start" "anon 48M" "sleep 0.4" "mark kv-cache" \
	"shm_open 16M" "sleep 0.4" "mark shm" "exit 0" \
	>"$T/rec.ndjson" 2>"$T/err" || fail "run: $(cat "$T/err")"
# What the file says of phase 2: Σ RSS as ramtop prints it.
"$RAMTOP" show "$T/snap.json" >"$T/show" || fail "show"
want=$(awk '$2 == "kv-cache" { print $5 }' "$T/show")
[ -n "$want" ] || fail "no kv-cache in: $(cat "$T/show")"
wlpid=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["target"]["pids"][0])' "$T/snap.json")

cat >"$T/check.py" <<'PY'
import re, sys
check, screen = sys.argv[1], open(sys.argv[2], encoding="utf-8").read().splitlines()
args = sys.argv[3:]
if check == "at":               # ARGS: header-regex rss pid
    assert re.search(args[0], screen[0]), screen[0]
    tree = [l for l in screen if l.startswith("Tree")][0]
    assert re.search(r"RSS %s " % re.escape(args[1]), tree), tree
    row = [l for l in screen if re.match(r"\s*%s\s" % args[2], l)][0].split()
    assert row[1] == args[1], row
elif check == "region":         # ARGS: type rss: a row of the region panel
    rows = [l.split() for l in screen if l.startswith(args[0] + " ")]
    assert any(len(r) > 3 and r[2] == args[1] for r in rows), (args, rows)
elif check == "region_not":     # ARGS: type rss: no such row (another phase)
    rows = [l.split() for l in screen if l.startswith(args[0] + " ")]
    assert rows and all(r[2] != args[1] for r in rows), (args, rows)
elif check == "head":           # ARGS: header-regex
    assert re.search(args[0], screen[0]), screen[0]
elif check == "msg":            # ARGS: status-line regex
    assert re.search(args[0], screen[-1]), screen[-1]
PY

n=0
for f in rec.ndjson snap.json; do
	n=$((n + 1))
	s=r$n
	$TM new-session -d -s "$s" -x 130 -y 40 \
		"env LC_ALL=C.UTF-8 '$RAMTOP' --replay '$T/$f'; sleep 600" ||
		fail "cannot start tmux"
	tm_poll "$s" head "^ramtop replay .*$f +point 1/"
	# The first } is mark 0 (after the first sample), then 1, then 2.
	$TM send-keys -t "$s" '}' '}' '}'
	tm_poll "$s" at "mark 2 kv-cache" "$want" "$wlpid"
	echo "ok: $f: } steps to mark 2 and shows its figures ($want)"
	# Its regions as recorded: the 48 MiB anon in the region panel.
	tm_poll "$s" region anon 48M
	echo "ok: $f: the region panel shows mark 2's regions"
	$TM send-keys -t "$s" '{'
	tm_poll "$s" region_not anon 48M	# mark 1: before the allocation
	$TM send-keys -t "$s" '}'
	tm_poll "$s" region anon 48M
	$TM send-keys -t "$s" '{'
	tm_poll "$s" head "mark 1 start"
	$TM send-keys -t "$s" '}' ')'
	tm_poll "$s" head "point [0-9]+/[0-9]+ +\+[0-9.]+s *$"
	echo "ok: $f: { goes back a mark, ) steps one sample"
	$TM send-keys -t "$s" m
	tm_poll "$s" msg "read-only"
	echo "ok: $f: m refuses"
	$TM send-keys -t "$s" q	# the server stays up for the next
done

echo "not a recording" >"$T/bad"
$TM new-session -d -s bad -x 100 -y 20 \
	"'$RAMTOP' --replay '$T/bad' 2>'$T/err'; echo \$? >'$T/rc'; sleep 600" ||
	fail "cannot start tmux"
for i in $(seq 1 100); do
	[ -s "$T/rc" ] && break
	sleep 0.1
done
[ "$(cat "$T/rc")" = 1 ] && [ "$(wc -l <"$T/err")" -eq 1 ] &&
	grep -q "ramtop: --replay: .*bad is not valid JSON" "$T/err" ||
	fail "bad file: $(cat "$T/rc") $(cat "$T/err")"
"$RAMTOP" -b --replay "$T/rec.ndjson" 2>"$T/err" >/dev/null
[ $? -eq 1 ] && grep -q "\-b, -o and -p do not apply" "$T/err" ||
	fail "-b with a file: $(cat "$T/err")"
echo "ok: tui_replay"
