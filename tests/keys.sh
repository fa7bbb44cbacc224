#!/bin/sh
# One key table: the KEYS section of the man page is what the table
# prints (ramtop --keys-man), and the help screen of the running program
# (driven in tmux) lists the same keys with the same text, in order.
. "${top_srcdir:-.}/tests/lib.sh"

tm_setup

man=$top_srcdir/man/ramtop.1
sed -n '/^\.\\" KEYS-BEGIN/,/^\.\\" KEYS-END/p' "$man" | sed '1d;$d' \
	>"$T/man.keys"
[ -s "$T/man.keys" ] || fail "no KEYS-BEGIN/KEYS-END section in $man"
"$RAMTOP" --keys-man >"$T/table.keys" || fail "ramtop --keys-man"
diff -u "$T/table.keys" "$T/man.keys" >&2 ||
	fail "the man page's KEYS section is not the key table: paste the output of 'ramtop --keys-man' between its markers"

# The help screen of the real program.
sleep 600 &
target=$!
WL_PIDS="$WL_PIDS $target"
$TM new-session -d -s rt -x 120 -y 70 \
	"env LC_ALL=C.UTF-8 '$RAMTOP' -p $target; sleep 600" ||
	fail "cannot start tmux"
for i in $(seq 1 100); do
	$TM capture-pane -p -t rt >"$T/screen"
	grep -q "^ *PID" "$T/screen" && break
	sleep 0.1
done
last=$(sed -n 's/^\.B //p' "$T/man.keys" | tail -1 | sed 's/\\-/-/g')
$TM send-keys -t rt '?'
for i in $(seq 1 100); do
	$TM capture-pane -p -t rt >"$T/screen"
	# the whole list drawn: its last key is there too
	grep -q "^ramtop keys" "$T/screen" &&
		grep -qF "  $last  " "$T/screen" && break
	sleep 0.1
done

$PY - "$T/man.keys" "$T/screen" <<'PYEOF' || fail "help screen and man page differ"
import re, sys
man = open(sys.argv[1]).read().splitlines()
def unroff(s):
    if s.startswith("\\&"):
        s = s[2:]
    return s.replace("\\-", "-").replace("\\e", "\\")
keys, i = [], 0
while i < len(man):
    assert man[i] == ".TP", "line %d: %r" % (i, man[i])
    assert man[i + 1].startswith(".B "), man[i + 1]
    keys.append((unroff(man[i + 1][3:]), unroff(man[i + 2])))
    i += 3
screen = open(sys.argv[2], encoding="utf-8").read().splitlines()
start = [n for n, l in enumerate(screen) if l.startswith("ramtop keys")]
assert start, "no help screen:\n" + "\n".join(screen)
shown = []
for l in screen[start[0] + 1:]:
    m = re.match(r"  (\S.*?)  +(\S.*)$", l)
    if not m:
        break
    shown.append((m.group(1), m.group(2)))
assert len(keys) >= 20, keys
if shown != keys:
    for a, b in zip(keys + [None] * len(shown), shown + [None] * len(keys)):
        if a != b:
            print("man: %r\nhelp: %r" % (a, b))
    sys.exit(1)
print("%d keys agree" % len(keys))
PYEOF
echo "ok: keys"
