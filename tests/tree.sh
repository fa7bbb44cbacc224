#!/bin/sh
# Tree: -p ROOT shows the root and all its descendants; children that
# exit disappear and a new child appears within two ticks.
. "${top_srcdir:-.}/tests/lib.sh"

wl_start wl
line=$(wl_cmd wl "tree")
c1=$(kv "$line" children | cut -d, -f1)
c2=$(kv "$line" children | cut -d, -f2)
gc=$(kv "$line" grandchild)
[ -n "$c1" ] && [ -n "$c2" ] && [ -n "$gc" ] || fail "tree: '$line'"

"$RAMTOP" -b --json -d 0.2 -p "$WL" >"$T/out" 2>"$T/err" &
R=$!
WL_PIDS="$WL_PIDS $R"

nsamples() { grep -c '"kind":"sample"' "$T/out"; }
wait_samples() {	# wait until at least $1 samples are out
	local i
	for i in $(seq 1 100); do
		[ "$(nsamples)" -ge "$1" ] && return 0
		sleep 0.05
	done
	fail "ramtop produced only $(nsamples) samples"
}

wait_samples 2
wl_cmd wl "kill $c2" >/dev/null
n_kill=$(nsamples)
line=$(wl_cmd wl "spawn 1")
new=$(kv "$line" pids)
n_spawn=$(nsamples)
wait_samples $((n_spawn + 3))
kill -TERM "$R"
wait "$R"

$PY - "$T/out" "$WL" "$c1" "$c2" "$gc" "$new" "$n_kill" "$n_spawn" <<'PYEOF' || fail "tree checks"
import json, sys
path, root, c1, c2, gc, new, n_kill, n_spawn = sys.argv[1:]
root, c1, c2, gc, new = map(int, (root, c1, c2, gc, new))
n_kill, n_spawn = int(n_kill), int(n_spawn)
samples = [json.loads(l) for l in open(path) if l.startswith("{")]
samples = [s for s in samples if s["kind"] == "sample"]
def pids(s): return [p["pid"] for p in s["processes"]]
# All four, in tree order: root, c1, gc (child of c1), c2.
first = samples[0]
assert pids(first) == [root, c1, gc, c2], pids(first)
depth = {p["pid"]: p["depth"] for p in first["processes"]}
assert depth == {root: 0, c1: 1, gc: 2, c2: 1}, depth
# The killed child is gone from the first sample taken after the kill
# was acknowledged, and from every later one.
for s in samples[n_kill:]:
    assert c2 not in pids(s), f"{c2} still shown"
# The new child appears within two ticks of its creation.
seen = [i for i, s in enumerate(samples) if new in pids(s)]
assert seen and seen[0] <= n_spawn + 1, (seen[:1], n_spawn)
assert all(new in pids(s) for s in samples[seen[0]:])
print("tree ok")
PYEOF
echo "ok: tree"
