#!/bin/sh
# Memory cgroups through the replay collector (--replay), from fixtures:
#  - cgroup v2 (tests/fixtures/cgroup_v2): files written in the formats of
#    the kernel's Documentation/admin-guide/cgroup-v2.rst as of Linux 6.1
#    (memory.current, memory.max "max", memory.high, memory.peak,
#    memory.swap.*, memory.stat, memory.events, memory.pressure) and
#    Documentation/accounting/psi.rst (/proc/pressure/memory).  Frame 0
#    has a service at 60 MiB of a 64 MiB limit with a child cgroup
#    (no limit of its own: the parent's is the tightest); in frame 1 the
#    child cgroup is gone (removed between two samples).
#  - a hybrid host with no memory controller (tests/fixtures/cgroup_nomem).
#  - a cgroup file that cannot be read (a copy with one file mode 000,
#    read as an unprivileged user).
# Each unknown figure is null with its reason, never 0, and nothing
# crashes.  A live cgroup v2 test runs in tests/cgroup.sh when the host
# has cgroup2 with the memory controller.
. "${top_srcdir:-.}/tests/lib.sh"

FX=$top_srcdir/tests/fixtures

cat >"$T/v2.py" <<'PYEOF'
import json, sys
s0, s1 = [o for o in map(json.loads, open(sys.argv[1])) if o.get("kind") == "sample"]
cg = {c["path"]: c for c in s0["cgroups"]}
svc = cg["/app.slice/llm"]
want = {"version": 2, "usage_kb": 61440, "limit_kb": 65536, "high_kb": "max",
        "peak_kb": 64512, "swap_kb": 0, "swap_limit_kb": "max",
        "anon_kb": 49152, "file_kb": 8192, "shmem_kb": 2048, "kernel_kb": 1024,
        "slab_kb": 704, "sock_kb": 4, "file_mapped_kb": 1024,
        "events": {"oom": 2, "oom_kill": 1, "max": 12}, "removed": False,
        "processes": 1, "errors": {}}
for k, v in want.items():
    assert svc[k] == v, (k, svc[k], v)
assert svc["pressure"]["some"] == {"avg10": 12.34, "avg60": 5.67, "avg300": 1.23, "total_us": 987654}, svc["pressure"]
assert svc["pressure"]["full"]["total_us"] == 123123, svc["pressure"]
assert svc["tightest"] == {"path": "/app.slice/llm", "limit_kb": 65536,
                           "usage_kb": 61440, "headroom_kb": 4096, "warn": True}, svc["tightest"]
eng = cg["/app.slice/llm/engine"]
assert eng["limit_kb"] == "max" and eng["usage_kb"] == 10240, eng
# Its own limit is none: the parent's applies.
assert eng["tightest"]["path"] == "/app.slice/llm" and eng["tightest"]["headroom_kb"] == 4096, eng["tightest"]
# A file left out of the recording: unknown with the reason.
assert eng["peak_kb"] is None and eng["errors"] == {"peak": "not in the recording"}, eng
assert s0["pressure"]["some"] == {"avg10": 1.5, "avg60": 0.75, "avg300": 0.2, "total_us": 123456}, s0["pressure"]
procs = {p["pid"]: p for p in s0["processes"]}
assert procs[100]["cgroup"] == "/app.slice/llm" and procs[100]["oom_score"] == 667 and procs[100]["oom_score_adj"] == 0, procs[100]
assert procs[101]["cgroup"] == "/app.slice/llm/engine", procs[101]
# Frame 1: the engine's cgroup was removed between the samples.
cg1 = {c["path"]: c for c in s1["cgroups"]}
gone = cg1["/app.slice/llm/engine"]
assert gone["removed"] is True, gone
for k in ("usage_kb", "limit_kb", "peak_kb", "anon_kb", "file_kb"):
    assert gone[k] is None, (k, gone[k])
assert gone["errors"]["usage"] == "cgroup removed" and gone["events"]["oom_kill"] is None, gone
assert cg1["/app.slice/llm"]["usage_kb"] == 61440
# A recording has no file systems: /dev/shm unknown, with the reason.
assert s0["shm"][0]["size_kb"] is None and s0["shm"][0]["error"] == "not in the recording", s0["shm"]
print("v2 ok")
PYEOF
# Every process (cgroups read every 10 samples, a removal at once), and
# a target tree (every sample).
"$RAMTOP" -b --json -n 2 -d 0.05 --replay "$FX/cgroup_v2" >"$T/v2.nd" 2>"$T/v2.err" ||
	fail "ramtop --replay cgroup_v2: $(cat "$T/v2.err")"
$PY "$T/v2.py" "$T/v2.nd" || fail "cgroup v2 figures (every process)"
"$RAMTOP" -b --json -n 2 -d 0.05 -p 100 --replay "$FX/cgroup_v2" >"$T/v2p.nd" 2>"$T/v2.err" ||
	fail "ramtop --replay cgroup_v2 -p 100: $(cat "$T/v2.err")"
$PY "$T/v2.py" "$T/v2p.nd" || fail "cgroup v2 figures (-p 100)"
echo "ok: cgroup v2 fixture figures, removed cgroup unknown with its reason"

# Text: no limit as such, the warning, the removed cgroup.
"$RAMTOP" -b -n 2 -d 0.05 --replay "$FX/cgroup_v2" >"$T/v2.txt" 2>&1 || fail "text replay"
grep -q "^  usage 60M  limit 64M  high no limit  peak 63M  swap 0 of no limit" "$T/v2.txt" || fail "v2 text: usage line"
grep -q "^  tightest limit 64M (/app.slice/llm)  headroom 4.0M  WARNING: under 20% left" "$T/v2.txt" ||
	fail "v2 text: tightest/warning line"
grep -q "^Cgroup  /app.slice/llm/engine (v2, 1 process) removed" "$T/v2.txt" || fail "v2 text: removed"
grep -q "unknown: every figure (cgroup removed)" "$T/v2.txt" || fail "v2 text: removed reason"
echo "ok: cgroup v2 text report"

# No memory controller anywhere: the process's cgroup is unknown, why.
"$RAMTOP" -b --json -n 1 --replay "$FX/cgroup_nomem" >"$T/nomem.nd" 2>&1 || fail "nomem replay"
$PY - "$T/nomem.nd" <<'PYEOF' || fail "no memory cgroup"
import json, sys
s = json.loads(open(sys.argv[1]).readline())
assert s["cgroups"] == [], s["cgroups"]
p = s["processes"][0]
assert p["cgroup"] is None and p["cgroup_error"] == "in no memory cgroup (no memory controller)", p
assert s["pressure"] is None
PYEOF
"$RAMTOP" -b -n 1 --replay "$FX/cgroup_nomem" 2>&1 | grep -q "^Cgroup  - for 1 process (e.g. pid 200): in no memory cgroup (no memory controller)" ||
	fail "nomem text"
echo "ok: a process in no memory cgroup"

# A file without cgroups or OOM kills (as older ramtops wrote them, and
# --no-cgroup now) still reads; `ramtop show` has no OOM section then.
sleep 30 &
WL_PIDS="$WL_PIDS $!"
"$RAMTOP" -b -n 1 --no-cgroup -o "$T/old.json" -p $! >"$T/old.txt" 2>&1 || fail "--no-cgroup run"
grep -q "^Cgroup\|^tmpfs\|^Pressure" "$T/old.txt" && fail "--no-cgroup still reports cgroups"
grep -q '"cgroups"\|"oom"\|"oom_score"' "$T/old.json" && fail "--no-cgroup file has cgroup keys"
"$RAMTOP" show "$T/old.json" >"$T/old.show" 2>&1 || fail "show of a file without cgroups: $(cat "$T/old.show")"
grep -q "OOM kills\|Memory cgroups" "$T/old.show" && fail "show invents cgroups"
echo "ok: a file without cgroups reads; --no-cgroup reads none"

# An unreadable file: memory.stat mode 000, read as nobody.
if [ "$(id -u)" -eq 0 ]; then
	command -v setpriv >/dev/null 2>&1 || { echo "SKIP part: no setpriv to drop root"; exit 0; }
	AS="setpriv --reuid=65534 --regid=65534 --clear-groups"
else
	AS=""
fi
cp -r "$FX/cgroup_v2" "$T/ro"
chmod -R a+rX "$T/ro" "$T"
chmod 000 "$T/ro/0/sys/fs/cgroup/app.slice/llm/memory.stat" \
	"$T/ro/1/sys/fs/cgroup/app.slice/llm/memory.stat"
$AS "$RAMTOP" -b --json -n 1 --replay "$T/ro" >"$T/ro.nd" 2>"$T/ro.err" ||
	fail "unreadable file: ramtop failed: $(cat "$T/ro.err")"
$PY - "$T/ro.nd" <<'PYEOF' || fail "unreadable cgroup file"
import json, sys
s = json.loads(open(sys.argv[1]).readline())
svc = [c for c in s["cgroups"] if c["path"] == "/app.slice/llm"][0]
for k in ("anon", "file", "shmem", "kernel", "slab", "sock", "file_mapped"):
    assert svc[k + "_kb"] is None, (k, svc[k + "_kb"])
    assert svc["errors"][k] == "permission denied", svc["errors"]
assert svc["usage_kb"] == 61440 and svc["limit_kb"] == 65536, svc
PYEOF
echo "ok: an unreadable cgroup file is unknown (permission denied)"
