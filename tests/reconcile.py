#!/usr/bin/env python3
"""Check one ramtop --json --regions sample against /proc, exactly.

usage: reconcile.py SAMPLE.json PID...   (the processes must be stopped)

For every listed process:
- rss/anon/file/shmem/swap/locked/vsz equal /proc/PID/status;
- sum of region rss == smaps_rollup Rss == rss_kb; USS == rollup
  Private_Clean + Private_Dirty;
- every region group equals the test's own sum over /proc/PID/smaps for
  that name: size, rss, private, shared, swap, locked exactly, and pss
  exactly where the pages are shared only within the stopped workload;
- sum of region pss vs rollup Pss from the same sample: the kernel
  truncates each mapping's Pss to KiB but the rollup once, so the sum may
  fall short by < 1 KiB per mapping, never more, never over.
Pages of libc and the like are shared with every process on the machine:
their Pss moves whenever any process starts or exits (ramtop included),
so those are not compared across two reads.
Exit 3 when only the last, timing-sensitive check failed (retry).
"""
import json
import sys

FIELDS = {"Size": "size_kb", "Rss": "rss_kb", "Pss": "pss_kb",
          "Swap": "swap_kb", "Locked": "locked_kb"}


def kv_file(path):
    out = {}
    with open(path) as f:
        for line in f:
            if ":" not in line:
                continue
            k, v = line.split(":", 1)
            v = v.split()
            if v and v[0].isdigit():
                out[k] = int(v[0])
    return out


def smaps_by_name(pid):
    groups = {}
    cur = None
    with open(f"/proc/{pid}/smaps", "rb") as f:
        for raw in f:
            line = raw.decode("utf-8", "surrogateescape").rstrip("\n")
            head = line.split(None, 5)
            if len(head) >= 5 and "-" in head[0] and ":" in head[3] \
                    and not head[0].endswith(":"):
                name = head[5] if len(head) == 6 else ""
                cur = groups.setdefault(name, {})
                continue
            k, _, v = line.partition(":")
            v = v.split()
            if cur is not None and v and v[0].isdigit():
                cur[k] = cur.get(k, 0) + int(v[0])
    return groups


def main():
    sample = None
    with open(sys.argv[1]) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                o = json.loads(line)
                if o.get("kind") == "sample":
                    sample = o
    assert sample is not None, "no sample in output"
    procs = {p["pid"]: p for p in sample["processes"]}
    retry = False
    for pid in map(int, sys.argv[2:]):
        assert pid in procs, f"pid {pid} missing from the sample"
        p = procs[pid]
        st = kv_file(f"/proc/{pid}/status")
        ro = kv_file(f"/proc/{pid}/smaps_rollup")
        assert p["error"] is None, f"{pid}: error {p['error']}"
        for key, stkey in [("rss_kb", "VmRSS"), ("anon_kb", "RssAnon"),
                           ("file_kb", "RssFile"), ("shmem_kb", "RssShmem"),
                           ("swap_kb", "VmSwap"), ("locked_kb", "VmLck"),
                           ("vsz_kb", "VmSize")]:
            assert p[key] == st[stkey], \
                f"{pid}: {key} {p[key]} != status {stkey} {st[stkey]}"
        regions = p["regions"]
        assert regions, f"{pid}: no regions"
        rss = sum(r["rss_kb"] for r in regions)
        assert rss == ro["Rss"], f"{pid}: sum region rss {rss} != rollup Rss {ro['Rss']}"
        assert rss == p["rss_kb"], f"{pid}: sum region rss {rss} != rss_kb {p['rss_kb']}"
        uss = ro["Private_Clean"] + ro["Private_Dirty"]
        assert p["uss_kb"] == uss, f"{pid}: uss_kb {p['uss_kb']} != {uss}"
        # [vsyscall] is a gate page, not a VMA: VmSize leaves it out.
        size = sum(r["size_kb"] for r in regions if r["name"] != "[vsyscall]")
        assert size == st["VmSize"], f"{pid}: sum region size {size} != VmSize {st['VmSize']}"
        # Region by region against our own reading of smaps.
        mine = smaps_by_name(pid)
        theirs = {}
        for r in regions:
            t = theirs.setdefault(r["name"], {k: 0 for k in FIELDS.values()})
            for k in FIELDS.values():
                t[k] += r[k]
            t.setdefault("private_kb", 0)
            t.setdefault("shared_kb", 0)
            t["private_kb"] += r["private_kb"]
            t["shared_kb"] += r["shared_kb"]
            t.setdefault("types", set()).add(r["type"])
        assert set(theirs) == set(mine), \
            f"{pid}: region names differ: {set(theirs) ^ set(mine)}"
        for name, m in mine.items():
            t = theirs[name]
            for sk, jk in FIELDS.items():
                if sk == "Pss" and t["types"] & {"lib", "file", "special"}:
                    continue
                assert t[jk] == m.get(sk, 0), \
                    f"{pid} {name!r}: {jk} {t[jk]} != smaps {sk} {m.get(sk, 0)}"
            assert t["private_kb"] == m["Private_Clean"] + m["Private_Dirty"], name
            assert t["shared_kb"] == m["Shared_Clean"] + m["Shared_Dirty"], name
        bt = p["by_type"]
        for f in ("rss_kb", "pss_kb", "size_kb", "swap_kb", "locked_kb"):
            s = sum(t[f] for t in bt.values())
            r = sum(x[f] for x in regions)
            assert s == r, f"{pid}: by_type {f} {s} != regions {r}"
        # smaps "Locked" is the Pss of locked pages; VmLck the size of
        # locked mappings: equal unless locked pages are shared (fork).
        locked = sum(x["locked_kb"] for x in regions)
        assert locked <= st["VmLck"], f"{pid}: locked {locked} > VmLck"
        assert (locked > 0) == any("L" in x["flags"] for x in regions), pid
        # Same sample: rollup Pss vs the region sum (truncation bound).
        pss = sum(r["pss_kb"] for r in regions)
        nmaps = sum(r["count"] for r in regions)
        short = p["pss_kb"] - pss
        if not 0 <= short < nmaps:
            print(f"{pid}: region pss {pss} vs pss_kb {p['pss_kb']} "
                  f"({nmaps} mappings)", file=sys.stderr)
            retry = True
    # Tree totals are the sums over the processes.
    tot = sample["totals"]
    assert tot["rss_kb"] == sum(p["rss_kb"] for p in sample["processes"])
    assert tot["pss_kb"] == sum(p["pss_kb"] for p in sample["processes"])
    for t, v in tot["by_type"].items():
        s = sum(p["by_type"][t]["rss_kb"] for p in sample["processes"])
        assert v["rss_kb"] == s, f"tree by_type {t} rss {v['rss_kb']} != {s}"
    if retry:
        sys.exit(3)
    print(f"reconciled {len(sys.argv) - 2} processes exactly")


if __name__ == "__main__":
    main()
