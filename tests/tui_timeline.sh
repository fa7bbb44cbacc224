#!/bin/sh
# The timeline strip and the PEAK column (issue 15), driven in tmux: the
# T key shows the tree's Σ RSS / Σ PSS over the recent samples with a
# tick and a label for each phase mark; the strip rises when the workload
# allocates, split by region type (a letter each) where the figures per
# type are known; after Enter it follows the focused process; under LC_ALL=C
# it is plain ASCII; the tree's PEAK column keeps VmHWM after the
# workload gives its memory back.
. "${top_srcdir:-.}/tests/lib.sh"

tm_setup

use_runtime_dir

wl_start wl

cat >"$T/check.py" <<'PY'
import re, sys
check, screen = sys.argv[1], open(sys.argv[2], encoding="utf-8").read().splitlines()
args = sys.argv[3:]

def strip():
    """(title, chart rows, tick row, label row) of the strip (7 lines)."""
    i = [k for k, l in enumerate(screen) if l.startswith("Timeline")]
    assert i, "no strip"
    i = i[0]
    return screen[i], screen[i + 1:i + 5], screen[i + 5], screen[i + 6]

def heights(rows):
    """Filled cells per column from x=8 (the scale is in 0..6)."""
    w = max(len(r) for r in rows)
    return [sum(1 for r in rows if len(r) > x and r[x] not in " \u250a|")
            for x in range(8, w)]

def kib(s):
    m = re.match(r"([0-9.]+)([KMGT]?)$", s)
    assert m, s
    return float(m.group(1)) * {"": 1, "K": 1, "M": 1024, "G": 1 << 20, "T": 1 << 30}[m.group(2)]

if check == "ready":
    assert any(re.match(r"\s*PID\S*\s+RSS", l) for l in screen)
elif check == "strip":          # ARGS: title-prefix
    title, rows, ticks, labels = strip()
    assert title.startswith(args[0]), title
elif check == "marks":          # ARGS: tick label...: a tick and a label each
    title, rows, ticks, labels = strip()
    tick = args[0]
    labs = ["%d %s" % (n, lab) for n, lab in enumerate(args[1:], 1)]
    for lab in labs:
        assert lab in labels, (lab, labels)
    # One tick per mark shown (mark 0 too), each at or left of its label.
    where = [k for k, ch in enumerate(ticks) if ch == tick]
    starts = [m.start() for m in re.finditer(r"\d+ ", labels)]
    assert len(where) == len(starts) >= len(labs) and \
        all(w <= s for w, s in zip(where, starts)), (ticks, labels)
elif check == "rises":          # ARGS: min-top-KiB
    title, rows, ticks, labels = strip()
    n = int(re.search(r"(\d+) samples", title).group(1))
    h = heights(rows) + [0] * n
    # Low at the start (below one row), full at the end.
    first, last = h[0], h[n - 1]
    assert last == len(rows) and first <= 1, (first, last, rows)
    top = rows[0][:7].strip()
    assert kib(top) >= float(args[0]), top
    # The ticks of "before" and "after": low before, full after.
    where = [k - 8 for k, ch in enumerate(ticks) if ch not in " "]
    assert len(where) >= 2, ticks
    t1, t2 = where[-2], where[-1]
    assert h[t1] < h[t2] == len(rows), (h[t1], h[t2], rows)
elif check == "ascii":
    text = "\n".join(screen)
    assert all(ord(ch) < 128 for ch in text), [ch for ch in text if ord(ch) >= 128][:5]
    title, rows, ticks, labels = strip()
    # PSS blocks, or letters where the figures per type are known.
    assert re.search(r"[#hasmflgx]", "".join(r[8:] for r in rows)) and \
        "^" in ticks and "1 m1" in labels, (rows, ticks, labels)
elif check == "split":          # the strip split by type: anon after the allocation
    title, rows, ticks, labels = strip()
    assert "a anon" in title, title
    n = int(re.search(r"(\d+) samples", title).group(1))
    assert all(len(r) > 8 + n - 1 and r[8 + n - 1] == "a" for r in rows), rows
elif check == "peak":           # ARGS: pid max-rss-KiB min-peak-KiB
    head = [l for l in screen if re.match(r"\s*PID\S*\s+RSS", l)][0]
    cols = [re.sub(r"[^A-Z]+$", "", c) for c in head.split()]  # sort marks
    row = [l for l in screen if re.match(r"\s*%s\s" % args[0], l)][0].split()
    rss, peak = row[cols.index("RSS")], row[cols.index("PEAK")]
    assert kib(rss) <= float(args[1]), (rss, head, row)
    assert kib(peak) >= float(args[2]), (peak, head, row)
else:
    sys.exit("unknown check " + check)
PY

$TM new-session -d -s rt -x 120 -y 40 \
	"env LC_ALL=C.UTF-8 sh -c 'echo \$\$ >\"$T/pid\"; exec \"$RAMTOP\" -d 0.3 -p $WL'; sleep 600" ||
	fail "cannot start tmux"
tm_poll rt ready
rpid=$(cat "$T/pid")
$TM send-keys -t rt T
tm_poll rt strip "Timeline tree"
sleep 1.2	# a few low samples first

"$RAMTOP" mark --to "$rpid" before >/dev/null || fail "mark before"
sleep 0.7
wl_cmd wl "anon 96M" >/dev/null
sleep 1.2
"$RAMTOP" mark --to "$rpid" after >/dev/null || fail "mark after"
tm_poll rt marks "$(printf '\342\224\264')" before after
echo "ok: a tick and a label per mark"
tm_poll rt rises $((90 * 1024))
echo "ok: the strip rises when the workload allocates"
tm_poll rt split
echo "ok: split by region type where the figures are known (anon)"

# The PEAK column: VmHWM stays after the memory is given back.
wl_cmd wl "unmap 0" >/dev/null
tm_poll rt peak "$WL" $((20 * 1024)) $((96 * 1024))
echo "ok: PEAK shows VmHWM after the workload frees"

# Enter: the strip follows the focused process.
$TM send-keys -t rt Enter
tm_poll rt strip "Timeline pid $WL"
echo "ok: per process after Enter"

# LC_ALL=C: ASCII only.
$TM new-session -d -s rc -x 120 -y 40 \
	"env LC_ALL=C sh -c 'echo \$\$ >\"$T/pid2\"; exec \"$RAMTOP\" -d 0.3 -p $WL'; sleep 600" ||
	fail "cannot start tmux"
tm_poll rc ready
$TM send-keys -t rc T
tm_poll rc strip "Timeline tree"
"$RAMTOP" mark --to "$(cat "$T/pid2")" m1 >/dev/null || fail "mark m1"
tm_poll rc ascii
echo "ok: ASCII under LC_ALL=C"
echo "ok: tui_timeline"
