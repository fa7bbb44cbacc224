#!/bin/sh
# Durability: ramtop killed with SIGKILL at random moments of a save
# loop (marks as fast as it takes them, each one saving the -o file)
# always leaves the destination either the old or a new complete, valid
# snapshot - and no temporary files behind once ramtop saves again.
# DURABILITY_N kills (200).
. "${top_srcdir:-.}/tests/lib.sh"

N=${DURABILITY_N:-200}
wl_start wl
wl_cmd wl "heap 4M" >/dev/null
wl_cmd wl "anon 16M" >/dev/null
wl_cmd wl "maps 500" >/dev/null
mkdir "$T/out"
F=$T/out/snap.json

# The old file: one complete snapshot.
"$RAMTOP" -b -n 1 -p "$WL" -o "$F" >/dev/null 2>&1 || fail "first save"
"$RAMTOP" show "$F" >/dev/null || fail "first save is not valid"

# Marks as fast as ramtop takes them, until it dies.
spam() {
	while kill -USR1 "$1" 2>/dev/null; do :; done
}
rnd() {	# 0..$1-1
	echo $(($(od -An -N2 -tu2 /dev/urandom) % $1))
}

versions=0
stray=0		# kills that left a temporary name behind, for a while
prev=$(cksum <"$F")
maxph=0
k=0
while [ $k -lt "$N" ]; do
	"$RAMTOP" -b -d 0.05 -p "$WL" -o "$F" >/dev/null 2>&1 &
	r=$!
	sleep 0.05
	spam "$r" &
	s=$!
	ms=$(rnd 200)
	sleep "$(printf '0.%03d' "$ms")"
	kill -KILL "$r" 2>/dev/null
	wait "$r" 2>/dev/null
	wait "$s" 2>/dev/null
	"$RAMTOP" show "$F" >"$T/show.txt" 2>"$T/show.err" ||
		fail "kill $k (after ${ms} ms): $F is not a valid snapshot: $(cat "$T/show.err")"
	ls -A "$T/out" | grep -q '^\.ramtop-.*\.tmp$' && stray=$((stray + 1))
	now=$(cksum <"$F")
	if [ "$now" != "$prev" ]; then
		versions=$((versions + 1))
		prev=$now
	fi
	ph=$(sed -n 's/^\([0-9]*\) phases*$/\1/p' "$T/show.txt")
	[ -n "$ph" ] && [ "$ph" -ge 1 ] || fail "kill $k: no phases in $(cat "$T/show.txt")"
	[ "$ph" -gt "$maxph" ] && maxph=$ph
	k=$((k + 1))
done
# A kill between naming the finished file and renaming it can leave its
# temporary name for the next save to remove: one more save, unkilled.
"$RAMTOP" -b -n 1 -p "$WL" -o "$F" >/dev/null 2>&1 || fail "last save"
left=$(ls -A "$T/out" | grep -v '^snap\.json$' | wc -l)
[ "$left" -eq 0 ] || fail "$left files left behind: $(ls -A "$T/out")"
# The kills must land in a save loop, not before it: most runs wrote.
[ "$versions" -ge $((N / 2)) ] ||
	fail "only $versions of $N runs saved: the loop is not saving"
echo "ok: $N SIGKILLs, every one left a valid snapshot; $versions new versions (up to $maxph phases); $stray kills left a temporary name, removed by the next save; 0 left at the end"
