#!/bin/sh
# oom_score and oom_score_adj as optional columns of the process list
# (issue 16): off by default; F2 c and d turn OOM and OOMADJ on; the
# workload's values equal /proc/PID/oom_score_adj (set to 500 here) and
# /proc/PID/oom_score; the settings file keeps them; with --no-cgroup
# (nothing read) they are "-", not 0.
. "${top_srcdir:-.}/tests/lib.sh"

tm_setup
XDG_CONFIG_HOME=$T/config
export XDG_CONFIG_HOME
wl_start w
wl_cmd w "info" >/dev/null
echo 500 >/proc/$WL/oom_score_adj || fail "cannot set oom_score_adj of $WL"

cat >"$T/check.py" <<'PYEOF'
import re, sys

def table(L):
    h = [i for i, l in enumerate(L) if re.match(r"\s*PID\S*\s+\S", l)]
    assert h, "no list title line"
    names = [re.sub(r"[\u25b2\u25bc^v]$", "", n) for n in L[h[0]].split()]
    out = {}
    for l in L[h[0] + 1:]:
        if not re.match(r"\s*\d+\s", l):
            break
        t = l.split()
        out[int(t[0])] = dict(zip(names[1:-1], t[1:]))
    return names, out

def check(what, L, pid, mode):
    names, rows = table(L)
    pid = int(pid)
    if what == "all":       # some rows: each one's own scores
        got = 0
        for pid, r in rows.items():
            try:
                score = int(open("/proc/%d/oom_score" % pid).read())
                adj = int(open("/proc/%d/oom_score_adj" % pid).read())
            except OSError:
                continue
            assert r["OOMADJ"] == str(adj), (pid, r, adj)
            assert abs(int(r["OOM"]) - score) <= 1, (pid, r, score)
            got += 1
        assert got >= 3, rows
        return
    if what == "off":
        assert "OOM" not in names and "OOMADJ" not in names, names
        return
    assert "OOM" in names and "OOMADJ" in names, names
    r = rows[pid]
    if mode == "unknown":
        assert r["OOM"] == "-" and r["OOMADJ"] == "-", r
        return
    adj = int(open("/proc/%d/oom_score_adj" % pid).read())
    score = int(open("/proc/%d/oom_score" % pid).read())
    assert adj == 500, adj
    assert r["OOMADJ"] == str(adj), (r, adj)
    assert abs(int(r["OOM"]) - score) <= 1, (r, score)

L = open(sys.argv[2]).read().splitlines()
check(sys.argv[1], L, sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else "")
PYEOF

$TM new-session -d -s rt -x 150 -y 30 \
	"env LC_ALL=C.UTF-8 XDG_CONFIG_HOME='$XDG_CONFIG_HOME' '$RAMTOP' -d 0.3 -p $WL; sleep 600" ||
	fail "cannot start tmux"
tm_poll rt off "$WL"
echo "ok: OOM and OOMADJ are off by default"
$TM send-keys -t rt F2 c d Enter
tm_poll rt on "$WL"
echo "ok: F2 c d: OOMADJ equals /proc/PID/oom_score_adj (500), OOM oom_score"
$TM send-keys -t rt q
for i in $(seq 1 100); do
	grep -q "OOMADJ" "$XDG_CONFIG_HOME/ramtop/ramtoprc" 2>/dev/null && break
	sleep 0.05
done
grep -q "^columns=.*OOM,OOMADJ" "$XDG_CONFIG_HOME/ramtop/ramtoprc" ||
	fail "ramtoprc does not keep the columns: $(cat "$XDG_CONFIG_HOME/ramtop/ramtoprc")"
echo "ok: ramtoprc keeps OOM and OOMADJ"

# Nothing read (--no-cgroup): unknown, shown as "-".
$TM new-session -d -s nc -x 150 -y 30 \
	"env LC_ALL=C.UTF-8 XDG_CONFIG_HOME='$XDG_CONFIG_HOME' '$RAMTOP' --no-cgroup -d 0.3 -p $WL; sleep 600" ||
	fail "cannot start tmux"
tm_poll nc on "$WL" unknown
echo "ok: unknown oom_score is '-'"

# Over every process the scores are two files a process: read for the
# outputs that keep them, and on screen while a column shows them (the
# ramtoprc above keeps OOM and OOMADJ on).
if command -v strace >/dev/null 2>&1; then
	strace -f -qq -e trace=openat -o "$T/txt" "$RAMTOP" -b -n 2 -d 0.2 \
		>/dev/null 2>&1
	n=$(grep -cE '[/"]oom_score"' "$T/txt")
	[ "$n" -eq 0 ] || fail "-b over all processes read $n oom_score"
	strace -f -qq -e trace=openat -o "$T/js" "$RAMTOP" -b -n 1 --json \
		>"$T/js.out" 2>&1
	n=$(grep -cE '[/"]oom_score"' "$T/js")
	[ "$n" -ge 10 ] || fail "-b --json over all processes read $n oom_score"
	echo "ok: all processes: oom_score read for --json ($n), not for text"
else
	echo "skip: no strace: which outputs read oom_score is not checked"
fi
$TM new-session -d -s all -x 150 -y 30 \
	"env LC_ALL=C.UTF-8 XDG_CONFIG_HOME='$XDG_CONFIG_HOME' '$RAMTOP' -d 0.3; sleep 600" ||
	fail "cannot start tmux"
tm_poll all all 0
echo "ok: all processes on screen: the columns shown are read"
