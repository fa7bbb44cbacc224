#!/bin/sh
# proc-record.sh DIR PID... - record what ramtop reads of each PID and
# its descendants (stat, status, smaps_rollup, smaps, cmdline, cgroup,
# oom_score, oom_score_adj), of the system (meminfo, self/mountinfo,
# pressure/memory) and of their memory cgroups (the memory.* files of each
# cgroup and its ancestors, under DIR/sys/fs/cgroup/...) into DIR, for
# `ramtop --replay DIR`.
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
	for f in stat status smaps_rollup smaps cmdline cgroup oom_score \
	    oom_score_adj; do
		cat "/proc/$pid/$f" >"$dir/$pid/$f" 2>/dev/null ||
			rm -f "$dir/$pid/$f"
	done
	n=$((n + 1))
done

# Memory cgroups: where the v1 memory hierarchy and cgroup2 are mounted,
# and each recorded process's cgroup with its ancestors.
mkdir -p "$dir/pressure"
cat /proc/pressure/memory >"$dir/pressure/memory" 2>/dev/null ||
	rm -f "$dir/pressure/memory"
v1=$(awk '$9 == "cgroup" && $NF ~ /(^|,)memory(,|$)/ { print $5; exit }' /proc/self/mountinfo)
v2=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
[ -n "$v2" ] && [ -f "$v2/cgroup.controllers" ] &&
	mkdir -p "$dir$v2" && cat "$v2/cgroup.controllers" >"$dir$v2/cgroup.controllers"
for pid in $want; do
	[ -f "$dir/$pid/cgroup" ] || continue
	while IFS=: read -r id ctl path; do
		if [ "$id" = 0 ] && [ -z "$ctl" ] && [ -n "$v2" ]; then
			top=$v2
		else
			case ",$ctl," in *,memory,*) top=$v1 ;; *) continue ;; esac
			[ -n "$top" ] || continue
		fi
		d=$top${path%/}
		while :; do
			mkdir -p "$dir$d"
			for f in "$d"/memory.*; do
				[ -f "$f" ] && cat "$f" >"$dir$f" 2>/dev/null
			done
			[ "$d" = "$top" ] && break
			d=${d%/*}
			[ -z "$d" ] && break
		done
	done <"$dir/$pid/cgroup"
done
echo "recorded $n processes in $dir"
