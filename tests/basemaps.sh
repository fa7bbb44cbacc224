#!/bin/sh
# Over all processes the screen's memory must not follow the mappings of
# whichever process is focused (issue 13): a region baseline keeps a row
# per mapping (for g's per-mapping changes) only for a process of at most
# MODEL_BASE_MAPS_MAX (10,000) mappings.  Focused on a process of 12,000
# mappings, g shows its mappings' changes as unknown ('-'), never as
# numbers it does not have; on one of 500, as numbers.
. "${top_srcdir:-.}/tests/lib.sh"

tm_setup
XDG_CONFIG_HOME=$T/config
export XDG_CONFIG_HOME
# Copies under names of their own, for the search.
cp "$WORKLOAD" "$T/wlbigmaps" && cp "$WORKLOAD" "$T/wlsmallmaps" ||
	fail "cannot copy the workload"
mkfifo "$T/big.in" "$T/small.in"
"$T/wlbigmaps" maps 12000 stdin <"$T/big.in" >"$T/big.out" 2>&1 &
BIG=$!
exec 7>"$T/big.in"
"$T/wlsmallmaps" maps 500 stdin <"$T/small.in" >"$T/small.out" 2>&1 &
SMALL=$!
exec 8>"$T/small.in"
WL_PIDS="$WL_PIDS $BIG $SMALL"
for i in $(seq 1 100); do
	grep -q '^ok' "$T/big.out" && grep -q '^ok' "$T/small.out" && break
	sleep 0.1
done
grep -q '^ok' "$T/big.out" || fail "workload maps 12000: $(cat "$T/big.out")"

cat >"$T/check.py" <<'PYEOF'
import re, sys

def region_deltas(L, pid):
    """The ΔRSS cells of the per-mapping anon rows of pid's panel."""
    head = [i for i, l in enumerate(L) if l.startswith("Regions %s " % pid)]
    assert head, "no region panel of %s" % pid
    assert "per mapping" in L[head[0]] or "mappings" in L[head[0]], L[head[0]]
    cols = [i for i in range(head[0], len(L)) if L[i].startswith("TYPE ")]
    assert cols, "no TYPE line"
    h = L[cols[0]]
    end = h.index("\u0394RSS") + len("\u0394RSS")
    cells = [l[:end].split()[-1] for l in L[cols[0] + 1:]
             if l.startswith("anon ") and "total" not in l]
    assert len(cells) >= 3, L[cols[0]:cols[0] + 6]
    return cells

what, scr, pid = sys.argv[1:4]
L = open(scr).read().splitlines()
d = region_deltas(L, pid)
if what == "unknown":
    assert all(c == "-" for c in d), d
else:
    assert all(re.match(r"^[+-]?[0-9.]+[KMG]?$", c) for c in d), d
PYEOF

$TM new-session -d -s bm -x 150 -y 50 \
	"env LC_ALL=C.UTF-8 XDG_CONFIG_HOME='$XDG_CONFIG_HOME' '$RAMTOP' -d 0.5; sleep 600" ||
	fail "cannot start tmux"
for i in $(seq 1 100); do
	$TM capture-pane -p -t bm | grep -q "^ *PID" && break
	sleep 0.1
done
# / selects the first match: the focused process, whose regions show.
$TM send-keys -t bm / w l b i g m a p s Enter
sleep 0.5
$TM send-keys -t bm g
tm_poll bm unknown "$BIG"
echo "ok: 12,000 mappings over all processes: per-mapping changes unknown"

$TM send-keys -t bm g / w l s m a l l m a p s Enter
sleep 0.5
$TM send-keys -t bm g
tm_poll bm known "$SMALL"
echo "ok: 500 mappings: per-mapping changes known"
