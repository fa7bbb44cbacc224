#!/bin/sh
# Hostile names: mapped file names and command lines holding terminal
# escape sequences, invalid UTF-8, bidi overrides and ~4 KiB paths.  The
# text report and the screen show them sanitised and clipped by width;
# JSON carries them exactly (a snapshot file round-trips them).
. "${top_srcdir:-.}/tests/lib.sh"

d="$T/h"
mkdir -p "$d"
osc="$d/osc-$(printf '\033]0;pwned\007')x.dat"
clr="$d/clr-$(printf '\033[2J')y.dat"
bad="$d/bad-$(printf '\377\376')z.dat"
rlo="$d/rlo-$(printf '\342\200\256')gnp.exe"
long="$d"
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
	long="$long/$(printf '%0250d' "$i")"
done
mkdir -p "$long"
long="$long/long.dat"

"$WORKLOAD" "$(printf 'arg-\033[2J-\033]0;t\007')" "file $osc 1M 100" "file $clr 1M 100" "file $bad 1M 100" \
	"file $rlo 1M 100" "file $long 1M 100" "weird $d" "stop" \
	>"$T/wl.out" 2>&1 &
WL=$!
WL_PIDS="$WL_PIDS $WL"
wl_stopped "$WL"
grep -c '^ok file' "$T/wl.out" | grep -qx 5 || fail "workload: $(cat "$T/wl.out")"

"$RAMTOP" -b -n 1 --regions -p "$WL" >"$T/text" 2>&1 || fail "text: exit $?"
"$RAMTOP" -b -n 1 --json --regions -p "$WL" -o "$T/snap.json" >"$T/json" 2>"$T/err" ||
	fail "json: exit $?: $(cat "$T/err")"

$PY - "$T/text" "$T/json" "$T/snap.json" "$d" "$WL" <<'PYEOF' || fail "hostile names"
import json, os, sys
text, js, snap, d, pid = sys.argv[1:]
raw = open(text, "rb").read()
# Nothing that moves the cursor, sets a title or reorders text.
for b in raw:
    assert b >= 0x20 or b == 0x0a, f"control byte {b:#x} in the text report"
    assert b != 0x7f, "DEL in the text report"
s = raw.decode("utf-8")            # raises on invalid UTF-8
for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f":
    assert ch not in s, f"bidi control U+{ord(ch):04X} in the text report"
assert "osc-?]0;pwned?x.dat" in s, "OSC name not shown sanitised"
assert "clr-?[2Jy.dat" in s, "clear-screen name not shown sanitised"
assert "bad-??z.dat" in s, "invalid UTF-8 not shown as ?"
assert "rlo-?gnp.exe" in s, "bidi override not shown as ?"
assert "arg-?[2J-?]0;t?" in s, "command line not sanitised"
for line in s.splitlines():
    assert len(line) < 400, f"unclipped line of {len(line)} characters"
# JSON: exact names; invalid UTF-8 bytes as the text \xNN.
def names(o):
    return {r["name"] for p in o["processes"] if p["pid"] == int(pid)
            for r in p["regions"]}
sample = json.loads(open(js).readline())
got = names(sample)
want = set()
for root, dirs, files in os.walk(d.encode()):
    for f in files:
        want.add(os.path.join(root, f))
def encode(b):
    # docs/snapshot-format.md: a backslash is doubled, a byte that is
    # not valid UTF-8 is \xNN, the rest is kept.
    out, i = "", 0
    while i < len(b):
        for k in (4, 3, 2, 1):
            try:
                ch = b[i:i + k].decode("utf-8")
            except UnicodeDecodeError:
                continue
            if len(ch) == 1:
                out += "\\\\" if ch == "\\" else ch
                i += k
                break
        else:
            out += f"\\x{b[i]:02x}"
            i += 1
    return out
for w in want:
    # the kernel's escape in smaps for a newline, then the JSON rule
    name = encode(w.replace(b"\n", b"\\012"))
    assert name in got, f"{name!r} not in JSON names"
# The snapshot file keeps them exactly.
ph = json.load(open(snap))["phases"][0]
assert names(ph) == got, "snapshot names differ from the sample's"
print("hostile names ok:", len(want), "files")
PYEOF
"$RAMTOP" show "$T/snap.json" >"$T/show" 2>&1 || fail "show: exit $?"

# The screen: the same names in the region panel and the tree, in tmux.
# Nothing reaches the terminal but colours: no title set, no screen
# cleared, no bidi reordering; lines clipped to the width.
tm_setup optional || exit 0
# 200 columns: the command line (with the build directory's path) must
# fit whole, however deep the tree is checked out.
$TM new-session -d -s rt -x 200 -y 50 \
	"env LC_ALL=C.UTF-8 '$RAMTOP' -d 0.3 -p $WL" || fail "cannot start tmux"
for i in $(seq 1 100); do
	$TM capture-pane -p -t rt >"$T/screen" 2>/dev/null
	grep -q "long.dat" "$T/screen" && grep -q "rlo-" "$T/screen" && break
	sleep 0.1
done
sleep 0.5
$TM capture-pane -p -t rt >"$T/screen"
$TM capture-pane -p -e -t rt >"$T/screen.e"
$TM display -p -t rt '#{pane_title}' >"$T/title"
$PY - "$T/screen" "$T/screen.e" "$T/title" <<'PYEOF' || { cat "$T/screen" >&2; fail "hostile names on the screen"; }
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
e = open(sys.argv[2], "rb").read().decode("utf-8")
title = open(sys.argv[3]).read()
assert "pwned" not in title and title.strip() != "t", f"title set: {title!r}"
# The only escape sequences tmux passes on are colours and attributes.
other = re.sub(r"\x1b\[[0-9;:]*m", "", e)
assert "\x1b" not in other and "\x07" not in other, \
    repr(other[other.find("\x1b") - 20:other.find("\x1b") + 20])
for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
    assert ch not in s, f"bidi control U+{ord(ch):04X} on the screen"
for want in ("osc-?]0;pwned?x.dat", "clr-?[2Jy.dat", "bad-??z.dat",
             "rlo-?gnp.exe", "arg-?[2J-?]0;t?"):
    assert want in s, f"{want!r} not on the screen"
# The 4 KiB path keeps its end, clipped at the start.
assert re.search(r" …0+15/long\.dat$", s, re.M), "long name not clipped"
for line in s.splitlines():
    assert len(line) <= 200, f"a line of {len(line)} characters"
assert s.splitlines()[0].startswith("ramtop "), "screen cleared or scrolled"
print("screen: hostile names sanitised and clipped")
PYEOF
$TM send-keys -t rt q
echo "ok: hostile"
