#!/bin/sh
# Permissions: an unprivileged user watching a root process gets unknown
# PSS and regions with the reason, a one-line hint, exit 0 - never 0 KiB.
# With /proc mounted hidepid=invisible (in a private mount namespace),
# a hidden -p target is a clear error, and the all-processes view says
# that other users' processes are left out.
. "${top_srcdir:-.}/tests/lib.sh"

[ "$(id -u)" -eq 0 ] || { echo "skip: needs root to become nobody"; exit 77; }
command -v setpriv >/dev/null || { echo "skip: no setpriv"; exit 77; }

# The build tree may not be readable by nobody: run a copy.
install -m 0755 "$RAMTOP" "$T/ramtop"
chmod 0755 "$T"
run_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$T/ramtop" "$@"
}

target=1
[ "$(stat -c %u /proc/$target)" -eq 0 ] || fail "pid 1 is not root's"
run_nobody -b -n 1 --json -p "$target" >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" -eq 0 ] || fail "exit $rc: $(cat "$T/err")"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "want one line on stderr, got: $(cat "$T/err")"
grep -q "permission denied" "$T/err" || fail "no hint: $(cat "$T/err")"
grep -q "CAP_SYS_PTRACE" "$T/err" || fail "hint says nothing to do: $(cat "$T/err")"
$PY - "$T/out" "$target" <<'PYEOF' || fail "unknown figures"
import json, sys
o = json.loads(open(sys.argv[1]).readline())
p = [p for p in o["processes"] if p["pid"] == int(sys.argv[2])][0]
assert p["error"] == "permission denied", p["error"]
for k in ("pss_kb", "uss_kb", "swap_pss_kb", "by_type"):
    assert p[k] is None, f"{k} = {p[k]!r}, want null"
# status is world-readable: RSS is known.
assert isinstance(p["rss_kb"], int) and p["rss_kb"] > 0, p["rss_kb"]
print("perm ok")
PYEOF

# The text report shows '-' for the unknown figures and the reason.
run_nobody -b -n 1 -p "$target" >"$T/text" 2>/dev/null || fail "text: exit $?"
line=$(grep "^ *$target " "$T/text")
echo "$line" | grep -q "(permission denied)" || fail "text lacks reason: $line"
pss=$(echo "$line" | awk '{print $4}')
[ "$pss" = "-" ] || fail "PSS shown as '$pss', want '-'"
# hidepid: a private mount namespace with its own /proc.
command -v unshare >/dev/null || { echo "ok: perm (no unshare: hidepid not tested)"; exit 0; }
cat >"$T/hide.sh" <<EOF
mount -t proc -o hidepid=invisible proc /proc || exit 99
setpriv --reuid=nobody --regid=nogroup --clear-groups \
	"$T/ramtop" -b -n 1 -p 1 >"$T/h1.out" 2>"$T/h1.err"
echo \$? >"$T/h1.rc"
setpriv --reuid=nobody --regid=nogroup --clear-groups \
	"$T/ramtop" -b -n 2 -d 0.1 --json >"$T/h2.out" 2>"$T/h2.err"
echo \$? >"$T/h2.rc"
EOF
unshare -m --propagation private sh "$T/hide.sh"
[ $? -ne 99 ] || fail "cannot mount /proc with hidepid here"
[ "$(cat "$T/h1.rc")" -eq 1 ] || fail "hidden -p 1: exit $(cat "$T/h1.rc")"
[ ! -s "$T/h1.out" ] || fail "hidden -p 1 printed a report: $(cat "$T/h1.out")"
grep -q "^ramtop: process 1 is hidden from you: /proc is mounted with hidepid" \
	"$T/h1.err" || fail "hidden -p 1: $(cat "$T/h1.err")"
[ "$(cat "$T/h2.rc")" -eq 0 ] ||
	fail "hidepid all: exit $(cat "$T/h2.rc") $(cat "$T/h2.err")"
grep -q "other users' processes are hidden" "$T/h2.err" ||
	fail "hidepid all: no hint: $(cat "$T/h2.err")"
$PY - "$T/h2.out" <<'PYEOF' || fail "hidepid all: figures"
import json, sys
# The second sample: PSS over all processes is read from the second on.
o = [json.loads(l) for l in open(sys.argv[1])][-1]
assert o["kind"] == "sample" and o["index"] == 1, o["kind"]
pids = [p["pid"] for p in o["processes"]]
# Only nobody's own processes: ramtop itself; no pid 1, nothing of root.
assert 1 not in pids and len(pids) >= 1, pids
for p in o["processes"]:
    assert p["uid"] != 0, p
    assert p["rss_kb"] > 0 and p["pss_kb"] > 0, p
assert o["totals"]["processes"] == len(pids), o["totals"]
print("hidepid ok:", pids)
PYEOF
# The host's /proc is untouched.
[ -r /proc/1/stat ] || fail "the host /proc changed"
echo "ok: perm"
