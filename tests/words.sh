#!/bin/sh
# tests/words.sh - wrong figures and words the outside probe found:
#  - a label made of digits can be chosen in diff (label:2024);
#  - elapsed_s: 1e308 in a file is refused in one line, not 309 digits;
#  - -p TID: resolved to its process, said on stderr;
#  - ramtop -- CMD inside `unshare -p -f` without its own /proc refuses
#    (it watched unrelated outer pids);
#  - no empty ramtop-cmd-PID.log when the screen fails to start;
#  - text pasted into the m prompt with a newline: the rest is not keys;
#  - a process that execs the same program (same comm): new command line;
#  - a live file named "w (deleted)" is not flagged D.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

"$RAMTOP" -b -n 1 -o "$T/snap.json" -p $$ >/dev/null 2>"$T/err" ||
	fail "cannot make a snapshot: $(cat "$T/err")"
$PY - "$T/snap.json" "$T" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
q = json.loads(json.dumps(d["phases"][0]))
q["index"] = 1
q["label"] = "2024"
d["phases"].append(q)
json.dump(d, open(sys.argv[2] + "/digits.json", "w"))
d["phases"][1]["elapsed_s"] = 1e308
json.dump(d, open(sys.argv[2] + "/huge.json", "w"))
PYEOF
"$RAMTOP" diff "$T/digits.json" 0 label:2024 >"$T/o" 2>"$T/e" ||
	fail "diff label:2024: $(cat "$T/e")"
grep -q 'to phase 1 "2024"' "$T/o" || fail "label:2024 is not phase 1: $(head -2 "$T/o")"
"$RAMTOP" diff "$T/digits.json" 0 2024 >/dev/null 2>"$T/e" && fail "2024 taken as a label"
grep -q 'say label:2024' "$T/e" || fail "no hint for a label of digits: $(cat "$T/e")"
echo "ok: a label of digits is chosen with label:"

"$RAMTOP" show "$T/huge.json" >"$T/o" 2>"$T/e"
[ $? -eq 1 ] || fail "elapsed_s 1e308 accepted: $(head -c 300 "$T/o")"
grep -q 'phases\[1\].elapsed_s is 1e+308, expected seconds from 0 to 1e+09' "$T/e" ||
	fail "elapsed_s: $(cat "$T/e")"
echo "ok: elapsed_s 1e308 refused in one line"

# -p TID
$PY -c 'import threading, time, os
t = threading.Thread(target=time.sleep, args=(30,), daemon=True); t.start()
print(os.getpid(), flush=True); time.sleep(30)' >"$T/py.out" &
WL_PIDS=$!
i=0
while [ ! -s "$T/py.out" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
pp=$(cat "$T/py.out")
tid=$(ls /proc/$pp/task | grep -v "^$pp\$" | head -1)
[ -n "$tid" ] || fail "no thread"
"$RAMTOP" -b -n 1 --json -p "$tid" >"$T/tj" 2>"$T/te" || fail "-p TID: exit $?: $(cat "$T/te")"
grep -q "ramtop: -p $tid is a thread of process $pp: watching process $pp" "$T/te" ||
	fail "-p TID not said: $(cat "$T/te")"
$PY -c 'import json,sys; o=json.loads(open(sys.argv[1]).readline()); assert [p["pid"] for p in o["processes"]] == [int(sys.argv[2])], o["processes"]' \
	"$T/tj" "$pp" || fail "-p TID: not its process"
echo "ok: -p TID watches its process"

# A pid namespace without its own /proc.
if [ "$(id -u)" -eq 0 ] && unshare -p -f true 2>/dev/null; then
	unshare -p -f "$RAMTOP" -b -n 1 -- true >"$T/no" 2>"$T/ne"
	rc=$?
	[ "$rc" -eq 1 ] || fail "pid namespace: exit $rc: $(head -3 "$T/no")"
	grep -q "/proc belongs to another pid namespace" "$T/ne" || fail "pidns: $(cat "$T/ne")"
	echo "ok: a pid namespace without its /proc is refused"
else
	echo "note: cannot unshare a pid namespace here: that case not run"
fi

# exec into the same program (python3 -> python3, same comm): the
# command line must follow.
$PY -c 'import os, sys, time
time.sleep(1.0)
os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(2)", "second-program"])' &
xp=$!
WL_PIDS="$WL_PIDS $xp"
"$RAMTOP" -b -d 0.3 -n 8 --json -p "$xp" >"$T/xj" 2>/dev/null
$PY - "$T/xj" <<'PYEOF' || fail "exec into the same program: old command line kept"
import json, sys
ls = [json.loads(l) for l in open(sys.argv[1])]
last = [s for s in ls if s["processes"]][-1]["processes"][0]
assert last["cmdline"].endswith("second-program"), last["cmdline"]
PYEOF
echo "ok: exec into the same program: the command line follows"

# D is the kernel's word, not the name's: a file really named
# "w (deleted)" is not flagged; one unlinked after mapping is.
mkdir "$T/del"
$PY - "$T/del" >"$T/del/pid" <<'PYEOF' &
import mmap, os, sys, time
d = sys.argv[1]
for n in ("w (deleted)", "gone"):
    open(os.path.join(d, n), "wb").write(b"x" * 8192)
f1 = open(os.path.join(d, "w (deleted)"), "rb")
m1 = mmap.mmap(f1.fileno(), 0, prot=mmap.PROT_READ)
f2 = open(os.path.join(d, "gone"), "rb")
m2 = mmap.mmap(f2.fileno(), 0, prot=mmap.PROT_READ)
os.unlink(os.path.join(d, "gone"))
print(os.getpid(), flush=True)
time.sleep(30)
PYEOF
WL_PIDS="$WL_PIDS $!"
i=0
while [ ! -s "$T/del/pid" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
"$RAMTOP" -b -n 1 --json --regions -p "$(cat "$T/del/pid")" >"$T/dj" 2>/dev/null ||
	fail "deleted: exit $?"
$PY - "$T/dj" "$T/del" <<'PYEOF' || fail "D flag not from the kernel's facts"
import json, sys
o = json.loads(open(sys.argv[1]).readline())
fl = {r["name"]: r["flags"] for r in o["processes"][0]["regions"]}
real = sys.argv[2] + "/w (deleted)"
gone = sys.argv[2] + "/gone (deleted)"
assert "D" not in fl[real], ("a live file named ... (deleted) flagged D", fl[real])
assert "D" in fl[gone], ("an unlinked file not flagged D", fl[gone])
PYEOF
echo "ok: D from the kernel: 'w (deleted)' is not, an unlinked file is"

tm_setup optional || exit 0
# No empty log when the screen does not start (-o refused at start).
$TM new-session -d -s f -x 100 -y 20 \
	"env TMPDIR='$T' '$RAMTOP' -o '$T/no/such/x.json' -- sleep 5 2>'$T/fe'; echo \$? >'$T/frc'; sleep 30"
i=0
while [ ! -s "$T/frc" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ "$(cat "$T/frc")" = 1 ] || fail "failed start: exit $(cat "$T/frc")"
ls "$T"/ramtop-cmd-*.log >/dev/null 2>&1 && fail "an empty command log was left"
echo "ok: no command log left when the screen fails to start"

# A paste "lab<newline>q" in the m prompt: marked "lab", not quit.
$TM new-session -d -s p -x 120 -y 30 \
	"env LC_ALL=C.UTF-8 '$RAMTOP' -d 0.5 -p $pp -o '$T/p.json'; echo \$? >'$T/prc'; sleep 30"
sleep 1.5
$TM send-keys -t p m
sleep 0.3
$TM send-keys -t p -l "lab
q"
sleep 1.5
[ -s "$T/prc" ] && fail "the q after a pasted newline quit ramtop"
$TM send-keys -t p q
i=0
while [ ! -s "$T/prc" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
"$RAMTOP" show "$T/p.json" | grep -q ' lab ' || fail "pasted label not marked: $("$RAMTOP" show "$T/p.json")"
echo "ok: a pasted newline ends the label; the rest is not keys"
