#!/bin/sh
# The process list as a top (issue 12), driven in tmux over a tree of
# workload processes of known sizes: sorting (key, I, a click on a
# column title), the tree kept with siblings sorted, the flat list,
# search by a word late in a command line, the filter, kernel threads
# (K) and the unknown count, kill (SIGTERM to a child; EPERM on pid 1
# as nobody), --pgrep picking up a later process, the settings file
# (kept across a restart; garbage ignored with one warning).
. "${top_srcdir:-.}/tests/lib.sh"

tm_setup
# Sessions come and go below: this one keeps the server up meanwhile.
$TM new-session -d -s keep "sleep 600" || fail "cannot start tmux"

cat >"$T/check.py" <<'PYEOF'
import re, sys

UNITS = "KMGTP"

def kib(s):
    if s == "-":
        return None
    if s[-1] in UNITS:
        return float(s[:-1]) * 1024 ** UNITS.index(s[-1])
    return float(s)

def title(L):
    h = [i for i, l in enumerate(L) if re.match(r"\s*PID\S*\s+\S", l)]
    assert h, "no list title line"
    return h[0]

def rows(L):
    h = title(L)
    names = L[h].split()[:-1]        # the figures before COMMAND
    ci = L[h].find("COMMAND")
    out = []
    for l in L[h + 1:]:
        if not re.match(r"\s*\d+\s", l):
            break
        t = l.split()
        body = l[ci:].lstrip(" \u2514\u2500`-")
        r = dict(pid=int(t[0]), line=l, cmd=body,
                 indent=len(l[ci:]) - len(body))
        for k, n in enumerate(names[1:]):
            r[re.sub(r"[\u25b2\u25bc^v]$", "", n)] = t[k + 1]
        out.append(r)
    return out

def status(L):
    return L[-1]

def check_first(L, col, pid):
    rs = rows(L)
    assert rs and rs[0]["pid"] == int(pid), "first row %s, want %s" % (
        rs[0]["pid"] if rs else None, pid)
    assert re.search(r"\b%s[\u25b2\u25bc]" % col, L[title(L)]), \
        "%s not marked: %s" % (col, L[title(L)])

def check_sorted(L, col, way):
    rs = rows(L)
    v = [kib(r[col]) for r in rs if kib(r[col]) is not None]
    assert len(v) >= 4, rs
    want = sorted(v, reverse=(way == "desc"))
    assert v == want, "%s not %s: %s" % (col, way, v)
    mark = "\u25bc" if way == "desc" else "\u25b2"
    assert (col + mark) in L[title(L)], L[title(L)]

def check_tree(L, order, depths):
    rs = rows(L)
    got = [r["pid"] for r in rs]
    want = [int(x) for x in order.split(",")]
    assert got == want, "order %s, want %s" % (got, want)
    ind = [r["indent"] for r in rs]
    d = [int(x) for x in depths.split(",")]
    for i in range(1, len(d)):
        assert (ind[i] > ind[i - 1]) == (d[i] > d[i - 1]), (ind, d)
        assert (ind[i] == ind[i - 1]) == (d[i] == d[i - 1]), (ind, d)

def check_detail(L, pid):
    assert [l for l in L if l.startswith("PID %s: " % pid)], \
        "the detail line is not of %s" % pid

def check_detail_ends(L, word):
    d = [l for l in L if l.startswith("PID ")]
    assert d and d[0].rstrip().endswith(word), d

def check_no_regions(L):
    assert not [l for l in L if l.startswith("Regions ")], "regions shown"

def check_regions_at(L, n):
    i = [k for k, l in enumerate(L) if l.startswith("Regions ")]
    assert i and i[0] == int(n), "region panel at line %s, want %s" % (
        i[0] if i else None, n)

def check_regions_at_most(L, n):
    i = [k for k, l in enumerate(L) if l.startswith("Regions ")]
    assert i and i[0] <= int(n), "region panel at line %s, want <= %s" % (
        i[0] if i else None, n)

def check_status_or_screen(L, text):
    assert [l for l in L if text in l], "no %r on screen" % text

def check_pids(L, want, absent):
    got = [r["pid"] for r in rows(L)]
    for p in want.split(","):
        assert int(p) in got, "%s not shown: %s" % (p, got)
    for p in absent.split(","):
        assert int(p) not in got, "%s shown: %s" % (p, got)

def unknown(L):
    h = [l for l in L if l.startswith("Tree ")][0]
    m = re.search(r"RSS \S+ \((\d+) unknown\)", h)
    return int(m.group(1)) if m else 0

def check_kthreads(L, shown, nk):
    h = [l for l in L if l.startswith("Tree ")][0]
    word = "shown" if shown == "1" else "hidden"
    m = re.search(r"\+(\d+) kernel threads \((\w+), K\)", h)
    assert m and m.group(2) == word, h
    # kworkers come and go between the two counts
    assert abs(int(m.group(1)) - int(nk)) <= max(8, int(nk) // 5), \
        (m.group(1), nk)
    rs = rows(L)
    kt = [r for r in rs if "(kernel thread" in r["cmd"]]
    assert bool(kt) == (shown == "1"), len(kt)
    assert unknown(L) < int(nk), "unknown count %d includes kernel " \
        "threads (%s)" % (unknown(L), nk)
    print(unknown(L))

def check_status(L, text):
    assert text in status(L), "status: %r" % status(L)

def check_title(L):
    print(re.sub(r"\s+", " ", L[title(L)]).strip())

def check_same_title(L, want):
    t = re.sub(r"\s+", " ", L[title(L)]).strip()
    assert t == want, "title %r, want %r" % (t, want)

def check_warned(L, text):
    n = sum(l.count(text) for l in L)
    assert n == 1, "%d warnings: %r" % (n, status(L))

check, screen = sys.argv[1], sys.argv[2]
L = open(screen, encoding="utf-8", errors="replace").read().splitlines()
globals()["check_" + check](L, *sys.argv[3:])
PYEOF

poll() {	# SESSION CHECK [ARGS...]
	tm_poll "$@"
}

# Wait until pid $1 has a child whose command line has $2; print it.
child_with() {
	local i c
	for i in $(seq 1 200); do
		for c in $(pgrep -P "$1"); do
			if tr '\0' ' ' <"/proc/$c/cmdline" | grep -q -- "$2"; then
				echo "$c"
				return 0
			fi
		done
		sleep 0.05
	done
	fail "no child of $1 with '$2'"
}

# --- the tree: R -> A (8M), B (40M), S -> Q (24M), C (4M) ---------------
W=$WORKLOAD
sh -c "'$W' 'anon 8M' 'sleep 600' 'anonname 1M aardvark' &
'$W' 'anon 40M' 'sleep 600' 'anonname 1M bison' &
sh -c \"'$W' 'anon 24M' 'sleep 600' 'anonname 1M quokka' & '$W' 'anon 4M' 'sleep 600' 'anonname 1M cheetah' & wait\" &
wait" &
R=$!
WL_PIDS="$WL_PIDS $R"
A=$(child_with "$R" aardvark)
B=$(child_with "$R" bison)
S=$(child_with "$R" "sh -c")
Q=$(child_with "$S" quokka)
C=$(child_with "$S" cheetah)
WL_PIDS="$WL_PIDS $A $B $S $Q $C"
sleep 0.3	# the allocations are made before the sleep

$TM new-session -d -s rt -x 120 -y 40 \
	"env LC_ALL=C.UTF-8 '$RAMTOP' -d 0.3 -p $R; sleep 600" ||
	fail "cannot start tmux"
# -p: the tree, by pid, the cursor on the target.
poll rt tree "$R,$A,$B,$S,$Q,$C" "0,1,1,1,2,2"
poll rt detail "$R"
echo "ok: -p starts as the tree by pid, cursor on the target"

# > sorts by RSS: the tree stays a tree, siblings biggest first.
$TM send-keys -t rt '>'
poll rt tree "$R,$B,$A,$S,$Q,$C" "0,1,1,1,2,2"
echo "ok: > sorts by RSS; the tree stays, siblings sorted (B 40M, A 8M, S)"

# F5: a flat list; the first row is the largest.
$TM send-keys -t rt F5
poll rt first RSS "$B"
poll rt sorted RSS desc
$TM send-keys -t rt I
poll rt sorted RSS asc
$TM send-keys -t rt I
poll rt first RSS "$B"
echo "ok: F5 flat list by RSS, first row the largest (40M); I reverses"

# A click on the PSS title sorts by PSS (an xterm mouse press).
$TM capture-pane -p -t rt >"$T/screen"
y=$(grep -n '^ *PID' "$T/screen" | head -1 | cut -d: -f1)
x=$($PY -c 'import sys
l = [l for l in open(sys.argv[1], encoding="utf-8") if l.lstrip().startswith("PID")][0]
print(l.index(" PSS") + 2)' "$T/screen")	# 1-based: the first S
cb=$(printf "\\$(printf %o 32)")
cx=$(printf "\\$(printf %o $((32 + x)))")
cy=$(printf "\\$(printf %o $((32 + y)))")
# press, then release (button 3 in X10 terms)
rel=$(printf "\\$(printf %o 35)")
$TM send-keys -t rt -l "$(printf '\033[M')$cb$cx$cy$(printf '\033[M')$rel$cx$cy"
poll rt first PSS "$B"
poll rt sorted PSS desc
echo "ok: a click on the PSS title sorts by PSS"

# A click on a row selects it; an unassigned function key says so.
# First a click on the RSS title: RSS (from status) keeps the order still.
x=$($PY -c 'import sys
l = [l for l in open(sys.argv[1], encoding="utf-8") if l.lstrip().startswith("PID")][0]
print(l.index(" RSS") + 2)' "$T/screen")
cx=$(printf "\\$(printf %o $((32 + x)))")
$TM send-keys -t rt -l "$(printf '\033[M')$cb$cx$cy$(printf '\033[M')$rel$cx$cy"
poll rt sorted RSS desc
$TM capture-pane -p -t rt >"$T/screen"
third=$(sed -n "$((y + 3))p" "$T/screen" | awk '{print $1}')
cy=$(printf "\\$(printf %o $((32 + y + 3)))")
cx=$(printf "\\$(printf %o 40)")
$TM send-keys -t rt -l "$(printf '\033[M')$cb$cx$cy$(printf '\033[M')$rel$cx$cy"
poll rt detail "$third"
# The wheel (button 5) moves the selection 3 rows down.
sixth=$(sed -n "$((y + 6))p" "$T/screen" | awk '{print $1}')
wd=$(printf "\\$(printf %o 97)")
$TM send-keys -t rt -l "$(printf '\033[M')$wd$cx$cy"
poll rt detail "$sixth"
$TM send-keys -t rt F7
poll rt status "the key F7 does nothing here"
echo "ok: a click selects row 3 ($third), the wheel moves to row 6 ($sixth); F7 says it does nothing"

# / finds a process by a word late in its command line.
$TM send-keys -t rt Home / q u o k k a
poll rt detail "$Q"
$TM send-keys -t rt Enter
echo "ok: / quokka selects $Q"

# The filter keeps matches and their parents (in the tree).
$TM send-keys -t rt F5 '\' c h e e t a h Enter
poll rt pids "$R,$S,$C" "$A,$B,$Q"
$TM send-keys -t rt '\' Escape
poll rt pids "$R,$A,$B,$S,$Q,$C" "1"
echo "ok: the filter keeps cheetah and its parents only; Esc clears it"

# k, 1 (TERM), y: the child ends and the status line says so.
# (the root's own command line has every word: F3 goes on to the next)
$TM send-keys -t rt Home / a a r d v a r k
poll rt detail "$R"
$TM send-keys -t rt F3 Enter
poll rt detail "$A"
$TM send-keys -t rt k
poll rt status "signal to $A"
$TM send-keys -t rt 1
poll rt status "send SIGTERM to $A"
$TM send-keys -t rt y
poll rt status "sent SIGTERM to $A"
for i in $(seq 1 100); do
	kill -0 "$A" 2>/dev/null || break
	[ "$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$A/status" 2>/dev/null)" = Z ] && break
	sleep 0.05
done
kill -0 "$A" 2>/dev/null &&
	[ "$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$A/status")" != Z ] &&
	fail "$A still runs after SIGTERM"
echo "ok: k 1 y sends SIGTERM: the workload child ended"
$TM kill-session -t rt

# --- 80 columns: the detail line tells similar command lines apart ----
$TM new-session -d -s w8 -x 80 -y 30 \
	"env LC_ALL=C.UTF-8 '$RAMTOP' -d 0.3 -p $R; sleep 600"
poll w8 detail "$R"
$TM send-keys -t w8 / b i s o n F3 Enter
poll w8 detail "$B"
poll w8 detail_ends bison
$TM send-keys -t w8 / q u o k k a F3 Enter
poll w8 detail "$Q"
poll w8 detail_ends quokka
echo "ok: at 80 columns the detail line ends with bison / quokka"
# Enter gives the keys to the regions, Esc back to the list.
$TM send-keys -t w8 Enter Escape Up
poll w8 detail "$S"
echo "ok: Esc gives the keys back to the list (Up moved it)"
# = hides the region panel, ] and [ resize it.
$TM send-keys -t w8 '['
poll w8 regions_at_most 10
$TM send-keys -t w8 =
poll w8 no_regions
$TM send-keys -t w8 =
poll w8 regions_at_most 10
echo "ok: [ gives the region panel more room; = hides and shows it"
$TM kill-session -t w8

# --- -u USER and u: only that user's processes ------------------------
$TM new-session -d -s us -x 120 -y 30 \
	"env LC_ALL=C.UTF-8 '$RAMTOP' -d 0.3 -p $R -u nobody; sleep 600"
poll us status_or_screen "no process matches the filter"
$TM send-keys -t us u Enter
poll us pids "$R,$B" "1"
$TM send-keys -t us u r o o t Enter
poll us pids "$R,$B" "1"
echo "ok: -u nobody shows none of root's processes; u Enter shows every user's, u root root's"
$TM kill-session -t us

# --- kernel threads: hidden by default, K shows them ------------------
nk=0
for f in /proc/[0-9]*/stat; do
	fl=$(awk '{print $9}' "$f" 2>/dev/null) || continue
	[ -n "$fl" ] && [ $((fl & 0x200000)) -ne 0 ] && nk=$((nk + 1))
done
if [ "$nk" -gt 0 ]; then
	$TM new-session -d -s kt -x 120 -y 40 \
		"env LC_ALL=C.UTF-8 '$RAMTOP' -d 0.5; sleep 600"
	poll kt kthreads 0 "$nk"
	u0=$($PY "$T/check.py" kthreads "$T/screen" 0 "$nk")
	$TM send-keys -t kt K End
	poll kt kthreads 1 "$nk"
	u1=$($PY "$T/check.py" kthreads "$T/screen" 1 "$nk")
	echo "ok: $nk kernel threads hidden, K shows them; unknown count $u0/$u1 leaves them out"
	$TM kill-session -t kt
	# Batch JSON: kernel threads are listed, but not in the totals.
	"$RAMTOP" -b --json -n 1 >"$T/all.json" 2>/dev/null || fail "batch all"
	$PY - "$T/all.json" <<'PYEOF' || fail "kernel threads in the totals"
import json, sys
o = json.loads(open(sys.argv[1]).readline())
kt = [p for p in o["processes"] if p["error"] == "kernel thread"]
user = [p for p in o["processes"] if p["error"] != "kernel thread"]
assert kt, "no kernel thread listed"
assert o["totals"]["processes"] == len(user), (o["totals"], len(user))
unk = [p for p in user if p["rss_kb"] is None]
assert o["totals"]["unknown"]["rss"] == len(unk), o["totals"]["unknown"]
print("totals leave out", len(kt), "kernel threads")
PYEOF
else
	echo "SKIP part: no kernel threads visible here"
fi

# --- k on pid 1 as nobody: EPERM, nothing else ----------------------
if command -v setpriv >/dev/null && [ "$(id -u)" -eq 0 ]; then
	$TM new-session -d -s np -x 120 -y 40 \
		"env LC_ALL=C.UTF-8 XDG_CONFIG_HOME=/nonexistent setpriv --reuid=65534 --regid=65534 --clear-groups '$RAMTOP' -d 0.5 -p 1; sleep 600"
	poll np detail 1
	$TM send-keys -t np k
	poll np status "signal to 1 "
	$TM send-keys -t np Enter y
	poll np status "cannot send SIGTERM to 1"
	poll np status "EPERM"
	kill -0 1 || fail "pid 1?"
	echo "ok: k on pid 1 as nobody: EPERM on the status line"
	$TM kill-session -t np
else
	echo "SKIP part: k as nobody needs root and setpriv"
fi

# --- --pgrep picks up a process started later ------------------------
$TM new-session -d -s pg -x 120 -y 40 \
	"env LC_ALL=C.UTF-8 '$RAMTOP' -d 0.3 --pgrep 'zebra[X]late'; sleep 600"
sleep 1
"$W" 'anon 2M' 'sleep 600' 'anonname 1M zebraXlate' >/dev/null &
Z=$!
WL_PIDS="$WL_PIDS $Z"
poll pg pids "$Z" "$R"
echo "ok: --pgrep picked up $Z, started after ramtop"
$TM kill-session -t pg

# --- settings: kept across a restart; garbage ignored -----------------
start_rt() {
	$TM new-session -d -s st -x 120 -y 40 \
		"env LC_ALL=C.UTF-8 XDG_CONFIG_HOME='$XDG_CONFIG_HOME' '$RAMTOP' -d 0.3 -p $R; sleep 600"
	poll st detail "$R"
}
# A fresh one: the sessions above write theirs as they end.  (Given
# to each session: the tmux server keeps the environment it began with.)
XDG_CONFIG_HOME=$T/config2
export XDG_CONFIG_HOME
start_rt
# flat, by RSS, VSZ added, SHM removed
$TM send-keys -t st F5 '>' F2 a 5 Enter
poll st first RSS "$B"
$TM capture-pane -p -t st >"$T/screen"
want=$($PY "$T/check.py" title "$T/screen")
case $want in *VSZ*) ;; *) fail "no VSZ column: $want" ;; esac
case $want in *SHM*) fail "SHM still there: $want" ;; esac
$TM send-keys -t st q
for i in $(seq 1 100); do
	[ -s "$XDG_CONFIG_HOME/ramtop/ramtoprc" ] && break
	sleep 0.05
done
grep -q '^sort=RSS$' "$XDG_CONFIG_HOME/ramtop/ramtoprc" ||
	fail "ramtoprc: $(cat "$XDG_CONFIG_HOME/ramtop/ramtoprc")"
$TM kill-session -t st
start_rt
poll st same_title "$want"
poll st first RSS "$B"
echo "ok: sort, flat list and columns came back after a restart"
$TM send-keys -t st q
sleep 0.3
$TM kill-session -t st
printf 'sort=RSS\n\001\002garbage\377\n' >"$XDG_CONFIG_HOME/ramtop/ramtoprc"
start_rt
poll st warned "ignored the settings file"
poll st tree "$R,$B,$S,$Q,$C" "0,1,1,2,2"	# A was killed above
$TM capture-pane -p -t st >"$T/screen"
t=$($PY "$T/check.py" title "$T/screen")
case $t in *SHM*VSZ* | *VSZ*) fail "not the default columns: $t" ;; esac
echo "ok: a garbage ramtoprc: one warning, the defaults"

# --- the permission hint to root: no "get CAP_SYS_PTRACE" -------------
if [ "$(id -u)" -eq 0 ] && ! head -c1 /proc/1/smaps_rollup >/dev/null 2>&1; then
	"$RAMTOP" -b -n 1 -p 1 >/dev/null 2>"$T/hint"
	grep -q "permission denied even to root" "$T/hint" ||
		fail "root hint: $(cat "$T/hint")"
	grep -q CAP_SYS_PTRACE "$T/hint" && fail "root told to get CAP_SYS_PTRACE"
	echo "ok: root is told what is the case for pid 1, not CAP_SYS_PTRACE"
else
	echo "SKIP part: needs root and a pid 1 that root cannot read"
fi

# --- a launched command's log: removed at exit without --keep-log -----
mkdir "$T/logs"
$TM new-session -d -s lg -x 120 -y 40 \
	"env LC_ALL=C.UTF-8 TMPDIR='$T/logs' '$RAMTOP' -d 0.3 -- sh -c 'echo hello; exit 0' 2>'$T/lg.err'; sleep 600"
for i in $(seq 1 100); do
	$TM capture-pane -p -t lg | grep -q "the command has exited" && break
	sleep 0.1
done
ls "$T"/logs/ramtop-cmd-*.log >/dev/null 2>&1 || fail "no log while running"
$TM send-keys -t lg q
for i in $(seq 1 100); do
	[ -s "$T/lg.err" ] && break
	sleep 0.1
done
ls "$T"/logs/ramtop-cmd-*.log >/dev/null 2>&1 && fail "log kept without --keep-log"
grep -q "now removed; --keep-log keeps it" "$T/lg.err" ||
	fail "exit message: $(cat "$T/lg.err")"
echo "ok: the command's log is removed at exit, and ramtop says so"
