#!/bin/sh
# End to end: the HTTP API and /metrics of nianbaod.  Two --once runs fill
# the store from the loopback portal with a change in between (the API
# off); then a long-running nianbaod with [http] listen on a free port is
# queried: every report, a record, the two versions and the diff of the
# altered report, events, captures, /metrics parsed line by line, bad
# parameters, unknown ids, SQL-looking input, POST, a bearer token set by
# SIGHUP, a second daemon on the same address (refused at start-up).  A
# third --once run serves the API while it crawls, under a bounded wrk
# load; the crawl finishes and the daemon exits 0.
set -eu
. "$SRC/tests/e2e/lib/common.sh"
e2e_setup NIANBAOD NIANBAO TOOLS SRC
e2e_logs='*.log'
E2E_TIMEOUT=120
MIN_DELAY=50ms
e2e_portal_fixture
e2e_no_hostile
cp "$tmp/nianbaod.conf" "$tmp/base.conf"

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
# conf LISTEN [extra [http] lines]
conf() {
	cp "$tmp/base.conf" "$tmp/nianbaod.conf"
	printf '[http]\nlisten = %s\nmax_limit = 5\n%s' "$1" "${2:-}" \
	    >>"$tmp/nianbaod.conf"
}
# get PATH [curl args]: the body to $tmp/body, the status printed
get() {
	p=$1
	shift
	curl -s -o "$tmp/body" -w '%{http_code}' --max-time 10 "$@" \
	    "http://127.0.0.1:$api$p" || echo 000
}
# expect STATUS PATH [curl args]
expect() {
	want=$1
	shift
	got=$(get "$@")
	[ "$got" = "$want" ] || fail "$1: status $got, want $want: $(head -c 300 "$tmp/body")"
}
json() {	# python expression over j (the body), must be true
	python3 - "$tmp/body" "$1" <<'EOF' || fail "$2: $(head -c 400 "$tmp/body")"
import json, sys
j = json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2]) else 1)
EOF
}
# wait_api: until /healthz answers while the daemon runs (bounded)
api_up() {
	[ "$(get /healthz)" = 200 ] && return 0
	kill -0 "$daemon_pid" 2>/dev/null || fail "nianbaod exited"
	return 1
}
wait_api() {
	e2e_wait 100 0.1 "the API did not come up on $api" api_up
}
token_applies() {
	[ "$(get /api/v1/reports)" = 401 ]
}

# ---- fill the store: two crawls with a change in between --------------------
conf no
e2e_once 1 --all
nev1=$(sqlite3 "$tmp/nb.db" "SELECT max(id) FROM events")
e2e_state 2
e2e_once 2 --all
alt=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["changes"]["2"]["altered"][0])' "$tmp/expected.json")
nreports=$(sqlite3 "$tmp/nb.db" "SELECT count(*) FROM reports")
[ "$nreports" -gt 5 ] || fail "only $nreports reports after two runs"

# ---- the long-running daemon with the API -----------------------------------
api=$(free_port)
conf "127.0.0.1:$api"
e2e_daemon daemon.log
wait_api
grep -q "http: listening on 127.0.0.1:$api" "$tmp/daemon.log" ||
	fail "no listening line"
json 'j["status"] == "ok" and j["sources"] == 4' "healthz"
[ "$(get /healthz -I)" = 200 ] || fail "HEAD /healthz"

# every report, page by page (max_limit = 5 caps limit)
expect 200 "/api/v1/reports?limit=10000000"
json 'len(j["reports"]) == 5 and j["next"] == j["reports"][-1]["id"]' \
	"limit capped at max_limit, next cursor"
after=0
: >"$tmp/ids"
n=0
while [ "$after" != None ]; do
	n=$((n + 1))
	[ $n -gt 50 ] && fail "paging does not end"
	expect 200 "/api/v1/reports?after=$after"
	python3 -c 'import json,sys; [print(r["id"], r["url"]) for r in json.load(open(sys.argv[1]))["reports"]]' \
	    "$tmp/body" >>"$tmp/ids"
	after=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["next"])' "$tmp/body")
done
[ "$(wc -l <"$tmp/ids")" = "$nreports" ] ||
	fail "paging gave $(wc -l <"$tmp/ids") reports, the store has $nreports"
[ "$(cut -d' ' -f1 "$tmp/ids" | sort -u | wc -l)" = "$nreports" ] ||
	fail "paging repeated a report"
id=$(awk -v u="$alt" '$2 == u { print $1 }' "$tmp/ids")
[ -n "$id" ] || fail "altered report $alt not listed"
expect 200 "/api/v1/reports?year=2099"
json 'j["reports"] == [] and j["next"] is None' "no report of 2099"
expect 200 "/api/v1/reports?removed=1"
json 'all(r["removed"] for r in j["reports"]) and len(j["reports"]) >= 1' \
	"removed=1 lists the removed report"

# a record, its versions and the diff
expect 200 "/api/v1/reports/$id"
json "j['report']['id'] == $id and j['version'] == 2 and j['record']['meta']['year'] == j['report']['year']" \
	"report record with meta.year"
expect 200 "/api/v1/reports/$id?version=1"
json 'j["version"] == 1 and j["record"] is not None' "version=1"
expect 404 "/api/v1/reports/$id?version=3"
expect 200 "/api/v1/reports/$id/versions"
json '[v["version"] for v in j["versions"]] == [1, 2] and j["versions"][0]["digest"] != j["versions"][1]["digest"]' \
	"two versions"
expect 200 "/api/v1/reports/$id/diff?from=1&to=2"
json '{c["key"]: (c["from"], c["to"]) for c in j["changes"]["cells"]} == {"t3.granted.natural": ("68", "70")}' \
	"diff 1 -> 2 is t3.granted.natural 68 -> 70"
expect 200 "/api/v1/reports/$id/diff"
json 'j["from"] == 1 and j["to"] == 2' "diff defaults to the last two"

# events and captures
expect 200 "/api/v1/events?since=0&limit=5"
# (issue 6 adds event types: source.synced, report.found, ...)
json 'len(j["events"]) == 5 and [e["id"] for e in j["events"]] == sorted(e["id"] for e in j["events"]) and all(e["type"].split(".")[0] in ("report", "source") for e in j["events"]) and j["next"] == j["events"][-1]["id"]' \
	"events page"
expect 200 "/api/v1/events?since=$nev1&limit=1000"
json 'sorted(e["type"] for e in j["events"] if e["type"] in ("report.new", "report.changed", "report.removed")) == ["report.changed", "report.new", "report.removed"] and j["next"] is None' \
	"the events of run 2"
expect 200 "/api/v1/captures" -G --data-urlencode "url=$alt"
json 'len(j["captures"]) == 2 and all(c["url"] == j["url"] and c["status"] == 200 for c in j["captures"]) and "body" not in j["captures"][0]' \
	"two captures of the altered report, no bytes"
expect 200 "/api/v1/captures" -G --data-urlencode "url=$alt" \
	--data-urlencode "from=2000" --data-urlencode "to=2000-12-31"
json 'j["captures"] == []' "captures outside the time range"
expect 200 "/api/v1/captures" -G --data-urlencode "url=$alt" \
	--data-urlencode "collapse=1" --data-urlencode "limit=1"
json 'len(j["captures"]) == 1 and j["next"] is not None' "captures paged"

# HEAD: the GET's status and headers, Content-Length the GET body's
# length, and no body (raw sockets: a client that trusts Content-Length
# would hang waiting for a body that must not come)
python3 - "$api" "$id" "$alt" <<'EOF' || fail "HEAD"
import socket, sys, urllib.parse
port, rid, alt = int(sys.argv[1]), sys.argv[2], sys.argv[3]
def req(method, path):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
              "Connection: close\r\n\r\n".encode())
    data = b""
    while len(data) < 1 << 24:
        c = s.recv(65536)
        if not c:
            break
        data += c
    s.close()
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    hdrs = {}
    for l in lines[1:]:
        k, _, v = l.partition(":")
        hdrs[k.strip().lower()] = v.strip()
    return lines[0].split()[1], hdrs, body
def check(path, same_body=True):
    gs, gh, gb = req("GET", path)
    hs, hh, hb = req("HEAD", path)
    assert hs == gs, f"{path}: HEAD {hs}, GET {gs}"
    assert hb == b"", f"{path}: HEAD sent {len(hb)} body bytes"
    assert int(hh.get("content-length", -1)) > 0, f"{path}: {hh}"
    if same_body:
        assert int(hh["content-length"]) == len(gb), \
            f"{path}: HEAD Content-Length {hh['content-length']}, GET body {len(gb)}"
        assert int(gh["content-length"]) == len(gb), path
    for k in gh:
        if k not in ("date", "content-length"):
            assert hh.get(k) == gh[k], f"{path}: {k}: {hh.get(k)} vs {gh[k]}"
    return hs
check("/healthz", False)
check("/metrics", False)
for p in ("/api/v1/reports?limit=3", f"/api/v1/reports/{rid}",
          f"/api/v1/reports/{rid}/versions",
          f"/api/v1/reports/{rid}/diff?from=1&to=2",
          "/api/v1/events?since=0&limit=5",
          "/api/v1/captures?url=" + urllib.parse.quote(alt, safe=""),
          "/nothing/here"):
    check(p)
assert check("/api/v1/reports/999999") == "404"
assert check("/api/v1/reports?limit=abc") == "400"
EOF
curl -sI --max-time 10 "http://127.0.0.1:$api/api/v1/reports/$id" >"$tmp/h" ||
	fail "curl -I"
len=$(curl -s --max-time 10 "http://127.0.0.1:$api/api/v1/reports/$id" | wc -c)
grep -qi "^Content-Length: $len" "$tmp/h" ||
	fail "curl -I: no Content-Length $len: $(cat "$tmp/h")"

# bad input
expect 400 "/api/v1/reports?limit=abc"
json 'j["parameter"] == "limit" and j["error"]' "limit=abc names limit"
expect 400 "/api/v1/reports?limit=0"
expect 400 "/api/v1/reports?limit=-5"
expect 400 "/api/v1/reports?year=20x5"
json 'j["parameter"] == "year"' "bad year"
expect 400 "/api/v1/reports?colour=blue"
json 'j["parameter"] == "colour"' "unknown parameter named"
expect 400 "/api/v1/reports?year=2024&year=2023"
expect 400 "/api/v1/reports?limit"
expect 400 "/api/v1/events?since=-1"
expect 400 "/api/v1/captures?url=x&from=yesterday"
json 'j["parameter"] == "from"' "bad from"
expect 400 "/api/v1/captures"
expect 404 "/api/v1/reports/999999"
json '"999999" in j["error"]' "404 names the id"
expect 404 "/api/v1/reports/1%27%3B%20DROP%20TABLE%20reports"
expect 404 "/api/v1/reports/1/raw"
expect 404 "/nothing/here"
expect 200 "/api/v1/reports?agency=%27%3B%20DROP%20TABLE%20reports%3B%20--"
json 'j["reports"] == []' "SQL-looking agency matches nothing"
expect 200 "/api/v1/reports?source=x%22%20OR%201%3D1%20--"
json 'j["reports"] == []' "SQL-looking source matches nothing"
[ "$(sqlite3 "$tmp/nb.db" "SELECT count(*) FROM reports")" = "$nreports" ] ||
	fail "the reports table changed"
expect 405 "/api/v1/reports" -X POST -d x=1
expect 405 "/api/v1/reports/$id" -X DELETE
curl -s -D "$tmp/h" -o /dev/null -X PUT "http://127.0.0.1:$api/healthz"
grep -qi '^Allow: GET, HEAD' "$tmp/h" || fail "405 without Allow"
long=$(python3 -c 'print("a" * 20000)')
code=$(get "/api/v1/reports?agency=$long")
case $code in 4*) ;; *) fail "a 20 kB request line got $code" ;; esac
expect 200 /healthz

# /metrics: the text format, line by line
expect 200 /metrics
python3 - "$tmp/body" <<'EOF' || fail "/metrics: $(head -c 600 "$tmp/body")"
import re, sys
lines = open(sys.argv[1]).read().split("\n")
assert lines[-1] == "", "no final newline"
name = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
label = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"'
sample = re.compile(rf"^({name})(\{{{label}(?:,{label})*\}})? (-?[0-9][0-9.e+-]*|NaN|[+-]Inf)$")
types, helps, seen = {}, set(), {}
for l in lines[:-1]:
    if l.startswith("# HELP "):
        helps.add(l.split()[2])
    elif l.startswith("# TYPE "):
        f = l.split()
        assert len(f) == 4 and f[3] in ("counter", "gauge", "untyped"), l
        assert f[2] not in types, f"TYPE twice: {l}"
        types[f[2]] = f[3]
    else:
        m = sample.match(l)
        assert m, f"bad line: {l!r}"
        assert m.group(1) in types, f"sample before its TYPE: {l}"
        assert m.group(1) in helps, f"no HELP: {l}"
        key = (m.group(1), m.group(2))
        assert key not in seen, f"sample twice: {l}"
        seen[key] = float(m.group(3))
want = ["nianbao_up", "nianbao_start_time_seconds", "nianbao_fetches_total",
        "nianbao_fetch_bytes_total", "nianbao_fetch_not_modified_ratio",
        "nianbao_fetch_queue_length", "nianbao_fetch_running",
        "nianbao_checks_running", "nianbao_sources", "nianbao_sources_due",
        "nianbao_sources_overdue", "nianbao_schedule_lag_seconds",
        "nianbao_reports", "nianbao_reports_failing", "nianbao_versions",
        "nianbao_events_total", "nianbao_store_captures",
        "nianbao_store_file_bytes", "nianbao_store_blob_bytes",
        "nianbao_http_requests_total"]
missing = [w for w in want if w not in types]
assert not missing, f"missing {missing}"
v = dict(seen)
assert v[("nianbao_sources", None)] == 4
assert v[("nianbao_reports", '{status="removed"}')] >= 1
assert v[("nianbao_events_total", '{type="report.changed"}')] >= 1
assert v[("nianbao_http_requests_total", '{code="400"}')] >= 10
assert v[("nianbao_store_file_bytes", None)] > 0
print(f"metrics: {len(seen)} samples of {len(types)} metrics")
EOF
if command -v promtool >/dev/null 2>&1; then
	promtool check metrics <"$tmp/body" || fail "promtool check metrics"
fi
# and Prometheus's own Python parser (Debian's python3-prometheus-client,
# installed by make deps; /usr/bin/python3 because a pyenv python lacks it)
if /usr/bin/python3 -c 'import prometheus_client' 2>/dev/null; then
	/usr/bin/python3 - "$tmp/body" <<'EOF' || fail "/metrics: prometheus_client's parser refused it"
import sys
from prometheus_client.parser import text_string_to_metric_families
fams = list(text_string_to_metric_families(open(sys.argv[1]).read()))
names = {f.name for f in fams}
assert len(fams) >= 10, names
assert "nianbao_fetches" in names or "nianbao_fetches_total" in names, names
print(f"metrics: prometheus_client parsed {len(fams)} families")
EOF
else
	echo "api: python3-prometheus-client missing, its parser not run"
fi

# a second daemon on the same address does not start, and says why
timeout 20 "$NIANBAOD" -d -f "$tmp/nianbaod.conf" 2>"$tmp/second.log" &&
	fail "a second daemon on 127.0.0.1:$api started"
grep -q "cannot listen on 127.0.0.1:$api" "$tmp/second.log" ||
	fail "the bind error does not name the address: $(cat "$tmp/second.log")"

# a token, set by SIGHUP through token_file
printf 's3cret-t0ken\n' >"$tmp/tok"
conf "127.0.0.1:$api" "token_file = tok
"
kill -HUP "$daemon_pid"
e2e_wait 50 0.1 "the token did not apply after SIGHUP" token_applies
curl -s -D "$tmp/h" -o /dev/null "http://127.0.0.1:$api/metrics"
grep -qi '^WWW-Authenticate: Bearer' "$tmp/h" || fail "401 without WWW-Authenticate"
expect 401 /metrics -H "Authorization: Bearer wrong"
expect 401 /api/v1/reports -H "Authorization: Bearer s3cret-t0ke"
expect 200 /api/v1/reports -H "Authorization: Bearer s3cret-t0ken"
expect 200 /healthz
grep -q s3cret "$tmp/daemon.log" && fail "the token is in the log"
"$NIANBAOD" -nv -f "$tmp/nianbaod.conf" 2>&1 | grep -q s3cret &&
	fail "nianbaod -nv prints the token"
e2e_daemon_stop

# ---- a --once crawl serves the API; wrk on it while it runs -------------------
api=$(free_port)
conf "127.0.0.1:$api"
sed -i 's/^min_delay = .*/min_delay = 1500ms/; s/^max_delay = .*/max_delay = 2s/' \
	"$tmp/nianbaod.conf"
e2e_daemon run3.log --once --all
wait_api
if command -v wrk >/dev/null 2>&1; then
	timeout 20 wrk -t2 -c16 -d3s --timeout 5s \
	    "http://127.0.0.1:$api/api/v1/reports" >"$tmp/wrk.out" 2>&1 ||
		fail "wrk: $(cat "$tmp/wrk.out")"
	cat "$tmp/wrk.out"
	grep -q "Socket errors" "$tmp/wrk.out" && fail "wrk saw socket errors"
	grep -q "Non-2xx" "$tmp/wrk.out" && fail "wrk saw non-2xx answers"
	grep -Eq "^ +[1-9][0-9]* requests in" "$tmp/wrk.out" ||
		fail "wrk made no request"
else
	echo "skip: wrk is not installed (make deps)"
fi
kill -0 "$daemon_pid" 2>/dev/null ||
	fail "the crawl ended before the load did (it must outlast wrk)"
expect 200 /healthz
expect 200 /metrics
grep -Eq '^nianbao_fetches_total\{class="(2xx|304)",host="127\.0\.0\.1[1-4]:[0-9]+"\} [1-9]' \
	"$tmp/body" || fail "no fetch counted by host during the crawl"
wait "$daemon_pid" || fail "the --once crawl under load exited $?"
daemon_pid=""
grep -q "stopped after .*: 4 checks" "$tmp/run3.log" ||
	fail "the crawl under load did not finish its 4 checks"
echo "ok: HTTP API end to end ($nreports reports, report $id diffed)"
