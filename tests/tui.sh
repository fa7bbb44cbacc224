#!/bin/sh
# The interactive screen, driven in tmux like a user would (new-session
# -d -x 120 -y 40, send-keys, capture-pane -p), over the workload: the
# tree, RSS and its change against /proc, the region panel (a data file
# mapped lazily, sorts, per-mapping rows, a name with ESC and newline),
# help, resize to 40x10 and back, Ctrl-Z, the end of the target, quit,
# launch mode and NO_COLOR.
. "${top_srcdir:-.}/tests/lib.sh"

tm_setup
RAMTOP_FMT=$top_builddir/tests/fmt
export RAMTOP_FMT

cat >"$T/check.py" <<'PYEOF'
# check.py CHECK SCREEN [ARGS...]: exit 0 if the captured screen passes.
import os, re, subprocess, sys

TYPES = ["heap", "anon", "stack", "shm", "file", "lib", "device", "special"]
UNITS = "KMGTP"

# Figures as ramtop prints them: src/fmt.c itself, through tests/fmt.
FMT = os.environ["RAMTOP_FMT"]

def fmt(kind, kb):
    return subprocess.run([FMT, kind, str(kb)], check=True,
                          stdout=subprocess.PIPE,
                          universal_newlines=True).stdout.strip()

def fmt_kb(kb):
    return fmt("kb", kb)

def fmt_delta(kb):
    return fmt("delta", kb)

def kib(s):
    if s == "-":
        return None
    if s[-1] in UNITS:
        return float(s[:-1]) * 1024 ** UNITS.index(s[-1])
    return float(s)

def tree_rows(L):
    h = [i for i, l in enumerate(L) if re.match(r"\s*PID\S*\s+RSS", l)]
    assert h, "no tree title line"
    ci = L[h[0]].find("COMMAND")
    rows = []
    for l in L[h[0] + 1:]:
        if not re.match(r"\s*\d+\s", l):
            break
        t = l.split()
        cmd = l[ci:] if ci >= 0 else ""
        body = cmd.lstrip(" \u2514\u2500`-")
        rows.append(dict(pid=int(t[0]), rss=t[1], drss=t[2], line=l,
                         indent=len(cmd) - len(body), cmd=body))
    return rows

def row_of(L, pid):
    r = [r for r in tree_rows(L) if r["pid"] == pid]
    assert r, "no tree row for %d" % pid
    return r[0]

def region_title(L):
    t = [i for i, l in enumerate(L) if re.match(r"TYPE\s+FL\s+SIZE\s+RSS", l)]
    assert t, "no region table"
    return L[t[0] - 1], t[0]

def region_rows(L):
    title, t = region_title(L)
    ni = L[t].index("NAME")
    rows = []
    for l in L[t + 1:]:
        w = l.split()
        if not w or w[0] not in TYPES:
            break
        nums = l[:ni].split()[1:]
        flags = nums.pop(0) if len(nums) == 10 else ""
        assert len(nums) == 9, "bad region row: %r" % l
        name = l[ni:]
        rows.append(dict(type=w[0], flags=flags, size=nums[0], rss=nums[1],
                         drss=nums[2], count=nums[8], name=name,
                         total=re.match(r"\w+ total \(\d+ mappings?\)$",
                                        name) is not None))
    return rows

def check_tree(L, root, c1, gc, c2, rss):
    rows = tree_rows(L)
    pids = [r["pid"] for r in rows]
    want = [int(x) for x in (root, c1, gc, c2)]
    assert pids == want, "tree order %s, want %s" % (pids, want)
    ind = [r["indent"] for r in rows]
    assert ind[0] < ind[1] < ind[2] and ind[1] == ind[3], "indents %s" % ind
    r = rows[0]
    assert r["rss"] == fmt_kb(int(rss)), "RSS %s, /proc says %s" % (
        r["rss"], fmt_kb(int(rss)))
    assert r["drss"] == "0", "delta %s, want 0" % r["drss"]

def check_figs(L, pid, rss, delta):
    r = row_of(L, int(pid))
    assert r["rss"] == fmt_kb(int(rss)), "RSS %s, want %s" % (
        r["rss"], fmt_kb(int(rss)))
    assert r["drss"] == fmt_delta(int(delta)), "delta %s, want %s" % (
        r["drss"], fmt_delta(int(delta)))

def check_file(L, suffix):
    rows = [r for r in region_rows(L) if r["name"].endswith(suffix)]
    assert rows, "no region named ...%s" % suffix
    r = rows[0]
    assert r["type"] == "file", "type %s" % r["type"]
    assert r["size"] == "256M", "size %s" % r["size"]
    assert kib(r["size"]) >= 3 * kib(r["rss"]), "size %s rss %s" % (
        r["size"], r["rss"])
    assert kib(r["rss"]) >= 32 * 1024, "rss %s" % r["rss"]

def check_weird(L):
    text = "\n".join(L)
    assert "\x1b" not in text
    assert [l for l in L if "wl?[31mred\\012line x.dat" in l], \
        "sanitised name not shown"
    assert not [l for l in L if l.startswith("line x.dat")], "raw newline"

def check_sorted_rss(L):
    title, _ = region_title(L)
    assert "sorted by RSS" in title, title
    rows = region_rows(L)
    assert len(rows) >= 5 and not [r for r in rows if r["total"]]
    v = [kib(r["rss"]) for r in rows]
    assert v == sorted(v, reverse=True), "not by RSS: %s" % v
    types = [r["type"] for r in rows]
    assert types.index("file") < types.index("heap"), types

def check_sorted_type(L):
    title, _ = region_title(L)
    assert "sorted by type" in title, title
    rows = region_rows(L)
    idx = [TYPES.index(r["type"]) for r in rows]
    assert idx == sorted(idx), "types out of order: %s" % (
        [r["type"] for r in rows])
    seen = []
    for t in TYPES:
        rs = [r for r in rows if r["type"] == t]
        if not rs:
            continue
        seen.append(t)
        assert rs[0]["total"] and sum(r["total"] for r in rs) == 1, t
        v = [kib(r["rss"]) for r in rs[1:]]
        assert v == sorted(v, reverse=True), "%s not by RSS: %s" % (t, v)
        # The subtotal adds up its rows (to the display's rounding).
        s = sum(v)
        assert abs(kib(rs[0]["rss"]) - s) <= max(0.06 * s, 8), (t, s)
    for t in ("heap", "anon", "stack", "shm", "file", "lib", "special"):
        assert t in seen, "no %s rows: %s" % (t, seen)

def check_per_map(L, ngroups):
    title, _ = region_title(L)
    assert "one row per mapping" in title, title
    rows = [r for r in region_rows(L) if not r["total"]]
    assert len(rows) > int(ngroups), "%d rows" % len(rows)
    for r in rows:
        assert r["count"] == "1", r
        assert re.match(r"[0-9a-f]{6,} [r-][w-][x-][ps] ", r["name"]), r
    # Each mapping's change, from the baseline's compact keys: known,
    # 0 for the libraries, all of it for the data file mapped since.
    assert all(r["drss"] != "-" for r in rows), \
        [r for r in rows if r["drss"] == "-"][:3]
    assert [r for r in rows if r["type"] == "lib" and r["drss"] == "0"], \
        "no unchanged library mapping"
    new = [r for r in rows if "data.bin" in r["name"]]
    assert new and new[0]["drss"] == "+" + new[0]["rss"], new

def check_grouped(L):
    title, _ = region_title(L)
    assert "grouped by type+name" in title, title
    print(len([r for r in region_rows(L) if not r["total"]]))

def check_help(L, names):
    assert [l for l in L if l.startswith("ramtop keys")], "no help screen"
    for n in open(names).read().splitlines():
        assert [l for l in L if l.startswith("  " + n + "  ")], \
            "help lacks key %r" % n

def check_small(L, pid):
    assert len(L) <= 10, "%d lines" % len(L)
    assert max(len(l) for l in L) <= 40, "a line wider than 40"
    assert L[0].startswith("Tree "), L[0]
    row_of(L, int(pid))
    assert L[-1].strip(), "no status line"

def check_full(L, pid):
    assert len(L) == 40, "%d lines" % len(L)
    assert L[0].startswith("ramtop "), L[0]
    assert L[1].startswith("System "), L[1]
    assert L[2].startswith("Tree "), L[2]
    assert re.match(r"\s*PID\S*\s+RSS\S*\s+\S+RSS\S*\s+PSS\s+USS\s+SHM\s+SWAP\s+PEAK\S*\s+COMMAND",
                    L[3]), L[3]
    row_of(L, int(pid))
    title, _ = region_title(L)
    assert title.startswith("Regions %s " % pid), title
    assert len(region_rows(L)) > 5
    assert L[-1].strip(), "no status line"

def check_same(L, other):
    M = open(other, encoding="utf-8", errors="replace").read().splitlines()
    # The header's clock and costs move; so do PSS figures as other
    # processes map the same libraries: compare the layout, not figures.
    def shape(lines):
        return [re.sub(r" *[+-]?\d+(\.\d+)?[KMGTP]?\b", " #", l)
                for l in lines]
    a, b = shape(L[3:-1]), shape(M[3:-1])
    assert a == b, "screens differ:\n%s\n---\n%s" % ("\n".join(a),
                                                      "\n".join(b))

def check_ended(L, pid, rss):
    assert [l for l in L if "every target process has exited" in l], \
        "no end message"
    r = row_of(L, int(pid))
    assert r["rss"] == fmt_kb(int(rss)), "kept RSS %s, want %s" % (
        r["rss"], fmt_kb(int(rss)))
    assert "(exited)" in r["line"], r["line"]
    assert len(region_rows(L)) > 5, "region rows lost"

def check_collapsed(L, pid, hidden_pid, total):
    r = row_of(L, int(pid))
    assert "[+1] " in r["line"], r["line"]
    assert r["rss"] == fmt_kb(int(total)), "subtree RSS %s, want %s" % (
        r["rss"], fmt_kb(int(total)))
    assert int(hidden_pid) not in [x["pid"] for x in tree_rows(L)]

def check_has_row(L, pid):
    row_of(L, int(pid))

def check_index(L, pid):
    print([r["pid"] for r in tree_rows(L)].index(int(pid)))

def check_expanded(L, pid, child):
    assert "[+" not in row_of(L, int(pid))["line"]
    row_of(L, int(child))

def check_focus(L, pid, gone=None):
    title, _ = region_title(L)
    assert title.startswith("Regions %s " % pid), title
    if gone is not None:
        assert int(gone) not in [x["pid"] for x in tree_rows(L)], "still there"

def check_shell(L, rc):
    assert ("rc=%s" % rc) in L, "no rc=%s line" % rc
    assert not [l for l in L if l.startswith("System ")], "ramtop still shown"
    last = [l for l in L if l.strip()][-1]
    assert last.strip() == "rt$", "prompt: %r" % last

def check_prompt(L):
    assert not [l for l in L if l.startswith("System ")], "ramtop still shown"
    last = [l for l in L if l.strip()][-1]
    assert last.strip() == "rt$", "prompt: %r" % last

def check_stopped(L):
    assert not [l for l in L if l.startswith("System ")], "still drawn"
    last = [l for l in L if l.strip()][-1]
    assert last.strip() == "rt$", "no prompt: %r" % last

def check_running_cmd(L, log):
    assert [l for l in L if ("command output: " + log) in l], "no log path"
    # The script polls with `sleep 0.05`: a sample may catch one.
    rows = [r for r in tree_rows(L) if not r["cmd"].startswith("sleep ")]
    assert len(rows) == 2 and "workload" in rows[1]["cmd"], rows
    assert kib(rows[1]["rss"]) >= 4096, rows[1]

def check_launched(L, code):
    assert [l for l in L if "the command has exited (status %s)" % code
            in l], "no end message"
    rows = tree_rows(L)
    assert rows and rows[0]["rss"] != "-", "figures lost"
    assert kib(rows[0]["rss"]) > 0 and "(exited)" in rows[0]["line"], rows

check, screen = sys.argv[1], sys.argv[2]
L = open(screen, encoding="utf-8", errors="replace").read().splitlines()
globals()["check_" + check](L, *sys.argv[3:])
PYEOF

cap() {
	$TM capture-pane -p -t rt >"$T/screen"
}

poll() {	# CHECK [ARGS...]
	tm_poll rt "$@"
}

keys() {
	$TM send-keys -t rt "$@"
}

vmrss() {
	sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status"
}

# --- a workload with heap, anon, shm and a tree; stopped ---------------
wl_start wl
wl_cmd wl "heap 4M" >/dev/null
wl_cmd wl "anon 64M 50" >/dev/null
wl_cmd wl "shm_open 8M" >/dev/null
line=$(wl_cmd wl "tree")
c1=$(kv "$line" children | cut -d, -f1)
c2=$(kv "$line" children | cut -d, -f2)
gc=$(kv "$line" grandchild)
[ -n "$c1" ] && [ -n "$c2" ] && [ -n "$gc" ] || fail "tree: '$line'"
wl_cmd wl "stop" >/dev/null
wl_stopped "$WL"
base_rss=$(vmrss "$WL")

$TM new-session -d -s rt -x 120 -y 40 \
	"env -u NO_COLOR LC_ALL=C.UTF-8 TMPDIR='$T' PS1='rt\$ ' sh" ||
	fail "cannot start tmux"
# ramtop is the shell's job itself (as a user runs it), so Ctrl-Z and
# fg act on it; its status is asked for once the prompt is back.
keys "'$RAMTOP' -d 0.3 -p $WL" Enter

# The tree: parent and children, figures as /proc has them.
poll tree "$WL" "$c1" "$gc" "$c2" "$base_rss"
echo "ok: tree with parent, children and grandchild; RSS as in /proc"
$TM capture-pane -ep -t rt | grep -q "$(printf '\033')\[3[0-7]m" ||
	fail "no colours without NO_COLOR"

# Grow, map the data file and the weird name, stop: RSS and its change.
kill -CONT "$WL"
wl_cmd wl "anon 32M" >/dev/null
line=$(wl_cmd wl "file $T/data.bin 256M 25")
case $line in ok*) ;; *) fail "file: $line" ;; esac
line=$(wl_cmd wl "weird $T")
case $line in ok*) ;; *) fail "weird: $line" ;; esac
wl_cmd wl "stop" >/dev/null
wl_stopped "$WL"
now_rss=$(vmrss "$WL")
[ "$((now_rss - base_rss))" -gt 32768 ] || fail "workload did not grow"
poll figs "$WL" "$now_rss" "$((now_rss - base_rss))"
echo "ok: RSS $now_rss kB and change +$((now_rss - base_rss)) kB as in /proc"

poll file "data.bin"
echo "ok: data file is 'file' with SIZE >> RSS"
poll weird
echo "ok: ESC and newline in a name are shown sanitised"

# Collapse the first child: its row carries its subtree's total.
sub=$(($(vmrss "$c1") + $(vmrss "$gc")))
keys Home Down -
poll collapsed "$c1" "$gc" "$sub"
keys +
poll expanded "$c1" "$gc"
keys Home
poll focus "$WL"
echo "ok: - collapses with subtree totals, + expands"

# Sorts: RSS, then type with subtotals.
keys r
poll sorted_rss
keys t
poll sorted_type
echo "ok: r sorts by RSS; t orders types heap..special with subtotals"

# Per-mapping rows and back.
poll grouped
ngroups=$($PY "$T/check.py" grouped "$T/screen")
keys g
poll per_map "$ngroups"
keys g
poll grouped
echo "ok: g switches to per-mapping rows and back"

# Help lists every key of the table.
"$RAMTOP" --keys-man | sed -n 's/^\.B //p' | sed -e 's/\\-/-/g' -e 's/\\e/\\/g' -e 's/^\\&//' >"$T/names"
[ "$(wc -l <"$T/names")" -ge 20 ] || fail "key table too small"
# The help is longer than 40 lines: a taller window shows all of it.
$TM resize-window -t rt -x 120 -y 70
keys '?'
poll help "$T/names"
keys x
$TM resize-window -t rt -x 120 -y 40
poll full "$WL"
echo "ok: ? shows every key of the table"

# b: the figures now are the new baseline.
keys b
poll figs "$WL" "$now_rss" 0
echo "ok: b re-baselines"

# Resize to 40x10 and back.
$TM resize-window -t rt -x 40 -y 10
poll small "$WL"
$TM resize-window -t rt -x 120 -y 40
poll full "$WL"
sleep 1	# a few ticks: what stays on screen, not a frame being drawn
cap
cp "$T/screen" "$T/resized"
keys C-l
sleep 0.5
poll same "$T/resized"
echo "ok: 40x10 and back leaves the same screen as a full redraw"

# Ctrl-Z gives the shell back; fg brings the screen back.
keys C-z
poll stopped
keys "fg" Enter
poll full "$WL"
echo "ok: Ctrl-Z suspends, fg resumes"

# The selection follows its process when rows above it go away.
kill -CONT "$WL"
line=$(wl_cmd wl "spawn 1")
new=$(kv "$line" pids)
[ -n "$new" ] || fail "spawn: $line"
poll has_row "$new"
idx=$($PY "$T/check.py" index "$T/screen" "$c2")
keys Home
for i in $(seq 1 "$idx"); do keys Down; done
poll focus "$c2"
wl_cmd wl "kill $c1" >/dev/null
poll focus "$c2" "$c1"
echo "ok: the selection stays on its process"

# Every target exits: the screen says so and keeps the last figures.
wl_cmd wl "stop" >/dev/null
wl_stopped "$WL"
now_rss=$(vmrss "$WL")
kill -KILL "$WL"
poll ended "$WL" "$now_rss"
keys q
poll prompt
keys 'echo rc=$?' Enter
poll shell 0
echo "ok: end of the target kept figures; q exits 0 to the shell"

# SIGINT (Ctrl-C) and SIGTERM: the terminal comes back as it was.
sleep 600 &
idle=$!
WL_PIDS="$WL_PIDS $idle"
sane_tty() {
	stty -a <"$($TM display -p -t rt '#{pane_tty}')" >"$T/stty" ||
		fail "cannot read the pane's terminal modes"
	grep -q -- " icanon" "$T/stty" && grep -q -- " echo " "$T/stty" ||
		fail "terminal left raw: $(cat "$T/stty")"
}
for how in C-c TERM; do
	keys "clear" Enter
	keys "'$RAMTOP' -p $idle" Enter
	poll has_row "$idle"
	if [ "$how" = C-c ]; then
		keys C-c
		want=130
	else
		shell=$($TM display -p -t rt '#{pane_pid}')
		kill -TERM "$(ps -o pid= --ppid "$shell")"
		want=143
	fi
	poll prompt
	sane_tty
	keys 'echo rc=$?' Enter
	poll shell "$want"
done
echo "ok: Ctrl-C and SIGTERM restore the terminal"

# Launch mode with NO_COLOR: output goes to a log shown on the status
# line, the end is reported, q exits with the command's status.  The
# command runs until the test creates $T/go.
cat >"$T/launched.sh" <<EOF
"$WORKLOAD" "heap 4M" "sleep 600" &
while [ ! -e "$T/go" ]; do sleep 0.05; done
kill -KILL \$!
wait
exit 3
EOF
keys "clear" Enter
keys "NO_COLOR=1 '$RAMTOP' -d 0.2 --keep-log -- sh '$T/launched.sh'" Enter
poll running_cmd "$T/ramtop-cmd-"
$TM capture-pane -ep -t rt | grep -q "$(printf '\033')\[3[0-7]m" &&
	fail "colours with NO_COLOR"
touch "$T/go"
poll launched 3
keys q
poll prompt
keys 'echo rc=$?' Enter
poll shell 3
grep -q "^ok heap" "$T"/ramtop-cmd-*.log ||
	fail "command output not logged (or not kept with --keep-log)"
echo "ok: launch mode, NO_COLOR, exit status 3"
echo "ok: tui"
