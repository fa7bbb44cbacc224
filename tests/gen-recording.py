#!/usr/bin/env python3
"""Write a synthetic batch recording (what `ramtop -b --json --regions`
prints) of HOURS hours at 1 Hz: a slow saw of anon memory, a file mapped
in steps, one-sample spikes, and a mark every 50 minutes.

usage: gen-recording.py OUT.ndjson [HOURS]   (prints the spikes' seconds)

For the timeline bound (tests/check_timeline covers it in C) and the
report benchmark (bench/run)."""
import json
import sys

out, hours = sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 10
n = int(hours * 3600)
TYPES = ("heap", "anon", "stack", "shm", "file", "lib", "device", "special")


def fig(rss):
    return {"size_kb": rss, "rss_kb": rss, "pss_kb": rss, "swap_kb": 0,
            "locked_kb": 0, "count": 1}


def obj(kind, i, t, label, by):
    rss = sum(by.values())
    bt = {k: fig(v) for k, v in by.items()}
    proc = {"pid": 4242, "ppid": 1, "start_time": 99, "comm": "serve",
            "cmdline": "python3 serve.py --token=SECRET", "rss_kb": rss,
            "pss_kb": rss, "uss_kb": rss, "hwm_kb": rss, "error": None,
            "by_type": bt}
    o = {"kind": kind, "index": i, "label": label,
         "time": "2026-11-30T%02d:%02d:%02d.000Z" % (t // 3600 % 24, t // 60 % 60, t % 60),
         "elapsed_s": float(t), "system": {"mem_total_kb": 24000000},
         "totals": {"processes": 1, "rss_kb": rss, "pss_kb": rss,
                    "uss_kb": rss, "swap_kb": 0, "by_type": bt},
         "processes": [proc]}
    if kind == "mark" and i == 0:
        o["session"] = {"ramtop_version": "0.1.0",
                        "created": "2026-11-30T00:00:00.000Z",
                        "host": {"hostname": "gen", "kernel": "6.1",
                                 "page_size": 4096, "mem_total_kb": 24000000},
                        "target": {"pids": [4242],
                                   "command": "python3 serve.py --token=SECRET"}}
    return o


spikes = [600 + k * 900 for k in range(int(n / 900))]
with open(out, "w") as f:
    mark = 0
    for t in range(n):
        by = {"heap": 4000, "lib": 90000, "stack": 132,
              "anon": 100000 + (t % 7200) * 40,
              "file": 20000 * (t // 3000 + 1)}
        if t in spikes:
            by["anon"] += 2000000
        f.write(json.dumps(obj("sample", t, t, None, by), separators=(",", ":")) + "\n")
        if t % 3000 == 0:
            label = "baseline" if mark == 0 else "step %d" % mark
            f.write(json.dumps(obj("mark", mark, t, label, by), separators=(",", ":")) + "\n")
            mark += 1
print(" ".join(str(s) for s in spikes))
