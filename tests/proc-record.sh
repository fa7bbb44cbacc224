#!/bin/sh
# proc-record.sh DIR PID... - record what ramtop reads of each PID and
# its descendants (stat, status, smaps_rollup, smaps, cmdline) and of the
# system (meminfo, self/mountinfo) into DIR, for `ramtop --replay DIR`.
# Run it again with DIR/0, DIR/1, ... to record frames.  The recorder
# and its own children are left out of the tree.  Files are copied as
# they are (byte-exact); a file that cannot be read is left out, which
# ramtop shows as unknown.
set -u
if [ $# -lt 2 ]; then
	echo "usage: $0 DIR PID..." >&2
	exit 2
fi
dir=$1
shift
mkdir -p "$dir/self" || exit 1

# pid ppid for every process, from stat (comm may hold spaces and ')').
table=$(for s in /proc/[0-9]*/stat; do
	line=$(cat "$s" 2>/dev/null) || continue
	pid=${line%% *}
	rest=${line##*) }
	set -- $rest
	echo "$pid $2"
done)

# The targets and their descendants, not this script's own subtree.
want=" $* "
changed=1
while [ "$changed" -eq 1 ]; do
	changed=0
	for pair in $(echo "$table" | tr ' ' ':'); do
		pid=${pair%%:*}
		ppid=${pair##*:}
		[ "$pid" = "$$" ] && continue
		case $want in *" $pid "*) continue ;; esac
		case $want in *" $ppid "*)
			want="$want$pid "
			changed=1
			;;
		esac
	done
done

cat /proc/meminfo >"$dir/meminfo"
cat /proc/self/mountinfo >"$dir/self/mountinfo"
n=0
for pid in $want; do
	[ -d "/proc/$pid" ] || continue
	mkdir -p "$dir/$pid"
	for f in stat status smaps_rollup smaps cmdline; do
		cat "/proc/$pid/$f" >"$dir/$pid/$f" 2>/dev/null ||
			rm -f "$dir/$pid/$f"
	done
	n=$((n + 1))
done
echo "recorded $n processes in $dir"
