#!/bin/sh
# Limits: ramtop at the edges of what the system allows.
#  - 32 open files (ulimit -n): batch text and JSON with --regions and the
#    screen work; below that, figures are unknown (never 0) or ramtop
#    stops with a message that names the limit.
#  - 100,000 mappings in one process: every mapping counted, region RSS
#    adds up to the kernel's rollup.
#  - 5,000 processes in one tree: all in one sample; the screen draws
#    them and End reaches the last.
#  - 1x5 and 10x3 terminals: ramtop keeps running, comes back at 80x24,
#    q exits 0.
#  - TERM=dumb, an unknown TERM, no terminal: one line, exit 1, nothing
#    written to the terminal.
#  - 1,000 connections to the mark socket while sampling every 0.2 s:
#    the interval holds, bad requests are refused and counted, marks
#    become phases.
# It may: raise vm.max_map_count as root (put back at exit, if nobody
# changed it meanwhile), start tmux on its own socket, start and kill its
# own processes.
. "${top_srcdir:-.}/tests/lib.sh"

HAVE_TMUX=1
tm_setup optional || HAVE_TMUX=0	# the other cases go on without
SYSCTL_OLD=""
SYSCTL_OURS=""
BIG=""
# vm.max_map_count back as it was, unless someone changed it meanwhile.
sysctl_restore() {
	if [ -n "$SYSCTL_OURS" ] &&
		[ "$(cat /proc/sys/vm/max_map_count)" = "$SYSCTL_OURS" ]; then
		echo "$SYSCTL_OLD" >/proc/sys/vm/max_map_count
	fi
	SYSCTL_OURS=""
}
lim_cleanup() {
	# 5,000 children die with their parent (PR_SET_PDEATHSIG).
	[ -z "$BIG" ] || kill -KILL "$BIG" 2>/dev/null
	sysctl_restore
	if [ "$HAVE_TMUX" -eq 1 ]; then
		tm_cleanup
	else
		cleanup
	fi
}
trap lim_cleanup EXIT INT TERM

use_runtime_dir
unset RAMTOP_SOCKET

# --- helpers ---------------------------------------------------------
cat >"$T/check.py" <<'PYEOF'
# check.py CHECK FILE [ARGS...]: exit 0 if FILE passes CHECK.
import json, re, sys

def tree_pids(L):
    h = [i for i, l in enumerate(L) if re.match(r"\s*PID\S*\s+RSS", l)]
    assert h, "no tree title line"
    out = []
    for l in L[h[0] + 1:]:
        m = re.match(r"\s*(\d+)\s", l)
        if not m:
            break
        out.append(int(m.group(1)))
    return out

def check_tree(L, n, pid):
    assert [l for l in L if re.match(r"Tree +%s processes" % n, l)], \
        "no 'Tree %s processes' line" % n
    assert int(pid) in tree_pids(L), "no row for %s" % pid
    assert not [l for l in L if "read error" in l], "a read error shown"

def check_first(L, pid):
    p = tree_pids(L)
    assert p and p[0] == int(pid), "first row %s, want %s" % (p[:1], pid)

def check_scrolled(L, pid):
    p = tree_pids(L)
    assert p and p[0] != int(pid), "first row is still %s" % pid

def check_last(L, pid):
    p = tree_pids(L)
    assert p and p[-1] == int(pid), "last row %s, want %s" % (p[-1:], pid)
    print(len(p))

def check_full(L, pid):
    assert len(L) == 24, "%d lines" % len(L)
    assert L[0].startswith("ramtop "), L[0]
    assert L[1].startswith("System "), L[1]
    assert L[2].startswith("Tree "), L[2]
    assert int(pid) in tree_pids(L), "no row for %s" % pid
    assert L[-1].strip(), "no status line"

def check_rc(L, rc):
    assert ("rc=%s" % rc) in [l.strip() for l in L], "no rc=%s line" % rc

def check_json_fds(L, pids):
    # Every figure is a number > 0 or unknown (null, with the reason);
    # never 0 for something that could not be read.
    want = set(int(x) for x in pids.split(","))
    # The samples (mark 0, the baseline, follows the first).
    L = [l for l in L if json.loads(l)["kind"] == "sample"]
    assert L, "no samples"
    for line in L:
        o = json.loads(line)
        for k in ("mem_total_kb", "mem_available_kb", "cached_kb"):
            v = o["system"].get(k)
            assert v is None or v > 0, ("system", k, v)
        seen = set()
        for p in o["processes"]:
            seen.add(p["pid"])
            for k in ("rss_kb", "pss_kb", "uss_kb", "vsz_kb"):
                assert p[k] is None or p[k] > 0, (p["pid"], k, p[k])
            if p["rss_kb"] is None:
                assert p["error"], p
        assert seen == want, "processes %s, want %s" % (sorted(seen),
                                                        sorted(want))
    print(sum(1 for l in L for p in json.loads(l)["processes"]
              if p["rss_kb"] is None or p["pss_kb"] is None))

def check_json_full(L, pids):
    # At 32 files: everything read, regions and all.
    check_json_fds(L, pids)
    for line in L:
        o = json.loads(line)
        if o["kind"] != "sample":
            continue
        for p in o["processes"]:
            assert p["error"] is None, p
            for k in ("rss_kb", "pss_kb", "uss_kb"):
                assert p[k] is not None, (p["pid"], k)
            assert p["regions"], (p["pid"], "no regions")
            assert p["by_type"]["lib"]["count"] > 0, p["by_type"]

check, path = sys.argv[1], sys.argv[2]
L = open(path, encoding="utf-8", errors="replace").read().splitlines()
globals()["check_" + check](L, *sys.argv[3:])
PYEOF

# onpty.py [--stdin-null] [--stdout FILE] -- CMD...: run CMD on a new
# terminal; print its exit code, write what it wrote there to $T/pty.out.
cat >"$T/onpty.py" <<'PYEOF'
import os, pty, select, sys, time
args = sys.argv[1:]
sin, sout = False, None
while args[0] != "--":
    if args[0] == "--stdin-null":
        sin = True
        args = args[1:]
    elif args[0] == "--stdout":
        sout = args[1]
        args = args[2:]
args = args[1:]
pid, fd = pty.fork()
if pid == 0:
    if sin:
        n = os.open("/dev/null", os.O_RDONLY)
        os.dup2(n, 0)
    if sout:
        n = os.open(sout, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(n, 1)
    os.execvp(args[0], args)
out = b""
end = time.time() + 10
while time.time() < end:
    r, _, _ = select.select([fd], [], [], 0.1)
    if r:
        try:
            b = os.read(fd, 4096)
        except OSError:
            break
        if not b:
            break
        out += b
    done, st = os.waitpid(pid, os.WNOHANG)
    if done:
        break
else:
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    print("timeout")
    sys.exit(0)
if not done:
    _, st = os.waitpid(pid, 0)
open(os.environ["T"] + "/pty.out", "wb").write(out)
print(os.waitstatus_to_exitcode(st))
PYEOF
export T

cap() {
	$TM capture-pane -p -t "$1" >"$T/screen"
}

poll() {	# SESSION CHECK [ARGS...]
	tm_poll "$@"
}

tm_start() {	# SESSION COLS ROWS
	$TM new-session -d -s "$1" -x "$2" -y "$3" \
		"env -u NO_COLOR LC_ALL=C.UTF-8 PS1='rt\$ ' sh" ||
		fail "cannot start tmux"
}

# The ramtop a session's shell runs (its only child).
tm_ramtop() {
	ps -o pid= --ppid "$($TM display -p -t "$1" '#{pane_pid}')" | tr -d ' '
}

secs() {
	date +%s.%N
}
took() {	# START: seconds since, one decimal
	echo "$1 $(secs)" | awk '{printf "%.1f", $2 - $1}'
}

# wl_bg NAME CMD...: a workload running CMD... then "wait" in the
# background; sets WL once it waits; its lines are in $T/NAME.out.
wl_bg() {
	local n=$1 i
	shift
	"$WORKLOAD" "$@" wait >"$T/$n.out" 2>"$T/$n.err" &
	WL=$!
	WL_PIDS="$WL_PIDS $WL"
	for i in $(seq 1 600); do
		grep -q "^ok wait" "$T/$n.out" && return 0
		grep -q "^err" "$T/$n.out" && fail "workload $n: $(grep ^err "$T/$n.out")"
		sleep 0.05
	done
	fail "workload $n did not start"
}

# --- 32 open files ---------------------------------------------------
wl_bg wl "spawn 40" "anon 8M"
SMALL=$WL	# for the cases after this one
kids=$(kv "$(grep '^ok spawn' "$T/wl.out")" pids)
[ -n "$kids" ] || fail "spawn: $(cat "$T/wl.out")"
all="$WL,$kids"
nall=$(echo "$all" | tr ',' '\n' | wc -l)

(ulimit -n 32 && exec "$RAMTOP" -b -n 2 -d 0.1 --regions -p "$WL") \
	>"$T/fd.txt" 2>"$T/fd.err" || fail "ulimit -n 32, text: exit $?: $(cat "$T/fd.err")"
[ "$(grep -c "^Tree *$nall processes" "$T/fd.txt")" -eq 2 ] ||
	fail "ulimit -n 32, text: not $nall processes: $(grep ^Tree "$T/fd.txt")"
# A v1 cgroup's figures that v1 does not have are unknown by nature
# (issue 16), not for want of files: those reasons are left out.
sed -E 's/[a-z_]+ \(cgroup v1 has no such figure\)(, )?//g' "$T/fd.txt" |
	grep -v '^  unknown: *$' >"$T/fd.known"
! grep -q "unknown\|read error" "$T/fd.known" ||
	fail "ulimit -n 32, text: unknown figures: $(grep -m1 "unknown\|read error" "$T/fd.known")"
grep -q "^System  MemTotal [0-9]" "$T/fd.txt" || fail "ulimit -n 32: System line unknown"
[ "$(grep -c "^  anon " "$T/fd.txt")" -ge 2 ] || fail "ulimit -n 32: no region tables"
(ulimit -n 32 && exec "$RAMTOP" -b -n 2 -d 0.1 --json --regions -p "$WL") \
	>"$T/fd.json" 2>"$T/fd.err" || fail "ulimit -n 32, json: exit $?: $(cat "$T/fd.err")"
$PY "$T/check.py" json_full "$T/fd.json" "$all" >/dev/null 2>"$T/why" ||
	fail "ulimit -n 32, json: $(tail -1 "$T/why")"
echo "ok: ulimit -n 32: $nall processes in text and JSON, regions, no figure unknown"

# Fewer: every figure known or unknown (null, never 0), or a clear stop.
for n in 16 10 8 6 5; do
	(ulimit -n "$n" && exec "$RAMTOP" -b -n 2 -d 0.1 --json --regions -p "$WL") \
		>"$T/fd.json" 2>"$T/fd.err"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		[ "$rc" -eq 1 ] || fail "ulimit -n $n: exit $rc"
		grep -q "Too many open files (the limit is $n open files: raise it with ulimit -n)" \
			"$T/fd.err" || fail "ulimit -n $n: message: $(cat "$T/fd.err")"
	fi
	if [ -s "$T/fd.json" ]; then
		unk=$($PY "$T/check.py" json_fds "$T/fd.json" "$all" 2>"$T/why") ||
			fail "ulimit -n $n: $(tail -1 "$T/why")"
	else
		unk=-
	fi
	echo "ok: ulimit -n $n: exit $rc, $(wc -l <"$T/fd.json") samples, $unk unknown process figures: $(head -c 120 "$T/fd.err" | head -1)"
done

# Idle clients on the mark socket must not take the descriptors a sample
# needs, nor make ramtop spin when accept() runs out of them.
cat >"$T/idle.py" <<'PYEOF'
# idle.py RAMTOP PID NOFILE: ramtop -b -n 10 -d 0.2 at ulimit -n NOFILE
# while 20 clients connect to its mark socket and send nothing.  Prints
# its exit code, samples, CPU seconds, unknown RSS, RSS of 0, stderr.
import json, os, resource, socket, subprocess, sys, time
ramtop, pid, nofile = sys.argv[1], sys.argv[2], int(sys.argv[3])
def lim():
    resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))
p = subprocess.Popen([ramtop, "-b", "--json", "-n", "10", "-d", "0.2",
                      "-p", pid], stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE, preexec_fn=lim)
path = os.path.join(os.environ["XDG_RUNTIME_DIR"], "ramtop",
                    "%d.sock" % p.pid)
for i in range(250):
    if os.path.exists(path):
        break
    time.sleep(0.02)
idle = []
for i in range(20):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.setblocking(False)
    try:
        s.connect(path)
    except OSError:
        pass    # the backlog is full: fine, that is the point
    idle.append(s)
out, err = p.communicate(timeout=60)
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
lines = [l for l in out.decode().splitlines()
         if json.loads(l)["kind"] == "sample"]     # not mark 0
procs = [q for l in lines for q in json.loads(l)["processes"]]
print(p.returncode, len(lines),
      "%.2f" % (ru.ru_utime + ru.ru_stime),
      sum(1 for q in procs if q["rss_kb"] is None),
      sum(1 for q in procs if q["rss_kb"] == 0),
      err.decode().replace("\n", " ")[:200])
PYEOF
for n in 8 16; do
	set -- $($PY "$T/idle.py" "$RAMTOP" "$WL" "$n")
	[ "$1" = 0 ] && [ "$2" = 10 ] ||
		fail "ulimit -n $n, 20 idle clients: exit $1, $2 samples: $*"
	[ "$5" = 0 ] || fail "ulimit -n $n, 20 idle clients: $5 RSS figures of 0"
	awk "BEGIN { exit !($3 < 1.0) }" ||
		fail "ulimit -n $n, 20 idle clients: $3 s of CPU in 2 s: spinning"
	echo "ok: ulimit -n $n, 20 idle mark-socket clients: 10 samples, $4 unknown, $3 s CPU"
done

if [ "$HAVE_TMUX" -eq 1 ]; then
	tm_start fd 120 40
	$TM send-keys -t fd "(ulimit -n 32 && exec '$RAMTOP' -d 0.3 -p $WL); echo rc=\$?" Enter
	poll fd tree "$nall" "$WL"
	r=$(tm_ramtop fd)
	[ -n "$r" ] || fail "no ramtop under tmux"
	nfd=$(ls "/proc/$r/fd" | wc -l)
	[ "$(sed -n 's/^Max open files *\([0-9]*\).*/\1/p' "/proc/$r/limits")" -eq 32 ] ||
		fail "the screen's limit is not 32"
	sleep 1
	poll fd tree "$nall" "$WL"
	$TM send-keys -t fd q
	poll fd rc 0
	$TM kill-session -t fd
	echo "ok: ulimit -n 32: the screen shows $nall processes ($nfd files open), q exits 0"
else
	echo "skip: no tmux: the screen under ulimit -n 32"
fi

# --- 100,000 mappings ------------------------------------------------
N=100000
mmc=$(cat /proc/sys/vm/max_map_count)
want=$((N + 4096))	# the process's own mappings besides the N
if [ "$mmc" -lt "$want" ]; then
	if [ "$(id -u)" -eq 0 ] &&
		echo "$want" 2>/dev/null >/proc/sys/vm/max_map_count; then
		SYSCTL_OLD=$mmc
		SYSCTL_OURS=$want
		echo "limits: vm.max_map_count raised from $mmc to $want for this case" >&2
	else
		N=$(((mmc - 4096) / 2 * 2))
		[ "$N" -ge 1000 ] || fail "vm.max_map_count is $mmc: no room for mappings"
		echo "limits: vm.max_map_count is $mmc and cannot be raised ($([ "$(id -u)" -eq 0 ] && echo "read-only" || echo "not root")): $N mappings instead of 100000" >&2
	fi
fi
t0=$(secs)
"$WORKLOAD" "maps $N" stop >"$T/maps.out" 2>&1 &
MP=$!
WL_PIDS="$WL_PIDS $MP"
wl_stopped "$MP"
grep -q "^ok maps" "$T/maps.out" || fail "maps $N: $(cat "$T/maps.out")"
kernel=$(wc -l <"/proc/$MP/maps")
rollup=$(sed -n 's/^Rss: *\([0-9]*\) kB/\1/p' "/proc/$MP/smaps_rollup")
t1=$(secs)
"$RAMTOP" -b -n 1 --regions --json -p "$MP" >"$T/maps.json" 2>"$T/maps.err" ||
	fail "maps: exit $?: $(cat "$T/maps.err")"
$PY - "$T/maps.json" "$kernel" "$rollup" >"$T/maps.rss" <<'PYEOF' || fail "100k mappings"
import json, sys
o = json.load(open(sys.argv[1]))
kernel, rollup = int(sys.argv[2]), int(sys.argv[3])
p = o["processes"][0]
n = sum(r["count"] for r in p["regions"])
nt = sum(t["count"] for t in p["by_type"].values())
rss = sum(r["rss_kb"] for r in p["regions"])
assert n == kernel, "regions count %d mappings, /proc/PID/maps has %d" % (n, kernel)
assert nt == kernel, "by_type counts %d mappings, /proc/PID/maps has %d" % (nt, kernel)
assert rss == rollup, "region Rss %d kB, smaps_rollup says %d kB" % (rss, rollup)
assert p["rss_kb"] is not None and p["pss_kb"] is not None, p
print(p["rss_kb"])
PYEOF
status_rss=$(cat "$T/maps.rss")
echo "ok: $N mappings: ramtop counts $kernel (as /proc/$MP/maps), region Rss $rollup kB = smaps_rollup (status VmRSS $status_rss kB); $(took "$t1") s to sample, $(took "$t0") s in all"
kill -KILL "$MP"
wait "$MP" 2>/dev/null
sysctl_restore

# --- 5,000 processes -------------------------------------------------
NP=5000
procs=$(cut -d' ' -f4 /proc/loadavg | cut -d/ -f2)	# threads too
pidmax=$(cat /proc/sys/kernel/pid_max)
ulim=$(sed -n 's/^Max processes *\([0-9a-z]*\) .*/\1/p' /proc/self/limits)
room=$((pidmax - procs - 1000))
# (root is not held to ulimit -u; others count all their own threads)
[ "$ulim" = unlimited ] || [ "$(id -u)" -eq 0 ] ||
	[ $((ulim - procs - 1000)) -ge "$room" ] || room=$((ulim - procs - 1000))
if [ "$room" -lt "$NP" ]; then
	NP=$((room / 500 * 500))
	[ "$NP" -ge 500 ] || fail "no room for processes: pid_max $pidmax, ulimit -u $ulim, $procs running"
	echo "limits: pid_max $pidmax, ulimit -u $ulim, $procs processes running: $NP processes instead of 5000" >&2
fi
t0=$(secs)
wl_start big
BIG=$WL
: >"$T/big.pids"
i=0
while [ "$i" -lt "$NP" ]; do
	line=$(wl_cmd big "spawn 500")
	case $line in ok*) ;; *) fail "spawn 500 after $i: $line" ;; esac
	kv "$line" pids | tr ',' '\n' >>"$T/big.pids"
	i=$((i + 500))
done
[ "$(wc -l <"$T/big.pids")" -eq "$NP" ] || fail "spawned $(wc -l <"$T/big.pids")"
spawned=$(took "$t0")
t0=$(secs)
"$RAMTOP" -b -n 1 --json -p "$BIG" >"$T/big.json" 2>"$T/big.err" ||
	fail "$NP processes: exit $?: $(cat "$T/big.err")"
sampled=$(took "$t0")
$PY - "$T/big.json" "$T/big.pids" "$BIG" <<'PYEOF' || fail "$NP processes"
import json, sys
o = json.loads(open(sys.argv[1]).read().splitlines()[0])
want = set(int(x) for x in open(sys.argv[2]).read().split()) | {int(sys.argv[3])}
got = [p["pid"] for p in o["processes"]]
assert len(got) == len(set(got)), "a process listed twice"
assert set(got) == want, "%d processes, want %d; missing %s" % (
    len(got), len(want), sorted(want - set(got))[:10])
assert o["totals"]["processes"] == len(want), o["totals"]["processes"]
bad = [p["pid"] for p in o["processes"] if not p["rss_kb"]]
assert not bad, "RSS unknown or 0: %s" % bad[:10]
kids = [p for p in o["processes"] if p["pid"] != int(sys.argv[3])]
assert all(p["ppid"] == int(sys.argv[3]) and p["depth"] == 1 for p in kids)
# (pid, start_time) of each, to see them all gone at the end.
open(sys.argv[2] + ".st", "w").write("".join(
    "%d %d\n" % (p["pid"], p["start_time"]) for p in o["processes"]))
PYEOF
echo "ok: $NP processes + parent in one sample (spawned in $spawned s, sampled in $sampled s)"
last=$(sort -n "$T/big.pids" | tail -1)

if [ "$HAVE_TMUX" -eq 1 ]; then
	tm_start big 120 40
	# A sample of 5,000 takes seconds: keys are read between samples.
	$TM send-keys -t big "'$RAMTOP' -d 10 -p $BIG; echo rc=\$?" Enter
	poll big tree "$((NP + 1))" "$BIG"
	poll big first "$BIG"
	$TM send-keys -t big End
	poll big last "$last"
	rows=$($PY "$T/check.py" last "$T/screen" "$last")
	$TM send-keys -t big Home
	poll big first "$BIG"
	$TM send-keys -t big NPage NPage
	poll big scrolled "$BIG"
	$TM send-keys -t big q
	poll big rc 0
	$TM kill-session -t big
	echo "ok: the screen draws $((NP + 1)) processes ($rows rows shown); End reaches pid $last, Home and PgDn move; q exits 0"
else
	echo "skip: no tmux: the screen with $NP processes"
fi

# Every one of them ends.
t0=$(secs)
exec 9>&-
kill -KILL "$BIG" $(cat "$T/big.pids") 2>/dev/null
wait "$BIG" 2>/dev/null
left=0
for i in $(seq 1 300); do
	left=$($PY - "$T/big.pids.st" <<'PYEOF'
import sys
n = 0
for line in open(sys.argv[1]):
    pid, st = line.split()
    try:
        f = open("/proc/%s/stat" % pid).read()
    except OSError:
        continue
    if f[f.rindex(")") + 2:].split()[19] == st:
        n += 1
print(n)
PYEOF
)
	[ "$left" -eq 0 ] && break
	sleep 0.1
done
[ "$left" -eq 0 ] || fail "$left of the $NP processes still there"
BIG=""
echo "ok: all $NP processes gone $(took "$t0") s after their parent was killed"

# --- tiny terminals --------------------------------------------------
if [ "$HAVE_TMUX" -eq 1 ]; then
	tm_start tiny 80 24
	$TM send-keys -t tiny "'$RAMTOP' -d 0.2 -p $SMALL; echo rc=\$?" Enter
	poll tiny full "$SMALL"
	r=$(tm_ramtop tiny)
	[ -n "$r" ] || fail "no ramtop in the tiny session"
	for size in 1x5 10x3 1x1 2x2; do
		$TM resize-window -t tiny -x "${size%x*}" -y "${size#*x}"
		got=$($TM display -p -t tiny '#{window_width}x#{window_height}')
		[ "$got" = "$size" ] ||
			echo "limits: tmux made the window $got, not $size" >&2
		sleep 0.6	# three ticks at this size
		kill -0 "$r" 2>/dev/null || fail "ramtop died at $got"
		grep -q '^State:[[:space:]]*[RS]' "/proc/$r/status" ||
			fail "ramtop at $got: $(grep State "/proc/$r/status")"
		cap tiny
		[ "$(wc -L <"$T/screen")" -le "${got%x*}" ] ||
			fail "a line wider than $got"
		echo "ok: ${got}: still running, screen '$(tr '\n' '|' <"$T/screen" | cut -c1-40)'"
	done
	$TM resize-window -t tiny -x 80 -y 24
	poll tiny full "$SMALL"
	$TM send-keys -t tiny q
	poll tiny rc 0
	$TM kill-session -t tiny
	echo "ok: back at 80x24 the screen is whole again; q exits 0"
else
	echo "skip: no tmux: tiny terminals"
fi

# --- no usable terminal ----------------------------------------------
for term in dumb unknown-term; do
	rc=$(TERM=$term $PY "$T/onpty.py" -- "$RAMTOP" -p "$SMALL")
	[ "$rc" != timeout ] || fail "TERM=$term: ramtop kept running"
	[ "$rc" -eq 1 ] || fail "TERM=$term: exit $rc"
	tr -d '\r' <"$T/pty.out" >"$T/pty.txt"
	[ "$(wc -l <"$T/pty.txt")" -eq 1 ] || fail "TERM=$term: not one line: $(cat "$T/pty.txt")"
	grep -q "'$term'.*use -b for batch output$" "$T/pty.txt" ||
		fail "TERM=$term: message: $(cat "$T/pty.txt")"
	! grep -q "$(printf '\033')" "$T/pty.out" || fail "TERM=$term: escape sequences written"
	echo "ok: TERM=$term: exit 1, no escape sequence: $(cat "$T/pty.txt")"
done
# stdin or stdout alone not a terminal (cli.sh checks neither is).
for how in "--stdin-null" "--stdout $T/stdout"; do
	rc=$($PY "$T/onpty.py" $how -- "$RAMTOP" -p "$SMALL")
	[ "$rc" = 1 ] || fail "$how: exit $rc"
	grep -q "needs a terminal; use -b" "$T/pty.out" || fail "$how: $(cat "$T/pty.out")"
	! grep -q "$(printf '\033')" "$T/pty.out" || fail "$how: escape sequences written"
	[ ! -s "$T/stdout" ] || fail "$how: wrote to stdout"
done
echo "ok: stdin or stdout not a terminal: exit 1, pointed to -b, nothing drawn"

# --- a flood of connections to the mark socket -----------------------
"$RAMTOP" -b --json -d 0.2 -p "$SMALL" >"$T/flood.out" 2>"$T/flood.err" &
FR=$!
WL_PIDS="$WL_PIDS $FR"
for i in $(seq 1 100); do
	[ -S "$XDG_RUNTIME_DIR/ramtop/$FR.sock" ] && break
	sleep 0.05
done
[ -S "$XDG_RUNTIME_DIR/ramtop/$FR.sock" ] || fail "no mark socket"
sleep 1	# a few samples before
$PY - "$XDG_RUNTIME_DIR/ramtop/$FR.sock" >"$T/flood.sent" <<'PYEOF' || fail "flood"
# 1,000 requests from 50 threads at once, in turn: a mark (1 in 10; each
# takes a sample), an unknown request (4), 300 bytes without a newline
# (3), a NUL in a label (2).
# Each connection gets one line back; tally the answers.
import socket, sys, threading, time
path = sys.argv[1]
MARK = ("mark", lambda i: b"mark flood-%d\n" % i)
BOGUS = ("malformed", lambda i: b"bogus %d\n" % i)
LONG = ("oversized", lambda i: b"x" * 300)
NUL = ("malformed", lambda i: b"mark a\0b\n")
KINDS = [MARK, BOGUS, LONG, NUL, BOGUS, LONG, NUL, BOGUS, LONG, BOGUS]
WANT = {"mark": "ok ", "malformed": "err ", "oversized": "err message too long"}
lock = threading.Lock()
tally = {"mark": 0, "malformed": 0, "oversized": 0, "busy": 0}
labels, bad = [], []

def one(i):
    kind, make = KINDS[i % 10]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)     # blocking: waits while the backlog is full
    s.settimeout(60)     # a loaded machine is slow
    try:
        s.sendall(make(i))
    except (BrokenPipeError, ConnectionResetError):
        pass    # refused before we finished: the answer is there
    got = b""
    try:
        while not got.endswith(b"\n"):
            b = s.recv(512)
            if not b:
                break
            got += b
    except ConnectionResetError:
        pass
    s.close()
    got = got.decode(errors="replace")
    with lock:
        if got.startswith("err busy"):
            tally["busy"] += 1
            return False
        if got.startswith(WANT[kind]) and not (
                kind == "malformed" and "too long" in got):
            tally[kind] += 1
            if kind == "mark":
                labels.append("flood-%d" % i)
        else:
            bad.append((i, kind, got))
    return True

def worker(k):
    # Refused as busy: the same request again, so that every one of the
    # 1,000 is answered on its merits.
    for i in range(k, 1000, 50):
        try:
            while not one(i):
                time.sleep(0.005)
        except Exception as e:
            with lock:
                bad.append((i, KINDS[i % 10][0], repr(e)))

t0 = time.time()
ts = [threading.Thread(target=worker, args=(k,)) for k in range(50)]
for t in ts:
    t.start()
for t in ts:
    t.join()
assert not bad, "unexpected answers: %s" % bad[:5]
print(tally["mark"], tally["malformed"], tally["oversized"], tally["busy"],
      "%.1f" % (time.time() - t0))
print(" ".join(sorted(labels)))
PYEOF
sleep 1	# a few samples after
read marks malformed oversized busy secs <"$T/flood.sent"
ping=$(printf 'ping\n' | $PY -c '
import socket, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(10); s.connect(sys.argv[1])
s.sendall(sys.stdin.buffer.read()); print(s.recv(512).decode().strip())
' "$XDG_RUNTIME_DIR/ramtop/$FR.sock")
kill -TERM "$FR"
wait "$FR"
want="marks=$marks refused=0 malformed=$malformed oversized=$oversized timeouts=0 busy=$busy"
case $ping in
"ok ramtop $FR $want") ;;
*) fail "flood counters: '$ping', want '$want'" ;;
esac
[ "$marks" -eq 100 ] && [ "$malformed" -eq 600 ] && [ "$oversized" -eq 300 ] ||
	fail "sent 100 marks, 600 malformed, 300 oversized; answered $want"
$PY - "$T/flood.out" "$T/flood.sent" <<'PYEOF' >"$T/flood.iv" || fail "flood samples"
import json, statistics, sys
samples, marks = [], []
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o["kind"] == "sample":
        samples.append(o["elapsed_s"])
    elif o["kind"] == "mark" and o["index"] > 0:   # not the baseline
        marks.append(o["label"])
sent = open(sys.argv[2]).read().splitlines()[1].split()
assert sorted(marks) == sorted(sent), "phases %d, marks answered ok %d" % (
    len(marks), len(sent))
iv = [b - a for a, b in zip(samples, samples[1:])]
med, mx = statistics.median(iv), max(iv)
assert abs(med - 0.2) <= 0.15, "median interval %.3f s" % med
assert mx <= 1.0, "a gap of %.3f s" % mx
print("%d samples, interval median %.3f s, max %.3f s" % (len(samples), med, mx))
PYEOF
echo "ok: 1000 requests ($((1000 + busy)) connections, $busy refused busy and sent again) in $secs s: $marks marks, all phases; $malformed malformed, $oversized oversized, counted alike; $(cat "$T/flood.iv")"
echo "ok: limits"
