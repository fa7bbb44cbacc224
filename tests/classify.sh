#!/bin/sh
# Classification: each region type shows the size and RSS the workload
# created (within 5%); shm from four sources is shm; the data file is
# file with size >> rss; locked memory is flagged; code is lib.
. "${top_srcdir:-.}/tests/lib.sh"

sample() {
	"$RAMTOP" -b -n 1 --json --regions -p "$WL" >"$1" 2>"$T/err" ||
		fail "ramtop exited $?: $(cat "$T/err")"
}

wl_start wl
wl_cmd wl "info" >/dev/null
wl_cmd wl "stop" >/dev/null
wl_stopped "$WL"
sample "$T/before.json"
kill -CONT "$WL"

wl_cmd wl "heap 8M" >/dev/null
wl_cmd wl "anon 64M 50" >/dev/null
wl_cmd wl "mlock 2M" >/dev/null
wl_cmd wl "shm_open 8M" >/dev/null
wl_cmd wl "memfd 4M" >/dev/null
wl_cmd wl "sysv 4M" >/dev/null
wl_cmd wl "shared_anon 4M" >/dev/null
line=$(wl_cmd wl "file $T/weights.bin 256M 25")
case $line in ok*) ;; *) fail "file: $line" ;; esac
wl_cmd wl "stop" >/dev/null
wl_stopped "$WL"
sample "$T/after.json"

# heap: 8 MiB of small mallocs; anon: 64M mapped/32M touched + 2M locked
# (+ a guard page each side); shm: 20M from four sources; file: 256M mapped, 64M touched.
$PY "$top_srcdir/tests/classify.py" "$T/before.json" "$T/after.json" "$WL" \
	"$WORKLOAD" "$T/weights.bin" \
	heap:8192:8192 anon:67600:34816 shm:20480:20480 file:262144:65536 ||
	fail "classification"
echo "ok: classified"
