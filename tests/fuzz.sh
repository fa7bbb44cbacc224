#!/bin/sh
# The fuzz targets, built without libFuzzer by the normal compiler, run
# once over their seeds and every fixed crash input in tests/fuzz/regress:
# what the fuzzers found stays fixed, and the seeds stay valid inputs.
# (`make fuzz` does the fuzzing itself; this runs in `make check`.)
. "${top_srcdir:-.}/tests/lib.sh"

for t in smaps procfs snapshot marksock replay budget cgroup; do
	seeds=$(sh "$top_srcdir/tests/fuzz/list-seeds.sh" "$top_srcdir" \
		"$t") || fail "$t: no seeds"
	# shellcheck disable=SC2086 # one path a line, no spaces
	"$top_builddir/tests/fuzz/replay_$t" $seeds >"$T/$t.out" 2>&1 ||
		fail "$t: $(tail -n 20 "$T/$t.out")"
	n=$(grep -c '^ok ' "$T/$t.out")
	[ "$n" -eq "$(echo "$seeds" | wc -l)" ] || fail "$t: $n inputs ran"
	echo "ok: fuzz replay $t ($n inputs)"
done
