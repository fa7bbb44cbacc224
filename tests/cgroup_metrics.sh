#!/bin/sh
# The Prometheus export of the memory cgroups (issue 16): ramtop
# --textfile over the cgroup v2 fixture (tests/fixtures/cgroup_v2, the
# kernel's cgroup-v2.rst formats as of Linux 6.1; see
# tests/cgroup_replay.sh) gives, for each distinct cgroup of the target,
# the figures of its own files: usage, limit, high, peak, swap, the
# memory.stat kinds, the events (counters), the tightest limit and its
# headroom, memory.pressure; /proc/pressure/memory; each process's
# oom_score and oom_score_adj.  "max" is no _bytes series (and
# ramtop_cgroup_unlimited 1), a file not in the recording no series:
# never 0.  promtool check metrics passes.  Live: /dev/shm size and
# use equal statvfs.  The live v1 cgroup is
# checked the same way in tests/cgroup.sh.
. "${top_srcdir:-.}/tests/lib.sh"

FX=$top_srcdir/tests/fixtures/cgroup_v2
"$RAMTOP" -b -n 1 -p 100 --replay "$FX" --textfile "$T/cg.prom" \
	>/dev/null 2>"$T/err" || fail "ramtop --replay --textfile: $(cat "$T/err")"
[ -s "$T/cg.prom" ] || fail "no textfile written"
if command -v promtool >/dev/null 2>&1; then
	promtool check metrics <"$T/cg.prom" >"$T/lint" 2>&1 ||
		fail "promtool check metrics: $(cat "$T/lint")"
	echo "ok: promtool check metrics"
else
	echo "note: no promtool here: lint not run"
fi
$PY "$top_srcdir/tests/cgroup_metrics.py" "$T/cg.prom" "$FX/0" 2 ||
	fail "exported cgroup figures differ from the fixture's files"
echo "ok: exported cgroup figures equal the cgroup files"

# Live: /dev/shm's size and use (statvfs) as ramtop_tmpfs_*_bytes.
if [ -d /dev/shm ]; then
	sleep 30 &
	SP=$!
	WL_PIDS="$WL_PIDS $SP"
	"$RAMTOP" -b -n 1 -p "$SP" --textfile "$T/live.prom" >/dev/null 2>"$T/err" ||
		fail "live --textfile: $(cat "$T/err")"
	$PY - "$T/live.prom" <<'PYEOF' || fail "/dev/shm figures differ from statvfs"
import os, re, sys
v = {}
for line in open(sys.argv[1]):
    m = re.match(r'^(ramtop_tmpfs_\w+)\{path="/dev/shm"\} (\S+)$', line.strip())
    if m:
        v[m.group(1)] = int(m.group(2))
st = os.statvfs("/dev/shm")
size = st.f_blocks * st.f_frsize
used = (st.f_blocks - st.f_bfree) * st.f_frsize
assert v.get("ramtop_tmpfs_size_bytes") == size, (v, size)
# Other programs may write there meanwhile: 8 MiB of slack.
assert abs(v["ramtop_tmpfs_used_bytes"] - used) <= 8 << 20, (v, used)
PYEOF
	echo "ok: /dev/shm size and use equal statvfs"
fi
