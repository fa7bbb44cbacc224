#!/usr/bin/env python3
"""tests/foreign.py SNAPSHOT RAMTOP TMPDIR - every string field of the
snapshot format, made hostile one at a time (and all at once), through
show, show --json, diff and diff --json: nothing on stdout or stderr may
be a terminal control (C0 but newline, DEL, C1, bidi controls), every
output line is bounded, and nothing is reported as out of memory."""
import json
import os
import subprocess
import sys

snap, ramtop, tmp = sys.argv[1:4]
EVIL = ("\x1b]52;c;QUJD\x07\x1b[2J\x1b[31m\u009b31m\u202e\u2066\ufeff"
        "\r\b\x7fx" + "F" * 3000 + "\n\x1b]0;title\x07")
BAD_C1 = set(range(0x80, 0xa0))
BIDI = {0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068,
        0x2069, 0x200e, 0x200f, 0x061c, 0xfeff}


def paths(v, p=()):
    """Every path to a string in the document."""
    if isinstance(v, str):
        yield p
    elif isinstance(v, dict):
        for k, x in v.items():
            yield from paths(x, p + (k,))
    elif isinstance(v, list):
        for i, x in enumerate(v):
            yield from paths(x, p + (i,))


def pattern(p):
    return tuple("[]" if isinstance(k, int) else k for k in p)


def put(doc, p, val):
    for k in p[:-1]:
        doc = doc[k]
    doc[p[-1]] = val


def problem(out, bounded):
    try:
        text = out.decode("utf-8")
    except UnicodeDecodeError as e:
        return "invalid UTF-8 at %d" % e.start
    for line in text.split("\n"):
        if bounded and len(line) > 700:
            return "a line of %d characters" % len(line)
        for ch in line:
            c = ord(ch)
            if c < 0x20 or c == 0x7f or c in BAD_C1 or c in BIDI:
                return "character U+%04X in %r" % (c, line[:120])
    if "out of memory" in text:
        return "says out of memory"
    return None


base = json.load(open(snap))
# Optional string fields a plain run leaves null: make them strings so
# that they are made hostile too.
base["target"]["command"] = "cmd"
for ph in base["phases"]:
    for proc in ph["processes"]:
        proc["error"] = "err"
        if proc.get("cmdline") is None:
            proc["cmdline"] = "cmd"
pats = {}
for p in paths(base):
    pats.setdefault(pattern(p), []).append(p)
# one variant per kind of string field, then one with all at once
variants = [(pat, ps) for pat, ps in sorted(pats.items(), key=str)]
variants.append((("everything",), [p for ps in pats.values() for p in ps
                                   if p[-1] not in ("format", "type")]))
tried = 0
for pat, ps in variants:
    doc = json.loads(json.dumps(base))
    for p in ps:
        put(doc, p, EVIL)
    # a second phase so that diff compares something
    doc["phases"].append(json.loads(json.dumps(doc["phases"][-1])))
    doc["phases"][-1]["index"] = len(doc["phases"]) - 1
    for proc in doc["phases"][-1]["processes"]:
        proc["rss_kb"] += 4
        for reg in proc.get("regions") or []:
            reg["rss_kb"] += 4
    f = os.path.join(tmp, "evil\x1b[2J.json")
    with open(f, "w") as fp:
        json.dump(doc, fp, ensure_ascii=False)
    for args in (["show"], ["show", "--json"], ["diff"], ["diff", "--json"],
                 ["diff", "0", "1"], ["diff", "--json", f]):
        cmd = [ramtop, args[0]] + args[1:] + [f]
        if args[-1] == f:
            cmd = [ramtop] + args + [f]
        r = subprocess.run(cmd, capture_output=True, timeout=30)
        tried += 1
        for name, out in (("stdout", r.stdout), ("stderr", r.stderr)):
            why = problem(out, "--json" not in args)
            if why:
                print("FAIL: field %s, ramtop %s: %s: %s" %
                      ("/".join(map(str, pat)), " ".join(args), name, why))
                sys.exit(1)
        if args[0] == "show" and r.returncode not in (0, 1):
            print("FAIL: show exit %d" % r.returncode)
            sys.exit(1)
print("ok: %d string fields, %d runs, no control reached the terminal"
      % (len(pats), tried))
