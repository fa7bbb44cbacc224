#!/bin/sh
# Memory cgroups, live: a cgroup with a 64 MiB limit (cgroup v1's memory
# controller here; v2 when the host's cgroup2 has the memory controller),
# the workload in it growing in steps.  At each step ramtop's usage, limit
# and headroom (batch NDJSON) match the cgroup's own files; then the
# workload grows past the limit, is OOM-killed, and ramtop reports the
# kill of that pid with the phase it happened in: on the screen (tmux),
# in batch NDJSON and in the -o snapshot (`ramtop show` too).  Launch
# mode keeps the command's status (137) and tells the kill at exit.
# The cgroup is removed at the end, even on failure.  Skipped (77) with
# the reason where no memory cgroup can be made.
. "${top_srcdir:-.}/tests/lib.sh"

LIMIT=$((64 * 1024 * 1024))

# Where a memory cgroup can be made: v1's memory hierarchy, or cgroup2
# with the memory controller (detected, not assumed).
MNT=$(awk '$9 == "cgroup" && $NF ~ /(^|,)memory(,|$)/ { print $5; exit }' /proc/self/mountinfo)
VER=1
if [ -z "$MNT" ]; then
	MNT=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
	VER=2
	if [ -z "$MNT" ] || ! grep -qw memory "$MNT/cgroup.controllers" 2>/dev/null; then
		echo "SKIP: no memory cgroup controller (neither v1 memory nor cgroup2 with memory)"
		exit 77
	fi
fi
CG=$MNT/ramtop-test-$$
if ! mkdir "$CG" 2>"$T/mkdir.err"; then
	echo "SKIP: cannot create a memory cgroup in $MNT: $(cat "$T/mkdir.err") (needs root and a writable cgroup file system)"
	exit 77
fi

tm_setup optional && HAVE_TM=1 || HAVE_TM=""

# A hybrid host keeps pressure (PSI) in cgroup2 only: a cgroup2 group for
# the workload too, whose memory.pressure ramtop shows for the v1 cgroup.
CG2=""
if [ $VER = 1 ]; then
	m2=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
	if [ -n "$m2" ] && [ -f "$m2/cgroup.procs" ] &&
	    mkdir "$m2/ramtop-test-$$" 2>/dev/null; then
		CG2=$m2/ramtop-test-$$
	fi
fi

# Remove the cgroup whatever happens: kill what is in it, then rmdir.
cg_cleanup() {
	local i p
	for i in 1 2 3 4 5 6 7 8 9 10; do
		[ -d "$CG" ] || break
		for p in $(cat "$CG/cgroup.procs" 2>/dev/null); do
			kill -KILL "$p" 2>/dev/null
		done
		rmdir "$CG" 2>/dev/null && break
		sleep 0.2
	done
	[ -d "$CG" ] && echo "warning: could not remove $CG" >&2
	if [ -n "$CG2" ]; then
		for p in $(cat "$CG2/cgroup.procs" 2>/dev/null); do
			kill -KILL "$p" 2>/dev/null
		done
		sleep 0.2
		rmdir "$CG2" 2>/dev/null ||
			echo "warning: could not remove $CG2" >&2
	fi
	if [ -n "$HAVE_TM" ]; then tm_cleanup; else cleanup; fi
}
trap cg_cleanup EXIT INT TERM

if [ $VER = 1 ]; then
	echo $LIMIT >"$CG/memory.limit_in_bytes" || fail "cannot set the limit"
	# No swap to escape to: memory+swap at the same limit, if accounted.
	[ -f "$CG/memory.memsw.limit_in_bytes" ] &&
		echo $LIMIT >"$CG/memory.memsw.limit_in_bytes"
	F_USAGE=memory.usage_in_bytes
	F_LIMIT=memory.limit_in_bytes
else
	echo $LIMIT >"$CG/memory.max" || fail "cannot set memory.max"
	[ -f "$CG/memory.swap.max" ] && echo 0 >"$CG/memory.swap.max"
	F_USAGE=memory.current
	F_LIMIT=memory.max
fi
rel=${CG#"$MNT"}
echo "cgroup v$VER: $CG"

# The workload, moved into the cgroup before it starts.
mkfifo "$T/wl.in"
: >"$T/wl.out"	# there before wl_cmd counts its lines
sh -c 'echo $$ >"$1/cgroup.procs" && { [ -z "$3" ] || echo $$ >"$3/cgroup.procs"; } && exec "$2"' \
	sh "$CG" "$WORKLOAD" "$CG2" <"$T/wl.in" >"$T/wl.out" 2>"$T/wl.err" &
WL=$!
WL_PIDS="$WL_PIDS $WL"
exec 9>"$T/wl.in"
wl_cmd wl "info" >/dev/null
grep -q "^$WL\$" "$CG/cgroup.procs" || fail "workload $WL is not in $CG"

# Batch NDJSON and the screen watch it at once.
"$RAMTOP" -b --json -d 0.2 -p "$WL" -o "$T/snap.json" --textfile "$T/cg.prom" \
	>"$T/nd" 2>"$T/nd.err" &
RB=$!
WL_PIDS="$WL_PIDS $RB"
if [ -n "$HAVE_TM" ]; then
	$TM new-session -d -s rt -x 200 -y 40 \
		"env LC_ALL=C.UTF-8 sh -c 'echo \$\$ >\"$T/rtpid\"; exec \"$RAMTOP\" -d 0.3 -p $WL'; sleep 600" ||
		fail "cannot start tmux"
fi

cat >"$T/check.py" <<'PYEOF'
import json, sys
def samples(path):
    out = []
    # The file is being written: a last line may be cut anywhere.
    for l in open(path, errors="replace"):
        if l.startswith("{"):
            try:
                out.append(json.loads(l))
            except ValueError:
                pass
    return out
what = sys.argv[1]
if what == "count":
    print(len([o for o in samples(sys.argv[2]) if o["kind"] == "sample"]))
elif what == "step":
    # step NDJSON CGPATH LIMIT_BYTES U1 U2 AFTER: the first sample after
    # the AFTER-th has usage between the file's two readings (bytes,
    # 128 KiB of slack for the kernel's own charges), the limit
    # exactly, and headroom = limit - usage of the same cgroup.
    nd, cg, limit, u1, u2, after = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
    s = [o for o in samples(nd) if o["kind"] == "sample"][after]
    g = [c for c in s["cgroups"] if c["path"] == cg]
    assert g, f"cgroup {cg} not in {[c['path'] for c in s['cgroups']]}"
    g = g[0]
    lo, hi = min(u1, u2) // 1024 - 128, max(u1, u2) // 1024 + 128
    assert lo <= g["usage_kb"] <= hi, f"usage {g['usage_kb']} KiB, files say {u1} .. {u2} bytes"
    assert g["limit_kb"] == limit // 1024, g["limit_kb"]
    t = g["tightest"]
    assert t["path"] == cg and t["limit_kb"] == limit // 1024, t
    assert t["headroom_kb"] == t["limit_kb"] - t["usage_kb"], t
    assert lo <= t["usage_kb"] <= hi, t
    assert g["errors"].get("usage") is None and g["errors"].get("limit") is None, g["errors"]
    assert str(t["warn"]) == sys.argv[9], (t, sys.argv[9])
    if sys.argv[8] == "psi":
        # v1 on a hybrid host: the pressure of the cgroup2 group.
        assert g["pressure"] is not None and "pressure" not in g["errors"], g
        assert set(g["pressure"]["some"]) == {"avg10", "avg60", "avg300", "total_us"}, g["pressure"]
    print(f"usage {g['usage_kb']} KiB (files {u1 // 1024}..{u2 // 1024}), limit {g['limit_kb']}, headroom {t['headroom_kb']}, warn {t['warn']}")
elif what == "oom":
    # oom NDJSON PID CGPATH PHASE: a kind "oom" line for PID.
    nd, pid, cg, phase = sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
    ev = [o["oom"] for o in samples(nd) if o["kind"] == "oom"]
    assert ev, "no oom line"
    e = ev[0]
    assert e["pid"] == pid and e["cgroup"] == cg and e["phase"] == phase, e
    assert e["limit_kb"] == 65536, e
    assert e["peak_kb"] is not None and e["peak_kb"] >= 60 * 1024, e
    want = f"pid {pid} killed by the OOM killer (cgroup {cg}: limit 64M, peak "
    assert e["message"].startswith(want) and e["message"].endswith(f"during phase '{phase}'"), e["message"]
    print(e["message"])
elif what == "snap":
    d = json.load(open(sys.argv[2]))
    import jsonschema
    jsonschema.validate(d, json.load(open(sys.argv[6])), cls=jsonschema.Draft202012Validator)
    pid, phase = int(sys.argv[3]), sys.argv[4]
    assert d["oom"] and d["oom"][0]["pid"] == pid and d["oom"][0]["phase"] == phase, d.get("oom")
    last = d["phases"][-1]
    assert any(c["path"] == sys.argv[5] for c in last["cgroups"]), last["cgroups"]
    print("snapshot oom:", d["oom"][0]["message"])
elif what == "screen":
    txt = open(sys.argv[2]).read()
    for want in sys.argv[3:]:
        assert want in txt, f"{want!r} not on the screen"
PYEOF

nsamples() { $PY "$T/check.py" count "$T/nd"; }
# wait_sample N: until more than N samples are out.
wait_sample() {
	local i
	[ -n "$1" ] || fail "cannot count the samples in $T/nd (see above)"
	for i in $(seq 1 100); do
		[ "$(nsamples)" -gt "$1" ] && return 0
		sleep 0.1
	done
	fail "ramtop -b wrote no sample after $1 (stderr: $(cat "$T/nd.err"))"
}

mark_both() {
	"$RAMTOP" mark --to "$RB" "$1" >/dev/null || fail "mark $1 (batch)"
	if [ -n "$HAVE_TM" ]; then
		"$RAMTOP" mark --to "$(cat "$T/rtpid")" "$1" >/dev/null ||
			fail "mark $1 (screen)"
	fi
}

wait_sample 0
[ -n "$HAVE_TM" ] && tm_poll rt screen "Limits" "limit 64M"
step=0
# 16, 32, 48 MiB: over 20% of the limit left; 56 MiB: under, a warning.
for size in 16M 16M 16M 8M; do
	step=$((step + 1))
	warn=False
	[ $step -eq 4 ] && warn=True
	r=$(wl_cmd wl "anon $size")
	case $r in ok*) ;; *) fail "anon $size: $r" ;; esac
	mark_both "step-$step"
	sleep 0.3
	u1=$(cat "$CG/$F_USAGE")
	n=$(nsamples)
	wait_sample "$n"
	u2=$(cat "$CG/$F_USAGE")
	[ "$(cat "$CG/$F_LIMIT")" -eq $LIMIT ] || fail "the limit changed"
	$PY "$T/check.py" step "$T/nd" "$rel" $LIMIT "$u1" "$u2" "$n" "${CG2:+psi}" $warn ||
		fail "step $step: ramtop's figures differ from $CG"
done
echo "ok: usage, limit and headroom match $F_USAGE and $F_LIMIT at 4 steps; the warning under 20%"

# The Prometheus export of the same cgroup (--textfile, written each
# sample; the workload is idle now): the limit and the oom_kill counter
# exactly, usage between two readings of the file, headroom = limit -
# usage, promtool check metrics.
if [ $VER = 1 ]; then EVF=memory.oom_control; else EVF=memory.events; fi
u1=$(cat "$CG/$F_USAGE")
cp "$T/cg.prom" "$T/cg1.prom"
u2=$(cat "$CG/$F_USAGE")
$PY - "$T/cg1.prom" "$rel" $VER $LIMIT "$u1" "$u2" \
	"$(awk '$1 == "oom_kill" { print $2 }' "$CG/$EVF")" <<'PYEOF' || fail "exported cgroup figures differ from $CG"
import re, sys
prom, cg, ver, limit, u1, u2, kills = sys.argv[1], sys.argv[2], sys.argv[3], *map(int, sys.argv[4:])
v = {}
for line in open(prom):
    m = re.match(r'^(\w+)\{(.*)\} (\S+)$', line.strip())
    if m and ('cgroup="%s",version="%s"' % (cg, ver)) in m.group(2):
        v[m.group(1)] = float(m.group(3))
assert v.get("ramtop_cgroup_limit_bytes") == limit, v
assert min(u1, u2) - (128 << 10) <= v["ramtop_cgroup_usage_bytes"] <= max(u1, u2) + (128 << 10), (v, u1, u2)
assert v["ramtop_cgroup_tightest_limit_bytes"] == limit, v
assert abs(v["ramtop_cgroup_headroom_bytes"] - (limit - v["ramtop_cgroup_usage_bytes"])) <= 128 << 10, v
assert v["ramtop_cgroup_oom_kill_events_total"] == kills, (v, kills)
assert v["ramtop_cgroup_processes"] == 1, v
PYEOF
if command -v promtool >/dev/null 2>&1; then
	promtool check metrics <"$T/cg1.prom" >"$T/lint" 2>&1 || fail "promtool check metrics: $(cat "$T/lint")"
fi
echo "ok: the exported cgroup metrics match the v1 cgroup's files"

# A recording (tests/proc-record.sh) keeps the cgroup for --replay.
sh "$top_srcdir/tests/proc-record.sh" "$T/rec" "$WL" >/dev/null || fail "proc-record.sh"
"$RAMTOP" -b --json -n 1 -p "$WL" --replay "$T/rec" >"$T/rec.nd" 2>&1 || fail "replay of the recording"
$PY - "$T/rec.nd" "$rel" <<'PYEOF' || fail "the recording lost the cgroup"
import json, sys
s = json.loads(open(sys.argv[1]).readline())
g = [c for c in s["cgroups"] if c["path"] == sys.argv[2]][0]
assert g["limit_kb"] == 65536 and g["usage_kb"] > 48 * 1024 and g["tightest"]["limit_kb"] == 65536, g
PYEOF
echo "ok: a recording replays the cgroup"

# The screen: the limits line.
if [ -n "$HAVE_TM" ]; then
	tm_poll rt screen "Limits" "limit 64M" "headroom"
	# Under 20% left: headroom in the warning colour (black on yellow).
	e=$(printf '\033')
	$TM capture-pane -e -p -t rt | grep "Limits" >"$T/esc"
	grep -q "headroom $e\[1m$e\[30m$e\[43m[0-9.]*M" "$T/esc" ||
		fail "no warning colour on the headroom: $(cat -v "$T/esc")"
	echo "ok: screen: limits line, headroom in the warning colour"
fi

# Over the limit: 56M + 32M > 64M.
mark_both "kv-cache"
echo "anon 32M" >&9
wait $WL
rc=$?
[ $rc -eq 137 ] || fail "workload exit status $rc, want 137 (SIGKILL)"
if [ $VER = 1 ]; then
	kills=$(awk '$1 == "oom_kill" { print $2 }' "$CG/memory.oom_control")
else
	kills=$(awk '$1 == "oom_kill" { print $2 }' "$CG/memory.events")
fi
[ "$kills" -ge 1 ] || fail "the kernel counted no OOM kill ($kills)"
for i in $(seq 1 100); do
	kill -0 "$RB" 2>/dev/null || break
	sleep 0.1
done
wait $RB
$PY "$T/check.py" oom "$T/nd" "$WL" "$rel" kv-cache || fail "batch NDJSON: no OOM report"
$PY "$T/check.py" snap "$T/snap.json" "$WL" kv-cache "$rel" "$top_srcdir/docs/snapshot.schema.json" ||
	fail "snapshot: no OOM event, or not valid against the schema"
"$RAMTOP" show "$T/snap.json" >"$T/show" || fail "ramtop show failed"
grep -q "pid $WL killed by the OOM killer (cgroup $rel: limit 64M, peak 6[0-9.]*M) during phase 'kv-cache'" "$T/show" ||
	fail "ramtop show: no OOM line: $(cat "$T/show")"
"$RAMTOP" show --json "$T/snap.json" | $PY -c "
import json, sys
d = json.load(sys.stdin)
assert d['oom'][0]['pid'] == $WL and d['oom'][0]['phase'] == 'kv-cache', d.get('oom')
" || fail "ramtop show --json: no oom"
echo "ok: OOM kill of pid $WL reported in NDJSON, the snapshot and ramtop show (text and --json)"

if [ -n "$HAVE_TM" ]; then
	tm_poll rt screen "pid $WL killed by the OOM killer" "during phase 'kv-cache'" "OOM "
	echo "ok: OOM kill on the screen"
fi

# A child killed and left unreaped (a zombie: still in the tree) is told
# too.  The parent execs sleep, which never reaps; the child is the
# largest process of the cgroup, so the OOM killer takes it.
# The child waits 3 s before it grows, so that ramtop has sampled it in
# its cgroup first even when slow to start (an ASan build).
sh -c 'echo $$ >"$1/cgroup.procs" || exit 1; "$2" sleep 3 anon 100M sleep 5 & exec sleep 9' \
	sh "$CG" "$WORKLOAD" >/dev/null 2>&1 &
ZP=$!
WL_PIDS="$WL_PIDS $ZP"
"$RAMTOP" -b --json -d 0.2 -p "$ZP" >"$T/zp.nd" 2>"$T/zp.err" &
RZ=$!
WL_PIDS="$WL_PIDS $RZ"
ZC=""
for i in $(seq 1 100); do
	ZC=$(pgrep -P "$ZP" | head -1)
	[ -n "$ZC" ] && break
	sleep 0.05
done
[ -n "$ZC" ] || fail "no child of $ZP"
for i in $(seq 1 200); do
	awk '{ exit $3 != "Z" }' "/proc/$ZC/stat" 2>/dev/null && break
	sleep 0.05
done
awk '{ exit $3 != "Z" }' "/proc/$ZC/stat" || fail "child $ZC is not a zombie: the case was not tested"
for i in $(seq 1 50); do
	grep -q '"kind":"oom","oom":{"pid":'"$ZC"',' "$T/zp.nd" && break
	sleep 0.1
done
grep -q '"kind":"oom","oom":{"pid":'"$ZC"',' "$T/zp.nd" ||
	fail "the zombie child $ZC: no OOM line ($(grep -c sample "$T/zp.nd") samples; $(cat "$T/zp.err"))"
awk '{ exit $3 != "Z" }' "/proc/$ZC/stat" || fail "child $ZC was reaped before the check"
kill "$RZ" "$ZP" 2>/dev/null
wait "$RZ" "$ZP" 2>/dev/null
echo "ok: an unreaped child (zombie) killed by the OOM killer is told"

# Text batch: the kill as a line of the report.
sh -c 'echo $$ >"$1/cgroup.procs" && exec "$2" sleep 0.8 anon 100M sleep 5' sh "$CG" "$WORKLOAD" >/dev/null 2>&1 &
WL2=$!
WL_PIDS="$WL_PIDS $WL2"
"$RAMTOP" -b -d 0.2 -p "$WL2" >"$T/text" 2>"$T/text.err"
grep -q "^ramtop: pid $WL2 killed by the OOM killer (cgroup $rel: limit 64M, peak 6[0-9.]*M) during phase 'baseline'" "$T/text" ||
	fail "batch text: no OOM line: $(grep ramtop: "$T/text")"
grep -q "^  tightest limit 64M ($rel)  headroom" "$T/text" || fail "batch text: no tightest limit line"
echo "ok: batch text reports the kill"

# Launch mode: the command's status stays 137; the kill is told at exit.
"$RAMTOP" -b -d 0.2 -- sh -c 'echo $$ >"$1/cgroup.procs" && exec "$2" sleep 0.8 anon 100M sleep 5' \
	sh "$CG" "$WORKLOAD" >"$T/launch" 2>"$T/launch.err"
rc=$?
[ $rc -eq 137 ] || fail "launch mode: exit $rc, want 137"
tail -3 "$T/launch" | grep -q "^ramtop: pid [0-9]* killed by the OOM killer (cgroup $rel: limit 64M" ||
	fail "launch mode: no OOM line at exit: $(tail -3 "$T/launch")"
tail -1 "$T/launch" | grep -q "command exited with status 137" || fail "launch mode: no exit line"
echo "ok: launch mode exits 137 and tells the kill"

# The screen in launch mode: the kill on the screen, then, after q, the
# message again on the terminal and the command's status.
if [ -n "$HAVE_TM" ]; then
	$TM new-session -d -s rl -x 200 -y 40 \
		"env LC_ALL=C.UTF-8 '$RAMTOP' -d 0.3 -- sh -c 'echo \$\$ >\"\$1/cgroup.procs\" && exec \"\$2\" sleep 0.8 anon 100M sleep 5' sh '$CG' '$WORKLOAD'; echo \"status \$?\"; sleep 600" ||
		fail "cannot start tmux"
	tm_poll rl screen "killed by the OOM killer (cgroup $rel: limit 64M" "OOM "
	$TM send-keys -t rl q
	tm_poll rl screen "status 137"
	grep -q "^ramtop: pid [0-9]* killed by the OOM killer (cgroup $rel: limit 64M, peak 6[0-9.]*M) during phase 'baseline'" "$T/screen" ||
		fail "screen launch mode: no message after exit: $(cat "$T/screen")"
	echo "ok: screen launch mode: the kill on screen, at exit, status 137"
fi
