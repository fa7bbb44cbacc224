#!/bin/sh
# The report (issue 15): from a snapshot recorded on the workload with
# several marks, `ramtop report` writes one self-contained HTML page.
# Checked here: nothing in it can fetch anything (no URL, script, font,
# link; a Content-Security-Policy of default-src 'none'); the chart has
# one series per region type present in the file and one marker per
# phase; the figures plotted at each mark (data-kb, and the dot's place
# on the axes) are the file's; then headless Chromium, with networking
# off, renders the page to a PNG in which the chart's colours appear.
# Also: --svg, --markdown, --redact, a recording as input, bad input.
. "${top_srcdir:-.}/tests/lib.sh"

use_runtime_dir mark

"$RAMTOP" -b --json -d 0.2 -o "$T/snap.json" -- "$WORKLOAD" \
	"sleep 0.3" "mark start" \
	"file $T/weights.bin 24M 100" "mark weights" \
	"anon 40M" "sleep 0.4" "mark kv-cache" \
	"shm_open 16M" "sleep 0.4" "mark shm <b>&\"x\"" "exit 0" \
	>"$T/rec.ndjson" 2>"$T/err" || fail "run: $(cat "$T/err")"

"$RAMTOP" report "$T/snap.json" -o "$T/r.html" 2>"$T/err" || fail "report: $(cat "$T/err")"
[ -s "$T/r.html" ] || fail "empty report"

cat >"$T/check.py" <<'PY'
import json, re, sys
html, snap = open(sys.argv[1]).read(), json.load(open(sys.argv[2]))
mode = sys.argv[3] if len(sys.argv) > 3 else "page"

# Nothing that could be fetched or run.
low = html.lower()
for bad in ("http://", "https://", "url(", "<script", "@import", "@font-face",
            "<link", "<img", "<iframe", " src=", "javascript:"):
    assert bad not in low, bad
if mode == "page":
    assert "default-src 'none'" in html
    assert "<svg" in html and 'xmlns=' not in html

svg = re.search(r"<svg[^>]*>", html).group(0)
attr = lambda s, k: re.search(r'\b%s="([^"]*)"' % k, s).group(1)
x0, y0 = float(attr(svg, "data-x0")), float(attr(svg, "data-y0"))
pxs, pxkb = float(attr(svg, "data-px-per-s")), float(attr(svg, "data-px-per-kb"))

# One area per region type present in the file's timeline.
present = set()
for p in snap["timeline"]["points"]:
    for t, v in (p.get("rss_by_type") or {}).items():
        if v > 0:
            present.add(t)
areas = re.findall(r'<path class="area t-(\w+)" data-series="(\w+)"[^>]* d="([^"]*)"', html)
assert sorted(a[0] for a in areas) == sorted(present), (areas and [a[0] for a in areas], present)
assert {"anon", "shm", "file", "lib"} <= present, present
paths = {a[0]: a[2] for a in areas}
assert len(re.findall(r'<polyline class="line rss"', html)) == 1
assert len(re.findall(r'<polyline class="line pss"', html)) == 1

# One marker per phase, with the file's figures where it is drawn.
marks = re.findall(r'<g class="mark" ([^>]*)>(.*?)</g>', html, re.S)
phases = snap["phases"]
assert len(marks) == len(phases), (len(marks), len(phases))
order = ["heap", "anon", "stack", "shm", "file", "lib", "device", "special"]
for (a, body), ph in zip(marks, phases):
    assert int(attr(a, "data-index")) == ph["index"]
    label = attr(a, "data-label").replace("&lt;", "<").replace("&gt;", ">") \
        .replace("&quot;", '"').replace("&amp;", "&")
    assert label == ph["label"], (label, ph["label"])
    el = float(attr(a, "data-elapsed-s"))
    assert abs(el - ph["elapsed_s"]) < 0.001, (el, ph["elapsed_s"])
    tot = ph["totals"]
    dots = {attr(d, "data-series"): d for d in re.findall(r"<circle [^>]*>", body)}
    want = {"rss": tot["rss_kb"], "pss": tot["pss_kb"]}
    cum = 0
    cums = {}
    for t in order:
        v = ((tot["by_type"] or {}).get(t) or {}).get("rss_kb", 0) or 0
        cum += v
        if t in present:
            want[t] = v
            cums[t] = cum
    assert set(dots) == set(want), (sorted(dots), sorted(want))
    for s, v in want.items():
        d = dots[s]
        assert int(attr(d, "data-kb")) == v, (ph["label"], s, attr(d, "data-kb"), v)
        top = cums.get(s, v)
        assert int(attr(d, "data-cum-kb")) == top
        cx, cy = float(attr(d, "cx")), float(attr(d, "cy"))
        assert abs(cx - (x0 + ph["elapsed_s"] * pxs)) < 0.06, (s, cx)
        assert abs(cy - (y0 - top * pxkb)) < 0.06, (s, cy, y0 - top * pxkb)
        if s in paths:  # the area's top edge goes through the dot
            assert "%.1f,%.1f" % (cx, cy) in paths[s], (s, cx, cy)
    # The label is drawn, escaped.
    assert "&lt;b&gt;" in html if "<b>" in ph["label"] else True
assert "<b>&" not in html

# The peak: the file's, drawn where it is.
pk = snap["timeline"]["peak"]["rss"]
g = re.search(r'<g class="peak" ([^>]*)>', html).group(1)
assert int(attr(g, "data-kb")) == pk["kb"]
print("report ok:", len(marks), "marks,", sorted(present))
PY
$PY "$T/check.py" "$T/r.html" "$T/snap.json" || fail "report page"

# The same from the recording of the same run (same phases and timeline).
"$RAMTOP" report "$T/rec.ndjson" -o "$T/rec.html" 2>"$T/err" || fail "report ndjson: $(cat "$T/err")"
$PY "$T/check.py" "$T/rec.html" "$T/snap.json" || fail "report of the recording"

# --svg: the chart alone, a standalone SVG document.
"$RAMTOP" report --svg "$T/snap.json" >"$T/r.svg" || fail "--svg"
head -c 5 "$T/r.svg" | grep -q '^<svg' || fail "--svg: $(head -c 80 "$T/r.svg")"
grep -q '<svg xmlns="http://www.w3.org/2000/svg"' "$T/r.svg" || fail "--svg: no namespace"
! grep -q '<table' "$T/r.svg" || fail "--svg: a table in it"

# --markdown: the phase table and changes as text; a pipe in a label is
# escaped so the table holds.
"$RAMTOP" report --markdown "$T/snap.json" >"$T/r.md" || fail "--markdown"
grep -q '^| 3 | kv-cache | ' "$T/r.md" || fail "--markdown: $(cat "$T/r.md")"
grep -q '^- +40M anon in pid ' "$T/r.md" || fail "--markdown: no anon change: $(cat "$T/r.md")"
# Outside code spans, no raw < (a label could inject HTML).
sed 's/`[^`]*`//g' "$T/r.md" | grep -q '[^\\]<' &&
	fail "--markdown: raw <: $(grep '<' "$T/r.md")"

# --redact: no command line, no argument ("shm_open" is one; region
# names such as weights.bin stay).
grep -q "shm_open 16M" "$T/r.html" || fail "the page lacks the command line"
"$RAMTOP" report --redact "$T/snap.json" -o "$T/red.html" || fail "--redact"
! grep -q "shm_open" "$T/red.html" || fail "--redact: an argument is left"
grep -q "workload \[arguments redacted\]" "$T/red.html" || fail "--redact: no program name"
"$RAMTOP" report --redact --markdown "$T/snap.json" | grep -q "shm_open" &&
	fail "--redact --markdown: an argument is left"

# Bad input: one line, exit 1; bad usage: exit 2.
echo "not a snapshot" >"$T/bad"
"$RAMTOP" report "$T/bad" -o "$T/x.html" 2>"$T/err"
[ $? -eq 1 ] && [ "$(wc -l <"$T/err")" -eq 1 ] && [ ! -e "$T/x.html" ] ||
	fail "bad input: $(cat "$T/err")"
"$RAMTOP" report 2>/dev/null
[ $? -eq 2 ] || fail "no file: not a usage error"

# Render in headless Chromium with networking off (a proxy to nowhere,
# every host unresolvable), to a PNG; the chart's anon and shm colours
# must be in it.
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
	echo "SKIP: $CHROMIUM is not installed (the checks above passed)"
	exit 77
fi
HOME=$T timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
	--user-data-dir="$T/chromium" --no-first-run --disable-extensions \
	--disable-background-networking --disable-sync \
	--proxy-server=127.0.0.1:9 --host-resolver-rules="MAP * ~NOTFOUND" \
	--window-size=1100,1300 --screenshot="$T/r.png" "file://$T/r.html" \
	>"$T/chromium.out" 2>&1 || fail "chromium: $(tail -3 "$T/chromium.out")"
[ -s "$T/r.png" ] || fail "no PNG: $(tail -3 "$T/chromium.out")"
$PY - "$T/r.png" <<'PY' || fail "the PNG does not show the chart"
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
pos, idat, w = 8, b"", 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        assert depth == 8 and ctype in (2, 6), (depth, ctype)
        bpp = 3 if ctype == 2 else 4
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
raw, stride, prev, colours = zlib.decompress(idat), w * bpp, None, set()
for y in range(h):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i] if prev else 0
        c = prev[i - bpp] if prev and i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    prev = line
    for x in range(0, w, 2):
        colours.add(bytes(line[x * bpp:x * bpp + 3]))
# anon #d9534f and shm #3fa7a0 at opacity .85 over white.
def blend(rgb): return bytes(round(v * .85 + 255 * .15) for v in rgb)
for name, rgb in (("anon", (0xd9, 0x53, 0x4f)), ("shm", (0x3f, 0xa7, 0xa0))):
    want = blend(rgb)
    assert any(all(abs(c[i] - want[i]) <= 3 for i in range(3)) for c in colours), name
print("png ok:", w, "x", h, len(colours), "colours")
PY
echo "ok: render-report"
