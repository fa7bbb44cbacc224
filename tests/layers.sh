#!/bin/sh
# The layers of docs/architecture.md, checked on the source text:
#  1. nothing in src/ includes curses (ncurses, term.h): the core runs
#     without a terminal (batch, show, diff, the fuzzers);
#  2. nothing in ui/ reads /proc: no "/proc" in its code, no kernel file
#     named in a ui/*.c ("smaps"), none of the readers' headers
#     (collect.h, procfs.h, smaps.h) included - the screens get every
#     figure from the model;
#  3. only src/collect.c enumerates processes: no opendir("/proc") and
#     no libproc2 (<libproc2/...> or <proc/...>) anywhere else (checked
#     in src/, ui/, bench/ and tests/; bench/scan_floor.c, the kernel's
#     floor of a scan, is apart from ramtop's code on purpose).
# Comments do not count (they are stripped by the preprocessor first).
# Usage: layers.sh [TREE] (default: the source tree); exit 1 with one
# line per violation, naming the file and the offending code.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
root=${1:-$top_srcdir}
bad=0

# code FILE: FILE without comments; directives kept, nothing expanded.
code() {
	${CPP_CMD:-gcc} -fpreprocessed -dD -E -P "$1" 2>/dev/null
}

# violation FILE PATTERN WHY: report each line of FILE's code matching the
# extended regular expression PATTERN.
violation() {
	code "$1" | grep -nE "$2" | while IFS= read -r l; do
		echo "layers: ${1#"$root"/}: $3: ${l#*:}"
	done
}

for f in "$root"/src/*.c "$root"/src/*.h "$root"/ui/*.c "$root"/ui/*.h \
    "$root"/bench/*.c "$root"/tests/*.c "$root"/tests/*.h \
    "$root"/tests/fuzz/*.c; do
	[ -f "$f" ] || continue
	out=""
	case $f in
	"$root"/src/*)
		out=$(violation "$f" '^#[[:space:]]*include[[:space:]]*[<"](n?curses|ncursesw/|term\.h|panel\.h|menu\.h|form\.h)' \
			"curses in the core")
		;;
	"$root"/ui/*.c)
		out=$(violation "$f" '/proc|smaps|^#[[:space:]]*include[[:space:]]*"(\.\./src/)?(collect|procfs|smaps)\.h"' \
			"ui/ reads /proc")
		;;
	"$root"/ui/*)
		out=$(violation "$f" '/proc|^#[[:space:]]*include[[:space:]]*"(\.\./src/)?(collect|procfs|smaps)\.h"' \
			"ui/ reads /proc")
		;;
	esac
	case $f in
	# bench/scan_floor.c measures the kernel's own cost of a scan,
	# apart from ramtop's code on purpose.
	"$root"/src/collect.c | "$root"/bench/scan_floor.c) ;;
	*)
		out="$out$(violation "$f" '^#[[:space:]]*include[[:space:]]*[<"](libproc2/|proc/)|opendir[[:space:]]*\([[:space:]]*"/proc"' \
			"processes enumerated outside src/collect.c")"
		;;
	esac
	if [ -n "$out" ]; then
		echo "$out"
		bad=1
	fi
done

# A check that cannot see the files it checks must not pass.
n=$(ls "$root"/src/*.c "$root"/ui/*.c 2>/dev/null | wc -l)
[ "$n" -ge 10 ] || { echo "layers: only $n source files under $root"; exit 1; }
code "$root/src/collect.c" | grep -q 'opendir("/proc")' ||
	{ echo "layers: cannot read src/collect.c's includes (gcc -E?)"; exit 1; }

[ "$bad" -eq 0 ] && echo "ok: layers ($n files)"
exit "$bad"
