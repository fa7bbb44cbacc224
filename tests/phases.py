"""Checks for tests/phases.sh: the NDJSON marks, the snapshot against the
schema, and `ramtop diff` attributing each workload step to its type.

usage: phases.py OUT.ndjson SNAP.json SCHEMA.json RAMTOP WEIGHTS_PATH
"""
import json
import subprocess
import sys

import jsonschema

out, snap, schema, ramtop, weights = sys.argv[1:6]
LABELS = ["start", "weights mapped", "weights touched", "kv-cache", "shm",
          "pinned"]
MIB = 1024

# --- NDJSON: one "mark" object per mark, in order, after samples; mark 0
# is the baseline and carries the session (the file's header).
objs = [json.loads(l) for l in open(out) if l.startswith("{")]
marks = [o for o in objs if o["kind"] == "mark"]
assert [m["label"] for m in marks] == ["baseline"] + LABELS, [m["label"] for m in marks]
assert [m["index"] for m in marks] == list(range(0, 7)), marks
assert "host" in marks[0]["session"] and all("session" not in m for m in marks[1:])
assert any(o["kind"] == "sample" for o in objs)
assert objs[-1]["kind"] == "exit" and objs[-1]["exit_code"] == 0, objs[-1]
for m in marks:
    for p in m["processes"]:
        assert "regions" not in p, "regions printed without --regions"
        assert p["by_type"] is not None, p

# --- The snapshot validates against the schema.
doc = json.load(open(snap))
jsonschema.Draft202012Validator.check_schema(json.load(open(schema)))
jsonschema.Draft202012Validator(
    json.load(open(schema)),
    format_checker=jsonschema.FormatChecker()).validate(doc)
assert [p["label"] for p in doc["phases"]] == ["baseline"] + LABELS
assert [p["index"] for p in doc["phases"]] == list(range(7))
for ph in doc["phases"]:
    # The `ramtop mark` client that asked is not part of the phase.
    assert all(p["comm"] != "ramtop" for p in ph["processes"]), ph["label"]
    for p in ph["processes"]:
        assert p["regions"] is not None, (ph["label"], p["pid"])
        # Regions were read at the mark: they add up to the phase's PSS.
        assert sum(r["pss_kb"] for r in p["regions"]) == p["pss_kb"]


def diff(a, b):
    r = subprocess.run([ramtop, "diff", "--json", snap, a, b],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def near(got, want, what):
    assert abs(got - want) <= 0.05 * want, f"{what}: {got} KiB, want {want}"


def types(d):
    return {t["type"]: t["delta"] for t in d["by_type"]}


def others_quiet(d, step_types, want):
    # Nothing else moved by more than 5% of the step.
    noise = sum(abs(t["delta"]["rss_kb"]) for t in d["by_type"]
                if t["type"] not in step_types)
    assert noise <= 0.05 * want, f"other types moved {noise} KiB: {d['by_type']}"


# weights mapped: 64 MiB of address space in "file", no RSS yet.
d = diff("start", "weights mapped")
t = types(d)
near(t["file"]["size_kb"], 64 * MIB, "mapped file size")
assert abs(t["file"]["rss_kb"]) <= 0.05 * 64 * MIB, t["file"]
g = [r for r in d["regions"] if r["name"] == weights]
assert len(g) == 1 and g[0]["status"] == "new" and g[0]["type"] == "file", g
others_quiet(d, {"file"}, 64 * MIB)

# weights touched: half of it is now resident, still in "file".
d = diff("weights mapped", "weights touched")
t = types(d)
near(t["file"]["rss_kb"], 32 * MIB, "touched file rss")
assert t["file"]["size_kb"] == 0, t["file"]
top = d["regions"][0]
assert top["name"] == weights and top["type"] == "file", top
near(top["delta"]["rss_kb"], 32 * MIB, "weights group rss")
others_quiet(d, {"file"}, 32 * MIB)

# kv-cache: 64 MiB of private anonymous memory.
d = diff("weights touched", "kv-cache")
near(types(d)["anon"]["rss_kb"], 64 * MIB, "kv-cache anon rss")
assert d["regions"][0]["type"] == "anon", d["regions"][0]
near(d["regions"][0]["delta"]["rss_kb"], 64 * MIB, "kv-cache group")
others_quiet(d, {"anon"}, 64 * MIB)
pr = d["processes"][0]
near(pr["rss_delta_kb"], 64 * MIB, "kv-cache process rss")

# shm: a 32 MiB /dev/shm segment.
d = diff("kv-cache", "shm")
near(types(d)["shm"]["rss_kb"], 32 * MIB, "shm rss")
top = d["regions"][0]
assert top["type"] == "shm" and top["name"].startswith("/dev/shm/"), top
others_quiet(d, {"shm"}, 32 * MIB)

# pinned: 16 MiB of locked anonymous memory, flagged L.
d = diff("shm", "pinned")
t = types(d)
near(t["anon"]["rss_kb"], 16 * MIB, "pinned anon rss")
near(t["anon"]["locked_kb"], 16 * MIB, "pinned locked")
top = d["regions"][0]
assert top["type"] == "anon" and "L" in top["flags"], top
others_quiet(d, {"anon"}, 16 * MIB)

# Default: first and last phase; the whole story in one diff.
r = subprocess.run([ramtop, "diff", "--json", snap], capture_output=True,
                   text=True)
assert r.returncode == 0, r.stderr
d = json.loads(r.stdout)
assert d["a"]["label"] == "baseline" and d["b"]["label"] == "pinned"
t = types(d)
near(t["anon"]["rss_kb"], 80 * MIB, "anon overall")
near(t["shm"]["rss_kb"], 32 * MIB, "shm overall")
near(t["file"]["rss_kb"], 32 * MIB, "file overall")

# show --json: the phase table's figures.
r = subprocess.run([ramtop, "show", "--json", snap], capture_output=True,
                   text=True)
assert r.returncode == 0, r.stderr
s = json.loads(r.stdout)
rows = {p["label"]: p for p in s["phases"]}
assert len(s["phases"]) == 7
near(rows["kv-cache"]["rss_delta_prev_kb"], 64 * MIB, "show: kv-cache")
near(rows["pinned"]["rss_by_type_kb"]["anon"]
     - rows["shm"]["rss_by_type_kb"]["anon"], 16 * MIB, "show: by type")
assert rows["baseline"]["rss_delta_prev_kb"] == 0
print("phases ok:", len(marks), "marks")
