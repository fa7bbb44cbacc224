#!/usr/bin/env python3
"""Classification on the workload: what each step created lands in the
right region type with the right size and RSS (within 5%).

usage: classify.py BEFORE.json AFTER.json PID WORKLOAD_BIN DATAFILE EXPECT...
EXPECT is TYPE:SIZE_KB:RSS_KB, the growth the workload made in that type.
"""
import json
import os
import sys


def sample(path, pid):
    with open(path) as f:
        for line in f:
            if line.startswith("{"):
                o = json.loads(line)
                if o.get("kind") == "sample":
                    for p in o["processes"]:
                        if p["pid"] == pid:
                            return p
    raise SystemExit(f"pid {pid} not in {path}")


def near(got, want, what):
    tol = max(0.05 * want, 64)  # 5%, and a few pages for tiny figures
    assert abs(got - want) <= tol, f"{what}: got {got} KiB, want {want} KiB (±5%)"


def main():
    before_path, after_path, pid, exe, datafile = sys.argv[1:6]
    pid = int(pid)
    a = sample(before_path, pid)
    b = sample(after_path, pid)
    for spec in sys.argv[6:]:
        t, size, rss = spec.split(":")
        ds = b["by_type"][t]["size_kb"] - a["by_type"][t]["size_kb"]
        dr = b["by_type"][t]["rss_kb"] - a["by_type"][t]["rss_kb"]
        near(ds, int(size), f"{t} size growth")
        near(dr, int(rss), f"{t} rss growth")
    regs = b["regions"]

    def find(pred, what):
        r = [x for x in regs if pred(x)]
        assert r, f"no region for {what}: " + ", ".join(
            f"{x['type']}:{x['name']}" for x in regs)
        return r

    # shm from all four sources lands in shm.
    for what, pred in [
        ("shm_open", lambda x: x["name"].startswith("/dev/shm/")),
        ("memfd", lambda x: x["name"].startswith("/memfd:")),
        ("SysV", lambda x: x["name"].startswith("/SYSV")),
        ("shared anon", lambda x: x["name"] == "/dev/zero (deleted)"),
    ]:
        for r in find(pred, what):
            assert r["type"] == "shm", f"{what} {r['name']} is {r['type']}"
            assert "D" not in r["flags"], f"{what} flagged deleted"
    # The data file: file type, size >> rss.
    (d,) = find(lambda x: x["name"] == datafile, "data file")
    assert d["type"] == "file", f"data file is {d['type']}"
    assert d["size_kb"] >= 3 * d["rss_kb"], f"data file size {d['size_kb']} not >> rss {d['rss_kb']}"
    # Locked memory carries L and locked_kb.
    locked = [x for x in regs if x["locked_kb"]]
    assert locked and all("L" in x["flags"] for x in locked), "locked without L"
    assert sum(x["locked_kb"] for x in locked) == b["locked_kb"] > 0
    # The program's own ELF and libc land in lib.
    exe = os.path.realpath(exe)
    for r in find(lambda x: x["name"] == exe, "workload ELF"):
        assert r["type"] == "lib", f"ELF is {r['type']}"
    for r in find(lambda x: "/libc.so" in x["name"] or "/libc-" in x["name"], "libc"):
        assert r["type"] == "lib", f"libc is {r['type']}"
    for r in find(lambda x: x["name"] == "[heap]", "heap"):
        assert r["type"] == "heap"
    for r in find(lambda x: x["name"] == "[stack]", "stack"):
        assert r["type"] == "stack"
    for r in find(lambda x: x["name"] == "[vdso]", "vdso"):
        assert r["type"] == "special"
    print("classification ok")


if __name__ == "__main__":
    main()
