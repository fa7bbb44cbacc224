#!/bin/sh
# list-seeds.sh SRCDIR TARGET - the seed inputs of one fuzz target, one
# path a line: the fixtures it parses, tests/fuzz/seeds/TARGET-*, and every
# crash input in tests/fuzz/regress (each target must take any bytes).
# The one table of seeds: `make fuzz` copies them into its corpus and
# tests/fuzz.sh replays them in `make check`.
set -eu
cd "$1"
case $2 in
smaps)		set -- tests/fixtures/smaps_* ;;
procfs)		set -- tests/fixtures/status_* tests/fixtures/stat_* \
			tests/fixtures/meminfo \
			tests/fixtures/mountinfo tests/fixtures/smaps_rollup_* ;;
snapshot)	set -- tests/fuzz/seeds/snapshot-* ;;
marksock)	set -- tests/fuzz/seeds/marksock-* ;;
replay)		set -- tests/fuzz/seeds/replay-* ;;
budget)		set -- tests/fuzz/seeds/budget-* ;;
cgroup)		d=tests/fixtures/cgroup_v2/0
		s=$d/sys/fs/cgroup/app.slice/llm
		set -- $d/100/cgroup tests/fixtures/cgroup_nomem/200/cgroup \
			$d/self/mountinfo tests/fixtures/cgroup_nomem/self/mountinfo \
			$d/pressure/memory $s/memory.stat $s/memory.events \
			$s/memory.max $s/memory.current tests/fixtures/mountinfo ;;
*)		echo "list-seeds.sh: unknown fuzz target '$2'" >&2; exit 2 ;;
esac
for f in "$@" tests/fuzz/regress/*; do
	[ -f "$f" ] || { echo "list-seeds.sh: no seed $f" >&2; exit 2; }
	echo "$(pwd)/$f"
done
