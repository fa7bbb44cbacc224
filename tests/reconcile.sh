#!/bin/sh
# Reconciliation: on a stopped workload, ramtop's figures equal the
# kernel's exactly (status, smaps_rollup, sum of smaps regions).
. "${top_srcdir:-.}/tests/lib.sh"

wl_start wl
wl_cmd wl "heap 4M" >/dev/null
wl_cmd wl "anon 32M 50" >/dev/null
wl_cmd wl "threads 2" >/dev/null
wl_cmd wl "shm_open 8M" >/dev/null
wl_cmd wl "memfd 4M" >/dev/null
wl_cmd wl "sysv 4M" >/dev/null
wl_cmd wl "shared_anon 4M" >/dev/null
wl_cmd wl "file $T/data.bin 32M 25" >/dev/null
wl_cmd wl "mlock 1M" >/dev/null
line=$(wl_cmd wl "fork anon 8M")
child=$(kv "$line" pid)
[ -n "$child" ] || fail "no child pid in '$line'"
wl_cmd wl "stopall" >/dev/null
wl_stopped "$WL"
wl_stopped "$child"

# A process starting or exiting elsewhere between ramtop's reads of
# smaps_rollup and smaps moves the Pss of shared libraries: such a sample
# (exit 3) is taken again, up to 5 times.
for try in 1 2 3 4 5; do
	"$RAMTOP" -b -n 1 --json --regions -p "$WL" >"$T/sample.json" 2>"$T/err" ||
		fail "ramtop exited $?: $(cat "$T/err")"
	$PY "$top_srcdir/tests/reconcile.py" "$T/sample.json" "$WL" "$child"
	rc=$?
	[ "$rc" -eq 3 ] || break
done
[ "$rc" -eq 0 ] || fail "figures do not reconcile"
# The same figures in the text report (status figures match VmRSS).
"$RAMTOP" -b -n 1 -p "$WL" >"$T/text" || fail "text report failed"
grep -q "^ *$WL " "$T/text" || fail "text report lacks pid $WL"
grep -q "^ *$child .*\`- " "$T/text" || fail "child not indented under parent"
echo "ok: reconciled"
