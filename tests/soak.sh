#!/bin/sh
# Churn soak (issue 7): a workload forks ~100 short-lived children a
# second and maps/unmaps regions all the while (workload `churn`), and
# ramtop watches it for $SOAK_S seconds (default 20; CI sets 60) at
# -d 0.2 at once as: batch JSON with regions, batch text with regions,
# and the interactive screen in tmux.  Checked:
#   - every ramtop exits 0 (batch: when the target ends; TUI: on q);
#   - every JSON line parses; each sample shows a process once, the
#     children come and go (more than one distinct child pid), and no
#     figure the kernel gave is negative or zero (unknown is null);
#     the text report and the screen show each pid once too;
#   - the plain ramtops' own VmRSS (read every second) is flat: the
#     final value within 1 MiB of the one at 60 s (at half-time for
#     runs under 90 s), unless the number of processes on the system
#     changed by more than 500 between the two (ramtop scans them all);
#   - under valgrind (a second batch ramtop, and a second screen):
#     definitely lost 0, no invalid reads or writes, no errors.  An ASan
#     build cannot run under valgrind: then the plain ramtops run under
#     ASan's leak checker instead, and their RSS (ASan's quarantine
#     grows it by design) is shown but not checked;
#   - the workload churned at least 80% of RATE x SOAK_S processes, and
#     no ramtop, workload or tmux process is left behind.
# SOAK_RATE sets the rate (default 100).  The figures end the log.
. "${top_srcdir:-.}/tests/lib.sh"

SOAK_S=${SOAK_S:-20}
SOAK_RATE=${SOAK_RATE:-100}
case $SOAK_S$SOAK_RATE in
*[!0-9]*) fail "SOAK_S and SOAK_RATE must be whole numbers" ;;
esac
[ "$SOAK_S" -ge 2 ] && [ "$SOAK_RATE" -ge 1 ] ||
	fail "SOAK_S must be at least 2, SOAK_RATE at least 1"

# The RSS reference: at 60 s, or at half-time for runs under 90 s.
if [ "$SOAK_S" -ge 90 ]; then
	ref_s=60
else
	ref_s=$((SOAK_S / 2))
fi

# --- how ramtop runs: plain, under valgrind, or an ASan build ----------
asan=""
if grep -qa __asan_init "$RAMTOP"; then
	asan=1
	case ${ASAN_OPTIONS:-} in
	*detect_leaks=*) ;;
	*) ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1 ;;
	esac
	export ASAN_OPTIONS
	echo "soak: $RAMTOP is an ASan build: valgrind cannot run it;" \
		"checking with ASan's leak checker instead" >&2
fi
VG=""
if [ -z "$asan" ]; then
	if command -v valgrind >/dev/null 2>&1; then
		VG="valgrind --leak-check=full --errors-for-leak-kinds=definite"
		VG="$VG --error-exitcode=99"
		VG="$VG --suppressions=$top_srcdir/tests/valgrind.supp"
	else
		echo "soak: valgrind is not installed: SKIPPING the valgrind" \
			"checks; ramtop runs plain only" >&2
	fi
fi
TM=""
if command -v tmux >/dev/null 2>&1; then
	TM="tmux -S $T/tmux.sock -f /dev/null"
else
	echo "soak: tmux is not installed: SKIPPING the interactive screen" >&2
fi

BATCH_PIDS=""	# batch ramtops, waited for
SAMPLER=""
soak_cleanup() {
	[ -n "$TM" ] && tm_kill
	touch "$T/stop-sampler"
	for p in $BATCH_PIDS $SAMPLER; do
		kill -TERM "$p" 2>/dev/null
	done
	cleanup
}
trap soak_cleanup EXIT INT TERM

vmrss() {
	sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status" \
		2>/dev/null
}

# run.sh NAME CMD...: for a tmux pane; runs CMD with its stderr in
# NAME.err, writes its pid to NAME.pid and its exit status to NAME.rc.
cat >"$T/run.sh" <<'EOF'
n=$1
shift
sh -c 'echo $$ >"$0.pid"; exec "$@" 2>"$0.err"' "$n" "$@"
echo $? >"$n.rc.tmp" && mv "$n.rc.tmp" "$n.rc"
EOF

# --- the workload, idle until every ramtop is watching it --------------
wl_start wl
echo "soak: workload $WL, $SOAK_RATE children/s for $SOAK_S s" >&2

# Batch ramtops (fd 9, the workload's command fifo, is not theirs).
"$RAMTOP" -b -d 0.2 -p "$WL" --regions --json >"$T/b1.out" \
	2>"$T/b1.err" 9>&- &
B1=$!
"$RAMTOP" -b -d 0.2 -p "$WL" --regions >"$T/b2.out" 2>"$T/b2.err" 9>&- &
B2=$!
BATCH_PIDS="$B1 $B2"
B3=""
if [ -n "$VG" ]; then
	$VG --log-file="$T/vg-batch.log" "$RAMTOP" -b -d 0.2 -p "$WL" \
		--regions --json >"$T/b3.out" 2>"$T/b3.err" 9>&- &
	B3=$!
	BATCH_PIDS="$BATCH_PIDS $B3"
fi

# Screens: t1 plain (its RSS is watched), t2 under valgrind.
SCREENS=""
if [ -n "$TM" ]; then
	# One string: tmux runs it with sh -c.
	pane="env -u NO_COLOR LC_ALL=C.UTF-8 sh '$T/run.sh'"
	$TM new-session -d -s t1 -x 120 -y 40 \
		"$pane '$T/t1' '$RAMTOP' -d 0.2 -p $WL" 9>&- ||
		fail "cannot start tmux"
	SCREENS=t1
	if [ -n "$VG" ]; then
		vg="$VG --log-file='$T/vg-tui.log'"
		$TM new-session -d -s t2 -x 120 -y 40 \
			"$pane '$T/t2' $vg '$RAMTOP' -d 0.2 -p $WL" 9>&- ||
			fail "cannot start tmux"
		SCREENS="t1 t2"
	fi
fi

# ready: every ramtop shows the workload (60 s at most: valgrind is slow
# to start on a loaded machine).
ready() {
	local f s
	for f in "$T/b1.out" "$T/b2.out" ${B3:+"$T/b3.out"}; do
		grep -q "$WL" "$f" 2>/dev/null || return 1
	done
	for s in $SCREENS; do
		$TM capture-pane -p -t "$s" 2>/dev/null |
			grep -Eq "^ *$WL " || return 1
	done
	return 0
}
i=0
until ready; do
	i=$((i + 1))
	[ "$i" -le 600 ] || fail "ramtop did not show the workload in 60 s"
	for p in $BATCH_PIDS; do
		kill -0 "$p" 2>/dev/null ||
			fail "batch ramtop $p ended early: $(cat "$T"/b*.err)"
	done
	sleep 0.1
done

# --- the soak -------------------------------------------------------------
# The sampler reads the plain ramtops' VmRSS every second (seconds since
# the churn began, the number of processes on the system, then one column
# per ramtop, '-' once it is gone) and captures the plain screen.
T1=""
[ -n "$SCREENS" ] && T1=$(cat "$T/t1.pid")
start=$(date +%s)
(
	n=0
	while [ ! -e "$T/stop-sampler" ]; do
		line="$(($(date +%s) - start)) $(ls /proc | grep -c '^[0-9]')"
		for p in $B1 $B2 $T1; do
			v=$(vmrss "$p")
			line="$line ${v:--}"
		done
		echo "$line" >>"$T/rss"
		if [ -n "$T1" ]; then
			$TM capture-pane -p -t t1 >"$T/cap.$n" 2>/dev/null
			n=$((n + 1))
		fi
		sleep 1
	done
) 9>&- &
SAMPLER=$!

echo "churn $SOAK_RATE $SOAK_S" >&9
echo "exit" >&9
# The churn's line, then the workload's end (its run plus a minute).
i=0
until grep -q "churn" "$T/wl.out"; do
	i=$((i + 1))
	[ "$i" -le $(((SOAK_S + 60) * 10)) ] || fail "churn did not end"
	sleep 0.1
done
churn=$(grep "churn" "$T/wl.out")
wait "$WL"
end=$(date +%s)
case $churn in
"ok churn "*) ;;
*) fail "workload: $churn" ;;
esac
churned=$(kv "$churn" churned)
echo "soak: $churn" >&2

# The batch ramtops end with the target: exit 0 (valgrind's leak check
# takes its time).
for p in $BATCH_PIDS; do
	wait "$p"
	rc=$?
	[ "$rc" -eq 0 ] || {
		cat "$T"/b*.err >&2
		fail "batch ramtop $p exited $rc"
	}
done
BATCH_PIDS=""

# The screens say the target ended; q quits them with status 0.
for s in $SCREENS; do
	i=0
	until $TM capture-pane -p -t "$s" 2>/dev/null |
		grep -q "every target process has exited"; do
		i=$((i + 1))
		[ "$i" -le 600 ] || fail "screen $s did not see the end"
		sleep 0.1
	done
	$TM send-keys -t "$s" q
done
touch "$T/stop-sampler"
wait "$SAMPLER"
SAMPLER=""
for s in $SCREENS; do
	i=0
	until [ -e "$T/$s.rc" ]; do
		i=$((i + 1))
		[ "$i" -le 600 ] || fail "screen $s did not quit on q"
		sleep 0.1
	done
	rc=$(cat "$T/$s.rc")
	[ "$rc" -eq 0 ] || {
		cat "$T/$s.err" >&2
		fail "ramtop on screen $s exited $rc"
	}
done
echo "ok: every ramtop exited 0 (batch at the target's end, screens on q)"

# --- the output ---------------------------------------------------------
$PY - "$WL" "$SOAK_S" "$T/b1.out" ${B3:+"$T/b3.out"} <<'PYEOF' >"$T/json.res" ||
import json, sys

wl, soak_s = int(sys.argv[1]), int(sys.argv[2])
NONNEG = ("rss", "pss", "uss", "anon", "file", "shmem", "swap", "swap_pss",
          "locked", "vsz", "hwm")
# A live process always has these: 0 would be an unknown passed off as a
# figure.
POSITIVE = ("rss", "pss", "vsz", "hwm")

def check_fig(where, key, v, positive=False):
    if v is None:
        return
    assert isinstance(v, int), "%s: %s=%r is not a whole number" % (
        where, key, v)
    assert v >= 0, "%s: %s=%d is negative" % (where, key, v)
    assert v > 0 or not positive, "%s: %s is 0, not null" % (where, key)

def check_table(where, t):
    for k in ("size_kb", "rss_kb", "pss_kb", "private_kb", "shared_kb",
              "swap_kb", "locked_kb", "count"):
        check_fig(where, k, t.get(k))

for path in sys.argv[3:]:
    n = 0
    kids = set()
    with open(path, encoding="utf-8") as f:
        for ln, line in enumerate(f, 1):
            try:
                s = json.loads(line)
            except ValueError as e:
                raise AssertionError("%s:%d: not JSON: %s" % (path, ln, e))
            if isinstance(s, dict) and s.get("kind") == "mark" and \
                    s.get("index") == 0:
                continue    # mark 0, the baseline, after the first sample
            assert isinstance(s, dict) and s.get("kind") == "sample", \
                "%s:%d: not a sample" % (path, ln)
            where = "%s sample %s" % (path, s["index"])
            procs = s["processes"]
            pids = [p["pid"] for p in procs]
            dup = sorted(set(p for p in pids if pids.count(p) > 1))
            assert not dup, "%s: pids shown twice: %s" % (where, dup)
            assert pids and pids[0] == wl and procs[0]["depth"] == 0, \
                "%s: the workload is not the root: %s" % (where, pids[:3])
            assert s["totals"]["processes"] == len(procs), where
            check_fig(where, "totals.rss_kb", s["totals"]["rss_kb"], True)
            for p in procs:
                w = "%s pid %d" % (where, p["pid"])
                if p["pid"] != wl:
                    assert p["ppid"] == wl and p["depth"] == 1, \
                        "%s: ppid %s depth %s" % (w, p["ppid"], p["depth"])
                    kids.add(p["pid"])
                for k in NONNEG:
                    check_fig(w, k + "_kb", p[k + "_kb"], k in POSITIVE)
                for t, tab in (p.get("by_type") or {}).items():
                    check_table("%s by_type %s" % (w, t), tab)
                # A process has mappings: none at all is a smaps that
                # could not be read, which must be null with its reason.
                if p.get("by_type") is not None:
                    assert sum(t["count"] for t in p["by_type"].values()), \
                        "%s: by_type counts no mapping, not null" % w
                if p.get("regions") is not None:
                    assert p["regions"], "%s: regions [], not null" % w
                for r in p.get("regions") or []:
                    rw = "%s region %r" % (w, r.get("name"))
                    check_table(rw, r)
                    check_fig(rw, "size_kb", r["size_kb"], True)
                    check_fig(rw, "count", r["count"], True)
            n += 1
    assert n >= 3, "%s: only %d samples" % (path, n)
    # Under valgrind a scan can outlast a 20 ms child: only the plain
    # ramtop must see them come and go.
    assert len(kids) > 1 or path != sys.argv[3], \
        "%s: %d distinct children in %d samples" % (path, len(kids), n)
    print("%s samples=%d children=%d" % (path, n, len(kids)))
PYEOF
	{ cat "$T/json.res" >&2; fail "JSON output"; }
samples=$(sed -n "s|^$T/b1.out samples=\([0-9]*\) .*|\1|p" "$T/json.res")
kids=$(sed -n "s|^$T/b1.out .*children=\([0-9]*\)|\1|p" "$T/json.res")
vg_samples=$(sed -n "s|^$T/b3.out samples=\([0-9]*\) .*|\1|p" "$T/json.res")
# -d 0.2 over the soak: at least one a second (a third of the ticks on
# a machine that other tests load with thousands of processes).
[ "$samples" -ge "$SOAK_S" ] ||
	fail "batch JSON: $samples samples in $SOAK_S s"
echo "ok: JSON: $samples samples, each pid once, $kids distinct children," \
	"no zero or negative figures"

# Text report and screens: each pid once per sample or capture, and no
# negative figure in the columns that are not changes.
$PY - "$WL" "$T/b2.out" $(ls "$T"/cap.* 2>/dev/null) <<'PYEOF' >"$T/text.res" ||
import re, sys

wl = int(sys.argv[1])
HEAD = re.compile(r"\s*PID\S*\s+RSS\S*\s+\S*RSS\S*\s+PSS\S*\s+USS")

def tree_blocks(lines):
    """Each tree table: the pid rows under a PID RSS ... title."""
    out, rows = [], None
    for l in lines:
        if HEAD.match(l):
            rows = []
            out.append(rows)
            continue
        if rows is not None:
            if re.match(r"\s*\d+\s", l):
                rows.append(l)
            else:
                rows = None
    return out

def check(path, blocks, text):
    kids = set()
    for i, rows in enumerate(blocks):
        pids = [int(r.split()[0]) for r in rows]
        dup = sorted(set(p for p in pids if pids.count(p) > 1))
        assert not dup, "%s table %d: pids twice: %s" % (path, i, dup)
        for r in rows:
            t = r.split()
            # PID RSS dRSS PSS USS ANON FILE SHM SWAP LOCK (text); the
            # screen's columns up to SWAP.
            figs = t[1:2] + t[3:10 if text else 7]
            bad = [f for f in figs if re.match(r"-\d", f)]
            assert not bad, "%s: negative figure in %r" % (path, r)
            assert t[1] != "0", "%s: RSS 0 in %r" % (path, r)
        kids.update(p for p in pids if p != wl)
    return kids

lines = open(sys.argv[2], encoding="utf-8", errors="replace").read()
blocks = tree_blocks(lines.splitlines())
# Every "Regions of PID" table has rows: a process with no mapping is
# one whose smaps could not be read, and its table is left out.
L = lines.splitlines()
for i, l in enumerate(L):
    if l.startswith("Regions of "):
        row = L[i + 2] if i + 2 < len(L) else ""
        assert re.match(r"  (heap|anon|stack|shm|file|lib|device|special) ",
                        row), "text: no rows under %r" % l
assert len(blocks) >= 3, "text: %d samples" % len(blocks)
kids = check("text", blocks, True)
assert len(kids) > 1, "text: %d distinct children" % len(kids)
print("text samples=%d children=%d" % (len(blocks), len(kids)))
if sys.argv[3:]:
    caps = []
    for path in sys.argv[3:]:
        caps += tree_blocks(open(path, encoding="utf-8",
                                 errors="replace").read().splitlines())
    skids = check("screen", caps, False)
    assert len(caps) >= 2, "screen: %d captures with a tree" % len(caps)
    print("screen captures=%d children=%d" % (len(caps), len(skids)))
PYEOF
	{ cat "$T/text.res" >&2; fail "text output or screen"; }
cat "$T/text.res" >&2
echo "ok: text report and screen show each pid once, no negative figures"

# --- the workload churned ------------------------------------------------
want=$((SOAK_RATE * SOAK_S * 8 / 10))
[ "$churned" -ge "$want" ] ||
	fail "churned $churned processes, want at least $want (80%)"
echo "ok: churned $churned processes (at least $want)"

# --- ramtop's own RSS: flat ------------------------------------------------
# ramtop scans every process on the system to find the tree, so its RSS
# follows their number: the figures compare only while that number is
# about the same (on a shared machine another test may start thousands).
# rss_at COL: "REF FINAL PROCS_AT_REF PROCS_AT_FINAL" for column COL of
# $T/rss (3: JSON, 4: text, 5: screen): the first value at or after
# ref_s, and the last value.
rss_at() {
	awk -v c="$1" -v r="$ref_s" '
		$c != "-" && $1 >= r && ref == "" { ref = $c; pref = $2 }
		$c != "-" { last = $c; plast = $2 }
		END {
			if (ref == "" || last == "") print "- - - -"
			else print ref, last, pref, plast
		}
	' "$T/rss"
}
rss_fig=""
flat=1
for col in 3 4 5; do
	case $col in
	3) what="batch JSON" ;;
	4) what="batch text" ;;
	5) [ -n "$T1" ] || continue; what="screen" ;;
	esac
	set -- $(rss_at "$col")
	[ "$1" != "-" ] || fail "$what: no RSS reading at $ref_s s or later"
	rss_fig="$rss_fig
  ramtop RSS ($what): $1 kB at $ref_s s, $2 kB final ($3, $4 processes)"
	d=$(($2 - $1))
	[ "${d#-}" -le 1024 ] && continue
	flat=""
	if [ -n "$asan" ]; then
		echo "soak: $what RSS moved $d kB (ASan build: not checked)" >&2
		continue
	fi
	p=$(($4 - $3))
	if [ "${p#-}" -gt 500 ]; then
		echo "soak: $what RSS moved $d kB, NOT CHECKED: the system" \
			"went from $3 to $4 processes" >&2
		rss_fig="$rss_fig (not checked: $3 -> $4 processes)"
		continue
	fi
	cat "$T/rss" >&2
	fail "$what: ramtop's RSS went from $1 kB at $ref_s s to $2 kB" \
		"($3 and $4 processes on the system)"
done
[ -z "$flat" ] || echo "ok: ramtop's RSS is flat (within 1 MiB of $ref_s s)"

# --- leaks and memory errors ---------------------------------------------
# vg_fig LOG: "DEFINITELY_LOST_BYTES ERRORS" from a valgrind log.
vg_fig() {
	local lost errs
	if grep -q "All heap blocks were freed" "$1"; then
		lost=0
	else
		lost=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' \
			"$1" | tr -d , | tail -1)
	fi
	errs=$(sed -n 's/.*ERROR SUMMARY: \([0-9,]*\) errors.*/\1/p' "$1" |
		tr -d , | tail -1)
	echo "${lost:--} ${errs:--}"
}
mem_fig=""
if [ -n "$VG" ]; then
	for log in "$T/vg-batch.log" ${SCREENS:+"$T/vg-tui.log"}; do
		[ -s "$log" ] || fail "no valgrind log $log"
		set -- $(vg_fig "$log")
		mem_fig="$mem_fig
  valgrind ($(basename "$log" .log)): definitely lost $1 bytes, $2 errors"
		[ "$log" = "$T/vg-batch.log" ] &&
			mem_fig="$mem_fig ($vg_samples samples)"
		if [ "$1" != 0 ] || [ "$2" != 0 ] ||
			grep -Eq "Invalid (read|write|free)" "$log"; then
			cat "$log" >&2
			fail "valgrind: $(basename "$log"): definitely lost $1" \
				"bytes, $2 errors"
		fi
	done
	echo "ok: valgrind: definitely lost 0, no invalid reads or writes"
elif [ -n "$asan" ]; then
	for f in "$T"/b1.err "$T"/b2.err ${T1:+"$T/t1.err"}; do
		if grep -Eq "Sanitizer|runtime error" "$f"; then
			cat "$f" >&2
			fail "ASan/UBSan: $(basename "$f" .err)"
		fi
	done
	mem_fig="
  ASan+LSan: no errors, no leaks (batch JSON, batch text${T1:+, screen})"
	echo "ok: ASan and LeakSanitizer found nothing"
else
	mem_fig="
  valgrind: not installed, not run"
fi

# --- nothing left behind ----------------------------------------------------
if [ -n "$TM" ]; then
	$TM kill-server 2>/dev/null
	$TM list-sessions >/dev/null 2>&1 && fail "tmux server still running"
fi
for p in $B1 $B2 $B3 $T1 $(cat "$T"/t2.pid 2>/dev/null); do
	kill -0 "$p" 2>/dev/null && fail "ramtop $p is still running"
done
left=$(pgrep -f -- "ramtop .*-p $WL( |\$)" || true)
[ -z "$left" ] || fail "ramtop processes left: $left"
left=$(pgrep -P "$WL" 2>/dev/null || true)
[ -z "$left" ] || fail "workload children left: $left"
echo "ok: no ramtop, workload or tmux process left"

cat <<EOF
soak figures:
  processes churned: $churned ($SOAK_RATE/s asked)
  seconds soaked: $((end - start)) (SOAK_S=$SOAK_S)
  batch JSON samples: $samples, distinct children seen: $kids$rss_fig$mem_fig
EOF
echo "ok: soak"
