#!/bin/sh
# /dev/shm headroom, in a private mount namespace (unshare -m) with a
# 64 MiB tmpfs on /dev/shm (Docker's default size) and a second 16 MiB
# tmpfs the workload maps a file from.  The workload fills 56 MiB of
# /dev/shm: ramtop shows the size, use and the warning (under 20% left)
# on the screen and in batch NDJSON, with what the tree maps from each
# tmpfs.  Then it asks for more than is left: the workload's error
# ("No space left on device") is visible while ramtop keeps sampling.
. "${top_srcdir:-.}/tests/lib.sh"

[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root to mount a tmpfs in a private mount namespace"; exit 77; }
command -v unshare >/dev/null 2>&1 || { echo "SKIP: no unshare(1)"; exit 77; }
unshare -m --propagation private true 2>"$T/unshare.err" ||
	{ echo "SKIP: cannot make a mount namespace: $(cat "$T/unshare.err")"; exit 77; }
tm_setup

mkdir "$T/tmpfs2"
mkfifo "$T/wl.in"
: >"$T/wl.out"	# there before wl_cmd counts its lines
cat >"$T/ns.sh" <<EOF
mount -t tmpfs -o size=64m tmpfs /dev/shm || exit 3
mount -t tmpfs -o size=16m tmpfs "$T/tmpfs2" || exit 3
"$WORKLOAD" <"$T/wl.in" >"$T/wl.out" 2>"$T/wl.err" &
echo \$! >"$T/wlpid"
"$RAMTOP" -b --json --regions -d 0.2 -p \$! >"$T/nd" 2>"$T/nd.err" &
echo \$! >"$T/rbpid"
exec env LC_ALL=C.UTF-8 "$RAMTOP" -d 0.3 -p \$(cat "$T/wlpid")
EOF
$TM new-session -d -s rt -x 200 -y 40 "unshare -m --propagation private sh $T/ns.sh; sleep 600" ||
	fail "cannot start tmux"
exec 9>"$T/wl.in"
for i in $(seq 1 100); do
	[ -s "$T/rbpid" ] && break
	sleep 0.1
done
WL=$(cat "$T/wlpid")
RB=$(cat "$T/rbpid")
WL_PIDS="$WL_PIDS $WL $RB"

cat >"$T/check.py" <<'PYEOF'
import json, sys
def samples(path):
    out = []
    # The file is being written: a last line may be cut anywhere.
    for l in open(path, errors="replace"):
        try:
            o = json.loads(l)
        except ValueError:
            continue
        if o.get("kind") == "sample":
            out.append(o)
    return out
what = sys.argv[1]
if what == "count":
    print(len(samples(sys.argv[2])))
elif what == "shm":
    # shm NDJSON USED_KB WARN TREE_KB T2PATH T2TREE_KB: the last sample.
    s = samples(sys.argv[2])[-1]
    m = {x["path"]: x for x in s["shm"]}
    d = m["/dev/shm"]
    assert d["size_kb"] == 65536, d
    assert d["used_kb"] == int(sys.argv[3]), d
    assert d["warn"] is (sys.argv[4] == "1"), d
    assert d["tree_kb"] == int(sys.argv[5]), d
    t2 = m.get(sys.argv[6])
    assert t2 is not None, list(m)
    assert t2["size_kb"] == 16384 and t2["tree_kb"] == int(sys.argv[7]), t2
    print("shm", d, t2)
elif what == "screen":
    txt = open(sys.argv[2]).read()
    for want in sys.argv[3:]:
        assert want in txt, f"{want!r} not on the screen"
PYEOF

r=$(wl_cmd wl "file $T/tmpfs2/data.bin 4M 100")
case $r in ok*) ;; *) fail "file on the second tmpfs: $r" ;; esac
r=$(wl_cmd wl "shm_open 56M ramtop-shm-test")
case $r in ok*) ;; *) fail "shm_open 56M: $r" ;; esac

# Batch: the numbers (regions are read every sample with --regions).
for i in $(seq 1 100); do
	$PY "$T/check.py" shm "$T/nd" 57344 1 57344 "$T/tmpfs2" 4096 >"$T/why" 2>&1 && break
	sleep 0.1
done
$PY "$T/check.py" shm "$T/nd" 57344 1 57344 "$T/tmpfs2" 4096 ||
	fail "batch: /dev/shm figures (stderr: $(cat "$T/nd.err"))"
echo "ok: NDJSON: /dev/shm 64M, 56M used, warning, the tree maps 56M; the second tmpfs too"

# The screen: the limits line by itself (a tmpfs is low), /dev/shm size
# and free space.
tm_poll rt screen "Limits" "/dev/shm 64M free 8.0M"
echo "ok: screen shows /dev/shm 64M with 8.0M free"

# Full: the workload's error, and ramtop goes on.
r=$(wl_cmd wl "shm_open 16M ramtop-shm-more")
case $r in
*"No space left on device"*) echo "workload: $r" ;;
*) fail "shm_open past the size: want ENOSPC, got: $r" ;;
esac
n=$($PY "$T/check.py" count "$T/nd")
sleep 1
[ "$($PY "$T/check.py" count "$T/nd")" -gt "$n" ] || fail "ramtop -b stopped sampling"
kill -0 "$RB" 2>/dev/null || fail "ramtop -b ended"
tm_poll rt screen "/dev/shm 64M free 8.0M" "PID"
# The warning colour (THEME_WARN: black on yellow) on the free space.
$TM capture-pane -e -p -t rt | grep "Limits" >"$T/esc"
grep -q "free $(printf '\033')\[1m$(printf '\033')\[30m$(printf '\033')\[43m8.0M" "$T/esc" ||
	fail "no warning colour on /dev/shm's free space: $(cat -v "$T/esc")"
echo "ok: the workload's error is visible and ramtop keeps running"
