#!/bin/sh
# run.sh SRCDIR TARGET SECONDS - one `make fuzz` run, in the build tree:
# seed fuzz/TARGET/corpus (a copy: the source tree may be read-only),
# run fuzz/fuzz_TARGET for SECONDS with leak detection, keep its log and
# any crash input in fuzz/TARGET/, and write fuzz/TARGET/summary: one
# line "target seconds executions execs/s cov ft crashes leaks status".
# Exits 0 even when the target failed: `make fuzz` reads the summaries,
# prints them all, and fails then.
set -u
srcdir=$1 t=$2 secs=$3
dir=fuzz/$t
mkdir -p "$dir/corpus" "$dir/artifacts" || exit 2
rm -f "$dir/artifacts/"* "$dir/summary"
seeds=$(sh "$srcdir/tests/fuzz/list-seeds.sh" "$srcdir" "$t") || exit 2
for f in $seeds; do
	rm -f "$dir/corpus/${f##*/}"
	cp "$f" "$dir/corpus/" && chmod u+w "$dir/corpus/${f##*/}" || exit 2
done

"fuzz/fuzz_$t" -max_total_time="$secs" -detect_leaks=1 \
	-print_final_stats=1 -artifact_prefix="$dir/artifacts/" \
	"$dir/corpus" >"$dir/log" 2>&1
rc=$?

final() { sed -n "s/^stat::$1: *\([0-9]*\).*/\1/p" "$dir/log" | tail -n 1; }
last() { grep -o "$1: *[0-9]*" "$dir/log" | tail -n 1 | sed 's/.*: *//'; }
execs=$(final number_of_executed_units)
eps=$(final average_exec_per_sec)
cov=$(last cov)
ft=$(last ft)
leaks=$(find "$dir/artifacts" -name 'leak-*' | wc -l)
crashes=$(find "$dir/artifacts" -type f ! -name 'leak-*' | wc -l)
if [ "$rc" -eq 0 ]; then
	status=ok
else
	status="FAILED(exit $rc, see $dir/log)"
	# A failure that left no input behind still counts.
	[ "$((crashes + leaks))" -gt 0 ] || crashes=1
fi
printf '%-9s %7s %11s %8s %6s %7s %7s %5s  %s\n' "$t" "$secs" \
	"${execs:-?}" "${eps:-?}" "${cov:-?}" "${ft:-?}" "$crashes" "$leaks" \
	"$status" >"$dir/summary"
