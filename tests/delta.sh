#!/bin/sh
# One meaning of the change (issue 12): the list's ΔRSS and the region
# panel's total change count from the same moment, or the panel's title
# says from when its change counts.  Here the region panel starts hidden
# (ramtoprc regions=off), so the workload's regions are first read when
# = shows them, after it allocated: the title names that moment, and
# the list's change minus the panel's is what was allocated before it.
# Then b zeroes both, and an unmapped file shows as a (gone) row with
# its negative change.
. "${top_srcdir:-.}/tests/lib.sh"

tm_setup

cat >"$T/check.py" <<'PYEOF'
import re, sys, time

UNITS = "KMGTP"

def kib(s):
    s = s.lstrip("+")
    if s[-1] in UNITS:
        return float(s[:-1]) * 1024 ** UNITS.index(s[-1])
    return float(s)

def tree_delta(L, pid):
    for l in L:
        t = l.split()
        if len(t) > 3 and t[0] == pid and re.match(r"[+-]?[\d.]+[KMGTP]?$", t[2]):
            return kib(t[2])
    raise AssertionError("no row for %s" % pid)

def title(L, pid):
    t = [l for l in L if l.startswith("Regions %s " % pid)]
    assert t, "no region panel of %s" % pid
    return t[0]

def panel_delta(L, pid):
    m = re.search(r"(?:since baseline|first region read): ([+-]?\S+)  ",
                  title(L, pid))
    assert m, "no total change in %r" % title(L, pid)
    return kib(m.group(1))

def near(a, b, what):
    assert abs(a - b) <= max(0.06 * abs(b), 600), "%s: %s, want %s" % (
        what, a, b)

def check_hidden(L, pid, d):
    assert not [l for l in L if l.startswith("Regions ")], "panel shown"
    near(tree_delta(L, pid), float(d), "list change")

def check_ref(L, pid, at, tree, panel):
    t = title(L, pid)
    m = re.search(r"since (\d\d):(\d\d):(\d\d), first region read", t)
    assert m, "no reference time in %r" % t
    lt = time.localtime(float(at))
    want = lt.tm_hour * 3600 + lt.tm_min * 60 + lt.tm_sec
    got = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3))
    assert abs(got - want) <= 3, "reference %s, want about %s" % (
        m.group(0), time.strftime("%H:%M:%S", lt))
    near(tree_delta(L, pid), float(tree), "list change")
    near(panel_delta(L, pid), float(panel), "panel change")

def check_shown(L, pid):
    panel_delta(L, pid)

def check_zero(L, pid):
    t = title(L, pid)
    assert "since baseline" in t, t
    assert tree_delta(L, pid) == 0, tree_delta(L, pid)
    assert panel_delta(L, pid) == 0, panel_delta(L, pid)

def check_gone(L, pid, name, kb):
    rows = [l for l in L if "(gone) " in l and l.rstrip().endswith(name)]
    assert rows, "no (gone) row for %s" % name
    t = rows[0].split()
    d = [x for x in t if x.startswith("-")]
    assert d, rows[0]
    near(kib(d[0]), -float(kb), "gone change")
    near(panel_delta(L, pid), -float(kb), "panel change")
    near(tree_delta(L, pid), -float(kb), "list change")

def check_marked(L):
    assert [l for l in L if "phases 2" in l], "no mark yet"

def check_since_mark(L, pid, kb):
    h = [l for l in L if l.startswith("Tree ")][0]
    assert "since the last mark" in h, h
    near(tree_delta(L, pid), float(kb), "list change")
    m = re.search(r'since last mark \d+ "[^"]*": ([+-]?\S+)  ',
                  title(L, pid))
    assert m, title(L, pid)
    near(kib(m.group(1)), float(kb), "panel change")

check, screen = sys.argv[1], sys.argv[2]
L = open(screen, encoding="utf-8", errors="replace").read().splitlines()
globals()["check_" + check](L, *sys.argv[3:])
PYEOF

mkdir -p "$XDG_CONFIG_HOME/ramtop"
echo "regions=off" >"$XDG_CONFIG_HOME/ramtop/ramtoprc"

wl_start wl
$TM new-session -d -s rt -x 120 -y 40 \
	"env LC_ALL=C.UTF-8 '$RAMTOP' -d 0.3 -p $WL; sleep 600" ||
	fail "cannot start tmux"
tm_poll rt hidden "$WL" 0
wl_cmd wl "anon 16M" >/dev/null
tm_poll rt hidden "$WL" 16384
at=$(date +%s)
$TM send-keys -t rt =
tm_poll rt shown "$WL"
wl_cmd wl "anon 8M" >/dev/null
tm_poll rt ref "$WL" "$at" 24576 8192
echo "ok: the panel counts from its first region read (shown); list - panel = the 16M allocated before"

line=$(wl_cmd wl "file $T/f.bin 8M 100")
idx=$(kv "$line" idx)
[ -n "$idx" ] || fail "file: $line"
$TM send-keys -t rt b
tm_poll rt zero "$WL"
echo "ok: b zeroes both"

wl_cmd wl "unmap $idx" >/dev/null
tm_poll rt gone "$WL" f.bin 8192
echo "ok: the unmapped file is a (gone) row with -8M, as is the total"

# c: both count from the last mark.
$TM send-keys -t rt m Enter
tm_poll rt marked
wl_cmd wl "anon 4M" >/dev/null
$TM send-keys -t rt c
tm_poll rt since_mark "$WL" 4096
echo "ok: c: the list's and the panel's change count from the last mark (+4M both)"
