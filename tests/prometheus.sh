#!/bin/sh
# Integration with a real Prometheus (issue 17): ramtop -b --listen
# watches the workload (a shm segment, anon memory, a child); a
# Prometheus on loopback (temporary config and data directory, random
# free ports, scraping every 0.5 s) scrapes it.  After two scrapes its
# HTTP API gives the tree RSS and the shm bytes, compared with /proc; a
# phase marked with `ramtop mark` shows up as a new ramtop_phase_info
# label; every query of contrib/grafana-dashboard.json (panels,
# annotations, variables) and of contrib/ramtop-rules.yml runs without
# error and returns data.  The server is stopped and its directory
# removed at the end, whatever happens.
. "${top_srcdir:-.}/tests/lib.sh"

. "$top_srcdir/tests/prom-lib.sh"

wl_start w
wl_cmd w "shm_open 8M" >/dev/null
wl_cmd w "anon 16M" >/dev/null
wl_cmd w "spawn 1" >/dev/null

RP=$($MX freeport)
"$RAMTOP" -b --json -d 0.5 --regions --listen "127.0.0.1:$RP" -p "$WL" \
	>"$T/nd" 2>"$T/rerr" &
RT=$!
WL_PIDS="$WL_PIDS $RT"
$MX wait "http://127.0.0.1:$RP/metrics" 10 || fail "ramtop: no /metrics: $(cat "$T/rerr")"

# Prometheus: the contrib rules, a job like contrib/prometheus.yml's.
mkdir -p "$T/prom/data"
cp "$top_srcdir/contrib/ramtop-rules.yml" "$T/prom/"
cat >"$T/prom/prometheus.yml" <<EOF
global:
  scrape_interval: 500ms
  scrape_timeout: 400ms
  evaluation_interval: 500ms
rule_files:
  - ramtop-rules.yml
scrape_configs:
  - job_name: ramtop
    static_configs:
      - targets: ['127.0.0.1:$RP']
EOF
promtool check config "$T/prom/prometheus.yml" >"$T/pc" 2>&1 ||
	fail "promtool check config: $(cat "$T/pc")"
promtool check config "$top_srcdir/contrib/prometheus.yml" >"$T/pc" 2>&1 ||
	fail "contrib/prometheus.yml: $(cat "$T/pc")"
PP=$($MX freeport)
PURL="http://127.0.0.1:$PP"
prometheus --config.file="$T/prom/prometheus.yml" \
	--storage.tsdb.path="$T/prom/data" \
	--web.listen-address="127.0.0.1:$PP" --log.level=warn \
	>"$T/prom/log" 2>&1 &
PROM_PID=$!
$MX wait "$PURL/-/ready" 30 || fail "prometheus did not start: $(tail -5 "$T/prom/log")"

$PY - "$PURL" "$WL" "$RAMTOP" "$RT" "$top_srcdir/contrib/grafana-dashboard.json" <<'PYEOF' || fail "see above"
import json, os, re, subprocess, sys, time, urllib.parse, urllib.request
purl, wl, ramtop, rt, dash = sys.argv[1:6]

def q(expr):
    u = purl + "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    with urllib.request.urlopen(u, timeout=10) as r:
        d = json.load(r)
    assert d["status"] == "success", (expr, d)
    return d["data"]

def value(expr):
    res = q(expr)["result"]
    assert len(res) == 1, (expr, res)
    return float(res[0]["value"][1])

def poll(what, fn, secs=20):
    end = time.time() + secs
    while True:
        try:
            r = fn()
            if r:
                return r
        except (AssertionError, KeyError, IndexError):
            if time.time() > end:
                raise
        if time.time() > end:
            raise SystemExit("timed out waiting for " + what)
        time.sleep(0.2)

# Two scrapes of a healthy target.
n = poll("two scrapes", lambda: (value('count_over_time(up{job="ramtop"}[1m])') >= 2
                                 and value('up{job="ramtop"}') == 1
                                 and value('count_over_time(ramtop_tree_resident_bytes[1m])') >= 2))
print("two scrapes done, up == 1")

def tree():
    pids = {wl}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                st = open("/proc/%s/stat" % d).read()
                if st[st.rindex(")") + 2:].split()[1] == wl:
                    pids.add(d)
            except OSError:
                pass
    return pids

def proc_sum(key):
    s = 0
    for p in tree():
        for line in open("/proc/%s/status" % p):
            if line.startswith(key + ":"):
                s += int(line.split()[1]) * 1024
    return s

# Compare after a fresh scrape; the workload is idle, so one sample's
# drift is small: 256 KiB (a page table, a stack page) at most.
time.sleep(1.2)
got = {
    "tree RSS": (value('ramtop_tree_resident_bytes{job="ramtop"}'), proc_sum("VmRSS")),
    "tree RssShmem": (value('ramtop_tree_shmem_bytes{job="ramtop"}'), proc_sum("RssShmem")),
    "shm regions": (value('ramtop_tree_region_resident_bytes{job="ramtop",type="shm"}'), proc_sum("RssShmem")),
}
bad = False
for k, (prom, proc) in got.items():
    ok = abs(prom - proc) <= 256 * 1024
    print("%-14s Prometheus %10d  /proc %10d  %s" % (k, prom, proc, "ok" if ok else "DIFFERENT"))
    bad |= not ok
assert value('ramtop_tree_processes{job="ramtop"}') == len(tree())
assert got["shm regions"][0] >= 8 << 20, "8 MiB of shm made"
if bad:
    sys.exit(1)

# A phase marked now appears as a label.
env = dict(os.environ)
r = subprocess.run([ramtop, "mark", "--to", rt, "weights loaded"], capture_output=True, text=True, env=env)
assert r.returncode == 0, r.stderr
t0 = time.time()
poll("the phase label", lambda: q('ramtop_phase_info{label="weights loaded"}')["result"])
res = q('ramtop_phase_info{job="ramtop"}')["result"]
print("phase labels via the API after %.1f s: %s" % (time.time() - t0,
      sorted((x["metric"]["index"], x["metric"]["label"]) for x in res)))
assert {("0", "baseline"), ("1", "weights loaded")} <= {(x["metric"]["index"], x["metric"]["label"]) for x in res}

# Every query of the dashboard and the rules returns data.
time.sleep(1.0)
d = json.load(open(dash))
exprs = []
for p in d["panels"]:
    for t in p.get("targets", []):
        exprs.append(("panel %r" % p["title"], t["expr"]))
for a in d["annotations"]["list"]:
    if "expr" in a:
        exprs.append(("annotation %r" % a["name"], a["expr"]))
for v in d["templating"]["list"]:
    if v["type"] == "query":
        m = re.match(r"label_values\((.*),\s*(\w+)\)$", v["definition"])
        exprs.append(("variable %r" % v["name"], m.group(1)))
exprs.append(("rule", "instance_type:ramtop_process_region_resident_bytes:sum"))
exprs.append(("rule", "instance:ramtop_tree_proportional_bytes:max5m"))
fails = 0
for where, e in exprs:
    e = e.replace("$instance", ".+").replace("$__rate_interval", "10s")
    try:
        res = poll(e, lambda: q(e)["result"], secs=5)
        print("%-45s %3d series  %s" % (where[:45], len(res), e[:60]))
    except (SystemExit, AssertionError) as ex:
        print("%-45s NO DATA  %s (%s)" % (where[:45], e, ex))
        fails += 1
sys.exit(1 if fails else 0)
PYEOF
prom_stop
[ ! -d "$T/prom" ] || fail "the Prometheus directory is still there"
exit 0
