#!/bin/sh
# The fetcher against two local test servers (fetch_server.py), through
# fetchtool: per-host delays (min_delay, Crawl-delay), per_host in-flight
# limit, robots.txt, Retry-After on 429 and 503, the hostile endpoints
# (gzip bomb, huge, endless, drip, redirect loop) ending with the right
# error in bounded time, conditional GET.  Hosts A and B run at once and
# must not wait for each other.  B has no robots.txt (404: allow all), C's
# fails (500: disallow all).  Everything is on 127.0.0.1, bounded.
set -eu
. "$SRC/tests/e2e/lib/common.sh"
e2e_setup TOOLS SRC
FT=$TOOLS/fetchtool
T=$tmp

python3 "$SRC/tests/e2e/fetch_server.py" --port-file "$T/a.port" \
    --log "$T/a.log" --crawl-delay 1 --lifetime 90 &
e2e_track $!
python3 "$SRC/tests/e2e/fetch_server.py" --port-file "$T/b.port" \
    --log "$T/b.log" --robots-status 404 --lifetime 90 &
e2e_track $!
python3 "$SRC/tests/e2e/fetch_server.py" --port-file "$T/c.port" \
    --log "$T/c.log" --robots-status 500 --lifetime 90 &
e2e_track $!
for s in a b c; do
	e2e_wait_file "$T/$s.port" "server $s did not start"
done
A=http://127.0.0.1:$(cat "$T/a.port")
B=http://127.0.0.1:$(cat "$T/b.port")
C=http://127.0.0.1:$(cat "$T/c.port")

# Run 1: everything at once.  per_host 2, min_delay 300 ms, max_delay
# 1.5 s, total timeout 3 s, max_body 1 MB, max_decompressed 2 MB.
rc=0
timeout 60 "$FT" -c 2 -d 300 -D 1500 -t 3 -b 1000000 -z 2000000 -r 2 \
    -T 50 \
    "$A/page/1" "$A/page/2" "$A/private/secret" "$A/slow" "$A/ratelimit" \
    "$B/page/1" "$B/slow" "$B/bomb" "$B/huge" "$B/endless" "$B/drip" \
    "$B/loop" "$B/unavailable" "$B/badgzip" "$C/page/1" "$C/page/2" \
    >"$T/run1.json" || rc=$?
[ "$rc" -eq 0 ] || { echo "fetchtool run 1 exited $rc"; cat "$T/run1.json"; exit 1; }
python3 -c 'import time; print(time.time())' >"$T/mark"

# Run 2: conditional GETs on A (its own robots.txt fetch again).
timeout 30 "$FT" -d 0 -E '"v-/page/1"' "$A/page/1" >"$T/run2.json"
timeout 30 "$FT" -d 0 -M 'Wed, 01 Jan 2025 00:00:00 GMT' "$A/page/2" \
    >>"$T/run2.json"
timeout 30 "$FT" -d 0 -E '"stale"' "$A/page/1" >>"$T/run2.json"

python3 - "$T" "$A" "$B" "$C" <<'EOF'
import json, sys
T, A, B, C = sys.argv[1:5]
TOL = 0.05	# seconds: connection set-up jitter between start and arrival
fails = []

def check(cond, msg):
    if not cond:
        fails.append(msg)

def load(path):
    with open(path) as f:
        return [json.loads(l) for l in f if l.strip()]

run1 = load(T + "/run1.json")
res = {r["url"]: r for r in run1 if not r.get("aux")}
aux = [r for r in run1 if r.get("aux")]
with open(T + "/mark") as f:
    mark = float(f.read())
# Run 1's requests only; run 2 starts its own fetcher.
alog_all = load(T + "/a.log")
alog = [e for e in alog_all if e["t"] < mark]
blog = load(T + "/b.log")

# Every request completed once, plus one robots.txt per host.
check(len(res) == 16, "16 results, got %d" % len(res))
check(sorted((r["url"], r["status"]) for r in aux) ==
    sorted([(A + "/robots.txt", 200), (B + "/robots.txt", 404),
    (C + "/robots.txt", 500)]), "aux robots results: %s" % aux)
check(all(r["err"] == "ok" for r in aux), "robots.txt fetched: %s" % aux)

def starts(log):
    # A redirect hop is part of its request: keep the first of a run.
    out = []
    for e in log:
        if out and e["path"] == "/loop" and out[-1]["path"] == "/loop":
            continue
        out.append(e)
    return out

# Politeness: gaps between starts, in-flight cap.
for name, log, gap in (("A", alog, 1.0), ("B", blog, 0.3)):
    s = starts(log)
    check(s[0]["path"] == "/robots.txt", "%s: robots.txt first" % name)
    for prev, cur in zip(s, s[1:]):
        g = cur["t"] - prev["t"]
        check(g >= gap - TOL, "%s: %s -> %s after %.3f s < %.1f s" %
            (name, prev["path"], cur["path"], g, gap))
    check(max(e["inflight"] for e in log) <= 2,
        "%s: more than per_host in flight" % name)
# The slow page keeps one request busy: B does reach 2 in flight.
check(max(e["inflight"] for e in blog) == 2, "B: never 2 in flight")
# Hosts are independent: B's second request did not wait for A's delay.
check(starts(blog)[1]["t"] < starts(alog)[1]["t"],
    "B waited for A (crawl-delay of A applied to B?)")

# robots.txt: the disallowed path never reached the network.
r = res[A + "/private/secret"]
check(r["err"] == "robots" and r["status"] == 0, "private: %s" % r)
check(not any(e["path"].startswith("/private") for e in alog),
    "A: /private requested despite robots.txt")

# robots.txt answering 500: nothing else is fetched from C.
clog = load(T + "/c.log")
check([e["path"] for e in clog] == ["/robots.txt"], "C: %s" % clog)
for u in (C + "/page/1", C + "/page/2"):
    check(res[u]["err"] == "robots", "%s: %s" % (u, res[u]))

# 429 + Retry-After: 2, retried once, >= 2 s later, then 200.
hits = [e["t"] for e in alog if e["path"] == "/ratelimit"]
r = res[A + "/ratelimit"]
check(len(hits) == 2, "ratelimit hits: %d" % len(hits))
if len(hits) == 2:
    check(hits[1] - hits[0] >= 2.0 - TOL,
        "ratelimit retried after %.3f s" % (hits[1] - hits[0]))
check(r["err"] == "ok" and r["status"] == 200 and r["retries"] == 1,
    "ratelimit: %s" % r)
# 503 + Retry-After: 1, always: max_retries (2) retries, then the 503.
hits = [e["t"] for e in blog if e["path"] == "/unavailable"]
r = res[B + "/unavailable"]
check(len(hits) == 3, "unavailable hits: %d" % len(hits))
check(all(b - a >= 1.0 - TOL for a, b in zip(hits, hits[1:])),
    "503 retried before Retry-After: %s" % hits)
check(r["err"] == "ok" and r["status"] == 503 and r["retries"] == 2,
    "unavailable: %s" % r)

# Plain and slow pages.
for u in (A + "/page/1", A + "/page/2", A + "/slow", B + "/page/1",
    B + "/slow"):
    r = res[u]
    check(r["err"] == "ok" and r["status"] == 200 and r["len"] > 0,
        "%s: %s" % (u, r))
check(res[A + "/page/1"]["etag"] == '"v-/page/1"', "etag kept")

# Hostile endpoints: the right error, in bounded time.
want = {"/bomb": "too_large", "/huge": "too_large",
    "/endless": "too_large", "/drip": "timeout", "/loop": "redirects",
    "/badgzip": "decode"}
for path, err in want.items():
    r = res[B + path]
    check(r["err"] == err, "%s: want %s, got %s" % (path, err, r))
    check(r["total_ms"] <= 3000 + 1500, "%s took %d ms" %
        (path, r["total_ms"]))
    check(r["len"] == 0, "%s: a partial body was returned" % path)
check(res[B + "/bomb"]["wire_bytes"] < 1000000,
    "bomb stopped after %d wire bytes" % res[B + "/bomb"]["wire_bytes"])
check(res[B + "/endless"]["wire_bytes"] <= 1000000 + 1048576,
    "endless ran to %d bytes" % res[B + "/endless"]["wire_bytes"])
check(res[B + "/loop"]["redirects"] == 5, "loop: %s" % res[B + "/loop"])
check(sum(1 for e in blog if e["path"] == "/loop") == 6,
    "loop: more than 1 + max_redirects requests")

# Conditional GET: 304 to a matching ETag or Last-Modified, 200 otherwise.
run2 = [r for r in load(T + "/run2.json") if not r.get("aux")]
check([r["status"] for r in run2] == [304, 304, 200],
    "conditional: %s" % [(r["url"], r["status"]) for r in run2])
check(any(e["inm"] == '"v-/page/1"' for e in alog_all),
    "If-None-Match sent")
check(any(e["ims"] == "Wed, 01 Jan 2025 00:00:00 GMT" for e in alog_all),
    "If-Modified-Since sent")

for f in fails:
    print("FAIL:", f)
if fails:
    sys.exit(1)
print("ok: politeness, robots, Retry-After, limits and conditional GET")
EOF
