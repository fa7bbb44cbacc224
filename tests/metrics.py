#!/usr/bin/env python3
"""tests/metrics.py - helpers for the metrics tests (issue 17).

  freeport                      print a free TCP port on 127.0.0.1
  get URL [ACCEPT]              body to stdout, "status content-type" to fd 3
                                if open (else stderr); exit 0 on 200
  wait URL SECONDS              until URL answers 200
  series FILE NAME [LABEL=VAL]  values of one metric in an exposition file
  robust HOST PORT OUT.json     malformed, oversized, 200 concurrent requests
                                and an idle connection; figures to OUT.json
  gaps NDJSON T0 T1             sample gaps (s) of batch --json output
                                between Unix times T0 and T1
  prom URL QUERY [TIME]         instant query against Prometheus: JSON result
"""
import calendar
import json
import os
import re
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request


def freeport():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
    s.close()


def get(url, accept=None):
    req = urllib.request.Request(url)
    if accept:
        req.add_header("Accept", accept)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            body, status, ct = r.read(), r.status, r.headers.get("Content-Type")
    except urllib.error.HTTPError as e:
        body, status, ct = e.read(), e.code, e.headers.get("Content-Type")
    sys.stdout.buffer.write(body)
    try:
        out = os.fdopen(3, "w")
    except OSError:
        out = sys.stderr
    print(status, ct, file=out)
    out.flush()
    return 0 if status == 200 else 1


def wait(url, secs):
    end = time.time() + float(secs)
    while time.time() < end:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return 0
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    print("no answer from %s in %s s" % (url, secs), file=sys.stderr)
    return 1


LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)( \S+)?$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse(path):
    """[(name, {labels}, value)] of an exposition file."""
    out = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        m = LINE.match(line)
        if not m:
            raise SystemExit("unparsable line: %r" % line)
        labels = {}
        if m.group(3):
            for k, v in LABEL.findall(m.group(3)):
                labels[k] = v.replace('\\"', '"').replace("\\n", "\n") \
                             .replace("\\\\", "\\")
        out.append((m.group(1), labels, float(m.group(4))))
    return out


def series(path, name, *want):
    for n, labels, v in parse(path):
        if n != name:
            continue
        ok = True
        for w in want:
            k, val = w.split("=", 1)
            if labels.get(k) != val:
                ok = False
        if ok:
            print("%s %d" % (json.dumps(labels, sort_keys=True), v))
    return 0


ROUNDS = 5


def _exchange(host, port, data, timeout=15.0):
    """Send data, read until close or a complete response; returns
    (status or None, bytes read, how it ended)."""
    s = socket.create_connection((host, port), timeout=timeout)
    try:
        s.sendall(data)
    except OSError as e:
        s.close()
        return None, b"", "send failed: %s" % e
    buf = b""
    how = "closed"
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
            head, sep, body = buf.partition(b"\r\n\r\n")
            m = re.search(rb"(?i)content-length: *(\d+)", head)
            if sep and m and len(body) >= int(m.group(1)):
                how = "complete"
                break
    except socket.timeout:
        how = "timeout"
    except ConnectionResetError:
        how = "reset"
    s.close()
    m = re.match(rb"HTTP/1\.[01] (\d{3}) ", buf)
    return (int(m.group(1)) if m else None), buf, how


def robust(host, port, out):
    port = int(port)
    res = {}
    # An idle connection: a request line, then nothing.
    idle = socket.create_connection((host, port), timeout=30)
    idle.sendall(b"GET /metrics HTTP/1.1\r\n")
    idle_t0 = time.time()

    st, buf, how = _exchange(host, port, b"GARBAGE \x01\x02 nonsense\r\n\r\n")
    res["malformed"] = {"status": st, "how": how, "bytes": len(buf)}
    big = b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 200000 + \
        b"\r\n\r\n"
    st, buf, how = _exchange(host, port, big)
    res["oversized_header"] = {"status": st, "how": how}
    st, buf, how = _exchange(host, port, b"GET /" + b"m" * 100000 +
                             b" HTTP/1.1\r\nHost: x\r\n\r\n")
    res["oversized_url"] = {"status": st, "how": how}
    st, buf, how = _exchange(host, port, b"POST /metrics HTTP/1.1\r\nHost: x"
                             b"\r\nContent-Length: 1000000\r\n\r\nxxxx")
    res["post_body"] = {"status": st, "how": how}

    # 200 at once: each opens, then all send together.
    n = 200
    socks, results = [], [None] * n
    barrier = threading.Barrier(n)

    def one(i):
        try:
            barrier.wait(timeout=20)
            results[i] = _exchange(host, port, b"GET /metrics HTTP/1.1\r\n"
                                   b"Host: x\r\nConnection: close\r\n\r\n")
        except Exception as e:  # a refused or reset connect is a "close"
            results[i] = (None, b"", "error: %s" % type(e).__name__)

    t0 = time.time()
    for rnd in range(ROUNDS):
        barrier.reset()
        th = [threading.Thread(target=one, args=(i,)) for i in range(n)]
        for t in th:
            t.start()
        for t in th:
            t.join(60)
        if rnd + 1 < ROUNDS and any(r is None or r[0] != 200 for r in results):
            break   # keep the worst round's outcome
    kinds = {"ok_200": 0, "closed": 0}
    other = []
    for r in results:
        if r and r[0] == 200 and r[2] == "complete":
            kinds["ok_200"] += 1
        elif r and r[0] is None and (r[2] in ("closed", "reset") or
                                     r[2].startswith("error: Connection")):
            kinds["closed"] += 1
        else:
            other.append((r[0], r[2]) if r else None)
    res["concurrent"] = dict(kinds, n=n, rounds=rnd + 1, other=other, t0=t0, t1=time.time(),
                             seconds=round(time.time() - t0, 3))
    # Two scrapes on one connection (keep-alive, as Prometheus does).
    ka = socket.create_connection((host, port), timeout=10)
    got = []
    for i in range(2):
        ka.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        buf = b""
        while True:
            chunk = ka.recv(65536)
            if not chunk:
                break
            buf += chunk
            head, sep, body = buf.partition(b"\r\n\r\n")
            m = re.search(rb"(?i)content-length: *(\d+)", head)
            if sep and m and len(body) >= int(m.group(1)):
                break
        m = re.match(rb"HTTP/1\.1 (\d{3}) ", buf)
        got.append(int(m.group(1)) if m else None)
    ka.close()
    res["keepalive"] = {"status": got}
    # Still serving afterwards.
    st, buf, how = _exchange(host, port, b"GET /metrics HTTP/1.1\r\nHost: x"
                             b"\r\nConnection: close\r\n\r\n")
    res["after"] = {"status": st, "how": how}

    # The idle one: closed by the server after its idle timeout.
    try:
        idle.settimeout(max(1.0, 20 - (time.time() - idle_t0)))
        data = idle.recv(65536)
        while data and not data.endswith(b"\r\n\r\n"):
            data = idle.recv(65536)
        res["idle"] = {"closed_after": round(time.time() - idle_t0, 2),
                       "bytes": len(data)}
    except socket.timeout:
        res["idle"] = {"closed_after": None}
    except ConnectionResetError:
        res["idle"] = {"closed_after": round(time.time() - idle_t0, 2),
                       "reset": True}
    idle.close()
    json.dump(res, open(out, "w"), indent=1)
    print(json.dumps(res))
    return 0


def gaps(path, t0, t1):
    t0, t1 = float(t0), float(t1)
    times = []
    for line in open(path):
        try:
            o = json.loads(line)
        except ValueError:
            continue
        if o.get("kind") != "sample":
            continue
        ts = o["time"]
        sec = calendar.timegm(time.strptime(ts[:19], "%Y-%m-%dT%H:%M:%S")) \
            + float("0" + ts[19:-1])
        times.append(sec)
    inside = [t for t in times if t0 - 1 <= t <= t1 + 1]
    g = [b - a for a, b in zip(inside, inside[1:])]
    print(json.dumps({"samples": len(inside),
                      "max_gap": round(max(g), 3) if g else None,
                      "mean_gap": round(sum(g) / len(g), 3) if g else None}))
    return 0


def prom(url, query, at=None):
    q = {"query": query}
    if at:
        q["time"] = at
    u = url + "/api/v1/query?" + urllib.parse.urlencode(q)
    with urllib.request.urlopen(u, timeout=10) as r:
        print(r.read().decode())
    return 0


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    fn = {"freeport": freeport, "get": get, "wait": wait, "series": series,
          "robust": robust, "gaps": gaps, "prom": prom}[cmd]
    sys.exit(fn(*args) or 0)


if __name__ == "__main__":
    main()
