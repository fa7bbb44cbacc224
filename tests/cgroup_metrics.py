"""Compare ramtop's exported cgroup metrics with the cgroup files.

usage: cgroup_metrics.py TEXTFILE ROOT VERSION [CGDIR CGPATH]
ROOT: a replay frame directory (ROOT/sys/fs/cgroup, ROOT/pressure/memory,
ROOT/PID/...) for version 2; for version 1 (live) give CGDIR, the v1
cgroup's directory, and CGPATH, its path in the hierarchy.
Every figure is read here from the files themselves, not from ramtop.
"""
import os, re, sys

prom, root, ver = sys.argv[1], sys.argv[2], int(sys.argv[3])
series = {}
lab = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')
for line in open(prom):
    if line.startswith("#") or not line.strip():
        continue
    m = re.match(r'^(\w+)(?:\{(.*)\})? (\S+)$', line.strip())
    assert m, line
    labels = tuple(sorted(lab.findall(m.group(2) or "")))
    series[(m.group(1), labels)] = float(m.group(3))


def get(name, **lb):
    return series.get((name, tuple(sorted((k, str(v)) for k, v in lb.items()))))


def rd(path):
    try:
        return open(path).read()
    except OSError:
        return None


def keyed(text, key):
    for line in (text or "").splitlines():
        k, _, v = line.partition(" ")
        if k == key:
            return int(v)
    return None


def value(text):
    if text is None:
        return None
    t = text.strip()
    if t == "max" or int(t) >= 1 << 62:
        return "max"
    return int(t)


bad = []


def want(name, expect, **lb):
    got = get(name, **lb)
    if expect == "max" or expect is None:
        if got is not None:
            bad.append("%s %s: %r, want absent (%s)" % (name, lb, got, expect))
        return
    if got is None or abs(got - expect) > 1e-6 * max(1, abs(expect)):
        bad.append("%s %s: %r, want %r" % (name, lb, got, expect))


def psi(text):
    out = {}
    for line in (text or "").splitlines():
        w = line.split()
        d = dict(x.split("=") for x in w[1:])
        out[w[0]] = d
    return out


def check_psi(prefix, text, **lb):
    p = psi(text)
    for stall in ("some", "full"):
        for win, key in (("10s", "avg10"), ("60s", "avg60")):
            want(prefix + "_ratio", float(p[stall][key]) / 100 if stall in p else None,
                 stall=stall, window=win, **lb)
        want(prefix + "_stalled_seconds_total",
             int(p[stall]["total"]) / 1e6 if stall in p else None, stall=stall, **lb)


if ver == 2:
    base = os.path.join(root, "sys/fs/cgroup")
    cgs = {}
    for d in os.listdir(root):
        if d.isdigit():
            path = rd(os.path.join(root, d, "cgroup")).split("::", 1)[1].strip()
            cgs[path] = os.path.join(base, path.lstrip("/"))
            want("ramtop_process_oom_score", int(rd(os.path.join(root, d, "oom_score"))),
                 pid=d, comm=rd(os.path.join(root, d, "status")).split()[1], root="100")
            want("ramtop_process_oom_score_adj", int(rd(os.path.join(root, d, "oom_score_adj"))),
                 pid=d, comm=rd(os.path.join(root, d, "status")).split()[1], root="100")
    check_psi("ramtop_system_memory_pressure", rd(os.path.join(root, "pressure/memory")))
    files = {"usage": "memory.current", "limit": "memory.max", "high": "memory.high",
             "peak": "memory.peak", "swap": "memory.swap.current",
             "swap_limit": "memory.swap.max"}
    stat = {k: k for k in ("anon", "file", "shmem", "kernel", "slab", "sock", "file_mapped")}
    events = {"oom": "oom", "oom_kill": "oom_kill", "max": "max"}
    evfile = "memory.events"
else:
    cgs = {sys.argv[5]: sys.argv[4]}
    base = os.path.dirname(sys.argv[4].rstrip("/"))
    files = {"usage": "memory.usage_in_bytes", "limit": "memory.limit_in_bytes",
             "peak": "memory.max_usage_in_bytes"}
    stat = {"anon": "total_rss", "file": "total_cache", "shmem": "total_shmem",
            "file_mapped": "total_mapped_file"}
    events = {"oom_kill": "oom_kill"}
    evfile = "memory.oom_control"
assert cgs, "no cgroups"
for path, d in cgs.items():
    lb = {"cgroup": path, "version": ver}
    if get("ramtop_cgroup_processes", **lb) is None:
        bad.append("no series for cgroup %s" % path)
    for fig, fn in files.items():
        v = value(rd(os.path.join(d, fn)))
        want("ramtop_cgroup_%s_bytes" % fig, v, **lb)
        if fig in ("limit", "high", "swap_limit"):
            want("ramtop_cgroup_unlimited", 1 if v == "max" else None, limit=fig, **lb)
    st = rd(os.path.join(d, "memory.stat"))
    for fig, key in stat.items():
        want("ramtop_cgroup_%s_bytes" % fig, keyed(st, key), **lb)
    ev = rd(os.path.join(d, evfile))
    for fig, key in events.items():
        want("ramtop_cgroup_%s_events_total" % fig, keyed(ev, key), **lb)
    if ver == 1:
        want("ramtop_cgroup_max_events_total", int(rd(os.path.join(d, "memory.failcnt"))), **lb)
    # The tightest limit: least headroom among this cgroup and its
    # ancestors (inside the fixture, or the v1 cgroup itself).
    best = None
    p = path
    while True:
        dd = os.path.join(base, p.lstrip("/")) if ver == 2 else d
        lim = value(rd(os.path.join(dd, files["limit"])))
        use = value(rd(os.path.join(dd, files["usage"])))
        if isinstance(lim, int) and isinstance(use, int):
            if best is None or lim - use < best[1] - best[2]:
                best = (p, lim, use)
        if ver == 1 or p in ("/", ""):
            break
        p = os.path.dirname(p)
        if p == "/":
            break
    if best:
        want("ramtop_cgroup_tightest_limit_bytes", best[1], limit_cgroup=best[0], **lb)
        want("ramtop_cgroup_headroom_bytes", best[1] - best[2], limit_cgroup=best[0], **lb)
    if ver == 2:
        check_psi("ramtop_cgroup_memory_pressure", rd(os.path.join(d, "memory.pressure")), **lb)
if bad:
    print("\n".join(bad))
    sys.exit(1)
print("%d cgroup(s) checked" % len(cgs))
