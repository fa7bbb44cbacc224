#!/bin/sh
# The bench's smoke run, so it cannot rot: bench/run --quick (tiny sizes,
# short windows, nothing installed) must work and print every row of its
# table.  It asserts no timing ratio or target: those depend on the
# machine and its load, and would flake.
. "${top_srcdir:-.}/tests/lib.sh"

top_builddir=$top_builddir BENCH_NO_BUILD=1 \
	$PY "$top_srcdir/bench/run" --quick >"$T/out" 2>"$T/err" ||
	fail "bench/run --quick exited $?: $(tail -5 "$T/err")"
cat "$T/out"
grep -q "^ramtop bench" "$T/out" || fail "no table header"
for r in "(1) 1k" "(1) 10k" "(1) 100k" "(1) 4G" "(2) pmap" "(2) smem" "(2) smem3" \
	"(3) default" "(3) gentle" "(4) all" "(4) 100k" "(5)" "(5) busy" \
	"(6) none" "(6) ramtop" "(6) gentle" "(6) rollup" "(6) pmap" \
	"(6) batch" "(7)" "(11) report"; do
	# A row: its key at the start, then a figure (a number) or n/a.
	awk -v k="$r " 'index($0, k) == 1' "$T/out" | grep -Eq '[0-9](%|/s| us)? \[|n/a' ||
		fail "no row '$r' with a figure"
done
echo "ok: bench --quick printed every row"
