#!/bin/sh
# The Prometheus exposition (issue 17): `promtool check metrics` passes on
# what --listen serves and --textfile writes, in batch mode and on the
# interactive screen (tmux); the figures are the workload's (RSS, shm by
# region type); an awkward command name is sanitised and escaped; unknown
# figures (--gentle: no PSS) are absent, not 0; without a target only
# the top N processes get series, with no root label; Accept negotiates
# OpenMetrics; / is one line, anything else 404; node_exporter's textfile
# collector takes the --textfile file without error.
. "${top_srcdir:-.}/tests/lib.sh"

command -v promtool >/dev/null 2>&1 ||
	{ echo "SKIP: promtool is not installed (Debian package prometheus)"; exit 77; }
tm_setup

MX="$PY $top_srcdir/tests/metrics.py"
OMACCEPT='application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'

# The workload under a name with a quote, a backslash and a newline.
NAME=$(printf 'w"b\\c\nd')
cp "$WORKLOAD" "$T/$NAME"
: >"$T/w.out"
mkfifo "$T/w.in"
"$T/$NAME" >"$T/w.out" 2>"$T/w.err" <"$T/w.in" &
WL=$!
WL_PIDS="$WL_PIDS $WL"
exec 9>"$T/w.in"
wl_cmd w "shm_open 8M" >/dev/null
wl_cmd w "anon 16M" >/dev/null

check() {	# check FILE WHAT: promtool's verdict, shown
	promtool check metrics <"$1" >"$T/promtool" 2>&1 ||
		fail "$2: promtool check metrics: $(cat "$T/promtool")"
	echo "$2: promtool check metrics: OK ($(grep -vc '^#' "$1") samples)"
}

# --- batch mode: --listen and --textfile -------------------------------
P=$($MX freeport)
"$RAMTOP" -b -d 0.3 --regions --listen "$P" --textfile "$T/b.prom" \
	-p "$WL" >/dev/null 2>"$T/err" &
RT=$!
WL_PIDS="$WL_PIDS $RT"
$MX wait "http://127.0.0.1:$P/metrics" 10 || fail "batch: no /metrics: $(cat "$T/err")"
sleep 0.4
$MX get "http://127.0.0.1:$P/metrics" >"$T/b.txt" 3>"$T/b.ct" || fail "GET /metrics"
grep -q '^200 text/plain; version=0.0.4' "$T/b.ct" || fail "content type: $(cat "$T/b.ct")"
check "$T/b.txt" "batch /metrics"
check "$T/b.prom" "batch --textfile"
[ "$(stat -c %a "$T/b.prom")" = "644" ] ||
	[ "$(stat -c %a "$T/b.prom")" = "$(printf '%o' $((0644 & ~$(umask))))" ] ||
	fail "textfile mode $(stat -c %a "$T/b.prom")"

# OpenMetrics when asked for, the same families; ends with # EOF.
$MX get "http://127.0.0.1:$P/metrics" "$OMACCEPT" >"$T/b.om" 3>"$T/b.omct" || fail "GET OM"
grep -q '^200 application/openmetrics-text; version=1.0.0' "$T/b.omct" ||
	fail "OM content type: $(cat "$T/b.omct")"
[ "$(tail -1 "$T/b.om")" = "# EOF" ] || fail "OM: no # EOF"
grep -q '^# TYPE ramtop_phase info$' "$T/b.om" || fail "OM: ramtop_phase is not info"
grep -q '^# TYPE ramtop_samples counter$' "$T/b.om" || fail "OM: counter family"
grep -q '^ramtop_samples_total ' "$T/b.om" || fail "OM: ramtop_samples_total"
grep -q '^# UNIT ramtop_tree_resident_bytes bytes$' "$T/b.om" || fail "OM: UNIT"

# Other paths and methods.
$MX get "http://127.0.0.1:$P/" >"$T/index" 3>"$T/index.ct" || fail "GET /"
[ "$(wc -l <"$T/index")" -eq 1 ] || fail "/ is not one line"
$MX get "http://127.0.0.1:$P/metricsx" >/dev/null 3>"$T/nf" && fail "/metricsx answered"
grep -q '^404 ' "$T/nf" || fail "/metricsx: $(cat "$T/nf")"
kill -TERM "$RT"
wait "$RT" 2>/dev/null

# The figures: the workload's, against /proc; labels escaped.
PYTHONDONTWRITEBYTECODE=1 $PY - "$T/b.txt" "$WL" "$NAME" <<'PYEOF' || fail "batch figures"
import os, sys
sys.path.insert(0, os.environ["top_srcdir"] + "/tests")
import metrics as mx
rows = mx.parse(sys.argv[1])
pid, name = sys.argv[2], sys.argv[3]
comm = name.replace("\n", "?")[:15]
def one(metric, **want):
    got = [v for n, l, v in rows if n == metric and
           all(l.get(k) == w for k, w in want.items())]
    assert len(got) == 1, (metric, want, got)
    return got[0]
def status(key):
    for line in open("/proc/%s/status" % pid):
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
lab = {"pid": pid, "comm": comm, "root": pid}
rss = one("ramtop_process_resident_bytes", **lab)
shm = one("ramtop_process_region_resident_bytes", type="shm", **lab)
shmem = one("ramtop_process_shmem_bytes", **lab)
print("comm label %r (raw %r)" % (comm, name))
print("RSS %d (proc now %d), RssShmem %d, shm regions %d (8 MiB made)" %
      (rss, status("VmRSS"), shmem, shm))
assert abs(rss - status("VmRSS")) <= 1 << 20, "RSS"
assert shm == 8 << 20, "shm by type"
assert shmem == status("RssShmem"), "RssShmem"
types = {l["type"] for n, l, v in rows if "type" in l}
assert types <= {"heap", "anon", "stack", "shm", "file", "lib", "device",
                 "special"}, types
assert one("ramtop_tree_resident_bytes") == rss
assert one("ramtop_tree_processes") == 1
assert one("ramtop_phase_info", index="0", label="baseline") == 1
PYEOF
grep -q 'comm="w\\"b\\\\c?d"' "$T/b.txt" || fail "comm not escaped: $(grep -m1 comm= "$T/b.txt")"

# --- IPv6 loopback, launch mode ----------------------------------------
if $PY -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
	P=$($MX freeport)
	"$RAMTOP" -b -d 0.3 --listen "[::1]:$P" -- "$WORKLOAD" "anon 4M" "sleep 3" \
		>/dev/null 2>"$T/err6" &
	R6=$!
	WL_PIDS="$WL_PIDS $R6"
	$MX wait "http://[::1]:$P/metrics" 10 || fail "[::1]: no /metrics: $(cat "$T/err6")"
	$MX get "http://[::1]:$P/metrics" >"$T/v6.txt" 3>/dev/null || fail "[::1] GET"
	check "$T/v6.txt" "[::1]:$P, launch mode"
	grep -q '^ramtop_process_resident_bytes{pid="[0-9]*",comm="workload",root=' "$T/v6.txt" ||
		fail "[::1]: no launched workload"
	kill -TERM "$R6"
	wait "$R6" 2>/dev/null
else
	echo "no IPv6 loopback here: [::1] not tried"
fi

# --- node_exporter's textfile collector reads --textfile -----------------
if command -v prometheus-node-exporter >/dev/null 2>&1; then
	mkdir "$T/tf"
	"$RAMTOP" -b -n 2 -d 0.2 --textfile "$T/tf/ramtop.prom" -p "$WL" \
		>/dev/null 2>&1 || fail "textfile run"
	NP=$($MX freeport)
	prometheus-node-exporter --collector.disable-defaults \
		--collector.textfile --collector.textfile.directory="$T/tf" \
		--web.listen-address="127.0.0.1:$NP" >"$T/ne.log" 2>&1 &
	NE=$!
	WL_PIDS="$WL_PIDS $NE"
	$MX wait "http://127.0.0.1:$NP/metrics" 15 || fail "node_exporter did not start"
	$MX get "http://127.0.0.1:$NP/metrics" >"$T/ne.txt" 3>/dev/null || fail "node_exporter GET"
	kill -TERM "$NE"
	wait "$NE" 2>/dev/null
	grep -q '^node_textfile_scrape_error 0$' "$T/ne.txt" ||
		fail "node_exporter: $(grep -i 'textfile\|error' "$T/ne.txt" "$T/ne.log" | head -5)"
	grep -q "^ramtop_process_resident_bytes{comm=.*pid=\"$WL\"" "$T/ne.txt" ||
		fail "node_exporter does not serve ramtop's metrics"
	echo "node_exporter textfile collector: $(grep -c '^ramtop_' "$T/ne.txt") ramtop samples, node_textfile_scrape_error 0"
else
	echo "prometheus-node-exporter is not installed: textfile collector not tried"
fi

# --- a textfile that cannot be: one line, exit 1, before a sample --------
for bad in "$T/nodir/x.prom" "$T"; do
	"$RAMTOP" -b -n 1 --textfile "$bad" -p "$WL" >"$T/out" 2>"$T/err"
	rc=$?
	[ "$rc" -eq 1 ] && [ "$(wc -l <"$T/err")" -eq 1 ] && [ ! -s "$T/out" ] ||
		fail "--textfile $bad: exit $rc: $(cat "$T/err")"
	echo "--textfile $bad: $(cat "$T/err") (exit 1)"
done

# --- unknown is absent: --gentle reads no PSS ---------------------------
"$RAMTOP" -b -n 2 -d 0.2 --gentle --textfile "$T/g.prom" -p "$WL" >/dev/null 2>&1 ||
	fail "gentle run"
check "$T/g.prom" "--gentle textfile"
grep -q '^ramtop_process_resident_bytes{' "$T/g.prom" || fail "gentle: no RSS"
if grep -q '^ramtop_process_proportional_bytes\|^ramtop_tree_proportional_bytes' "$T/g.prom"; then
	fail "gentle: PSS is unknown but present"
fi
grep -q '^ramtop_tree_unknown_processes{figure="proportional"} 1$' "$T/g.prom" ||
	fail "gentle: unknown count"
echo "--gentle: PSS series absent, ramtop_tree_unknown_processes{figure=\"proportional\"} 1"

# --- all processes: top N, no root label --------------------------------
"$RAMTOP" -b -n 2 -d 0.2 --metrics-top 3 --textfile "$T/a.prom" >/dev/null 2>&1 ||
	fail "all-processes run"
check "$T/a.prom" "all processes"
n=$(grep '^ramtop_process_resident_bytes{' "$T/a.prom" | wc -l)
[ "$n" -eq 3 ] || fail "--metrics-top 3: $n processes"
grep -q 'root="' "$T/a.prom" && fail "all processes: root label"
"$RAMTOP" -b -n 1 --textfile "$T/a20.prom" >/dev/null 2>&1 || fail "all, default"
n=$(grep '^ramtop_process_resident_bytes{' "$T/a20.prom" | wc -l)
[ "$n" -le 20 ] && [ "$n" -ge 3 ] || fail "default top 20: $n processes"
echo "all processes: --metrics-top 3 gives 3, the default $n (at most 20)"

# --- the interactive screen ----------------------------------------------
P=$($MX freeport)
$TM new-session -d -s rt -x 120 -y 40 \
	"env LC_ALL=C.UTF-8 '$RAMTOP' -d 0.3 --listen 127.0.0.1:$P --textfile '$T/s.prom' -p $WL; sleep 600" ||
	fail "cannot start tmux"
$MX wait "http://127.0.0.1:$P/metrics" 15 || fail "screen: no /metrics"
sleep 0.4
$MX get "http://127.0.0.1:$P/metrics" >"$T/s.txt" 3>/dev/null || fail "screen GET"
check "$T/s.txt" "screen /metrics"
check "$T/s.prom" "screen --textfile"
grep -q "^ramtop_process_resident_bytes{pid=\"$WL\"" "$T/s.txt" || fail "screen: no workload"
$TM capture-pane -p -t rt >"$T/screen"
grep -q "^ *PID" "$T/screen" || fail "screen not drawn: $(cat "$T/screen")"
# A mark with the m key is a new ramtop_phase_info label at once.
$TM send-keys -t rt m
sleep 0.3
$TM send-keys -t rt -l 'tui mark'
$TM send-keys -t rt Enter
for i in $(seq 1 50); do
	$MX get "http://127.0.0.1:$P/metrics" >"$T/s2.txt" 3>/dev/null
	grep -q '^ramtop_phase_info{index="1",label="tui mark"} 1$' "$T/s2.txt" && break
	sleep 0.1
done
grep -q '^ramtop_phase_info{index="1",label="tui mark"} 1$' "$T/s2.txt" ||
	fail "screen: the m key's phase is not in /metrics"
echo "screen: phase marked with m served as ramtop_phase_info{index=\"1\",label=\"tui mark\"}"
exit 0
